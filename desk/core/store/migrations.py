"""Named schema migrations, applied in order and recorded in `schema_migrations`.

Never edit a migration that has shipped: add a new one. A database made by an older
desk is brought up to date when it is opened.
"""

from __future__ import annotations

from typing import NamedTuple

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
