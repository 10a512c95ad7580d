"""The story at any point of its revision log, diffs between points, and post-edit stats."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from desk.core.diffing import DiffOp, EditScore, edit_distance, post_edit, tokenize, word_diff
from desk.core.errors import InputError, NotFoundError
from desk.core.store import Revision
from desk.core.story import RevisionKind, Story, StoryStatus

# Revisions that set a segment's English text.
TEXT_KINDS = frozenset(
    {
        RevisionKind.IMPORT,
        RevisionKind.MT,
        RevisionKind.GLOSSARY,
        RevisionKind.EDIT,
        RevisionKind.CORRECTION,
        RevisionKind.TM,
    }
)
DRAFT_KINDS = frozenset({RevisionKind.IMPORT, RevisionKind.MT})
POINT_HELP = (
    "draft (alias mt): the machine or imported draft; now: the current text; "
    "a status (review, approved, published, correcting): when the story last entered it; "
    "published:N: the Nth publication; rN or N: right after revision N"
)


def is_text_revision(rev: Revision) -> bool:
    """Whether the revision changed a segment's English."""
    return rev.segment_n is not None and rev.kind in TEXT_KINDS


def fold_visits(revisions: Sequence[Revision]) -> list[Revision]:
    """The log with each workbench visit's saves of one segment folded into one revision.

    The workbench saves as the translator types; saves sharing a visit id, one after
    the other in their segment's log (same author and kind), read as one change: the
    first one's `before`, the last one's `after`, id and time, and `saves` counting them.
    The stored log is untouched (it is append-only); this is how undo and the history
    read it.
    """
    folded: dict[int, Revision] = {}  # by the id of the first save of each group
    open_group: dict[int, int] = {}  # segment -> the first id of its group still open
    for rev in revisions:
        n = rev.segment_n
        first = open_group.get(n, 0) if n is not None else 0
        group = folded.get(first)
        if (
            group is not None
            and rev.visit
            and (rev.visit, rev.author, rev.kind) == (group.visit, group.author, group.kind)
        ):
            folded[first] = replace(rev, before=group.before, saves=group.saves + rev.saves)
            continue
        folded[rev.id] = rev
        if n is not None:
            if rev.visit:
                open_group[n] = rev.id
            else:
                open_group.pop(n, None)
    return sorted(folded.values(), key=lambda r: r.id)


def is_story_move(rev: Revision) -> bool:
    """Whether the revision moved the story's status (corrections included)."""
    return rev.segment_n is None and rev.kind in (RevisionKind.STATUS, RevisionKind.CORRECTION)


def texts_at(story: Story, revisions: Sequence[Revision], point: str) -> dict[int, str]:
    """Each segment's English (by number) at a point named as in POINT_HELP."""
    name = point.strip().lower()
    if name == "now":
        return {seg.n: seg.text for seg in story.segments}
    texts = {seg.n: "" for seg in story.segments}
    if name in ("draft", "mt", "import"):
        for rev in revisions:
            if rev.segment_n is not None and rev.kind in DRAFT_KINDS:
                texts[rev.segment_n] = rev.after
        return texts
    upto = _revision_for(revisions, name)
    for rev in revisions:
        if rev.id > upto:
            break
        if is_text_revision(rev) and rev.segment_n is not None:
            texts[rev.segment_n] = rev.after
    return texts


def _revision_for(revisions: Sequence[Revision], name: str) -> int:
    """The revision id a named point stands for."""
    match = re.fullmatch(r"r?(\d+)", name)
    if match:
        rev_id = int(match.group(1))
        if not any(rev.id == rev_id for rev in revisions):
            raise NotFoundError(f"no revision {rev_id} in this story (see `desk log`)")
        return rev_id
    match = re.fullmatch(r"published:(\d+)", name)
    nth = int(match.group(1)) if match else None
    status_name = "published" if match else name
    try:
        status = StoryStatus(status_name)
    except ValueError:
        raise InputError(f"unknown point {name!r}; use {POINT_HELP}") from None
    moves = [rev.id for rev in revisions if is_story_move(rev) and rev.after == status.value]
    if not moves:
        raise NotFoundError(f"the story has never been {status.value}")
    if nth is None:
        return moves[-1]
    if not 1 <= nth <= len(moves):
        raise NotFoundError(f"the story was published {len(moves)} time(s), not {nth}")
    return moves[nth - 1]


@dataclass(frozen=True)
class SegmentDiff:
    """The word diff of one segment between two points."""

    n: int
    before: str
    after: str
    ops: list[DiffOp]


def story_diff(
    story: Story, revisions: Sequence[Revision], start: str, end: str
) -> list[SegmentDiff]:
    """Word diffs of every segment whose English differs between two points."""
    before, after = texts_at(story, revisions, start), texts_at(story, revisions, end)
    return [
        SegmentDiff(seg.n, before[seg.n], after[seg.n], word_diff(before[seg.n], after[seg.n]))
        for seg in story.segments
        if before[seg.n] != after[seg.n]
    ]


@dataclass(frozen=True)
class RevisionDiff:
    """The word diff one text revision made."""

    revision: Revision
    ops: list[DiffOp]


def revisions_between(revisions: Sequence[Revision], start: str, end: str) -> list[Revision]:
    """The text revisions after point `start` up to point `end` (both named as in POINT_HELP)."""
    low = _bound(revisions, start, default=0)
    high = _bound(revisions, end, default=revisions[-1].id if revisions else 0)
    return [rev for rev in revisions if is_text_revision(rev) and low < rev.id <= high]


def _bound(revisions: Sequence[Revision], point: str, default: int) -> int:
    """The revision id bounding a range at a named point."""
    name = point.strip().lower()
    if name == "now":
        return revisions[-1].id if revisions else 0
    if name in ("draft", "mt", "import"):
        drafts = [
            rev.id for rev in revisions if rev.segment_n is not None and rev.kind in DRAFT_KINDS
        ]
        return drafts[-1] if drafts else default
    return _revision_for(revisions, name)


def author_diffs(
    revisions: Sequence[Revision], author: str, start: str, end: str
) -> list[RevisionDiff]:
    """The word diffs of each text revision `author` made between two points."""
    return [
        RevisionDiff(rev, word_diff(rev.before, rev.after))
        for rev in revisions_between(revisions, start, end)
        if rev.author == author
    ]


@dataclass
class AuthorStats:
    """What one person did to a story."""

    revisions: dict[str, int] = field(default_factory=dict)
    """Revision counts by kind."""
    segments: set[int] = field(default_factory=set)
    """Segments whose English this person changed."""
    word_edits: int = 0
    """Word-level edits made (insertions, deletions, substitutions)."""


@dataclass(frozen=True)
class StoryStats:
    """Post-edit figures for a story between two points."""

    segments: dict[int, EditScore]
    edited: int
    total: int
    glossary_fixes: int
    authors: dict[str, AuthorStats]

    @property
    def distance(self) -> float:
        """Story-level post-edit distance: all edits over the edited text's length."""
        edits = sum(s.edits for s in self.segments.values())
        length = sum(s.length for s in self.segments.values())
        return EditScore(edits, length).distance

    @property
    def edited_share(self) -> float:
        """Share of segments whose English differs between the two points."""
        return self.edited / self.total if self.total else 0.0


def story_stats(
    story: Story, revisions: Sequence[Revision], start: str = "draft", end: str = "now"
) -> StoryStats:
    """Post-edit distance per segment and story, share edited, and counts by author."""
    before, after = texts_at(story, revisions, start), texts_at(story, revisions, end)
    scores = {seg.n: post_edit(before[seg.n], after[seg.n]) for seg in story.segments}
    edited = sum(1 for seg in story.segments if before[seg.n] != after[seg.n])
    authors: dict[str, AuthorStats] = defaultdict(AuthorStats)
    glossary_fixes = 0
    for rev in revisions:
        stats = authors[rev.author]
        stats.revisions[rev.kind.value] = stats.revisions.get(rev.kind.value, 0) + 1
        if is_text_revision(rev) and rev.segment_n is not None:
            if rev.kind in DRAFT_KINDS:
                continue
            stats.segments.add(rev.segment_n)
            stats.word_edits += edit_distance(tokenize(rev.before), tokenize(rev.after))
            glossary_fixes += rev.kind == RevisionKind.GLOSSARY
    return StoryStats(scores, edited, len(story.segments), glossary_fixes, dict(authors))
