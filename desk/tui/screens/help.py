"""The help screen: every key of the screen it was opened from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Lists the keys of a screen with what each does; any listed key closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    #help-box {
        width: 80%;
        max-width: 90;
        height: 80%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help")
    ]

    def __init__(self, title: str, bindings: Sequence[tuple[str, str, str]]) -> None:
        """`bindings`: (key as shown, description, longer explanation) per binding."""
        super().__init__()
        self.title_text = title
        self.lines = bindings

    def compose(self) -> ComposeResult:
        """A scrolling list of keys."""
        width = max((len(k) for k, _, _ in self.lines), default=4) + 2
        rows = [f"{self.title_text} — keys", ""]
        for key, description, tooltip in self.lines:
            rows.append(f"{key:<{width}}{description}")
            if tooltip and tooltip != description:
                rows.append(f"{'':<{width}}  {tooltip}")
        rows += ["", "Esc, q, ? or F1 closes this help."]
        with VerticalScroll(id="help-box"):
            yield Static("\n".join(rows), id="help-text", markup=False)
