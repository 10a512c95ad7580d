"""Scoring a unit of the memory against a segment, and repairing a near match.

A match's percentage is the word-level similarity of the two normalised Arabic
sentences (`text.key`): 100 × (1 − Levenshtein distance over tokens / the longer
token count), rounded down, so only equal sentences score 100; 101 when the
neighbouring segments match too (the same context). Below 100 a match is fuzzy.

Repair: when the two sentences differ only in numbers (whatever digits they are
written in) and in names of the glossary (اللاذقية / إدلب), the unit's English is
given the segment's numbers and the house spellings of the segment's names, each
replaced where the unit's English has the old one; a match so repaired scores 100,
marked as repaired. A difference the English does not show where expected (a number
written out in words, a name spelt otherwise) leaves the match fuzzy: a repair is
made only where it is certain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from desk.core.diffing import DiffOp, word_diff
from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.model import Entry
from desk.core.glossary.normalise import at_sentence_start, cased
from desk.core.tm.text import NUMBER, arabic_tokens

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


def match(
    unit: Unit, source: str, tokens: Sequence[str], context: str, enforcer: Enforcer | None
) -> Match:
    """The unit scored against a segment (`source`, its `tokens`, its `context`), repaired
    when it can be."""
    percent = score(unit, tokens, context)
    diff = word_diff(unit.source, source)
    if percent < EXACT and enforcer is not None:
        repaired = repair(unit, source, enforcer)
        if repaired is not None:
            target, changes = repaired
            return Match(unit, EXACT, target, diff, changes)
    return Match(unit, percent, unit.target, diff)


def rank(matches: Sequence[Match]) -> list[Match]:
    """Best first: higher score, a true exact before a repaired one, published before
    unpublished, then the newest."""
    newest = sorted(matches, key=lambda m: m.unit.updated_at, reverse=True)
    return sorted(newest, key=lambda m: (-m.score, bool(m.repairs), not m.unit.published))


# -- repair ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """A number or a glossary name in a sentence: what the repair may exchange."""

    kind: str
    """NUMBER or "name"."""
    value: str
    """The number in Latin digits, or the entry's id."""
    entry: Entry | None = None


def _masked(source: str, enforcer: Enforcer) -> tuple[list[str], list[_Slot]]:
    """The sentence's tokens with each number and glossary name replaced by a slot
    marker, and the slots in order."""
    tokens = arabic_tokens(source)
    # Word numbers as `arabic_words` counts them: numbers are not words there.
    word_of: list[int] = []
    words = -1
    last_start = -1
    for token in tokens:
        if token.kind != NUMBER and token.start != last_start:
            words += 1
            last_start = token.start
        word_of.append(words if token.kind != NUMBER else -1)
    names: dict[int, tuple[int, Entry]] = {}
    for first, count, entry in enforcer.arabic_names(source):
        names[first] = (count, entry)
    out: list[str] = []
    slots: list[_Slot] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == NUMBER:
            out.append("\x00#")
            slots.append(_Slot(NUMBER, token.text))
            i += 1
            continue
        found = names.get(word_of[i])
        if found is not None and (i == 0 or word_of[i - 1] != word_of[i]):
            count, entry = found
            last_word = word_of[i] + count - 1
            # A conjunction cut off the name's first word stays a word of the sentence.
            if token.text in ("و", "ف") and i + 1 < len(tokens) and word_of[i + 1] == word_of[i]:
                out.append(token.text)
                i += 1
            while i < len(tokens) and 0 <= word_of[i] <= last_word and tokens[i].kind != NUMBER:
                i += 1
            out.append("\x00name")
            slots.append(_Slot("name", entry.id, entry))
            continue
        out.append(token.text)
        i += 1
    return out, slots


def repair(unit: Unit, source: str, enforcer: Enforcer) -> tuple[str, tuple[str, ...]] | None:
    """The unit's English with the segment's numbers and names, and what changed; None
    when the two differ in more than numbers and names, or the English does not show
    each old number or name where it can be exchanged."""
    unit_tokens, unit_slots = _masked(unit.source, enforcer)
    seg_tokens, seg_slots = _masked(source, enforcer)
    if unit_tokens != seg_tokens:
        return None
    pairs = [(a, b) for a, b in zip(unit_slots, seg_slots, strict=True) if a.value != b.value]
    if not pairs:
        return None
    # One old value must become one new value throughout, or the English cannot say which.
    plan: dict[tuple[str, str], tuple[_Slot, _Slot]] = {}
    for old, new in pairs:
        if plan.setdefault((old.kind, old.value), (old, new))[1].value != new.value:
            return None
    unchanged = {(a.kind, a.value) for a, b in zip(unit_slots, seg_slots, strict=True) if a == b}
    if unchanged & set(plan):
        return None  # the same number or name stays in one place and changes in another
    target = unit.target
    changes: list[str] = []
    for old, new in plan.values():
        replaced = (
            _exchange_number(target, old.value, new.value)
            if old.kind == NUMBER
            else _exchange_name(target, old.entry, new.entry)
        )
        if replaced is None:
            return None
        target, change = replaced
        changes.append(change)
    return target, tuple(changes)


def _number_forms(value: str) -> list[str]:
    """How an English text may write a number: as it is, and with thousands commas."""
    forms = [value]
    whole, dot, fraction = value.partition(".")
    if whole.isdigit() and len(whole) > 3 and "," not in value:
        forms.append(f"{int(whole):,}" + (dot + fraction))
    return forms


def _exchange_number(target: str, old: str, new: str) -> tuple[str, str] | None:
    """`target` with the number `old` written as `new` (in the same style); None when
    `old` is not in it as a whole number."""
    for form in _number_forms(old):
        pattern = re.compile(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)")
        if pattern.search(target):
            styled = new
            if "," in form and new.isdigit() and len(new) > 3:
                styled = f"{int(new):,}"
            return pattern.sub(styled, target), f"{form} → {styled}"
    return None


def _exchange_name(target: str, old: Entry | None, new: Entry | None) -> tuple[str, str] | None:
    """`target` with the old entry's house spelling (or a listed variant) replaced by the
    new entry's; None when neither is in it."""
    if old is None or new is None:
        return None
    for spelling in (old.canonical, *old.variants):
        pattern = re.compile(rf"(?<![^\W_]){re.escape(spelling)}(?![^\W_])", re.IGNORECASE)
        found = list(pattern.finditer(target))
        if not found:
            continue
        out, last = [], 0
        for hit in found:
            out.append(target[last : hit.start()])
            out.append(cased(new.canonical, at_sentence_start(target, hit.start())))
            last = hit.end()
        out.append(target[last:])
        return "".join(out), f"{hit.group()} → {new.canonical}"
    return None
