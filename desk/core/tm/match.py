"""Scoring a unit of the memory against a segment, and repairing a near match.

A match's percentage is the word-level similarity of the two normalised Arabic
sentences (`text.key`): 100 × (1 − Levenshtein distance over tokens / the longer
token count), rounded down, so only equal sentences score 100; 101 when the
neighbouring segments match too (the same context). Below 100 a match is fuzzy.

A match that differs only in numbers and glossary names can be repaired (the glossary's
`repair.py` does it, given here as a `Repairer`): it then scores 100, marked as
repaired.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import Levenshtein

from desk.core.diffing import DiffOp, word_diff

EXACT, CONTEXT = 100, 101


@dataclass(frozen=True)
class Unit:
    """One translation unit: an Arabic sentence and its English, and where it came from."""

    id: int
    source: str
    target: str
    origin: str
    """"desk" for a confirmed segment of this desk's stories; what a TMX import named
    (`tmx:FILE`, or the file's own origin) for imported units."""
    story: str = ""
    """The story's slug (a desk unit), or the TMX's story attribute."""
    segment: int = 0
    author: str = ""
    created_at: str = ""
    updated_at: str = ""
    published: bool = False
    context: str = ""
    """A digest of the keys of the sentences before and after it (`text.key`)."""
    key: str = ""

    def where(self) -> str:
        """Where the unit came from, for a person: `story-slug §3 (published)`, or the
        import's origin."""
        if self.origin == "desk":
            state = "published" if self.published else "unpublished"
            return f"{self.story} §{self.segment} ({state})"
        return f"{self.origin}" + (f" ({self.story})" if self.story else "")


@dataclass(frozen=True)
class Match:
    """A unit as it matches a segment: its score, the English to insert, the word diff of
    its Arabic against the segment's."""

    unit: Unit
    score: int
    target: str
    """The English to insert: the unit's, or its repaired form."""
    diff: list[DiffOp] = field(default_factory=list)
    repairs: tuple[str, ...] = ()
    """What a repair changed ("Lattakia → Idleb", "20 → 25"); empty if none."""

    @property
    def kind(self) -> str:
        """ "context" (101), "exact", "repaired" or "fuzzy"."""
        if self.repairs:
            return "repaired"
        if self.score >= CONTEXT:
            return "context"
        return "exact" if self.score >= EXACT else "fuzzy"

    def label(self) -> str:
        """The percentage as the editor shows it: `101%`, `100%`, `100% repaired`, `83%`."""
        return f"{self.score}%" + (" repaired" if self.repairs else "")


def similarity(a: Sequence[str], b: Sequence[str]) -> int:
    """The word-level similarity of two token lists, 0-100, rounded down: 100 only when
    they are equal."""
    if list(a) == list(b):
        return EXACT
    return min(EXACT - 1, int(100 * Levenshtein.normalized_similarity(a, b)))


def score(unit: Unit, tokens: Sequence[str], context: str = "") -> int:
    """The unit's score against a segment's tokens (and context digest: 101 when equal)."""
    percent = similarity(unit.key.split(), tokens)
    if percent == EXACT and context and unit.context == context:
        return CONTEXT
    return percent


Repairer = Callable[["Unit", str], "tuple[str, tuple[str, ...]] | None"]
"""Gives a unit's English repaired for a segment's Arabic, and what changed; None when it
cannot be (desk/core/glossary/repair.py makes one from the glossary)."""


def match(
    unit: Unit,
    source: str,
    tokens: Sequence[str],
    context: str,
    repairer: Repairer | None,
    *,
    diff: bool = True,
) -> Match:
    """The unit scored against a segment (`source`, its `tokens`, its `context`), repaired
    by `repairer` when it is not exact and can be; without `diff`, the word diff is left
    out (`with_diff` adds it to the matches kept)."""
    percent = score(unit, tokens, context)
    ops = word_diff(unit.source, source) if diff else []
    if percent < EXACT and repairer is not None:
        repaired = repairer(unit, source)
        if repaired is not None:
            target, changes = repaired
            return Match(unit, EXACT, target, ops, changes)
    return Match(unit, percent, unit.target, ops)


def with_diff(found: Match, source: str) -> Match:
    """The match with the word diff of its Arabic against the segment's `source`."""
    return replace(found, diff=word_diff(found.unit.source, source))


def rank(matches: Sequence[Match]) -> list[Match]:
    """Best first: higher score, a true exact before a repaired one, published before
    unpublished, the desk's own units before imported ones (whose dates are what the
    file says), then the newest."""
    newest = sorted(matches, key=lambda m: m.unit.updated_at, reverse=True)
    return sorted(
        newest,
        key=lambda m: (-m.score, bool(m.repairs), not m.unit.published, m.unit.origin != "desk"),
    )
