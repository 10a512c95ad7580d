"""Tests of the workbench (desk.tui): Pilot tests by screen and feature, SVG snapshots, tmux."""
