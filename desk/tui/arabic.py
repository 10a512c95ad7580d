"""Arabic for the screen: Textual and Rich do no bidi, so the TUI may shape and reorder it.

`shaped` joins the letters (arabic-reshaper) and puts each line in visual order
(python-bidi) for terminals that do neither; `raw` leaves the logical order for
terminals that do their own bidi (VTE-based ones, Konsole, mlterm). The store always
keeps logical order: these functions are for display only.

Harakat (vowel marks, shadda, tanween as in عنصراً) are kept in shaped mode and drawn after
the letter they sit on, as a terminal expects a combining mark.

Bidi controls and zero-width characters in the Arabic are drawn as markers (`⟨RLO⟩`, see
desk.tui.visible) in either mode: they are replaced before shaping and reordering, so they
never act on the line, and each marker reads left to right wherever it lands.

English lines quoting Arabic (findings, the search text) go through `display_mixed_text`:
only their Arabic runs are shaped and turned right to left, each where it stands, so the
English around them is never moved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal, get_args

from rich.text import Text

from desk.tui.visible import INVISIBLES, reveal, styled, visible_text

ArabicDisplay = Literal["shaped", "raw"]
"""How Arabic is drawn: shaped and reordered here, or left to the terminal."""

ARABIC_DISPLAYS: tuple[str, ...] = get_args(ArabicDisplay)
DEFAULT_ARABIC_DISPLAY: ArabicDisplay = "shaped"

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d4-\u08ff"
"""The harakat: the characters arabic-reshaper keeps beside a letter rather than shaping."""

# python-bidi turns a right-to-left run round character by character, so each letter's
# marks land before it; `_visual` puts them back after it.
_MARKS_BEFORE = re.compile(f"([{_MARKS}]+)(.)", re.DOTALL)

_LETTERS = (
    "\u0620-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdff\ufe70-\ufefc"
)
_WORD = f"[{_LETTERS}][{_LETTERS}{_MARKS}\u200c\u200d]*"
# Between two Arabic words: spaces, Arabic punctuation, digits (Western and Arabic-Indic),
# and invisible characters (drawn as markers).
_BETWEEN = f"[ \u00a0\u060c\u061b\u061f0-9\u0660-\u066c\u06f0-\u06f9{''.join(INVISIBLES)}]+"
_ARABIC_RUN = re.compile(f"{_WORD}(?:{_BETWEEN}{_WORD})*[\u060c\u061b\u061f\u06d4]?")
"""Arabic words with what lies between them, and the Arabic punctuation closing them."""


def display_arabic(text: str, mode: str) -> str:
    """`text` (logical order) as it should be drawn in `mode` on one line, markers and all."""
    return display_arabic_text(text, mode).plain


def display_arabic_text(text: str, mode: str) -> Text:
    """`display_arabic` with the markers styled (see desk.tui.visible)."""
    return styled(_drawn(text, mode))


def display_mixed_text(text: str, mode: str) -> Text:
    """A line of English quoting Arabic, as drawn in `mode`, invisible characters as markers.

    In `shaped` mode each Arabic run (words, with the spaces, digits and Arabic
    punctuation between them) is shaped and drawn right to left where it stands; the
    English keeps its order and place. Reordering the whole line with the bidi algorithm
    would carry brackets and numbers next to the Arabic into its run ("(12)" drawn left of
    the Arabic it follows), which a reader of the English does not expect.
    """
    if mode == "raw":
        return visible_text(text)
    out = Text()
    last = 0
    for run in _ARABIC_RUN.finditer(text):
        visible_text(text[last : run.start()], into=out)
        out.append_text(display_arabic_text(run.group(), mode))
        last = run.end()
    return visible_text(text[last:], into=out)


def has_arabic(text: str) -> bool:
    """Whether `text` holds an Arabic letter."""
    return _ARABIC_RUN.search(text) is not None


def display_arabic_lines(text: str, mode: str, width: int) -> list[str]:
    """`text` wrapped to `width` cells in logical order, then each line drawn in `mode`.

    Wrapping must come first: reordering a whole paragraph and letting the widget wrap
    it would put the end of the sentence on the first line.
    """
    return [line.plain for line in display_arabic_texts(text, mode, width)]


def display_arabic_texts(text: str, mode: str, width: int) -> list[Text]:
    """`display_arabic_lines` with the markers styled."""
    return [styled(line) for line in _drawn_lines(text, mode, width)]


def display_arabic_runs(runs: Sequence[tuple[str, str]], mode: str, width: int) -> list[Text]:
    """Arabic given as styled runs (a word diff: kept, deleted, inserted words), wrapped to
    `width` cells in logical order, each line drawn in `mode` with every word keeping its
    style.

    In `shaped` mode each word is shaped on its own (letters join only inside a word) and
    a line's words are laid right to left; in `raw` mode they stay in logical order for
    the terminal to turn round. Markers as in `display_arabic_text`.
    """
    lines: list[list[Text]] = [[]]
    used = 0
    for run, style in runs:
        for word in run.split():
            drawn = display_arabic_text(word, mode)
            if style:
                drawn.stylize_before(style)  # under the markers' own look
            size = drawn.cell_len
            if lines[-1] and used + 1 + size > width:
                lines.append([])
                used = 0
            used += size + (1 if lines[-1] else 0)
            lines[-1].append(drawn)
    out: list[Text] = []
    for words in lines:
        ordered = words[::-1] if mode != "raw" else words
        out.append(Text(" ").join(ordered))
    return out


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
    return str(_reshaper().reshape(text))


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    """The reshaper, keeping the harakat (its default deletes them: عنصراً lost its ً)."""
    import arabic_reshaper  # lazily: only the TUI in shaped mode needs it

    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


def _visual(line: str) -> str:
    """One line reordered from logical to visual order (right-to-left base, digits LTR)."""
    from bidi import get_display

    # Marks stay after their letter: reversed, "ا ً" would put the tanween on the next letter.
    return _MARKS_BEFORE.sub(lambda m: m.group(2) + m.group(1)[::-1], str(get_display(line)))


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
