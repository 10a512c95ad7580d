"""Tests that drive the `desk` command: click's CliRunner (the `desk` fixture) or a subprocess."""
