"""Where the English box's sentences begin and end: the reach of its sentence keys.

Plain functions over the box's text and a cursor offset (an index into that text), so the
keys (desk.tui.widgets.english_editor) only turn locations into offsets and back.

A sentence ends after `.`, `?`, `!` or `…` (a run of them, then any closing quotes or
brackets) that is followed by white space and a word that does not begin in lower case.
A `.` after a listed abbreviation ("Mr.", "Gen.", "Jan."), an initial ("F.") or a dotted
initialism ("U.S.", "a.m.") ends nothing; nor does one inside a number ("6.3"), having no
space after it. A line break always ends a sentence. English only: Arabic is not typed here.
"""

from __future__ import annotations

import re

STOPS = ".?!…"
"""The marks that can end a sentence."""

CLOSERS = "\"'”’»)]"
"""Closing quotes and brackets that stay with the sentence they follow (`said." Then`)."""

OPENERS = "\"'“‘«(["
"""Opening quotes and brackets, skipped when reading the word before a full stop."""

ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "cpl",
        "adm", "gov", "sen", "rep", "rev", "st", "mt", "no", "nos", "vs",
        "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec",
    }
)  # fmt: skip
"""Words a full stop follows without ending the sentence (titles, months as AP writes them)."""

_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
"""An initial or a dotted initialism, without its last full stop: "F", "U.S", "a.m"."""

Span = tuple[int, int]
"""A sentence: the offsets of its first character and of the one after its last mark."""


def sentence_spans(text: str) -> list[Span]:
    """Every sentence of `text` in order, white space between them left out."""
    spans: list[Span] = []
    pos = 0
    while True:
        start = _skip_space(text, pos)
        if start == len(text):
            return spans
        end = _sentence_end(text, start)
        spans.append((start, end))
        pos = end


def sentence_start(text: str, offset: int) -> int:
    """Where Ctrl+A goes: the start of the sentence the cursor is in (or just after);
    from that start already, the start of the text."""
    before = [start for start, _ in sentence_spans(text) if start <= offset]
    if not before or before[-1] == offset:
        return 0
    return before[-1]


def sentence_end(text: str, offset: int) -> int:
    """Where Ctrl+E goes: the end of the sentence the cursor is in (or just before);
    from that end already, the end of the text."""
    after = [end for _, end in sentence_spans(text) if end >= offset]
    if not after or after[0] == offset:
        return len(text)
    return after[0]


def kill_forward(text: str, offset: int) -> Span:
    """What Ctrl+K deletes: from the cursor to the end of its sentence (the next one from
    a sentence's end).

    From a sentence's start the whole sentence goes with the spaces after it, so the next
    sentence moves up into its place ("A said. B died. C left." with the cursor on B
    leaves "A said. C left."); the space before it stays, so the last sentence killed
    leaves "A said. " and the next one typed reads right (a save trims the end).
    """
    span = next(((s, e) for s, e in sentence_spans(text) if e > offset), None)
    if span is None:
        return offset, len(text)
    start, end = span
    if offset <= start and (offset == 0 or text[offset - 1].isspace()):
        while end < len(text) and text[end] in " \t":
            end += 1
    return offset, end


def kill_backward(text: str, offset: int) -> Span:
    """What Ctrl+U deletes: from the start of the cursor's sentence to the cursor; from a
    sentence's start, the sentence before it with the space between."""
    starts = [start for start, _ in sentence_spans(text) if start < offset]
    return (starts[-1] if starts else 0), offset


def _skip_space(text: str, pos: int) -> int:
    """The first offset at or after `pos` that is not white space."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _sentence_end(text: str, start: int) -> int:
    """The end of the sentence that begins at `start`."""
    pos = start
    while pos < len(text):
        char = text[pos]
        if char == "\n":
            return len(text[start:pos].rstrip()) + start
        if char not in STOPS:
            pos += 1
            continue
        after = pos
        while after < len(text) and text[after] in STOPS:
            after += 1
        while after < len(text) and text[after] in CLOSERS:
            after += 1
        if after == len(text) or (text[after].isspace() and _ends(text, pos, after)):
            return after
        pos = after
    return len(text.rstrip())


def _ends(text: str, stop: int, after: int) -> bool:
    """Whether the marks from `stop` to `after` (white space next) end a sentence."""
    following = _skip_space(text, after)
    if following < len(text) and text[following].islower():
        return False
    if after - stop > 1 or text[stop] != ".":
        return True
    word_start = stop
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:stop].lstrip(OPENERS)
    return word.lower() not in ABBREVIATIONS and not _INITIALS.fullmatch(word)
