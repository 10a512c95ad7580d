"""The workbench: a Textual UI over desk.core (imported only when the TUI runs)."""

from __future__ import annotations

from desk.tui.app import DeskApp, make_app

__all__ = ["DeskApp", "make_app"]
