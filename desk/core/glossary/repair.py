"""Repair of a near match from the translation memory: what no anchor does well for names.

When a unit's Arabic differs from a segment's only in numbers (whatever digits they are
written in) and in names of the glossary (اللاذقية / إدلب), the unit's English is given
the segment's numbers and the house spellings of the segment's names, each replaced
where the unit's English has the old one (its house spelling, or a listed variant). A
difference the English does not show where expected (a number written out in words, a
name spelt otherwise) leaves the match fuzzy: a repair is made only where it is certain.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.model import Entry
from desk.core.glossary.normalise import at_sentence_start, cased
from desk.core.tm.match import Repairer, Unit
from desk.core.tm.text import NUMBER, arabic_tokens


def repairer(enforcer: Enforcer | None) -> Repairer | None:
    """A repairer for `tm.match.match` by this glossary (None without one). It reads
    each segment's Arabic once however many units it is tried with, and masks a unit
    only if it holds every word of the segment that is neither number nor name."""
    if enforcer is None:
        return None
    seen: dict[str, tuple[list[str], list[_Slot], set[str]]] = {}

    def repair_for(unit: Unit, source: str) -> tuple[str, tuple[str, ...]] | None:
        if source not in seen:
            seen.clear()
            masked, slots = _masked(source, enforcer)
            seen[source] = (masked, slots, {t for t in masked if not t.startswith("\x00")})
        masked, slots, fixed = seen[source]
        if not slots or not fixed <= set(unit.key.split()):
            return None
        return _repaired(unit, masked, slots, enforcer)

    return repair_for


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
        if token.kind == "" and token.start != last_start:
            words += 1
            last_start = token.start
        word_of.append(words if token.kind == "" else -1)
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
    seg_tokens, seg_slots = _masked(source, enforcer)
    return _repaired(unit, seg_tokens, seg_slots, enforcer)


def _repaired(
    unit: Unit, seg_tokens: list[str], seg_slots: list[_Slot], enforcer: Enforcer
) -> tuple[str, tuple[str, ...]] | None:
    """`repair` with the segment's Arabic already masked."""
    unit_tokens, unit_slots = _masked(unit.source, enforcer)
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
    # Every place the English shows an old value, found on the English as it is and
    # replaced in one pass (so values that trade places do not undo each other); each
    # old value must show as often as the unit's Arabic has it, or it is not certain
    # which place says what (a number that is part of an ordinal, a name inside a
    # longer name).
    in_arabic = Counter((slot.kind, slot.value) for slot in unit_slots)
    hits: list[tuple[int, int, str]] = []
    changes: list[str] = []
    for (kind, value), (old, new) in plan.items():
        found = (
            _number_places(unit.target, value, new.value)
            if kind == NUMBER
            else _name_places(unit.target, old.entry, new.entry)
        )
        if len(found) != in_arabic[(kind, value)]:
            return None
        hits += found
        start, end, text = found[0]
        changes.append(f"{unit.target[start:end]} → {text}")
    hits.sort()
    if any(a[1] > b[0] for a, b in pairwise(hits)):
        return None  # two values claim one place
    out, last = [], 0
    for start, end, text in hits:
        out.append(unit.target[last:start])
        out.append(text)
        last = end
    out.append(unit.target[last:])
    return "".join(out), tuple(changes)


def _number_forms(value: str) -> list[str]:
    """How an English text may write a number: as it is, and with thousands commas."""
    forms = [value]
    whole, dot, fraction = value.partition(".")
    if whole.isdigit() and len(whole) > 3 and "," not in value:
        forms.append(f"{int(whole):,}" + (dot + fraction))
    return forms


def _number_places(target: str, old: str, new: str) -> list[tuple[int, int, str]]:
    """Where `target` writes the number `old` as a number of its own (not a part of a
    longer number, a word or an ordinal like 21st), with `new` in the same style."""
    places: list[tuple[int, int, str]] = []
    for form in _number_forms(old):
        pattern = re.compile(rf"(?<![\w.,]){re.escape(form)}(?![\w]|[.,]\d)")
        styled = f"{int(new):,}" if "," in form and new.isdigit() and len(new) > 3 else new
        places += [(hit.start(), hit.end(), styled) for hit in pattern.finditer(target)]
    return places


def _name_places(target: str, old: Entry | None, new: Entry | None) -> list[tuple[int, int, str]]:
    """Where `target` writes the old entry's name (its house spelling or a listed
    variant, the longest first: al-Raqqa before Raqqa), with the new entry's house
    spelling cased for each place."""
    if old is None or new is None:
        return []
    spellings = sorted({old.canonical, *old.variants}, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w\-‐‑])(?:" + "|".join(re.escape(x) for x in spellings) + r")(?![\w\-‐‑])",
        re.IGNORECASE,
    )
    return [
        (hit.start(), hit.end(), cased(new.canonical, at_sentence_start(target, hit.start())))
        for hit in pattern.finditer(target)
    ]


def fixed_tokens(source: str, enforcer: Enforcer) -> list[str]:
    """The tokens of `source` that are neither numbers nor glossary names: a unit that
    can be repaired for it holds every one of them."""
    masked, _ = _masked(source, enforcer)
    return [t for t in masked if not t.startswith("\x00")]
