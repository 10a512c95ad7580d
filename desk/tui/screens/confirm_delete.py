"""The dialog that confirms deleting a story nobody has worked on."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from desk.tui.screens.dialog import WarningScreen
from desk.tui.visible import visible_text


class ConfirmDeleteScreen(WarningScreen[bool]):
    """Asks before deleting `slug`; dismisses with True (y) or False (n, Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "dismiss(True)", "Delete", tooltip="Delete the story."),
        Binding("n,escape", "dismiss(False)", "Keep", tooltip="Keep the story."),
    ]

    def __init__(self, slug: str, headline: str) -> None:
        """Confirm the deletion of `slug` (shown with its headline)."""
        super().__init__()
        self.slug = slug
        self.headline = headline

    def compose(self) -> ComposeResult:
        """The question and the keys."""
        with Vertical(id="delete-box", classes="warning-box"):
            yield Static(f"Delete {self.slug}?", id="delete-title", markup=False)
            yield Static(visible_text(self.headline))
            yield Static(
                "It disappears from the list and its slug can be imported again; "
                "its revisions stay in the log. y deletes, n or Esc keeps it.",
                markup=False,
            )
