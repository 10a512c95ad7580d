"""The store: an SQLite file per desk home (the embedded default), or one PostgreSQL
database a whole desk shares; the same tables, SQL and behaviour on both.

The SQL here is written once, with `?` placeholders; `PgConnection` takes it to
PostgreSQL. Where the two differ (opening, the write lock, the search index) `dialect`
says which. Every write is a transaction taken up front, and writes are serialised on
both: SQLite's BEGIN IMMEDIATE, PostgreSQL's transaction-scoped advisory lock.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desk.core.errors import ConflictError, DamagedError, DeskError, NotFoundError
from desk.core.fulltext import document
from desk.core.store.connection import Connection
from desk.core.store.live import CHANNEL, Listener, drop, held, news, take
from desk.core.store.memory import drop_story, set_story_status, sync_segment
from desk.core.store.migrations import applied, migrate
from desk.core.store.opening import connect, failure, is_damage
from desk.core.store.postgres import STORY_LOCK, WRITE_LOCK, PgConnection, is_url
from desk.core.store.rows import (
    SEGMENT_COLUMNS,
    STORY_COLUMNS,
    Revision,
    StorySummary,
    decoding,
    revision_from_row,
    segment_from_row,
    story_from_row,
    summary_from_row,
)
from desk.core.story import (
    RevisionKind,
    Segment,
    SegmentStatus,
    Story,
    StoryStatus,
    out_of_range,
)

__all__ = ["BUSY_TIMEOUT_MS", "Revision", "Store", "StorySummary", "utc_now"]

STORY_PAGE = 1_000
"""Stories `iter_stories` reads at a time."""
FIRST_PAGE = 50
"""Stories in `iter_stories`' first page: a screenful, so the first lines come at once."""

BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for another writer's lock before it fails ("database is
locked"): a command can wait this long; the workbench sets a shorter one."""


class Store:
    """Stories, segments and revisions in one SQLite file (WAL, foreign keys, busy
    timeout) or one PostgreSQL database (`postgresql://` URL)."""

    def __init__(
        self,
        path: Path | str,
        *,
        upto: str | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        migrate_schema: bool | None = None,
    ) -> None:
        """Open (creating if needed) and migrate the database; `upto` stops at a migration.

        `path` is the SQLite file, or a PostgreSQL URL. An SQLite database is migrated
        as it opens; a PostgreSQL one only with `migrate_schema` (`desk db migrate`:
        many people share it), and is refused while it lacks a migration.

        An up-to-date database is only read here: no write lock, so a reader opens while
        another desk writes. A read-only file or mount opens read-only (`read_only` says
        why) and serves every reading command. Raises UnavailableError (locked past the
        busy timeout, unreadable, the server unreachable), DamagedError or SchemaError
        (a newer desk's database, or a shared one that needs `desk db migrate`).
        """
        self.damage: sqlite3.Error | DamagedError | None = None
        """The damage SQLite reported during a write, or desk found in a row it read, if
        any: no write follows it."""
        self.conn: Connection
        self.dialect = "postgresql" if isinstance(path, str) and is_url(path) else "sqlite"
        self.migrated: list[str] = []
        """The migrations this opening applied."""
        if self.dialect == "postgresql":
            assert isinstance(path, str)
            pg = PgConnection(path, lock_timeout_ms=busy_timeout_ms)
            self.path: Path | str = pg.where
            self.url = path
            self.conn, self.read_only = pg, ""
            try:
                self.migrated = migrate(
                    pg, self.write, path=pg.where, upto=upto,
                    apply=bool(migrate_schema) or upto is not None,
                )  # fmt: skip
            except DeskError:
                pg.close()
                raise
            return
        self.path = Path(path)
        self.url = ""
        self.conn, self.read_only = connect(self.path, busy_timeout_ms)
        try:
            self.migrated = migrate(
                self.conn, self.write, path=self.path, upto=upto, read_only=self.read_only,
                apply=migrate_schema is not False,
            )  # fmt: skip
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            self.conn.close()
            raise failure(exc, self.path) from None
        except DeskError:
            self.conn.close()
            raise

    @property
    def where(self) -> str:
        """The database as messages name it (a PostgreSQL URL without its password)."""
        return str(self.path)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def set_busy_timeout(self, ms: int) -> None:
        """From now on a write waits at most `ms` ms for another writer's lock."""
        if isinstance(self.conn, PgConnection):
            self.conn.lock_timeout_ms = int(ms)
            self.conn.execute(f"SET lock_timeout = {int(ms)}")
        else:
            self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, in order applied."""
        return applied(self.conn)

    @contextmanager
    def write(self, *, story: str = "") -> Iterator[Connection]:
        """A write transaction taken up front (SQLite's BEGIN IMMEDIATE; on PostgreSQL
        the desk's advisory write lock), so readers never deadlock it and writers take
        turns.

        `story` (a slug) says the transaction reads and writes that story alone (its
        segments, revisions and row, never its slug): on PostgreSQL it then waits only
        for writes to the same story and for desk-wide ones (`STORY_LOCK`). SQLite has
        one writer at a time either way.

        After SQLite has reported damage to this connection, or desk read a row no desk
        writes, nothing more is written: the damage is raised again instead. On
        PostgreSQL a failed COMMIT (the connection lost) means nothing was saved, as far
        as anyone may count on: the error says so.
        """
        if self.damage is not None:
            raise self.damage
        if isinstance(self.conn, PgConnection):
            with self._pg_write(self.conn, story=story) as conn:
                yield conn
            return
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
    def _pg_write(
        self, conn: PgConnection, *, lock: bool = True, story: str = ""
    ) -> Iterator[Connection]:
        """`write` on PostgreSQL: BEGIN, the advisory write lock (shared, and the story's
        own, for a write to one `story`), COMMIT. Without `lock` (a lease), the
        transaction never waits for a long write (a copy, an import)."""
        # BEGIN and the locks go in one round trip (a script, the slug quoted by psycopg).
        script = "BEGIN"
        if lock and story:
            # Slugs change only under the desk-wide lock, which the shared one keeps
            # out: the story found here stays the story `story` names until COMMIT.
            script += (
                f"; SELECT pg_advisory_xact_lock_shared({WRITE_LOCK});"
                f" SELECT pg_advisory_xact_lock({STORY_LOCK}::int4, id::int4) FROM stories"
                f" WHERE slug = {conn.literal(story)} AND deleted_at = ''"
            )
        elif lock:
            script += f"; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
        try:
            conn.execute(script)  # returns once every statement of it has run
            yield conn
        except BaseException:
            conn.rollback_quietly()
            raise
        try:
            conn.execute("COMMIT")
        except DeskError:
            conn.rollback_quietly()
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

    def _story_row(self, slug: str) -> Any:
        """The row of the story `slug`; NotFoundError if there is none."""
        row = self.conn.execute(
            "SELECT * FROM stories WHERE slug = ? AND deleted_at = ''", (slug,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story with slug {slug!r} (see `desk list`)")
        return row

    def load_story(self, slug: str) -> Story:
        """The story `slug` with all its segments."""
        row = self._story_row(slug)
        with self.decoding(f"story {slug!r}"):
            story = story_from_row(row)
            rows = self.conn.execute(
                "SELECT * FROM segments WHERE story_id = ? ORDER BY n", (story.id,)
            ).fetchall()
            story.segments = [segment_from_row(r) for r in rows]
        return story

    def load_segment(self, slug: str, n: int) -> tuple[Story, Segment]:
        """The story `slug` without its segments (`segments` is empty) and its segment
        `n`: what a save reads, in an archive of long stories as in one of short ones."""
        # One round trip: the story's columns, then the segment's as g_<name>.
        row = self.conn.execute(
            f"""
            SELECT {", ".join(f"s.{c}" for c in STORY_COLUMNS)},
                   {", ".join(f"g.{c} AS g_{c}" for c in SEGMENT_COLUMNS)}
            FROM stories s LEFT JOIN segments g ON g.story_id = s.id AND g.n = ?
            WHERE s.slug = ? AND s.deleted_at = ''
            """,
            (n, slug),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story with slug {slug!r} (see `desk list`)")
        with self.decoding(f"story {slug!r}"):
            story = story_from_row({c: row[c] for c in STORY_COLUMNS})
            if row["g_id"] is None:
                count = self.conn.execute(
                    "SELECT COUNT(*) FROM segments WHERE story_id = ?", (story.id,)
                ).fetchone()[0]
                raise out_of_range(slug, n, int(count))
            return story, segment_from_row({c: row[f"g_{c}"] for c in SEGMENT_COLUMNS})

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
        page = "" if limit is None else "LIMIT ? OFFSET ?"
        extra: tuple[int, ...] = () if limit is None else (limit, offset)
        return self._decode_summaries(self._summary_rows(status, page=page, extra=extra))

    def iter_stories(
        self, status: StoryStatus | None = None, *, page: int | None = None
    ) -> Iterator[StorySummary]:
        """Every story (or those of one status) in `list_stories`' order, read `page`
        at a time, so that the first arrive at once and memory stays bounded however
        large the archive.

        `page` is STORY_PAGE unless given. Each page starts after the last one's
        (updated_at, slug), which the newest-first index seeks to, rather than at an
        offset that would be walked again for every page. A story updated while the
        pages are read may be listed twice or not at all, as it moves in the order; no
        other is.
        """
        page = page or STORY_PAGE
        after: tuple[str, str] | None = None
        size = min(FIRST_PAGE, page)
        while True:
            rows = self._summary_rows(status, page="LIMIT ?", extra=(size,), after=after)
            yield from self._decode_summaries(rows)
            if len(rows) < size:
                return
            after = (rows[-1]["updated_at"], rows[-1]["slug"])
            size = page

    def _summary_rows(
        self,
        status: StoryStatus | None,
        *,
        page: str,
        extra: tuple[int, ...],
        after: tuple[str, str] | None = None,
    ) -> list[Any]:
        """Rows of story summaries in the list's order: `page` (a LIMIT clause, its parameters
        in `extra`), after the story at (updated_at, slug) `after` when given."""
        where = "WHERE s.deleted_at = ''" + (" AND s.status = ?" if status else "")
        params: tuple[str | int, ...] = (status.value,) if status else ()
        if after is not None:
            # `<=` first, so that the index's range starts at the last page's story.
            where += " AND s.updated_at <= ? AND (s.updated_at < ? OR s.slug > ?)"
            params = (*params, after[0], after[0], after[1])
        rows: list[Any] = self.conn.execute(
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
            (*params, *extra),
        ).fetchall()
        return rows

    def _decode_summaries(self, rows: list[Any]) -> list[StorySummary]:
        """Story summaries from `_summary_rows`' rows."""
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

    # -- the live desk: leases and news of others' saves (desk/core/store/live.py) ----

    def take_lease(self, story_id: int, n: int, holder: str, session: str) -> str | None:
        """Take or renew the lease of segment `n`; the name of another holder, if any.
        Only a shared desk keeps leases (an SQLite desk has one person at a time)."""
        if not isinstance(self.conn, PgConnection):
            return None
        with self._pg_write(self.conn, lock=False) as conn:
            return take(conn, story_id, n, holder, session)

    def drop_lease(self, story_id: int, session: str, n: int | None = None) -> None:
        """Drop this session's lease of segment `n` (all of the story's with None)."""
        if isinstance(self.conn, PgConnection):
            with self._pg_write(self.conn, lock=False) as conn:
                drop(conn, story_id, session, n)

    def leases(self, story_id: int, *, besides: str = "") -> dict[int, str]:
        """Segment → holder of the story's live leases, other than session `besides`."""
        if not isinstance(self.conn, PgConnection):
            return {}
        return held(self.conn, story_id, besides=besides)

    def listener(self) -> Listener | None:
        """A listener for others' changes (None on SQLite, which sends no news)."""
        if isinstance(self.conn, PgConnection):
            return Listener(self.conn)
        return None

    # -- writing (call inside `write()`) ----------------------------------------

    def insert_story(self, conn: Connection, story: Story) -> int:
        """Insert a story and its segments; returns the story id."""
        cur = conn.execute(
            """
            INSERT INTO stories (slug, headline_ar, status, standfirst, outlet, source_url,
                source_date, byline, keywords, credit, source_file, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            RETURNING id
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
        story_id = int(cur.fetchone()[0])
        for seg in story.segments:
            cur = conn.execute(
                """
                INSERT INTO segments (story_id, n, paragraph, role, source, draft, text, status,
                    engine, model, drafted_at, updated_at, updated_by, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING id
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
            seg.id = int(cur.fetchone()[0])
            self.index_segment(conn, seg)
            if seg.status == SegmentStatus.CONFIRMED:
                sync_segment(conn, seg.id)
        story.id = story_id
        return story_id

    def record(
        self,
        conn: Connection,
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
        insert = """
            INSERT INTO revisions
                (story_id, segment_id, author, at, kind, before, after, note, visit)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            RETURNING id
            """
        params = (story_id, segment.id if segment is not None else None, author, at,
                  kind.value, before, after, note, visit)  # fmt: skip
        if self.dialect == "postgresql":
            # One round trip for the revision, the story's time and the news of it: over
            # TCP each trip is a tenth of a millisecond or more of a save (bench/README).
            news_of = news(story_id, segment.n if segment else None, author, "revision")
            cur = conn.execute(
                f"""
                WITH revision AS ({insert}),
                     touched AS (UPDATE stories SET updated_at = ? WHERE id = ?)
                SELECT id, pg_notify(?, ?) FROM revision
                """,
                (*params, at, story_id, CHANNEL, news_of),
            )
            return int(cur.fetchone()[0])
        cur = conn.execute(insert, params)
        revision_id = int(cur.fetchone()[0])
        conn.execute("UPDATE stories SET updated_at = ? WHERE id = ?", (at, story_id))
        return revision_id

    def _save_segment(self, conn: Connection, seg: Segment, *, expected_version: int) -> None:
        """Write a segment's text and status if nobody changed it since `expected_version`."""
        if seg.id is None:
            raise ValueError("segment has no id")
        # SQLite's triggers keep its FTS5 index; PostgreSQL's document comes along.
        search, doc = "", tuple[str, ...]()  # SQLite: nothing more to set
        if self.dialect == "postgresql":
            search, doc = ", search = ?::tsvector", (document(seg.source, seg.text or seg.draft),)
        cur = conn.execute(
            f"""
            UPDATE segments SET text = ?, status = ?, draft = ?, engine = ?, model = ?,
                drafted_at = ?, updated_at = ?, updated_by = ?, version = version + 1{search}
            WHERE id = ? AND version = ?
            RETURNING (SELECT id FROM tm_units WHERE segment_id = segments.id) AS unit
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
                *doc,
                seg.id,
                expected_version,
            ),
        )
        saved = cur.fetchone()  # its memory unit's id, found in the same round trip
        if saved is None:
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
        confirmed = seg.status == SegmentStatus.CONFIRMED
        if confirmed or saved["unit"] is not None:  # else no unit to make or to remove
            sync_segment(conn, seg.id, confirmed=confirmed)

    def index_segment(self, conn: Connection, seg: Segment) -> None:
        """Bring a written segment's search document up to date. SQLite's triggers keep
        its FTS5 index; on PostgreSQL desk builds the tsvector itself (`document`)."""
        if self.dialect == "postgresql":
            conn.execute(
                "UPDATE segments SET search = ?::tsvector WHERE id = ?",
                (document(seg.source, seg.text or seg.draft), seg.id),
            )

    def set_story_fields(self, conn: Connection, story_id: int, **fields: str) -> None:
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
        if fields.get("deleted_at"):
            drop_story(conn, story_id)
        elif "status" in fields:
            set_story_status(conn, story_id, fields["status"])


def utc_now() -> str:
    """The current UTC time as ISO 8601 with offset, to the microsecond."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
