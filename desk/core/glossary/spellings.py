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

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import NamedTuple

from desk.core.glossary.fuzzy import MAX_NGRAM, is_known_name, ngrams, surface_key
from desk.core.glossary.normalise import english_words

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


def spellings_in(text: str) -> list[Spelling]:
    """(key, surface) of every whole name in an English text.

    A name is a longest run of capitalised words (or article compounds): "Tal Tamr",
    not "Tal" inside it. "Al-" is written "al-" so that the article's case, which the
    checks handle, does not make a spelling of its own.
    """
    names = [c for c in ngrams(text, english_words(text), MAX_NGRAM) if c.names_only]
    # "Al Jazeera" is a name in its own right: neither it nor "Jazeera" inside it counts.
    known = [(c.start, c.end) for c in names if is_known_name(c.text)]
    runs = [c for c in names if not any(a < c.end and c.start < b for a, b in known)]
    out: list[Spelling] = []
    for run in runs:
        inside = any(o is not run and o.start <= run.start and run.end <= o.end for o in runs)
        if not inside:
            out.append((run.key, surface_key(run.text)))
    return out


def pending(conn: sqlite3.Connection) -> int:
    """How many segments wait to be brought into the index."""
    return int(conn.execute("SELECT COUNT(*) FROM spelling_queue").fetchone()[0])


def refresh(
    begin: Callable[[], AbstractContextManager[sqlite3.Connection]],
    *,
    extract: Callable[[str], Iterable[Spelling]] = spellings_in,
    batch: int = BATCH,
) -> int:
    """Bring the index up to date with the queue; returns the segments processed.

    `begin` opens a write transaction (`Store.write`). A crash between batches leaves
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
    conn: sqlite3.Connection, extract: Callable[[str], Iterable[Spelling]], batch: int
) -> int:
    """Process up to `batch` queued segments inside the caller's transaction."""
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
    ids = [(row[0],) for row in rows]
    stories: set[int] = set()
    for (segment_id,) in ids:
        for (story_id,) in conn.execute(
            "SELECT DISTINCT story_id FROM segment_spellings WHERE segment_id = ?", (segment_id,)
        ):
            stories.add(int(story_id))
    conn.executemany("DELETE FROM segment_spellings WHERE segment_id = ?", ids)
    inserts: list[tuple[int, int, str, str, int]] = []
    for segment_id, story_id, text, deleted_at in rows:
        if story_id is None:
            continue
        stories.add(int(story_id))
        if deleted_at:
            continue
        for (key, surface), n in Counter(extract(text)).items():
            inserts.append((segment_id, story_id, key, surface, n))
    conn.executemany(
        "INSERT INTO segment_spellings (segment_id, story_id, key, surface, occurrences)"
        " VALUES (?, ?, ?, ?, ?)",
        inserts,
    )
    for story_id in sorted(stories):
        _restate_story(conn, story_id)
    conn.executemany("DELETE FROM spelling_queue WHERE segment_id = ?", ids)
    return len(rows)


def _restate_story(conn: sqlite3.Connection, story_id: int) -> None:
    """Sum a story's segment spellings again and move the totals by the difference."""
    new = {
        (key, surface): int(n)
        for key, surface, n in conn.execute(
            "SELECT key, surface, SUM(occurrences) FROM segment_spellings"
            " WHERE story_id = ? GROUP BY key, surface",
            (story_id,),
        )
    }
    old = {
        (key, surface): int(n)
        for key, surface, n in conn.execute(
            "SELECT key, surface, occurrences FROM story_spellings WHERE story_id = ?",
            (story_id,),
        )
    }
    if new == old:
        return
    deltas = [
        (key, surface, new.get(pair, 0) - old.get(pair, 0), (pair in new) - (pair in old))
        for pair in new.keys() | old.keys()
        for key, surface in (pair,)
        if new.get(pair) != old.get(pair)
    ]
    conn.executemany(
        """
        INSERT INTO spelling_totals (key, surface, occurrences, stories) VALUES (?, ?, ?, ?)
        ON CONFLICT (key, surface) DO UPDATE SET
            occurrences = occurrences + excluded.occurrences,
            stories = stories + excluded.stories
        """,
        deltas,
    )
    conn.executemany(
        "DELETE FROM spelling_totals WHERE key = ? AND surface = ? AND stories <= 0",
        [(key, surface) for key, surface, _, _ in deltas],
    )
    conn.execute("DELETE FROM story_spellings WHERE story_id = ?", (story_id,))
    conn.executemany(
        "INSERT INTO story_spellings (story_id, key, surface, occurrences) VALUES (?, ?, ?, ?)",
        [(story_id, key, surface, n) for (key, surface), n in new.items()],
    )


def totals(conn: sqlite3.Connection) -> list[Total]:
    """Every spelling in the archive (as of the last refresh)."""
    return [
        Total(key, surface, int(occurrences), int(stories))
        for key, surface, occurrences, stories in conn.execute(
            "SELECT key, surface, occurrences, stories FROM spelling_totals"
        )
    ]


def stories_using(conn: sqlite3.Connection, key: str, surface: str, limit: int) -> list[str]:
    """Slugs of up to `limit` stories using a spelling, newest story first."""
    rows = conn.execute(
        """
        SELECT s.slug FROM story_spellings p JOIN stories s ON s.id = p.story_id
        WHERE p.key = ? AND p.surface = ? ORDER BY p.story_id DESC LIMIT ?
        """,
        (key, surface, limit),
    )
    return [str(row[0]) for row in rows]


def stories_with_key(conn: sqlite3.Connection, key: str) -> int:
    """How many stories use any spelling with this key."""
    row = conn.execute(
        "SELECT COUNT(DISTINCT story_id) FROM story_spellings WHERE key = ?", (key,)
    ).fetchone()
    return int(row[0])
