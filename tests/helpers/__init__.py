"""Plain modules the tests share: paths, the CLI runner, stories, Pilot and server helpers."""
