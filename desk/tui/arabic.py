"""Arabic for the screen: Textual and Rich do no bidi, so the TUI may shape and reorder it.

`shaped` joins the letters (arabic-reshaper) and puts each line in visual order
(python-bidi) for terminals that do neither; `raw` leaves the logical order for
terminals that do their own bidi (VTE-based ones, Konsole, mlterm). The store always
keeps logical order: these functions are for display only.

Bidi controls and zero-width characters in the Arabic are drawn as markers (`⟨RLO⟩`, see
desk.tui.visible) in either mode: they are replaced before shaping and reordering, so they
never act on the line, and each marker reads left to right wherever it lands.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, get_args

from rich.text import Text

from desk.tui.visible import reveal, styled

ArabicDisplay = Literal["shaped", "raw"]
"""How Arabic is drawn: shaped and reordered here, or left to the terminal."""

ARABIC_DISPLAYS: tuple[str, ...] = get_args(ArabicDisplay)
DEFAULT_ARABIC_DISPLAY: ArabicDisplay = "shaped"


def display_arabic(text: str, mode: str) -> str:
    """`text` (logical order) as it should be drawn in `mode` on one line, markers and all."""
    return display_arabic_text(text, mode).plain


def display_arabic_text(text: str, mode: str) -> Text:
    """`display_arabic` with the markers styled (see desk.tui.visible)."""
    return styled(_drawn(text, mode))


def display_arabic_lines(text: str, mode: str, width: int) -> list[str]:
    """`text` wrapped to `width` cells in logical order, then each line drawn in `mode`.

    Wrapping must come first: reordering a whole paragraph and letting the widget wrap
    it would put the end of the sentence on the first line.
    """
    return [line.plain for line in display_arabic_texts(text, mode, width)]


def display_arabic_texts(text: str, mode: str, width: int) -> list[Text]:
    """`display_arabic_lines` with the markers styled."""
    return [styled(line) for line in _drawn_lines(text, mode, width)]


@lru_cache(maxsize=4096)  # the segment table redraws every row after each confirm
def _drawn(text: str, mode: str) -> str:
    """One line drawn in `mode`, its markers still fenced (see desk.tui.visible.styled)."""
    text = reveal(text, arabic=True, fenced=True)
    if mode == "raw" or not text:
        return text
    return _visual(_reshape(text))


def _drawn_lines(text: str, mode: str, width: int) -> list[str]:
    """The wrapped lines drawn in `mode`, their markers still fenced."""
    text = reveal(text, arabic=True, fenced=True)
    if mode == "raw":
        return text.splitlines() or [""]
    lines: list[str] = []
    for paragraph in _reshape(text).splitlines() or [""]:
        lines.extend(_visual(line) for line in _wrap(paragraph, max(width, 1)))
    return lines


def _reshape(text: str) -> str:
    """The letters in their joined (contextual) forms, still in logical order."""
    import arabic_reshaper  # lazily: only the TUI in shaped mode needs it

    return str(arabic_reshaper.reshape(text))


def _visual(line: str) -> str:
    """One line reordered from logical to visual order (right-to-left base, digits LTR)."""
    from bidi import get_display

    return str(get_display(line))


def _wrap(paragraph: str, width: int) -> list[str]:
    """Greedy word wrap by terminal cells, words longer than `width` cut."""
    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    for word in paragraph.split():
        while cell_len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines
