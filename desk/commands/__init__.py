"""The CLI's commands, grouped by what they work on; each module registers on `desk.cli.main`."""
