"""The editable English of the current segment, saved on blur and while typing."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.events import Blur
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea

AUTOSAVE_SECONDS = 2.0
"""Seconds of quiet after typing before the English is saved."""


class EnglishEditor(TextArea):
    """A TextArea that asks for a save when it loses focus and a moment after typing."""

    @dataclass
    class SaveRequested(Message):
        """The English differs from what was last saved and should be saved now."""

        text: str
        reason: str
        """`blur` or `timer`."""

    def __init__(self, *, id: str | None = None) -> None:
        """A soft-wrapping editor with no saved text yet."""
        super().__init__(soft_wrap=True, tab_behavior="focus", id=id)
        self.saved_text = ""
        self._timer: Timer | None = None

    def load(self, text: str) -> None:
        """Show `text` as the saved English (no save is asked for it)."""
        self.saved_text = text
        self.load_text(text)

    @property
    def dirty(self) -> bool:
        """Whether the English differs from what was last saved."""
        return self.text.strip() != self.saved_text.strip()

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        """Restart the autosave timer while the text differs from the saved one."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.dirty:
            self._timer = self.set_timer(AUTOSAVE_SECONDS, self._autosave)

    def _autosave(self) -> None:
        """The timer ran out: ask for a save."""
        self._timer = None
        if self.dirty:
            self.post_message(self.SaveRequested(self.text, "timer"))

    def on_blur(self, event: Blur) -> None:
        """Leaving the editor saves it."""
        if self.dirty:
            self.post_message(self.SaveRequested(self.text, "blur"))
