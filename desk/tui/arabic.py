"""Arabic for the screen: Textual and Rich do no bidi, so the TUI may shape and reorder it.

`shaped` joins the letters (arabic-reshaper) and puts each line in visual order
(python-bidi) for terminals that do neither; `raw` leaves the logical order for
terminals that do their own bidi (VTE-based ones, Konsole, mlterm). The store always
keeps logical order: these functions are for display only.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, get_args

ArabicDisplay = Literal["shaped", "raw"]
"""How Arabic is drawn: shaped and reordered here, or left to the terminal."""

ARABIC_DISPLAYS: tuple[str, ...] = get_args(ArabicDisplay)
DEFAULT_ARABIC_DISPLAY: ArabicDisplay = "shaped"


@lru_cache(maxsize=4096)  # the segment table redraws every row after each confirm
def display_arabic(text: str, mode: str) -> str:
    """`text` (logical order) as it should be drawn in `mode` on one line."""
    if mode == "raw" or not text:
        return text
    return _visual(_reshape(text))


def display_arabic_lines(text: str, mode: str, width: int) -> list[str]:
    """`text` wrapped to `width` cells in logical order, then each line drawn in `mode`.

    Wrapping must come first: reordering a whole paragraph and letting the widget wrap
    it would put the end of the sentence on the first line.
    """
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
