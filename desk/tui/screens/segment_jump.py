"""Two one-line dialogs of the editor: go to a segment, and filter the segments shown.

What a typed line means is the editing session's (`EditorSession.go_to_n`,
`segment_filter.parse_filter`); a line it refuses leaves the dialog open with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from desk.app.segment_filter import SegmentFilter, parse_filter
from desk.core.errors import DeskError

T = TypeVar("T")


class LineScreen(ModalScreen[T | None], Generic[T]):
    """A prompt over the bottom of the editor: Enter answers, Esc closes."""

    DEFAULT_CSS = """
    LineScreen {
        align: center bottom;
    }
    LineScreen .line-box {
        width: 90%;
        max-width: 100;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
        margin-bottom: 3;
    }
    LineScreen .line-box Label {
        width: 100%;
    }
    LineScreen .line-error {
        color: $error;
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, prompt: str, value: str, parse: Callable[[str], T]) -> None:
        """Ask with `prompt`, starting from `value`; `parse` turns the line into the
        answer or raises DeskError saying why not."""
        super().__init__()
        self.prompt = prompt
        self.value = value
        self.parse = parse

    def compose(self) -> ComposeResult:
        """The prompt, the line, the reason a line was refused."""
        with Vertical(classes="line-box"):
            yield Label(self.prompt)
            yield Input(value=self.value, id="line-input")
            yield Label("", classes="line-error", id="line-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Answer, or say why the line is refused and stay open."""
        try:
            answer = self.parse(event.value)
        except DeskError as exc:
            self.query_one("#line-error", Label).update(str(exc))
            return
        self.dismiss(answer)

    def action_close(self) -> None:
        """No answer."""
        self.dismiss(None)


def go_to_screen(parse: Callable[[str], int]) -> LineScreen[int]:
    """Ask for a segment number."""
    return LineScreen("Go to segment number (Enter: go, Esc: stay)", "", parse)


def filter_screen(current: SegmentFilter) -> LineScreen[SegmentFilter]:
    """Ask which segments to show."""
    prompt = (
        "Show: a = all, u = unconfirmed, e = edited, f = with findings, "
        "or a word (English or Arabic). Enter: show, Esc: keep"
    )
    return LineScreen(prompt, current.word, parse_filter)
