"""Rows as desk reads them: the log's and the list's records, and the builders that
turn a row into a story, segment, summary or revision. A row no desk writes (a status it
does not know, JSON that does not parse, bytes where it wrote text) is damage."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from desk.core.store.opening import damaged
from desk.core.story import RevisionKind, Role, Segment, SegmentStatus, Story, StoryStatus


@dataclass(frozen=True)
class Revision:
    """One entry of the append-only revision log."""

    id: int
    story_id: int
    segment_n: int | None
    """The segment's number, or None for a story-level entry (status, import)."""
    author: str
    at: str
    kind: RevisionKind
    before: str
    after: str
    note: str
    visit: str = ""
    """The workbench's visit to the segment that made it (its saves as one typed change);
    empty for everything else."""
    saves: int = 1
    """How many saved revisions this one stands for (more than 1: a visit's saves, folded)."""


@dataclass(frozen=True)
class StorySummary:
    """A story as the list shows it, without loading its segments."""

    slug: str
    headline_ar: str
    headline_en: str
    status: StoryStatus
    segments: int
    confirmed: int
    updated_at: str
    last_author: str


@contextmanager
def decoding(path: Path, what: str) -> Iterator[None]:
    """Rows desk cannot make sense of (a status or JSON no desk writes) are damage."""
    try:
        yield
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise damaged(path, f"{what}: {exc}") from None


def story_from_row(row: sqlite3.Row) -> Story:
    """Build a Story, without its segments, from a `stories` row."""
    row = typed(row)
    return Story(
        id=row["id"],
        slug=row["slug"],
        headline_ar=row["headline_ar"],
        status=StoryStatus(row["status"]),
        standfirst=row["standfirst"],
        outlet=row["outlet"],
        source_url=row["source_url"],
        source_date=row["source_date"],
        byline=row["byline"],
        keywords=list(json.loads(row["keywords"])),
        credit=row["credit"],
        source_file=row["source_file"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        published_at=row["published_at"],
    )


def summary_from_row(r: sqlite3.Row) -> StorySummary:
    """Build a StorySummary from a row of `list_stories`."""
    r = typed(r)
    return StorySummary(
        slug=r["slug"],
        headline_ar=r["headline_ar"],
        headline_en=r["headline_en"],
        status=StoryStatus(r["status"]),
        segments=r["total"],
        confirmed=r["confirmed"],
        updated_at=r["updated_at"],
        last_author=r["last_author"],
    )


def revision_from_row(r: sqlite3.Row) -> Revision:
    """Build a Revision from a row of `revisions`."""
    r = typed(r)
    return Revision(
        id=r["id"],
        story_id=r["story_id"],
        segment_n=r["segment_n"],
        author=r["author"],
        at=r["at"],
        kind=RevisionKind(r["kind"]),
        before=r["before"],
        after=r["after"],
        note=r["note"],
        visit=r["visit"],
    )


_NUMBERS = frozenset({"id", "story_id", "segment_id", "segment_n", "n", "paragraph", "version",
                      "total", "confirmed"})  # fmt: skip
"""The columns that hold whole numbers; every other column desk reads holds text."""


def typed(row: sqlite3.Row) -> sqlite3.Row:
    """The row, if each cell holds what desk writes there; TypeError if not (a damaged
    cell may read back as bytes or a number where desk wrote text)."""
    for name in row.keys():  # noqa: SIM118 (a Row iterates over its values)
        value = row[name]
        if value is None and name in ("segment_id", "segment_n"):
            continue
        if not isinstance(value, int if name in _NUMBERS else str):
            raise TypeError(f"{name} holds {type(value).__name__} {value!r:.40}")
    return row


def segment_from_row(row: sqlite3.Row) -> Segment:
    """Build a Segment from a `segments` row."""
    row = typed(row)
    return Segment(
        id=row["id"],
        n=row["n"],
        paragraph=row["paragraph"],
        role=Role(row["role"]),
        source=row["source"],
        draft=row["draft"],
        text=row["text"],
        status=SegmentStatus(row["status"]),
        engine=row["engine"],
        model=row["model"],
        drafted_at=row["drafted_at"],
        version=row["version"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
    )
