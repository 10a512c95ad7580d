"""The editable English of the current segment, saved on blur and while typing."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.events import Blur
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea

from desk.tui.visible import invisible_at

AUTOSAVE_SECONDS = 2.0
"""Seconds of quiet after typing before the English is saved."""

CUE_STYLE = "bold reverse red"
"""The letter next to a hidden character in the box (see EnglishEditor.get_line)."""


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

    def get_line(self, line_index: int) -> Text:
        """The line as drawn: the letter after each hidden character highlighted.

        A bidi control or zero-width character takes no cell. Drawing a marker in its
        place would move every later letter away from where the box puts the cursor and
        the mouse, and replacing it would change what is saved; so the text is drawn as
        typed, the letter after it (before it, at the end of a line) gets CUE_STYLE, and
        the notice under the box and the diff's markers (desk.tui.visible) say what it is.
        With the cursor on that letter, Backspace deletes the hidden character.
        """
        line = super().get_line(line_index)
        hidden = set(invisible_at(line.plain))
        for i in sorted(hidden):
            cue = next((j for j in range(i + 1, len(line)) if j not in hidden), None)
            if cue is None:
                cue = next((j for j in range(i - 1, -1, -1) if j not in hidden), None)
            if cue is not None:
                line.stylize(CUE_STYLE, cue, cue + 1)
        return line

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
