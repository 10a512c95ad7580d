"""The QA gate: everything that stands between a story and approval, publication or export.

One function, `gate`, used by every front end through the application service. Each
problem is one item in one place (a segment, or the whole story), with a stable key, so
that an editor can dismiss that item with a reason and the gate then lets it through:

- segments not confirmed, or with no English (these can only be fixed, not dismissed);
- untranslated segments (the English is the Arabic, or mostly Arabic letters);
- Arabic letters left in the English;
- numbers of the Arabic missing or changed in the English (Arabic-Indic digits, dates);
- a repeated word or phrase ("a raid that targeted a raid that targeted");
- a segment whose English repeats another segment's English or draft;
- every glossary finding (listed, source, missing, unlisted, invented, bidi), when the
  desk has a glossary (`glossary_check`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from desk.core.glossary.findings import Finding, FindingKind
from desk.core.glossary.numbers import missing_numbers
from desk.core.story import Segment, SegmentStatus, Story, StoryStatus

if TYPE_CHECKING:  # the fuzzy matcher loads only where a glossary is checked
    from desk.core.glossary.enforce import Enforcer


@dataclass(frozen=True)
class Problem:
    """One reason the gate is shut: what, and in which segments (empty: the whole story).

    `code` names the check (`unconfirmed`, `number`, `glossary:unlisted`...); `detail`
    the item within the segment. Items of a dismissable check have one segment each.
    """

    what: str
    segments: tuple[int, ...] = ()
    code: str = ""
    detail: str = ""
    text: str = ""
    """A fingerprint of the English the item was found in: a dismissal holds for that
    text only, and reopens when the segment is rewritten."""

    def __str__(self) -> str:
        """`what: 1-3, 7` for a grouped problem, `[7] what` for one segment's item."""
        if not self.segments:
            return self.what
        if self.dismissable:
            return f"[{self.segments[0]}] {self.what}"
        return f"{self.what}: {number_ranges(self.segments)}"

    @property
    def dismissable(self) -> bool:
        """Whether an editor may dismiss it (not an unconfirmed or empty segment)."""
        return self.code not in FIX_ONLY and bool(self.code)

    @property
    def key(self) -> str:
        """What a dismissal of this item names: check, segment and item."""
        n = self.segments[0] if self.segments else 0
        return f"{self.code}|{n}|{self.detail}|{self.text}"


FIX_ONLY = frozenset({"unconfirmed", "empty", "status"})
"""Checks no one can dismiss: confirm the segment, write its English, move the story."""

Check = Callable[[Story], list[Problem]]
"""One more thing the gate looks at (e.g. open glossary findings)."""


def unconfirmed_or_empty(story: Story) -> list[Problem]:
    """Segments nobody confirmed, and segments with no English."""
    problems: list[Problem] = []
    unconfirmed = tuple(s.n for s in story.segments if s.status != SegmentStatus.CONFIRMED)
    if unconfirmed:
        problems.append(Problem("segments not confirmed", unconfirmed, "unconfirmed"))
    empty = tuple(s.n for s in story.segments if not s.text.strip())
    if empty:
        problems.append(Problem("segments with no English", empty, "empty"))
    return problems


_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]+")
_LATIN = re.compile(r"[A-Za-z]")


def _untranslated(seg: Segment) -> bool:
    """The English is the Arabic, or has more Arabic letters than Latin ones."""
    text = seg.text.strip()
    arabic = sum(len(m) for m in _ARABIC.findall(text))
    return bool(text) and (text == seg.source.strip() or arabic > len(_LATIN.findall(text)))


def fingerprint(english: str) -> str:
    """A short, stable fingerprint of a segment's English (spacing ignored)."""
    return hashlib.sha256(" ".join(english.split()).encode("utf-8")).hexdigest()[:16]


_HIDDEN = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff\u0000-\u0008\u000b-\u001f\u007f-\u009f]")
"""Characters a reader cannot see that can split a name so no check knows it: soft
hyphen, zero-width space and joiners, word joiner, BOM, and control characters (bidi
controls are the glossary's `bidi` findings)."""


def text_checks(story: Story) -> list[Problem]:
    """Untranslated segments, Arabic letters left, missing numbers, repeated words, and
    English that repeats another segment: each item in its segment."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for seg in story.segments:
        for other in (seg.draft, seg.text):
            key = _sentence_key(other)
            if key and len(key.split()) >= 4:
                seen.setdefault(key, seg.n)
    for seg in story.segments:
        if not seg.text.strip():
            continue
        problems += [replace(p, text=fingerprint(seg.text)) for p in _segment_checks(seg, seen)]
    return problems


def _segment_checks(seg: Segment, seen: dict[str, int]) -> list[Problem]:
    """`text_checks` of one segment with English."""
    problems: list[Problem] = []
    text, n = seg.text.strip(), seg.n
    for char in dict.fromkeys(_HIDDEN.findall(text)):
        problems.append(
            Problem(f"hidden character U+{ord(char):04X} in the English (it can split a name "
                    "so that no check sees it): remove it", (n,), "hidden", f"{ord(char):04X}")
        )  # fmt: skip
    if _untranslated(seg):
        problems.append(Problem("untranslated: the English is Arabic", (n,), "untranslated"))
    else:
        for letters in dict.fromkeys(_ARABIC.findall(text)):
            problems.append(
                Problem(f"Arabic letters left in the English: {letters}", (n,), "arabic", letters)
            )
    if seg.source.strip():
        for number in missing_numbers(text, seg.source):
            shown = (
                number.written
                if number.written == number.value
                else (f"{number.written} ({number.value})")
            )
            problems.append(
                Problem(
                    f"number missing or changed: {shown} in the Arabic",
                    (n,),
                    "number",
                    number.value,
                )
            )
    for repeat in repeated_phrases(text):
        problems.append(
            Problem(f"repeated: {repeat!r} twice in a row", (n,), "repeated", repeat.lower())
        )
    first = seen.get(_sentence_key(text))
    if first is not None and first != n:
        problems.append(
            Problem(
                f"duplicated: the same English as segment {first}",
                (n,),
                "duplicate",
                str(first),
            )
        )
    return problems


def _sentence_key(text: str) -> str:
    """A sentence compared without case, spacing or final punctuation."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)

LEGIT_DOUBLES = frozenset({"had", "that", "is", "do"})
"""Single words English repeats on purpose ("what it is is", "had had")."""


def repeated_phrases(text: str, longest: int = 8) -> list[str]:
    """Words or phrases said twice in a row: "a raid that targeted a raid that targeted"."""
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    folded = [w.casefold() for w, _, _ in words]
    found: list[str] = []
    i = 0
    while i < len(words):
        hit = 0
        for size in range(min(longest, (len(words) - i) // 2), 0, -1):
            if folded[i : i + size] == folded[i + size : i + 2 * size]:
                gap = text[words[i + size - 1][2] : words[i + size][1]]
                if size == 1 and (folded[i] in LEGIT_DOUBLES or not gap.isspace()):
                    continue
                if size > 1 and re.search(r"[.;:!?]", gap):
                    continue
                hit = size
                break
        if hit:
            found.append(text[words[i][1] : words[i + hit - 1][2]])
            i += 2 * hit
        else:
            i += 1
    return found


def glossary_check(enforcer: Callable[[], Enforcer | None]) -> Check:
    """The check of every glossary finding (numbers are `text_checks`'), with the
    enforcer the desk has when the gate runs (none: nothing to check)."""

    def check(story: Story) -> list[Problem]:
        found = enforcer()
        if found is None:
            return []
        problems: list[Problem] = []
        for seg in story.segments:
            if not seg.text.strip():
                continue
            for f in found.check(seg.text, seg.source):
                if f.kind != FindingKind.NUMBER:
                    problems.append(replace(finding_problem(seg.n, f), text=fingerprint(seg.text)))
        return problems

    return check


def finding_problem(n: int, finding: Finding) -> Problem:
    """A glossary finding of segment `n` as a gate item."""
    detail = f"{finding.found}>{finding.suggestion}" if finding.found else finding.message
    return Problem(
        f"glossary {finding.kind.value}: {finding.message}",
        (n,),
        f"glossary:{finding.kind.value}",
        detail,
    )


DEFAULT_CHECKS: tuple[Check, ...] = (unconfirmed_or_empty, text_checks)
"""What the gate checks of any story; a desk with a glossary adds `glossary_check`."""


def gate(
    story: Story, checks: Sequence[Check] = DEFAULT_CHECKS, dismissed: Collection[str] = ()
) -> list[Problem]:
    """Every problem that blocks approving or publishing `story` (empty: the gate is
    open), less the items an editor dismissed (their keys in `dismissed`)."""
    problems = [problem for check in checks for problem in check(story)]
    open_ = [p for p in problems if not (p.dismissable and p.key in dismissed)]
    # Whole-story problems first, then each segment's items in segment order.
    return sorted(open_, key=lambda p: p.segments[0] if p.dismissable else 0)


def export_gate(
    story: Story, checks: Sequence[Check] = DEFAULT_CHECKS, dismissed: Collection[str] = ()
) -> list[Problem]:
    """What stops `story` from being exported: its status, then the gate's problems."""
    problems = gate(story, checks, dismissed)
    if story.status not in (StoryStatus.APPROVED, StoryStatus.PUBLISHED):
        what = f"the story is {story.status.value}, not approved or published"
        problems.insert(0, Problem(what, (), "status"))
    return problems


def dismissal_note(problem: Problem, reason: str) -> str:
    """The note of a dismissal revision: the item's key, what it said, and why."""
    return json.dumps(
        {"dismissed": problem.key, "problem": str(problem), "reason": reason},
        ensure_ascii=False,
    )


def dismissed_key(note: str) -> str:
    """The key a dismissal revision's note names ('' for a note of another shape)."""
    return _note_field(note, "dismissed")


def dismissal_reason(note: str) -> str:
    """The reason a dismissal revision's note gives ('' for a note of another shape)."""
    return _note_field(note, "reason")


def _note_field(note: str, field: str) -> str:
    """One text field of a JSON note ('' when the note is not a JSON object with it)."""
    try:
        data = json.loads(note)
    except ValueError:
        return ""
    return str(data.get(field, "")) if isinstance(data, dict) else ""


_LABELS = {
    "untranslated": "untranslated",
    "arabic": "Arabic letters in the English",
    "number": "numbers missing or changed",
    "repeated": "repeated words",
    "duplicate": "duplicated sentences",
    "hidden": "hidden characters",
}


def describe(problems: Sequence[Problem]) -> str:
    """The problems on one line, as refusals say them: each check once, with its
    segments (`desk qa SLUG` lists the items)."""
    grouped: dict[str, list[int]] = {}
    whole: list[str] = []
    for p in problems:
        if not p.dismissable:
            whole.append(str(p))
            continue
        label = _LABELS.get(p.code) or p.code.replace("glossary:", "glossary ") + " findings"
        grouped.setdefault(label, []).extend(p.segments)
    parts = whole + [
        f"{label} in segment{'s' if len(set(ns)) > 1 else ''} {number_ranges(sorted(set(ns)))}"
        for label, ns in grouped.items()
    ]
    return "; ".join(parts)


def first_segment(problems: Sequence[Problem]) -> int | None:
    """The lowest segment any problem names, to go to first (None: none named)."""
    numbers = [n for p in problems for n in p.segments]
    return min(numbers) if numbers else None


def number_ranges(ns: Sequence[int]) -> str:
    """Segment numbers as compact ranges: 1-3, 7, 9-10."""
    out: list[str] = []
    start = prev = None
    for n in ns:
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if start != prev else f"{start}")
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else f"{start}")
    return ", ".join(out)
