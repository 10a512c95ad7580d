"""What the workbench works with: one desk home, the person at the keyboard, how to draw.

Every screen gets this one object from the app; everything it does goes through the
home (desk.app), so the workbench and the CLI refuse, record and export alike.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from desk.app.home import Home
from desk.app.service import Desk

UI_BUSY_TIMEOUT_MS = 750
"""How long a save from the UI thread waits for another process's write lock. A save
runs on the UI thread, so the screen is frozen while it waits: a command may wait
10 s (desk.core.store.store.BUSY_TIMEOUT_MS), the workbench gives up sooner, says
why, keeps the English in the box and retries a few seconds later."""


@dataclass(frozen=True)
class GlossaryLoad:
    """A load of the glossary's enforcer in a thread of its own."""

    over: threading.Event = field(default_factory=threading.Event)
    """Set when the load is over, the enforcer loaded or not (a bad file)."""
    compiling: threading.Event = field(default_factory=threading.Event)
    """Set when the load compiles the files (no sound compiled glossary for them in the
    home), which takes seconds at 10,000 entries."""

    def wait(self, seconds: float) -> None:
        """Wait for the load to be over, at most `seconds`, and not once it compiles."""
        end = time.monotonic() + seconds
        while not self.over.wait(POLL_SECONDS):
            if self.compiling.is_set() or time.monotonic() >= end:
                return


POLL_SECONDS = 0.005
"""How often `GlossaryLoad.wait` looks whether the load began to compile."""


@dataclass
class Workbench:
    """The desk home, who is working, and how Arabic is drawn."""

    home: Home
    author: str
    login_name: bool = False
    """No `--as` and no $DESK_USER named `author`: it is the OS login name, shown as such."""
    arabic_override: str | None = None
    """`--arabic-display` given on the command line; else the config file says."""
    last_story: str | None = None
    """The story last opened in an editor: the list's cursor goes back to it."""
    glossary_loading: GlossaryLoad | None = None
    """The glossary's load begun as the workbench started with a story (`desk open SLUG`,
    see `desk.tui.app.preload_glossary`); None when none was begun."""

    def __post_init__(self) -> None:
        """Open the UI thread's store connection, with the workbench's short busy timeout
        (workers' connections, `home.open()`, keep the long one: they block no one)."""
        self.home.desk.store.set_busy_timeout(UI_BUSY_TIMEOUT_MS)

    @property
    def desk(self) -> Desk:
        """The operations over the home's store (for the UI thread; workers use
        `home.open()`)."""
        return self.home.desk

    @property
    def arabic_display(self) -> str:
        """How Arabic is drawn: `shaped` or `raw` (the option, else `[tui] arabic_display`)."""
        return self.arabic_override or self.home.config.tui_arabic_display
