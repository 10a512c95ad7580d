"""Invisible characters made visible: bidi controls and zero-width characters as markers.

A bidi control (an embedding, override, isolate or mark) or a zero-width character in a
segment can reorder or hide words, names included, without a trace on screen. Wherever the
workbench shows segment text read-only, each one is drawn as a short label in angle
brackets, `⟨RLO⟩`, `⟨ZWSP⟩`..., in MARKER_STYLE (bold, reversed) instead of being left to
act. The stored text never changes: only what is drawn does.

ZWNJ and ZWJ between two Arabic letters are ordinary Arabic typography (they break or
force the joining of the letters), so in the Arabic they are left to do that and not
marked; anywhere else (in the English, at the edge of an Arabic word, beside a space or
a Latin letter) they are marked like the rest. Bidi controls are marked everywhere.
"""

from __future__ import annotations

import re
import unicodedata

from rich.text import Text

INVISIBLES: dict[str, str] = {
    "\u202a": "LRE",  # left-to-right embedding
    "\u202b": "RLE",  # right-to-left embedding
    "\u202c": "PDF",  # pop directional formatting
    "\u202d": "LRO",  # left-to-right override
    "\u202e": "RLO",  # right-to-left override
    "\u2066": "LRI",  # left-to-right isolate
    "\u2067": "RLI",  # right-to-left isolate
    "\u2068": "FSI",  # first strong isolate
    "\u2069": "PDI",  # pop directional isolate
    "\u200e": "LRM",  # left-to-right mark
    "\u200f": "RLM",  # right-to-left mark
    "\u061c": "ALM",  # Arabic letter mark
    "\u200b": "ZWSP",  # zero width space
    "\u200c": "ZWNJ",  # zero width non-joiner
    "\u200d": "ZWJ",  # zero width joiner
    "\u2060": "WJ",  # word joiner
    "\ufeff": "BOM",  # zero width no-break space (byte order mark)
}
"""Every character drawn as a marker, and its label: the one mapping the TUI uses."""

JOINERS = frozenset("\u200c\u200d")
"""ZWNJ and ZWJ: left alone between two Arabic letters (see the module's docstring)."""

MARKER_STYLE = "bold reverse"
"""How a marker is drawn: reversed, so it stands out in either theme and inside a diff."""

_INVISIBLE = re.compile("[" + "".join(INVISIBLES) + "]")

# Markers in Arabic are fenced with an isolate (LRI … PDI) while the line is reordered,
# so `⟨RLO⟩` stays one left-to-right unit; `styled` then takes the fences out again.
# The text's own isolates are markers by then, so every fence left is one of these.
_OPEN, _CLOSE = "\u2066", "\u2069"
_FENCED = re.compile(f"[{_OPEN}{_CLOSE}](⟨[A-Z]+⟩)[{_OPEN}{_CLOSE}]")


def marker(char: str) -> str:
    """The marker drawn for `char`, a key of INVISIBLES: `⟨RLO⟩` for U+202E."""
    return f"⟨{INVISIBLES[char]}⟩"


def invisible_at(text: str, *, arabic: bool = False) -> list[int]:
    """The indexes of the characters of `text` drawn as markers.

    With `arabic`, a ZWNJ or ZWJ between two Arabic letters is not one of them.
    """
    return [
        m.start()
        for m in _INVISIBLE.finditer(text)
        if not (arabic and m.group() in JOINERS and _inside_arabic_word(text, m.start()))
    ]


def reveal(text: str, *, arabic: bool = False, fenced: bool = False) -> str:
    """`text` with each invisible character replaced by its marker (plain text).

    `fenced` puts each marker in an isolate, for text about to be reordered (see `styled`).
    """
    shown = invisible_at(text, arabic=arabic)
    if not shown:
        return text
    out: list[str] = []
    last = 0
    for i in shown:
        out.append(text[last:i])
        mark = marker(text[i])
        out.append(f"{_OPEN}{mark}{_CLOSE}" if fenced else mark)
        last = i + 1
    out.append(text[last:])
    return "".join(out)


def visible_text(
    text: str, style: str = "", *, arabic: bool = False, into: Text | None = None
) -> Text:
    """`text` in `style` with each invisible character as a marker in MARKER_STYLE.

    Appended to `into` when given (and that returned), else to a new Text.
    """
    out = Text() if into is None else into
    last = 0
    for i in invisible_at(text, arabic=arabic):
        out.append(text[last:i], style=style)
        out.append(marker(text[i]), style=f"{style} {MARKER_STYLE}".strip())
        last = i + 1
    out.append(text[last:], style=style)
    return out


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 control characters but newline and tab: ESC among them."""


def printable(text: str) -> str:
    """`text` with each control character (ESC, BEL...; not newline or tab) as `�`: text
    another tool wrote (a TMX file's units) never sends the terminal an escape sequence."""
    return _CONTROLS.sub("\ufffd", text)


def styled(drawn: str) -> Text:
    """A line made with `reveal(..., fenced=True)` (then reordered or not) as styled text."""
    out = Text()
    last = 0
    for m in _FENCED.finditer(drawn):
        out.append(_unfence(drawn[last : m.start()]))
        out.append(m.group(1), style=MARKER_STYLE)
        last = m.end()
    out.append(_unfence(drawn[last:]))
    return out


def cut(text: str, width: int, *, arabic: bool = False) -> str:
    """`text` on one line of at most `width` characters as drawn (markers included), with `…`.

    The invisible characters stay in the result: it is cut, not revealed.
    """
    text = " ".join(text.split())
    shown = set(invisible_at(text, arabic=arabic))
    sizes = [len(marker(c)) if i in shown else 1 for i, c in enumerate(text)]
    if sum(sizes) <= width:
        return text
    used = 0
    for i, size in enumerate(sizes):
        if used + size > width - 1:
            return text[:i] + "…"
        used += size
    return text  # not reached: the sizes add up to more than `width`


def _unfence(text: str) -> str:
    """`text` without fences (one may be left where wrapping cut a marker in two)."""
    return text.replace(_OPEN, "").replace(_CLOSE, "")


def _inside_arabic_word(text: str, i: int) -> bool:
    """Whether the character at `i` has an Arabic letter on both sides.

    Vowel marks (harakat) and other joiners between are skipped: `بَ‌ت` counts.
    """
    before = i - 1
    while before >= 0 and (text[before] in JOINERS or unicodedata.category(text[before]) == "Mn"):
        before -= 1
    after = i + 1
    while after < len(text) and text[after] in JOINERS:
        after += 1
    return (
        before >= 0
        and after < len(text)
        and unicodedata.bidirectional(text[before]) == "AL"
        and unicodedata.bidirectional(text[after]) == "AL"
    )
