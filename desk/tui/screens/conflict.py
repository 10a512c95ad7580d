"""The conflict dialog: someone else saved the segment first; both texts side by side."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from desk.tui.visible import visible_text


class ConflictScreen(ModalScreen[str]):
    """Shows your text and theirs; dismisses with `mine` or `theirs`."""

    DEFAULT_CSS = """
    ConflictScreen {
        align: center middle;
    }
    #conflict-box {
        width: 90%;
        height: auto;
        max-height: 90%;
        border: thick $error;
        background: $surface;
        padding: 1;
    }
    .conflict-text {
        margin: 1 0 0 0;
    }
    #conflict-buttons {
        height: auto;
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss('theirs')", "Take theirs")]

    def __init__(self, n: int, mine: str, theirs: str, who: str) -> None:
        """Segment `n`: `mine` could not be saved over `theirs`, written by `who`."""
        super().__init__()
        self.n, self.mine, self.theirs, self.who = n, mine, theirs, who

    def compose(self) -> ComposeResult:
        """Both texts and the two choices."""
        with Vertical(id="conflict-box"):
            yield Static(
                f"Segment {self.n} was changed by {self.who} while you edited it.",
                id="conflict-title",
                markup=False,
            )
            # Invisible characters as markers: the two texts may differ only in those.
            yield Static(visible_text(self.mine, into=Text("Yours:\n")), classes="conflict-text")
            yield Static(visible_text(self.theirs, into=Text(f"Theirs ({self.who}):\n")),
                         classes="conflict-text")  # fmt: skip
            with Horizontal(id="conflict-buttons"):
                yield Button("Keep mine", id="mine", variant="warning")
                yield Button("Take theirs", id="theirs", variant="primary")

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        """Close with the choice."""
        self.dismiss(event.button.id or "theirs")
