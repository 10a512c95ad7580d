"""The correction dialog: the note that says what a correction of a published story fixes."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from desk.tui.screens.dialog import WarningScreen


class CorrectionScreen(WarningScreen[str | None]):
    """Asks for the correction note; dismisses with it (Enter) or None (Esc)."""

    DEFAULT_CSS = """
    #correction-note {
        margin: 1 0 0 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, slug: str) -> None:
        """Start a correction of published story `slug`."""
        super().__init__()
        self.slug = slug

    def compose(self) -> ComposeResult:
        """A line of explanation and the note."""
        with Vertical(id="correction-box", classes="warning-box"):
            yield Static(
                f"Start a correction of {self.slug}. The note is published with the story; "
                "the English becomes editable until you publish again (F9).",
                id="correction-title",
                markup=False,
            )
            yield Input(placeholder="What is corrected, e.g. the death toll was 12, not 21",
                        id="correction-note")  # fmt: skip
            yield Static("Enter starts the correction, Esc cancels.", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Close with the note (the core refuses an empty one)."""
        event.stop()
        self.dismiss(event.value)
