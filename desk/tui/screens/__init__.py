"""The workbench's screens, one per module."""
