"""Named schema migrations, applied in order and recorded in `schema_migrations`.

Never edit a migration that has shipped: add a new one. A database made by an older
desk is brought up to date when it is opened; one made by a newer desk (a migration or
a column this desk does not know) is refused before anything is touched. Opening an
up-to-date database only reads: the write lock is taken only to apply a migration.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import NamedTuple

from desk import __version__
from desk.core.errors import SchemaError, UnavailableError
from desk.core.fulltext import sql_english, sql_fold


class Migration(NamedTuple):
    """One schema change: a unique name and the SQL script that makes it."""

    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "001_initial",
        """
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            headline_ar TEXT NOT NULL,
            status TEXT NOT NULL,
            standfirst TEXT NOT NULL DEFAULT '',
            outlet TEXT NOT NULL DEFAULT '',
            source_url TEXT NOT NULL DEFAULT '',
            source_date TEXT NOT NULL DEFAULT '',
            byline TEXT NOT NULL DEFAULT '',
            keywords TEXT NOT NULL DEFAULT '[]',
            credit TEXT NOT NULL DEFAULT '',
            source_file TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            published_at TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            n INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            role TEXT NOT NULL,
            source TEXT NOT NULL,
            draft TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            engine TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            drafted_at TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL DEFAULT '',
            UNIQUE (story_id, n)
        );
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            segment_id INTEGER REFERENCES segments(id),
            author TEXT NOT NULL,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            before TEXT NOT NULL DEFAULT '',
            after TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT ''
        );
        """,
    ),
    Migration(
        # Optimistic concurrency for two editors on one segment, an index for the log,
        # and triggers that make the revision log append-only in the database itself.
        "002_versions_and_append_only_log",
        """
        ALTER TABLE segments ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX revisions_by_story ON revisions (story_id, id);
        CREATE INDEX revisions_by_segment ON revisions (segment_id, id);
        CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
        BEGIN
            SELECT RAISE(ABORT, 'the revision log is append-only');
        END;
        CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
        BEGIN
            SELECT RAISE(ABORT, 'the revision log is append-only');
        END;
        """,
    ),
    Migration(
        # Desk-wide choices made from the CLI (e.g. which engine package drafts stories).
        "003_settings",
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL DEFAULT ''
        );
        """,
    ),
    Migration(
        # Deleting a story that nobody has worked on hides it and frees its slug; its row
        # and revisions stay, because the log is append-only.
        "004_deleted_stories",
        """
        ALTER TABLE stories ADD COLUMN deleted_at TEXT NOT NULL DEFAULT '';
        """,
    ),
    Migration(
        # Full-text search over the archive (desk/core/search.py): a contentless FTS5
        # index of each segment's folded Arabic and its English, kept by triggers, and
        # an index for the story list's newest-first order.
        "005_search",
        f"""
        CREATE VIRTUAL TABLE segment_search USING fts5(
            source, english, content = '', tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER segments_search_insert AFTER INSERT ON segments
        BEGIN
            INSERT INTO segment_search (rowid, source, english)
            VALUES (new.id, {sql_fold("new.source")}, {sql_english("new")});
        END;
        CREATE TRIGGER segments_search_update AFTER UPDATE OF source, draft, text ON segments
        BEGIN
            INSERT INTO segment_search (segment_search, rowid, source, english)
            VALUES ('delete', old.id, {sql_fold("old.source")}, {sql_english("old")});
            INSERT INTO segment_search (rowid, source, english)
            VALUES (new.id, {sql_fold("new.source")}, {sql_english("new")});
        END;
        CREATE TRIGGER segments_search_delete AFTER DELETE ON segments
        BEGIN
            INSERT INTO segment_search (segment_search, rowid, source, english)
            VALUES ('delete', old.id, {sql_fold("old.source")}, {sql_english("old")});
        END;
        INSERT INTO segment_search (rowid, source, english)
        SELECT id, {sql_fold("source")}, {sql_english("segments")} FROM segments;
        CREATE INDEX stories_by_update ON stories (deleted_at, updated_at DESC, slug);
        """,
    ),
    Migration(
        # The archive audit's index of name spellings (desk/core/glossary/spellings.py).
        # Triggers queue every segment whose English changes, and every segment of a
        # story deleted or restored; the audit brings the index up to date from the
        # queue, then reads the totals instead of scanning the archive.
        "006_spelling_index",
        """
        CREATE TABLE spelling_queue (segment_id INTEGER PRIMARY KEY);
        CREATE TABLE segment_spellings (
            segment_id INTEGER NOT NULL,
            story_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            surface TEXT NOT NULL,
            occurrences INTEGER NOT NULL,
            PRIMARY KEY (segment_id, key, surface)
        ) WITHOUT ROWID;
        CREATE TABLE story_spellings (
            story_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            surface TEXT NOT NULL,
            occurrences INTEGER NOT NULL,
            PRIMARY KEY (story_id, key, surface)
        ) WITHOUT ROWID;
        CREATE INDEX story_spellings_by_spelling ON story_spellings (key, surface, story_id);
        CREATE TABLE spelling_totals (
            key TEXT NOT NULL,
            surface TEXT NOT NULL,
            occurrences INTEGER NOT NULL,
            stories INTEGER NOT NULL,
            PRIMARY KEY (key, surface)
        ) WITHOUT ROWID;
        CREATE TRIGGER segments_spelling_insert AFTER INSERT ON segments
        BEGIN
            INSERT OR IGNORE INTO spelling_queue (segment_id) VALUES (new.id);
        END;
        CREATE TRIGGER segments_spelling_update AFTER UPDATE OF text ON segments
        BEGIN
            INSERT OR IGNORE INTO spelling_queue (segment_id) VALUES (new.id);
        END;
        CREATE TRIGGER stories_spelling_delete AFTER UPDATE OF deleted_at ON stories
        BEGIN
            INSERT OR IGNORE INTO spelling_queue (segment_id)
            SELECT id FROM segments WHERE story_id = new.id;
        END;
        INSERT INTO spelling_queue (segment_id) SELECT id FROM segments;
        """,
    ),
    Migration(
        # The workbench saves as the translator types; the saves made during one visit
        # to a segment share a visit id, so undo and the history treat them as one
        # change while the log itself stays append-only.
        "007_revision_visits",
        """
        ALTER TABLE revisions ADD COLUMN visit TEXT NOT NULL DEFAULT '';
        """,
    ),
)


def applied(conn: sqlite3.Connection) -> list[str]:
    """The migrations recorded in the database, in the order applied (a plain read)."""
    if not _has_table(conn, "schema_migrations"):
        return []
    rows = conn.execute("SELECT name FROM schema_migrations ORDER BY rowid").fetchall()
    return [str(row[0]) for row in rows]


def migrate(
    conn: sqlite3.Connection,
    begin: Callable[[], AbstractContextManager[sqlite3.Connection]],
    *,
    path: Path,
    upto: str | None = None,
    read_only: str = "",
) -> None:
    """Bring the database at `path` up to date (to `upto` when given), each migration in
    its own write transaction (`begin`); refuse a database from a newer desk first.

    `read_only` says why the database cannot be written (empty: it can); such a
    database is used as it is, or refused when it lacks a migration.
    """
    done = applied(conn)
    if not done:
        _refuse_foreign(conn, path)
    _refuse_unknown(done, path)
    wanted = _wanted(upto)
    missing = [m for m in wanted if m.name not in done]
    if missing and read_only:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        raise UnavailableError(
            f"the desk database {path} was made by an older desk and needs schema "
            f"migration {missing[0].name!r}{more}, but {read_only}: open it once with a "
            "desk that may write it"
        )
    if missing:
        if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
    for migration in missing:
        with begin() as tx:
            now_done = applied(tx)  # another desk may have migrated meanwhile
            _refuse_unknown(now_done, path)
            if migration.name in now_done:
                continue
            for statement in split_statements(migration.sql):
                tx.execute(statement)
            tx.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                (migration.name, _utc_now()),
            )
    if upto is None:
        _refuse_missing_columns(conn, path)


def split_statements(script: str) -> list[str]:
    """Split an SQL script into whole statements (trigger bodies contain `;`)."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements


def known_upto() -> str:
    """The newest migration this desk knows, with desk's version, for messages."""
    return f"this desk ({__version__}) knows up to {MIGRATIONS[-1].name!r}"


def _wanted(upto: str | None) -> list[Migration]:
    """The migrations to apply: all, or those up to and including `upto`."""
    wanted: list[Migration] = []
    for migration in MIGRATIONS:
        wanted.append(migration)
        if migration.name == upto:
            break
    return wanted


def _refuse_unknown(done: Iterable[str], path: Path) -> None:
    """SchemaError when the database records a migration this desk does not know."""
    known = {m.name for m in MIGRATIONS}
    unknown = [name for name in done if name not in known]
    if unknown:
        raise SchemaError(
            f"the desk database {path} was made by a newer desk: migration {unknown[0]!r} "
            f"unknown; {known_upto()}. Use that newer desk; this one changes nothing"
        )


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """SchemaError when an SQLite file without desk's migrations already holds tables."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'schema_migrations' ORDER BY name LIMIT 3"
    ).fetchall()
    if rows:
        names = ", ".join(str(row[0]) for row in rows)
        raise SchemaError(
            f"{path} is an SQLite database but not a desk database (it holds {names} and "
            "no schema_migrations); desk changes nothing in it"
        )


def _refuse_missing_columns(conn: sqlite3.Connection, path: Path) -> None:
    """SchemaError when a table or column desk reads is missing (renamed by a newer desk)."""
    present: dict[str, set[str]] = {}
    for table, column in conn.execute(_COLUMNS).fetchall():
        present.setdefault(str(table), set()).add(str(column))
    for table, columns in _expected_columns():
        lacking = sorted(columns - present.get(table, set()))
        if lacking:
            what = f"table {table}" if table not in present else f"column {table}.{lacking[0]}"
            raise SchemaError(
                f"the desk database {path} lacks {what} that its migrations make: changed "
                f"by a newer desk, by hand, or damaged (`desk db check`); {known_upto()}. "
                "This desk changes nothing"
            )


_COLUMNS = (
    "SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p "
    "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
)


@cache
def _expected_columns() -> tuple[tuple[str, frozenset[str]], ...]:
    """Each table and its columns as the migrations make them (built once, in memory)."""
    conn = sqlite3.connect(":memory:")
    try:
        for migration in MIGRATIONS:
            for statement in split_statements(migration.sql):
                conn.execute(statement)
        found: dict[str, set[str]] = {}
        for table, column in conn.execute(_COLUMNS).fetchall():
            found.setdefault(str(table), set()).add(str(column))
    finally:
        conn.close()
    return tuple((table, frozenset(columns)) for table, columns in sorted(found.items()))


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the database has a table of this name."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def _utc_now() -> str:
    """The current UTC time as ISO 8601 with offset, to the microsecond."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
