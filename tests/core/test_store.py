"""The SQLite store: pragmas, migrations from an older database, the append-only log."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desk.core.store import Store
from desk.core.store.migrations import MIGRATIONS
from desk.core.story import RevisionKind, SegmentStatus, StoryStatus
from tests.helpers.paths import FIXTURES


def test_new_database_has_every_migration_and_pragmas(tmp_path: Path) -> None:
    """A fresh store is in WAL mode with foreign keys on and every migration recorded."""
    store = Store(tmp_path / "desk.sqlite3")
    assert store.applied_migrations() == [m.name for m in MIGRATIONS]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    """Opening a migrated database again leaves the migration table as it was."""
    path = tmp_path / "desk.sqlite3"
    Store(path).close()
    store = Store(path)
    rows = store.conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    assert rows == len(MIGRATIONS)


def test_database_of_the_first_schema_is_migrated(tmp_path: Path) -> None:
    """The committed schema-001 fixture opens, gains the later migrations and keeps its data."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema-001.sqlite", path)
    before = sqlite3.connect(path)
    assert [r[0] for r in before.execute("SELECT name FROM schema_migrations")] == ["001_initial"]
    before.close()

    store = Store(path)
    assert store.applied_migrations() == [m.name for m in MIGRATIONS]
    story = store.load_story("old-story")
    assert story.status == StoryStatus.TRANSLATING
    assert story.keywords == ["Lattakia"]
    assert [s.text for s in story.segments] == [
        "Offensive in the Lattakia countryside",
        "Regime forces advanced.",
    ]
    assert all(s.version == 1 and s.status == SegmentStatus.DRAFT for s in story.segments)
    revisions = store.revisions(story.id or 0)
    assert [(r.kind, r.segment_n) for r in revisions] == [
        (RevisionKind.IMPORT, 1),
        (RevisionKind.IMPORT, 2),
    ]
    # The migrated log is append-only like a new one.
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("DELETE FROM revisions")


def test_revision_log_refuses_update_and_delete(tmp_path: Path) -> None:
    """The database itself refuses to change or delete a revision."""
    shutil.copy(FIXTURES / "schema-001.sqlite", tmp_path / "x.sqlite3")
    store = Store(tmp_path / "x.sqlite3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("UPDATE revisions SET author = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("DELETE FROM revisions WHERE id = 1")
    assert {r.author for r in store.revisions(1)} == {"tr"}


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    """A file that is not SQLite is a damaged database (exit 6) naming it, not a traceback."""
    from desk.core.errors import DamagedError

    path = tmp_path / "desk.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DamagedError, match=r"is damaged \(file is not a database"):
        Store(path)
