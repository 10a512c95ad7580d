"""Plain modules the tests share (paths, the CLI runner, stories, Pilot helpers); no tests."""
