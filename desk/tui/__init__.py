"""The workbench: a Textual UI over the application layer (desk.app), imported only when
the TUI runs. `app.py` wires it (`make_app`), `context.py` is what every screen gets,
`screens/` and `widgets/` one class a module, `desk.tcss` the layout."""

from __future__ import annotations

from desk.tui.app import DeskApp, make_app

__all__ = ["DeskApp", "make_app"]
