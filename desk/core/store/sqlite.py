"""The SQLite store: one file per desk home, migrated on open, with an append-only log."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from desk.core.errors import ConflictError, DamagedError, DeskError, NotFoundError
from desk.core.store.migrations import applied, migrate
from desk.core.store.opening import connect, failure, is_damage
from desk.core.store.rows import (
    Revision,
    StorySummary,
    decoding,
    revision_from_row,
    segment_from_row,
    story_from_row,
    summary_from_row,
)
from desk.core.story import RevisionKind, Segment, Story, StoryStatus

__all__ = ["BUSY_TIMEOUT_MS", "Revision", "Store", "StorySummary", "utc_now"]

BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for another writer's lock before it fails ("database is
locked"): a command can wait this long; the workbench sets a shorter one."""


class Store:
    """Stories, segments and revisions in one SQLite file (WAL, foreign keys, busy timeout)."""

    def __init__(
        self, path: Path, *, upto: str | None = None, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> None:
        """Open (creating if needed) and migrate the database; `upto` stops at a migration.

        An up-to-date database is only read here: no write lock, so a reader opens while
        another desk writes. A read-only file or mount opens read-only (`read_only` says
        why) and serves every reading command. Raises UnavailableError (locked past the
        busy timeout, unreadable), DamagedError or SchemaError (a newer desk's database).
        """
        self.path = path
        self.damage: sqlite3.Error | DamagedError | None = None
        """The damage SQLite reported during a write, or desk found in a row it read, if
        any: no write follows it."""
        self.conn, self.read_only = connect(path, busy_timeout_ms)
        try:
            migrate(self.conn, self.write, path=path, upto=upto, read_only=self.read_only)
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            self.conn.close()
            raise failure(exc, path) from None
        except DeskError:
            self.conn.close()
            raise

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def set_busy_timeout(self, ms: int) -> None:
        """From now on a write waits at most `ms` ms for another writer's lock."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, in order applied."""
        return applied(self.conn)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken up front (BEGIN IMMEDIATE), so readers never deadlock it.

        After SQLite has reported damage to this connection, or desk read a row no desk
        writes, nothing more is written: the damage is raised again instead.
        """
        if self.damage is not None:
            raise self.damage
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException as exc:
            if isinstance(exc, sqlite3.Error) and is_damage(exc):
                self.damage = exc
            if self.conn.in_transaction:  # SQLite may have rolled back already
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:  # e.g. a full disk: the transaction must not linger
            if is_damage(exc):
                self.damage = exc
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    @contextmanager
    def decoding(self, what: str) -> Iterator[None]:
        """Rows desk cannot make sense of, read in the block, are damage (`rows.decoding`),
        remembered so that no write follows it."""
        try:
            with decoding(self.path, what):
                yield
        except DamagedError as exc:
            self.damage = exc
            raise

    # -- reading ----------------------------------------------------------------

    def story_id(self, slug: str) -> int:
        """The id of the story `slug`; NotFoundError if there is none."""
        row = self.conn.execute(
            "SELECT id FROM stories WHERE slug = ? AND deleted_at = ''", (slug,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story with slug {slug!r} (see `desk list`)")
        return int(row["id"])

    def slug_taken(self, slug: str) -> bool:
        """Whether any story row, a deleted one included, has this slug."""
        return (
            self.conn.execute("SELECT 1 FROM stories WHERE slug = ?", (slug,)).fetchone()
            is not None
        )

    def has_story(self, slug: str) -> bool:
        """Whether a story with this slug exists."""
        return (
            self.conn.execute(
                "SELECT 1 FROM stories WHERE slug = ? AND deleted_at = ''", (slug,)
            ).fetchone()
            is not None
        )

    def load_story(self, slug: str) -> Story:
        """The story `slug` with all its segments."""
        row = self.conn.execute(
            "SELECT * FROM stories WHERE slug = ? AND deleted_at = ''", (slug,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story with slug {slug!r} (see `desk list`)")
        with self.decoding(f"story {slug!r}"):
            story = story_from_row(row)
            rows = self.conn.execute(
                "SELECT * FROM segments WHERE story_id = ? ORDER BY n", (story.id,)
            ).fetchall()
            story.segments = [segment_from_row(r) for r in rows]
        return story

    def count_stories(self, status: StoryStatus | None = None) -> int:
        """How many stories there are (or of one status)."""
        where = "WHERE deleted_at = ''" + (" AND status = ?" if status else "")
        params: tuple[str, ...] = (status.value,) if status else ()
        return int(self.conn.execute(f"SELECT COUNT(*) FROM stories {where}", params).fetchone()[0])

    def list_stories(
        self, status: StoryStatus | None = None, *, limit: int | None = None, offset: int = 0
    ) -> list[StorySummary]:
        """Stories (every one, or those of one status), most recently updated first.

        With `limit`, only that many from `offset` on: the newest-first index lets
        SQLite stop there, so a page costs the same in an archive of any size.
        """
        where = "WHERE s.deleted_at = ''" + (" AND s.status = ?" if status else "")
        params: tuple[str | int, ...] = (status.value,) if status else ()
        page = ""
        if limit is not None:
            page = "LIMIT ? OFFSET ?"
            params = (*params, limit, offset)
        rows = self.conn.execute(
            f"""
            SELECT s.slug, s.headline_ar, s.status, s.updated_at,
                   COALESCE((SELECT text FROM segments g
                             WHERE g.story_id = s.id AND g.role = 'headline'
                             ORDER BY n LIMIT 1), '') AS headline_en,
                   (SELECT COUNT(*) FROM segments g WHERE g.story_id = s.id) AS total,
                   (SELECT COUNT(*) FROM segments g
                     WHERE g.story_id = s.id AND g.status = 'confirmed') AS confirmed,
                   COALESCE((SELECT author FROM revisions r WHERE r.story_id = s.id
                             ORDER BY r.id DESC LIMIT 1), '') AS last_author
            FROM stories s {where}
            ORDER BY s.updated_at DESC, s.slug
            {page}
            """,
            params,
        ).fetchall()
        with self.decoding("the story list"):
            return [summary_from_row(r) for r in rows]

    def revisions(self, story_id: int) -> list[Revision]:
        """The story's revision log, oldest first."""
        rows = self.conn.execute(
            """
            SELECT r.*, g.n AS segment_n FROM revisions r
            LEFT JOIN segments g ON g.id = r.segment_id
            WHERE r.story_id = ? ORDER BY r.id
            """,
            (story_id,),
        ).fetchall()
        with self.decoding("the revision log"):
            return [revision_from_row(r) for r in rows]

    def setting(self, key: str, default: str = "") -> str:
        """A desk-wide setting chosen from the CLI, or `default`."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row["value"]) if row else default

    def set_setting(self, key: str, value: str | None, author: str) -> None:
        """Set (or, with None, clear) a desk-wide setting."""
        with self.write() as conn:
            if value is None:
                conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                    " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                    (key, value, utc_now(), author),
                )

    # -- writing (call inside `write()`) ----------------------------------------

    def insert_story(self, conn: sqlite3.Connection, story: Story) -> int:
        """Insert a story and its segments; returns the story id."""
        cur = conn.execute(
            """
            INSERT INTO stories (slug, headline_ar, status, standfirst, outlet, source_url,
                source_date, byline, keywords, credit, source_file, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                story.slug,
                story.headline_ar,
                story.status.value,
                story.standfirst,
                story.outlet,
                story.source_url,
                story.source_date,
                story.byline,
                json.dumps(story.keywords, ensure_ascii=False),
                story.credit,
                story.source_file,
                story.created_at,
                story.updated_at,
            ),
        )
        story_id = int(cur.lastrowid or 0)
        for seg in story.segments:
            cur = conn.execute(
                """
                INSERT INTO segments (story_id, n, paragraph, role, source, draft, text, status,
                    engine, model, drafted_at, updated_at, updated_by, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    story_id,
                    seg.n,
                    seg.paragraph,
                    seg.role.value,
                    seg.source,
                    seg.draft,
                    seg.text,
                    seg.status.value,
                    seg.engine,
                    seg.model,
                    seg.drafted_at,
                    seg.updated_at,
                    seg.updated_by,
                    seg.version,
                ),
            )
            seg.id = int(cur.lastrowid or 0)
        story.id = story_id
        return story_id

    def record(
        self,
        conn: sqlite3.Connection,
        story_id: int,
        *,
        author: str,
        at: str,
        kind: RevisionKind,
        segment: Segment | None = None,
        expected_version: int | None = None,
        before: str = "",
        after: str = "",
        note: str = "",
        visit: str = "",
    ) -> int:
        """Write one change and its revision: the only way a revision enters the log.

        With `segment` and `expected_version`, the segment's new state is saved first if
        nobody changed it since that version (else ConflictError, nothing written); with
        `segment` alone, the revision only refers to it (an import's first draft). The
        story's `updated_at` becomes `at`. Returns the revision's id.
        """
        if segment is not None and expected_version is not None:
            self._save_segment(conn, segment, expected_version=expected_version)
        cur = conn.execute(
            """
            INSERT INTO revisions
                (story_id, segment_id, author, at, kind, before, after, note, visit)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                story_id,
                segment.id if segment is not None else None,
                author,
                at,
                kind.value,
                before,
                after,
                note,
                visit,
            ),
        )
        conn.execute("UPDATE stories SET updated_at = ? WHERE id = ?", (at, story_id))
        return int(cur.lastrowid or 0)

    def _save_segment(
        self, conn: sqlite3.Connection, seg: Segment, *, expected_version: int
    ) -> None:
        """Write a segment's text and status if nobody changed it since `expected_version`."""
        if seg.id is None:
            raise ValueError("segment has no id")
        cur = conn.execute(
            """
            UPDATE segments SET text = ?, status = ?, draft = ?, engine = ?, model = ?,
                drafted_at = ?, updated_at = ?, updated_by = ?, version = version + 1
            WHERE id = ? AND version = ?
            """,
            (
                seg.text,
                seg.status.value,
                seg.draft,
                seg.engine,
                seg.model,
                seg.drafted_at,
                seg.updated_at,
                seg.updated_by,
                seg.id,
                expected_version,
            ),
        )
        if cur.rowcount != 1:
            row = conn.execute(
                "SELECT text, updated_by, version FROM segments WHERE id = ?", (seg.id,)
            ).fetchone()
            who = row["updated_by"] if row else "someone"
            raise ConflictError(
                f"segment {seg.n} was changed by {who} since you read it "
                f"(version {expected_version} -> {row['version'] if row else '?'}); "
                f"their text: {row['text'] if row else ''!r}"
            )
        seg.version = expected_version + 1

    def set_story_fields(self, conn: sqlite3.Connection, story_id: int, **fields: str) -> None:
        """Update columns of one story row (names are fixed by callers, never user input)."""
        allowed = {
            "status",
            "updated_at",
            "published_at",
            "standfirst",
            "keywords",
            "credit",
            "outlet",
            "source_url",
            "source_date",
            "byline",
            "slug",
            "deleted_at",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"not a story field: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        conn.execute(f"UPDATE stories SET {assignments} WHERE id = ?", (*fields.values(), story_id))


def utc_now() -> str:
    """The current UTC time as ISO 8601 with offset, to the microsecond."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
