"""Search in story: a small dialog whose Enter jumps to the next segment containing the text.

Which segment matches is the editing session's (`EditorSession.find_next`).

An Input shows what is typed in logical order, letters unjoined: fine on a terminal doing
its own bidi, unreadable Arabic on one that does not. So with `shaped` Arabic display a
line under the box repeats Arabic being typed, shaped and right to left; the Input keeps
the logical text, which is what is searched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from desk.app.editing import EditorSession
from desk.tui.arabic import DEFAULT_ARABIC_DISPLAY, display_mixed_text, has_arabic
from desk.tui.context import Workbench


class SearchScreen(ModalScreen[None]):
    """Type a word (English or Arabic); each Enter goes to the next segment holding it."""

    # Kept beside the class (not in desk.tcss) so the dialog is self-contained.
    DEFAULT_CSS = """
    SearchScreen {
        align: center bottom;
    }
    #search-box {
        width: 90%;
        max-width: 100;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
        margin-bottom: 3;
    }
    #search-preview.-none {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close search"),
    ]

    def __init__(self, session: EditorSession, go: Callable[[int], None]) -> None:
        """Search `session`'s story, starting with its last search; `go(n)` moves the
        editor to segment `n`."""
        super().__init__()
        self.session = session
        self.go = go
        self.query_text = session.search_text

    def compose(self) -> ComposeResult:
        """A one-line prompt."""
        with Vertical(id="search-box"):
            yield Label("Search the English and the Arabic (Enter: next match, Esc: close)")
            yield Input(value=self.query_text, placeholder="text to find", id="search-input")
            yield Static(id="search-preview", classes="-none")

    @property
    def arabic_display(self) -> str:
        """How the app draws Arabic (`shaped` or `raw`)."""
        workbench = getattr(self.app, "workbench", None)
        if isinstance(workbench, Workbench):
            return workbench.arabic_display
        return DEFAULT_ARABIC_DISPLAY

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        """Repeat Arabic being typed, shaped, under the box (shaped display only)."""
        preview = self.query_one("#search-preview", Static)
        shown = self.arabic_display == "shaped" and has_arabic(event.value)
        preview.set_class(not shown, "-none")
        if shown:
            preview.update(
                Text.assemble("Searching for: ", display_mixed_text(event.value, "shaped"))
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Jump to the next match; the dialog stays open for the one after."""
        self.query_text = self.session.search_text = text = event.value
        if not text.strip():
            return
        n = self.session.find_next(text)
        if n is None:
            self.notify(f"No segment contains {text!r}.", severity="warning")
            return
        if n == self.session.current:
            self.notify(f"Only this segment contains {text!r}.")
        self.go(n)
