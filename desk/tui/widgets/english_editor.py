"""The editable English of the current segment, saved on blur and while typing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.events import Blur
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea
from textual.widgets.text_area import Document, Location

from desk.tui.sentences import kill_backward, kill_forward, sentence_end, sentence_start
from desk.tui.visible import invisible_at

AUTOSAVE_SECONDS = 2.0
"""Seconds of quiet after typing before the English is saved."""

CUE_STYLE = "bold reverse red"
"""The letter next to a hidden character in the box (see EnglishEditor.get_line)."""


class EnglishEditor(TextArea):
    """A TextArea that asks for a save when it loses focus and a moment after typing.

    Ctrl+A, Ctrl+E, Ctrl+K and Ctrl+U reach to the sentence (desk.tui.sentences), not to
    the screen line the soft wrap happens to make: on a wrapped segment the screen line
    ends mid-sentence, and a kill there left half a sentence behind. Home and End still
    keep to the screen line, as in a word processor.
    """

    HELP_TITLE = "In the English box"
    """The heading of the box's keys in the editor's help (desk.tui.screens.help)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+a",
            "sentence_start",
            "Sentence start",
            show=False,
            tooltip="To the start of the sentence; again, of the segment "
            "(Home: of the screen line).",
        ),
        Binding(
            "ctrl+e",
            "sentence_end",
            "Sentence end",
            show=False,
            tooltip="To the end of the sentence; again, of the segment (End: of the screen line).",
        ),
        Binding(
            "ctrl+k",
            "kill_sentence_forward",
            "Delete to sentence end",
            show=False,
            tooltip="Delete to the end of the sentence; from its start, "
            "the whole sentence and the space after it (Ctrl+Z undoes).",
        ),
        Binding(
            "ctrl+u",
            "kill_sentence_backward",
            "Delete to sentence start",
            show=False,
            tooltip="Delete back to the start of the sentence; from its "
            "start, the sentence before (Ctrl+Z undoes).",
        ),
    ]

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
    def _plain(self) -> Document:
        """The box's document (a plain one: the box has no syntax highlighting)."""
        assert isinstance(self.document, Document)
        return self.document

    def _offset(self) -> int:
        """The cursor as an index into the text."""
        return self._plain.get_index_from_location(self.cursor_location)

    def _location(self, offset: int) -> Location:
        """The (row, column) of an index into the text."""
        return self._plain.get_location_from_index(offset)

    def action_sentence_start(self) -> None:
        """Ctrl+A: to the start of the sentence, or of the segment from there."""
        self.move_cursor(self._location(sentence_start(self.text, self._offset())))

    def action_sentence_end(self) -> None:
        """Ctrl+E: to the end of the sentence, or of the segment from there."""
        self.move_cursor(self._location(sentence_end(self.text, self._offset())))

    def action_kill_sentence_forward(self) -> None:
        """Ctrl+K: delete the selection, else to the end of the sentence (see kill_forward)."""
        self._kill(kill_forward)

    def action_kill_sentence_backward(self) -> None:
        """Ctrl+U: delete the selection, else back to the sentence's start (kill_backward)."""
        self._kill(kill_backward)

    def _kill(self, reach: Callable[[str, int], tuple[int, int]]) -> None:
        """Delete the selection, or the stretch `reach` gives for the cursor, as one
        undoable edit that leaves the cursor where the deletion began."""
        if self.read_only:
            return
        start, end = self.selection
        if start == end:
            first, last = reach(self.text, self._offset())
            start, end = self._location(first), self._location(last)
        if start != end:
            # Its own undo step: not merged into the typing or deleting just before it.
            self.history.checkpoint()
            self.delete(start, end, maintain_selection_offset=False)
            self.history.checkpoint()

    def insert_at_cursor(self, fragment: str) -> None:
        """Put `fragment` in at the cursor (after a selection, which stays in the text), a
        space either side where it would touch a word; one undoable edit, saved as typing
        is."""
        if self.read_only or not fragment:
            return
        end = self.selection.end
        offset = self._plain.get_index_from_location(end)
        text = self.text
        if offset > 0 and not text[offset - 1].isspace():
            fragment = " " + fragment
        if offset < len(text) and not text[offset].isspace():
            fragment += " "
        self.move_cursor(end)
        self.history.checkpoint()
        self.insert(fragment, end, maintain_selection_offset=False)
        self.history.checkpoint()

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
