"""What the workbench works with: one desk home, the person at the keyboard, how to draw.

Every screen gets this one object from the app; everything it does goes through the
home (desk.app), so the workbench and the CLI refuse, record and export alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from desk.app.home import Home
from desk.app.service import Desk


@dataclass
class Workbench:
    """The desk home, who is working, and how Arabic is drawn."""

    home: Home
    author: str
    arabic_override: str | None = None
    """`--arabic-display` given on the command line; else the config file says."""

    @property
    def desk(self) -> Desk:
        """The operations over the home's store (for the UI thread; workers use
        `home.open()`)."""
        return self.home.desk

    @property
    def arabic_display(self) -> str:
        """How Arabic is drawn: `shaped` or `raw` (the option, else `[tui] arabic_display`)."""
        return self.arabic_override or self.home.config.tui_arabic_display
