"""Rows as desk reads them: the log's and the list's records, and the builders that
turn a row into a story, segment, summary or revision. A row no desk writes (a status it
does not know, JSON that does not parse or is not the shape desk writes, a time that is
not ISO 8601, a slug desk would refuse, bytes where it wrote text) is damage."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desk.core.errors import InputError
from desk.core.slugs import check_slug
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
def decoding(path: Path | str, what: str) -> Iterator[None]:
    """Rows desk cannot make sense of (a status or JSON no desk writes) are damage."""
    try:
        yield
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise damaged(path, f"{what}: {exc}") from None


Row = sqlite3.Row | Mapping[str, Any]
"""A row as read (sqlite3.Row, or PostgreSQL's row by name), or a dict of some of its
columns."""

STORY_COLUMNS = (
    "id", "slug", "headline_ar", "status", "standfirst", "outlet", "source_url",
    "source_date", "byline", "keywords", "credit", "source_file", "created_at",
    "updated_at", "published_at", "deleted_at",
)  # fmt: skip
"""The columns of a `stories` row, in table order."""
SEGMENT_COLUMNS = (
    "id", "story_id", "n", "paragraph", "role", "source", "draft", "text", "status",
    "engine", "model", "drafted_at", "updated_at", "updated_by", "version",
)  # fmt: skip
"""The columns of a `segments` row, in table order."""


def story_from_row(row: Row) -> Story:
    """Build a Story, without its segments, from a `stories` row."""
    row = typed(row)
    return Story(
        id=row["id"],
        slug=slug(row["slug"]),
        headline_ar=row["headline_ar"],
        status=StoryStatus(row["status"]),
        standfirst=row["standfirst"],
        outlet=row["outlet"],
        source_url=row["source_url"],
        source_date=row["source_date"],
        byline=row["byline"],
        keywords=keywords(row["keywords"]),
        credit=row["credit"],
        source_file=row["source_file"],
        created_at=moment("created_at", row["created_at"]),
        updated_at=moment("updated_at", row["updated_at"]),
        published_at=moment("published_at", row["published_at"], empty=True),
    )


def summary_from_row(r: Row) -> StorySummary:
    """Build a StorySummary from a row of `list_stories`."""
    r = typed(r)
    return StorySummary(
        slug=slug(r["slug"]),
        headline_ar=r["headline_ar"],
        headline_en=r["headline_en"],
        status=StoryStatus(r["status"]),
        segments=r["total"],
        confirmed=r["confirmed"],
        updated_at=moment("updated_at", r["updated_at"]),
        last_author=r["last_author"],
    )


def revision_from_row(r: Row) -> Revision:
    """Build a Revision from a row of `revisions`."""
    r = typed(r)
    return Revision(
        id=r["id"],
        story_id=r["story_id"],
        segment_n=r["segment_n"],
        author=r["author"],
        kind=RevisionKind(r["kind"]),
        at=moment("at", r["at"]),
        before=r["before"],
        after=r["after"],
        note=r["note"],
        visit=r["visit"],
    )


_NUMBERS = frozenset({"id", "story_id", "segment_id", "segment_n", "n", "paragraph", "version",
                      "total", "confirmed"})  # fmt: skip
"""The columns that hold whole numbers; every other column desk reads holds text."""


def typed(row: Row) -> Row:
    """The row, if each cell holds what desk writes there; TypeError if not (a damaged
    cell may read back as bytes or a number where desk wrote text)."""
    for name in row.keys():  # noqa: SIM118 (a Row iterates over its values)
        value = row[name]
        if value is None and name in ("segment_id", "segment_n"):
            continue
        if not isinstance(value, int if name in _NUMBERS else str):
            raise TypeError(f"{name} holds {type(value).__name__} {value!r:.40}")
    return row


def segment_from_row(row: Row) -> Segment:
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
        drafted_at=moment("drafted_at", row["drafted_at"], empty=True),
        version=row["version"],
        updated_at=moment("updated_at", row["updated_at"], empty=True),
        updated_by=row["updated_by"],
    )


def slug(value: str) -> str:
    """A story's slug as desk makes it; ValueError if not (a slug such as `../x` would
    reach file names: an export's)."""
    try:
        return check_slug(value)
    except InputError:
        raise ValueError(f"slug {value!r:.60} is not one desk makes") from None


def keywords(value: str) -> list[str]:
    """The keywords' JSON as desk writes it, a list of text; ValueError if not."""
    found = json.loads(value)
    if not isinstance(found, list) or not all(isinstance(k, str) for k in found):
        raise ValueError(f"keywords holds {value!r:.60}, not a list of text")
    return found


def moment(name: str, value: str, *, empty: bool = False) -> str:
    """A stored time as desk writes it (ISO 8601; empty where `empty` allows: not yet);
    ValueError if not, or if it lies so near the calendar's ends that a time zone would
    push it past them."""
    if value or not empty:
        try:
            year = datetime.fromisoformat(value).astimezone(UTC).year
        except (ValueError, OverflowError):
            year = 0
        if not 1 < year < 9999:
            raise ValueError(f"{name} holds {value!r:.60}, not an ISO 8601 time desk writes")
    return value
