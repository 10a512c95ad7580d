"""The line under the English box that says it holds invisible characters, and which."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from desk.tui.visible import MARKER_STYLE, invisible_at, marker

MAX_LISTED = 8
"""Markers named on the line; more are counted, not named."""


class HiddenNotice(Static):
    """Names the bidi controls and zero-width characters in the English; hidden without any.

    The English box keeps exactly what was typed and draws these characters as nothing
    (see EnglishEditor.get_line for the cue it does draw), so this line says what they are.
    """

    DEFAULT_CSS = """
    HiddenNotice {
        display: none;  /* `show` displays it while the English holds hidden characters */
        padding: 0 1;
        color: $error;
    }
    """

    _named: tuple[str, ...] = ()
    """The characters the line names now, in order."""

    def show(self, english: str) -> None:
        """Describe the invisible characters of `english` (hide the line if there are none)."""
        found = invisible_at(english)
        self.display = bool(found)
        named = tuple(english[i] for i in found)
        if not found or named == self._named:
            return  # typing elsewhere in the English: no redraw, no layout pass
        self._named = named
        text = Text(f"{len(found)} hidden character(s) in the English:")
        for i in found[:MAX_LISTED]:
            text.append(" ")
            text.append(marker(english[i]), style=MARKER_STYLE)
        if len(found) > MAX_LISTED:
            text.append(" …")
        text.append(
            " — kept as typed; the letter next to each is highlighted in the box "
            "and the diff shows where."
        )
        self.update(text)
