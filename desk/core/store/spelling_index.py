"""The archive's index of name spellings, which the audit reads instead of every story.

Migration 006 made the tables and the triggers that queue a segment whenever its
English changes (and every segment of a story deleted or restored). `refresh` takes
the queue in batches, each in its own write transaction, so editors are never kept
waiting for long:

- `segment_spellings`: each segment's names, as (key, surface spelling, occurrences);
- `story_spellings`: the same summed per story;
- `spelling_totals`: per spelling, its occurrences and the number of stories using it.

A deleted story's segments have no spellings. The audit then costs a read of the
totals, however large the archive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import NamedTuple

from desk.core.store.connection import Connection

BATCH = 500
"""Segments brought up to date per write transaction."""

Spelling = tuple[str, str]
"""(romanisation key, surface spelling) of one name."""


class Total(NamedTuple):
    """One spelling across the archive."""

    key: str
    surface: str
    occurrences: int
    stories: int


def pending(conn: Connection) -> int:
    """How many segments wait to be brought into the index."""
    return int(conn.execute("SELECT COUNT(*) FROM spelling_queue").fetchone()[0])


def refresh(
    begin: Callable[[], AbstractContextManager[Connection]],
    *,
    extract: Callable[[str], Iterable[Spelling]],
    batch: int = BATCH,
) -> int:
    """Bring the index up to date with the queue; returns the segments processed.

    `begin` opens a write transaction (`Store.write`); `extract` gives a text's names
    (the glossary's `spellings_in`). A crash between batches leaves
    the rest queued; a batch is all or nothing.
    """
    done = 0
    while True:
        with begin() as conn:
            count = _refresh_batch(conn, extract, batch)
        if count == 0:
            return done
        done += count


def _refresh_batch(
    conn: Connection, extract: Callable[[str], Iterable[Spelling]], batch: int
) -> int:
    """Process up to `batch` queued segments inside the caller's transaction (TypeError for
    a text no desk writes: the caller reads it as damage).

    Each segment's old rows and new names give a difference per (story, spelling); the
    story rows and the totals move by it. Every read and write is a primary-key lookup,
    so a batch costs the same in an archive of any size.
    """
    rows = conn.execute(
        """
        SELECT q.segment_id, g.story_id, g.text, s.deleted_at
        FROM spelling_queue q
        LEFT JOIN segments g ON g.id = q.segment_id
        LEFT JOIN stories s ON s.id = g.story_id
        ORDER BY q.segment_id LIMIT ?
        """,
        (batch,),
    ).fetchall()
    if not rows:
        return 0
    change: Counter[tuple[int, str, str]] = Counter()
    inserts: list[tuple[int, int, str, str, int]] = []
    for segment_id, story_id, text, deleted_at in rows:
        for old_story, key, surface, n in conn.execute(
            "SELECT story_id, key, surface, occurrences FROM segment_spellings"
            " WHERE segment_id = ?",
            (segment_id,),
        ):
            change[(int(old_story), key, surface)] -= int(n)
        if story_id is None or deleted_at:
            continue
        if not isinstance(text, str):  # a damaged cell reads back as bytes or a number
            raise TypeError(f"segment {segment_id}'s text holds {type(text).__name__}")
        for (key, surface), n in Counter(extract(text)).items():
            inserts.append((segment_id, story_id, key, surface, n))
            change[(int(story_id), key, surface)] += n
    ids = [(row[0],) for row in rows]
    conn.executemany("DELETE FROM segment_spellings WHERE segment_id = ?", ids)
    conn.executemany(
        "INSERT INTO segment_spellings (segment_id, story_id, key, surface, occurrences)"
        " VALUES (?, ?, ?, ?, ?)",
        inserts,
    )
    for (story_id, key, surface), delta in sorted(change.items()):
        if delta:
            _move(conn, story_id, key, surface, delta)
    conn.executemany("DELETE FROM spelling_queue WHERE segment_id = ?", ids)
    return len(rows)


def _move(conn: Connection, story_id: int, key: str, surface: str, delta: int) -> None:
    """Add `delta` occurrences of a spelling to a story and to the archive's totals."""
    row = conn.execute(
        "SELECT occurrences FROM story_spellings WHERE story_id = ? AND key = ? AND surface = ?",
        (story_id, key, surface),
    ).fetchone()
    before = int(row[0]) if row else 0
    after = before + delta
    if after > 0:
        conn.execute(
            "INSERT INTO story_spellings (story_id, key, surface, occurrences)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (story_id, key, surface)"
            " DO UPDATE SET occurrences = excluded.occurrences",
            (story_id, key, surface, after),
        )
    else:
        conn.execute(
            "DELETE FROM story_spellings WHERE story_id = ? AND key = ? AND surface = ?",
            (story_id, key, surface),
        )
    stories = (after > 0) - (before > 0)
    conn.execute(
        """
        INSERT INTO spelling_totals (key, surface, occurrences, stories) VALUES (?, ?, ?, ?)
        ON CONFLICT (key, surface) DO UPDATE SET
            occurrences = spelling_totals.occurrences + excluded.occurrences,
            stories = spelling_totals.stories + excluded.stories
        """,
        (key, surface, after - before, stories),
    )
    conn.execute(
        "DELETE FROM spelling_totals WHERE key = ? AND surface = ? AND stories <= 0",
        (key, surface),
    )


def totals(conn: Connection) -> list[Total]:
    """Every spelling in the archive (as of the last refresh)."""
    # Both stores give the INTEGER columns as int; `*row` is half the time of naming
    # each column of 30,000 rows (the audit at 100,000 stories).
    rows = conn.execute("SELECT key, surface, occurrences, stories FROM spelling_totals")
    return [Total(*row) for row in rows]


def stories_using(conn: Connection, key: str, surface: str, limit: int) -> list[str]:
    """Slugs of up to `limit` stories using a spelling, newest story first."""
    rows = conn.execute(
        """
        SELECT s.slug FROM story_spellings p JOIN stories s ON s.id = p.story_id
        WHERE p.key = ? AND p.surface = ? ORDER BY p.story_id DESC LIMIT ?
        """,
        (key, surface, limit),
    )
    return [str(row[0]) for row in rows]


def stories_with_key(conn: Connection, key: str) -> int:
    """How many stories use any spelling with this key."""
    row = conn.execute(
        "SELECT COUNT(DISTINCT story_id) FROM story_spellings WHERE key = ?", (key,)
    ).fetchone()
    return int(row[0])
