"""Which segments the editor shows: all, or only those a translator is looking for.

A CAT tool's segment filter: unconfirmed, edited, with findings, or containing a word
(English, or Arabic compared as the search compares it). The editor's moves (next,
previous) keep to the segments shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from desk.core.errors import InputError
from desk.core.glossary.normalise import normalise_arabic
from desk.core.story import Segment, SegmentStatus


class Show(StrEnum):
    """The kinds of filter."""

    ALL = "all"
    UNCONFIRMED = "unconfirmed"
    EDITED = "edited"
    FINDINGS = "findings"
    WORD = "word"


LABELS = {
    Show.ALL: "all segments",
    Show.UNCONFIRMED: "unconfirmed segments",
    Show.EDITED: "edited segments",
    Show.FINDINGS: "segments with findings",
    Show.WORD: "segments containing",
}
"""How the editor's header and notices name each filter."""


@dataclass(frozen=True)
class SegmentFilter:
    """One filter: its kind and, for `WORD`, the word."""

    show: Show = Show.ALL
    word: str = ""

    @property
    def label(self) -> str:
        """What the filter shows, in words: 'unconfirmed segments', 'segments containing "x"'."""
        if self.show == Show.WORD:
            return f'{LABELS[Show.WORD]} "{self.word}"'
        return LABELS[self.show]

    def keeps(self, seg: Segment, findings: Mapping[int, Sequence[object]]) -> bool:
        """Whether segment `seg` is shown (`findings`: the segments' open findings)."""
        if self.show == Show.UNCONFIRMED:
            return seg.status != SegmentStatus.CONFIRMED
        if self.show == Show.EDITED:
            # Changed by a person: an edit, or a confirmed English that is not the draft.
            return seg.status == SegmentStatus.EDITED or (
                seg.status == SegmentStatus.CONFIRMED and seg.text != seg.draft
            )
        if self.show == Show.FINDINGS:
            return bool(findings.get(seg.n))
        if self.show == Show.WORD:
            return matches(seg, self.word)
        return True


def matches(segment: Segment, query: str) -> bool:
    """Whether the segment's English or Arabic contains `query`.

    English is compared case-insensitively, Arabic without diacritics, tatweel or the
    alef, hamza, ta marbuta and ya variants (`normalise_arabic`).
    """
    query = query.strip()
    if not query:
        return False
    if query.casefold() in segment.text.casefold():
        return True
    return normalise_arabic(query) in normalise_arabic(segment.source)


def parse_filter(text: str) -> SegmentFilter:
    """A filter from what was typed in the filter box: a kind's name or first letter
    (`u`, `e`, `f`, `a`), else a word to look for ('"u"' looks for the word u)."""
    typed = text.strip()
    low = typed.casefold()
    for show in (Show.ALL, Show.UNCONFIRMED, Show.EDITED, Show.FINDINGS):
        if low in (show.value, show.value[0]):
            return SegmentFilter(show)
    if len(typed) >= 2 and typed[0] == typed[-1] == '"':
        typed = typed[1:-1].strip()
    if not typed:
        raise InputError("type a word to look for, or a, u, e or f")
    return SegmentFilter(Show.WORD, typed)


def shown(
    segments: Sequence[Segment], chosen: SegmentFilter, findings: Mapping[int, Sequence[object]]
) -> list[int]:
    """The numbers of the segments `chosen` keeps, in order."""
    return [seg.n for seg in segments if chosen.keeps(seg, findings)]
