"""The word diff of a segment's English against its machine draft, or against the English
of the translation memory's match chosen for it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from desk.core.diffing import DiffOp, word_diff
from desk.core.story import Segment
from desk.tui.visible import visible_text

DELETED = "red strike"
"""How a diff draws the words its newer side no longer has."""
INSERTED = "green underline"
"""How a diff draws the words its newer side adds."""


def diff_text(ops: Sequence[DiffOp], text: Text | None = None) -> Text:
    """A word diff as styled text: deletions red and struck, insertions green (appended).

    Bidi controls and zero-width characters show as markers (desk.tui.visible), so one
    typed into the English appears as an insertion.
    """
    text = Text() if text is None else text
    for op in ops:
        visible_text(op.gap, into=text)
        if op.tag == "equal":
            visible_text(op.after_text, into=text)
            continue
        if op.before:
            visible_text(op.before_text, DELETED, into=text)
        if op.before and op.after:
            text.append(" ")
        if op.after:
            visible_text(op.after_text, INSERTED, into=text)
    return text


class DiffView(Static):
    """The word diff of the English against the machine draft or the match chosen."""

    DEFAULT_CSS = """
    DiffView {
        padding: 0 1;
    }
    DiffView.-hidden {
        display: none;  /* Ctrl+T (EditorScreen.action_toggle_diff) */
    }
    """

    _lines = -1
    """How many lines the last diff took (-1: not known)."""

    against = "draft"
    """What the English is compared with: `draft` or `match` (Ctrl+T goes round)."""

    match: tuple[str, str] | None = None
    """The label (`83%`) and English of the memory's match chosen (None: none)."""

    def show(self, seg: Segment, english: str) -> None:
        """Diff `english` against `seg`'s draft, or the match chosen: deletions red and
        struck, insertions green."""
        if self.against == "match":
            text = Text("Diff vs match", style="bold")
            if self.match is None:
                text.append(": no match")
            else:
                label, target = self.match
                text.append(f" ({label}): ", style="bold")
                diff_text(word_diff(target, english), text)
        else:
            text = Text("Diff vs draft: ", style="bold")
            if not seg.draft:
                text.append("no draft")
            else:
                diff_text(word_diff(seg.draft, english), text)
        # Most keystrokes leave the diff as many lines high as before; then the screen
        # needs no layout pass, which is what makes typing in a long story slow.
        width = self.content_size.width
        lines = len(text.wrap(self.app.console, width)) if width > 0 else -1
        same_height = lines > 0 and lines == self._lines
        self._lines = lines
        self.update(text, layout=not same_height)
