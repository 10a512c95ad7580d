"""The story list's counts of open glossary findings, kept in `story_findings`.

A story's count is stored with the glossary version it was counted with, and a
generation. The triggers of migration 010 mark a count stale in the statement that
changes a segment's English or Arabic (a save, a fix, a draft, an import, an undo, a
copy...): the count is dropped and the generation moves on. The story list reads the
counts of the stories it shows in one query (`stored_counts`), shows the fresh ones, and
counts the rest again off the UI thread (`count_stale`), then writes them back
(`save_counts`) unless a write came in between: a count is written only while the
story's generation is still the one read before its text.

Writing a count is no change to a story: it moves no `updated_at`, makes no revision
and sends no news to the shared desk's listeners, so no list reloads because another
list counted. It takes no desk-wide write lock, and waits briefly for a busy database,
then gives up: the counts were shown already and are made again at the next reload.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from typing import Protocol

from desk.core.errors import DeskError
from desk.core.store.connection import Connection
from desk.core.store.store import Store

BATCH = 200
"""Stories per query (placeholders stay far below either database's limit)."""

WRITE_WAIT_MS = 250
"""How long a list's worker lets writing counts wait for another writer (its store's
busy timeout): the counts are shown by then, and one not written is made again at the
next reload."""


class Checker(Protocol):
    """What counting needs of a glossary enforcer (desk.core.glossary.enforce.Enforcer)."""

    version: str
    """The glossary's version (a hash of its files); "" for one not read from files."""

    def check(self, text: str, source: str) -> Sized:
        """The findings on one segment's English `text` against its Arabic `source`."""
        ...


@dataclass(frozen=True)
class StoredCount:
    """A story's count as the store holds it, read before its text is."""

    story_id: int
    findings: int | None
    """Open glossary findings; None while stale (never counted, or changed since)."""
    glossary: str
    """The glossary version it was counted with."""
    generation: int
    """How many changes the triggers have marked; a count is written only for this one."""

    def fresh(self, version: str) -> bool:
        """Whether the count holds for the story as it is and the glossary `version`
        (a glossary without a version is never trusted: its contents are unknown)."""
        return self.findings is not None and bool(version) and self.glossary == version


def stored_counts(store: Store, slugs: Sequence[str]) -> dict[str, StoredCount]:
    """Slug → stored count of each of `slugs` that names a story (one query for a list's
    worth of slugs)."""
    found: dict[str, StoredCount] = {}
    for start in range(0, len(slugs), BATCH):
        chunk = list(slugs[start : start + BATCH])
        rows = store.conn.execute(
            f"""
            SELECT s.id, s.slug, f.findings, f.glossary, f.generation
            FROM stories s LEFT JOIN story_findings f ON f.story_id = s.id
            WHERE s.deleted_at = '' AND s.slug IN ({", ".join("?" * len(chunk))})
            """,
            chunk,
        ).fetchall()
        for row in rows:
            found[str(row[1])] = StoredCount(
                story_id=int(row[0]),
                findings=None if row[2] is None else int(row[2]),
                glossary=str(row[3] or ""),
                generation=int(row[4] or 0),
            )
    return found


def fresh_counts(stored: dict[str, StoredCount], version: str) -> dict[str, int]:
    """Slug → count of the stories in `stored` whose count holds for glossary `version`."""
    return {
        slug: c.findings
        for slug, c in stored.items()
        if c.findings is not None and c.fresh(version)
    }


def _segments(conn: Connection, story_ids: Sequence[int]) -> Iterator[tuple[int, str, str]]:
    """(story id, English, Arabic) of every segment of the stories, BATCH stories a query."""
    for start in range(0, len(story_ids), BATCH):
        chunk = list(story_ids[start : start + BATCH])
        rows = conn.execute(
            f"SELECT story_id, text, source FROM segments "
            f"WHERE story_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
        for row in rows:
            yield int(row[0]), str(row[1]), str(row[2])


def count_stale(store: Store, stale: dict[str, StoredCount], checker: Checker) -> dict[str, int]:
    """Slug → open findings of each story in `stale`, counted from its segments now."""
    by_id = {count.story_id: slug for slug, count in stale.items()}
    totals = dict.fromkeys(stale, 0)
    for story_id, text, source in _segments(store.conn, list(by_id)):
        totals[by_id[story_id]] += len(checker.check(text, source))
    return totals


def save_counts(
    store: Store,
    counted: Iterable[tuple[StoredCount, int]],
    version: str,
    *,
    wait_ms: int | None = None,
) -> str:
    """Write each story's count made with glossary `version`, unless the story changed
    after its StoredCount was read; with `wait_ms`, the store's busy timeout becomes that
    first. Returns "" once written, else why nothing was (the database read-only, damaged
    or busy past the busy timeout, unreachable; the glossary unversioned): the counts are
    only a cache, so this never raises for that."""
    rows = [(read.story_id, findings, version, read.generation) for read, findings in counted]
    if not rows:
        return ""
    if not version:
        return "the glossary has no version: its counts are not kept"
    if store.read_only:
        return f"the database is read-only ({store.read_only})"
    if store.damage is not None:
        return f"the database is damaged ({store.damage})"
    try:
        if wait_ms is not None:
            store.set_busy_timeout(wait_ms)
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            # One statement: atomic by itself (autocommit), no desk-wide lock taken; a
            # save that changed the story since its generation was read wins.
            store.conn.execute(
                f"""
                INSERT INTO story_findings (story_id, findings, glossary, generation)
                VALUES {", ".join(["(?, ?, ?, ?)"] * len(chunk))}
                ON CONFLICT (story_id) DO UPDATE
                SET findings = excluded.findings, glossary = excluded.glossary
                WHERE story_findings.generation = excluded.generation
                """,
                [value for row in chunk for value in row],
            )
    except (sqlite3.Error, DeskError) as exc:
        return f"the counts were not kept ({' '.join(str(exc).split())})"
    return ""
