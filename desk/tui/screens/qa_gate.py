"""The QA gate dialog: what stops a story from being approved, published or exported."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from desk.tui.screens.dialog import WarningScreen


class QaGateScreen(WarningScreen[int | None]):
    """Lists the blocking problems; dismisses with a segment to go to, or None."""

    DEFAULT_CSS = """
    #qa-title {
        text-style: bold;
    }
    #qa-problems, #qa-hint {
        margin: 1 0 0 0;
    }
    #qa-buttons {
        height: auto;
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("enter", "go", "Go to segment"),
    ]

    def __init__(self, action: str, problems: Sequence[str], goto: int | None) -> None:
        """`action` was refused for `problems`; `goto`: the first segment to fix, if any."""
        super().__init__()
        self.action = action
        self.problems = list(problems)
        self.goto = goto

    def compose(self) -> ComposeResult:
        """The problems, one per line, and the two ways out."""
        with Vertical(id="qa-box", classes="warning-box"):
            yield Static(f"Cannot {self.action}: the QA gate blocks it", id="qa-title",
                         markup=False)  # fmt: skip
            yield Static("\n".join(f"• {p}" for p in self.problems), id="qa-problems",
                         markup=False)  # fmt: skip
            yield Static(
                "Confirm every segment (F2 each, F3 all) and give each one English.",
                id="qa-hint",
                markup=False,
            )
            with Horizontal(id="qa-buttons"):
                if self.goto is not None:
                    yield Button(f"Go to segment {self.goto}", id="qa-go", variant="primary")
                yield Button("Close", id="qa-close")

    def action_go(self) -> None:
        """Close and go to the first segment that blocks."""
        self.dismiss(self.goto)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        """Go, or just close."""
        event.stop()
        self.dismiss(self.goto if event.button.id == "qa-go" else None)
