"""The translation memory's operations, for the CLI and the workbench alike: matches for a
segment, inserting one, the concordance, pre-translation, propagation of repeats,
removing an origin, and what a story owes to the memory (leverage).

The memory itself lives in the store (desk/core/store/memory.py); tokens and scoring
are desk/core/tm/ (text.py, match.py), TMX reading and writing desk/core/tm/tmx.py (the
CLI's `desk tm import/export` call it), repair desk/core/glossary/repair.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from desk.app.results import EditResult
from desk.core.clock import Clock
from desk.core.engine.base import Draft, Provenance, draft_problem
from desk.core.errors import InputError, NotFoundError, RefusedError
from desk.core.glossary.repair import fixed_tokens, repairer
from desk.core.store import Revision, Store
from desk.core.store import memory as store_memory
from desk.core.story import RevisionKind, SegmentStatus, Story, check_editable
from desk.core.tm.match import EXACT, Match, Unit, match, rank, with_diff
from desk.core.tm.text import MARK, arabic_tokens, key

if TYPE_CHECKING:
    from desk.core.glossary.enforce import Enforcer


class Desk(Protocol):
    """What the memory's operations need of the desk (desk/app/service.py `Desk`, which
    calls them: a protocol, so that the two modules do not import each other)."""

    store: Store
    clock: Clock
    glossary: Callable[[], Enforcer | None]

    def edit(
        self,
        slug: str,
        n: int,
        text: str,
        *,
        author: str,
        expected_version: int | None = None,
        visit: str = "",
        kind: RevisionKind = RevisionKind.EDIT,
        note: str = "",
        keep_status: bool = False,
    ) -> EditResult:
        """Set segment `n`'s English (as `service.Desk.edit`)."""


DEFAULT_THRESHOLD = 70
"""Fuzzy matches below this percentage are not shown (`[memory] threshold`)."""
MATCHES = 10
"""Matches shown for a segment at most."""
TM_ENGINE = "tm"
"""The engine name of a draft the memory made (pre-translation)."""


def context(story: Story, n: int) -> str:
    """The digest of segment `n`'s neighbours (a 101% match shares it)."""
    before = story.segments[n - 2].source if n >= 2 else ""
    after = story.segments[n].source if n < len(story.segments) else ""
    return store_memory.context_of(before, after)


def lookup(
    desk: Desk,
    source: str,
    *,
    around: str = "",
    threshold: int = DEFAULT_THRESHOLD,
    limit: int = MATCHES,
    enforcer: Enforcer | None = None,
    exclude_segment: tuple[str, int] | None = None,
) -> list[Match]:
    """The memory's matches for an Arabic sentence, best first: exact (101 with the same
    `around` context), repaired, then fuzzy down to `threshold`. `exclude_segment`
    (slug, n) leaves out the segment's own unit."""
    tokens = [t.text for t in arabic_tokens(source)]
    if not tokens:
        return []
    conn = desk.store.conn
    sentence = " ".join(tokens)
    found = {u.id: u for u in store_memory.exact(conn, sentence)}
    fixed = fixed_tokens(source, enforcer) if enforcer is not None else []
    for unit in store_memory.candidates(conn, tokens, threshold, fixed):
        found.setdefault(unit.id, unit)
    repair = repairer(enforcer)
    matches: list[Match] = []
    for unit in found.values():
        if exclude_segment is not None and (unit.origin, unit.story, unit.segment) == (
            store_memory.DESK,
            *exclude_segment,
        ):
            continue
        m = match(unit, source, tokens, around, repair, diff=False)
        if m.score >= threshold:
            matches.append(m)
    return [with_diff(m, source) for m in rank(matches)[:limit]]


def matches(
    desk: Desk, slug: str, n: int, *, threshold: int = DEFAULT_THRESHOLD, limit: int = MATCHES
) -> list[Match]:
    """Matches for segment `n` of `slug` (its own unit left out)."""
    story = desk.store.load_story(slug)
    seg = story.segment(n)
    return lookup(
        desk, seg.source, around=context(story, n), threshold=threshold, limit=limit,
        enforcer=desk.glossary(), exclude_segment=(slug, n),
    )  # fmt: skip


def note_for(m: Match, how: str) -> str:
    """The revision note of text that came from the memory: which unit, from where, how."""
    data = {
        "tm": how,
        "unit": m.unit.id,
        "origin": m.unit.origin,
        "where": m.unit.where(),
        "score": m.score,
    }
    if m.repairs:
        data["repaired"] = list(m.repairs)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def insert(
    desk: Desk,
    slug: str,
    n: int,
    unit_id: int,
    *,
    author: str,
    expected_version: int | None = None,
    visit: str = "",
) -> tuple[EditResult, Match]:
    """Put a match's English (repaired where it was) into segment `n`: a `tm` revision
    by `author` naming the unit and its origin."""
    story = desk.store.load_story(slug)
    seg = story.segment(n)
    check_editable(story.status)
    found = store_memory.units(desk.store.conn, [unit_id])
    if not found:
        raise NotFoundError(f"no unit {unit_id} in the translation memory (see `desk tm search`)")
    tokens = [t.text for t in arabic_tokens(seg.source)]
    m = match(found[0], seg.source, tokens, context(story, n), repairer(desk.glossary()))
    result = desk.edit(
        slug, n, m.target, author=author, expected_version=expected_version, visit=visit,
        kind=RevisionKind.TM, note=note_for(m, "inserted"),
    )  # fmt: skip
    return result, m


def pretranslations(desk: Desk, story: Story, numbers: Sequence[int]) -> list[Draft]:
    """Drafts from the memory's exact matches (100 and 101 %, never a fuzzy or repaired
    one) for the segments `numbers`: the best unit of each, other than its own."""
    drafts: list[Draft] = []
    now = desk.clock()
    for n in numbers:
        seg = story.segment(n)
        sentence = key(seg.source)
        if not sentence:
            continue
        units = [
            u
            for u in store_memory.exact(desk.store.conn, sentence)
            if not (u.origin == store_memory.DESK and (u.story, u.segment) == (story.slug, n))
        ]
        # An imported English far too long for its Arabic is no draft (as for an engine's).
        units = [u for u in units if not draft_problem(seg.source, u.target)]
        if not units:
            continue
        tokens = sentence.split()
        best = rank([match(u, seg.source, tokens, context(story, n), None) for u in units])[0]
        provenance = Provenance(
            engine=TM_ENGINE, package=f"unit {best.unit.id}", version=best.unit.where(),
            options={"score": best.score, "origin": best.unit.origin}, at=now,
        )  # fmt: skip
        drafts.append(Draft(n, best.unit.target, provenance))
    return drafts


def propagate(desk: Desk, slug: str, n: int, *, author: str) -> list[int]:
    """Give segment `n`'s confirmed English to the story's other segments of the same
    sentence that nobody has worked on (still `draft`): `tm` revisions by `author`, each
    undone as any change is. Returns the segments filled."""
    story = desk.store.load_story(slug)
    seg = story.segment(n)
    if seg.status != SegmentStatus.CONFIRMED or not seg.text.strip():
        return []
    sentence = key(seg.source)
    if not sentence:
        return []
    filled: list[int] = []
    note = json.dumps(
        {"tm": "propagated", "from_segment": n, "origin": store_memory.DESK}, sort_keys=True
    )
    for other in story.segments:
        if other.n == n or other.status != SegmentStatus.DRAFT or other.text == seg.text:
            continue
        if key(other.source) != sentence:
            continue
        result = desk.edit(
            slug, other.n, seg.text, author=author, expected_version=other.version,
            kind=RevisionKind.TM, note=note, keep_status=True,
        )  # fmt: skip
        if result.changed:
            filled.append(other.n)
    return filled


def concordance(desk: Desk, query: str, *, limit: int = 50) -> tuple[list[Unit], bool]:
    """Units holding the words of `query` (Arabic or English) in a row; and whether more
    may exist than were looked at."""
    query = query.strip()
    if not query:
        raise InputError("the concordance needs a word or phrase to look for")
    if len(query) > 500:
        raise InputError("the concordance looks for a word or phrase of at most 500 characters")
    return store_memory.concordance(desk.store.conn, query, limit=limit)


def remove_origin(desk: Desk, origin: str) -> int:
    """Remove the units imported with `origin`; RefusedError for the desk's own."""
    if origin == store_memory.DESK:
        raise RefusedError(
            "the desk's own units are its confirmed segments: they leave the memory only "
            "with their segments"
        )
    with desk.store.write() as conn:
        return store_memory.remove_origin(conn, origin)


@dataclass
class Leverage:
    """Source words of a story by where their English came from."""

    words: dict[str, int] = field(default_factory=dict)
    segments: dict[str, int] = field(default_factory=dict)

    CATEGORIES = ("exact", "repaired", "fuzzy", "engine", "scratch")

    def add(self, category: str, words: int) -> None:
        """Count one segment of `words` source words under `category`."""
        self.words[category] = self.words.get(category, 0) + words
        self.segments[category] = self.segments.get(category, 0) + 1


def leverage(story: Story, revisions: Sequence[Revision]) -> Leverage:
    """What the memory gave a story: each segment's Arabic words counted under how its
    English began: an exact match (pre-translated, or a 100 % match inserted, or a
    repeat filled), a repaired match, a fuzzy match, the engine's (or an imported)
    draft, or from scratch. A match inserted over a draft counts for the match."""
    origin: dict[int, str] = {}
    for rev in revisions:
        n = rev.segment_n
        if n is None:
            continue
        if rev.kind == RevisionKind.MT:
            origin[n] = "exact" if _tm_engine(rev.note) else "engine"
        elif rev.kind == RevisionKind.IMPORT and rev.after:
            origin.setdefault(n, "engine")
        elif rev.kind == RevisionKind.TM:
            origin[n] = _tm_category(rev.note)
    result = Leverage({c: 0 for c in Leverage.CATEGORIES}, {c: 0 for c in Leverage.CATEGORIES})
    for seg in story.segments:
        result.add(origin.get(seg.n, "scratch"), source_words(seg.source))
    return result


def source_words(source: str) -> int:
    """The Arabic words of a sentence as leverage counts them (numbers included; the
    clitics the memory cuts off are part of their word)."""
    return len({(t.start, t.end) for t in arabic_tokens(source) if t.kind != MARK})


def _tm_engine(note: str) -> bool:
    """Whether an `mt` revision's note names the memory as its engine."""
    try:
        return bool(json.loads(note).get("engine") == TM_ENGINE)
    except (ValueError, AttributeError):
        return False


def _tm_category(note: str) -> str:
    """exact / repaired / fuzzy for a `tm` revision's note."""
    try:
        data = json.loads(note)
    except ValueError:
        return "fuzzy"
    if not isinstance(data, dict):
        return "fuzzy"
    if data.get("tm") == "propagated" or (data.get("score", 0) >= EXACT and "repaired" not in data):
        return "exact"
    return "repaired" if "repaired" in data else "fuzzy"
