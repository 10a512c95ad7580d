"""The store under faults: opening reads without the write lock, damage stops every
later write of the connection, rows no desk writes are damage, newer schemas are refused,
and each SQLite failure is told as desk's exit-6 error."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.core.errors import DamagedError, SchemaError, UnavailableError
from desk.core.store import Store
from desk.core.store.migrations import MIGRATIONS
from desk.core.store.opening import failure
from desk.core.story import Role, Segment, SegmentStatus, Story, StoryStatus


def a_story(slug: str = "douma-raids") -> Story:
    """A two-segment story, as an import makes it."""
    now = "2015-05-17T06:00:00+00:00"
    story = Story(id=None, slug=slug, headline_ar="غارات على دوما", status=StoryStatus.NEW,
                  created_at=now, updated_at=now)  # fmt: skip
    story.segments = [
        Segment(
            id=None,
            n=n,
            paragraph=n,
            role=Role.BODY,
            source=f"جملة {n}.",
            status=SegmentStatus.DRAFT,
            updated_at=now,
        )
        for n in (1, 2)
    ]
    return story


@pytest.fixture
def path(tmp_path: Path) -> Iterator[Path]:
    """A migrated database holding one story, closed."""
    path = tmp_path / "desk.sqlite3"
    store = Store(path)
    with store.write() as conn:
        store.insert_story(conn, a_story())
    store.close()
    yield path


def test_opening_needs_no_write_lock(path: Path) -> None:
    """While another connection holds the write lock, the store opens (with no wait at
    all) and reads; its first write is what waits, and fails as busy."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        store = Store(path, busy_timeout_ms=0)
        assert store.load_story("douma-raids").headline_ar == "غارات على دوما"
        with pytest.raises(sqlite3.OperationalError) as caught, store.write():
            pass
        error = failure(caught.value, path)
        assert isinstance(error, UnavailableError) and "busy timeout" in str(error)
        store.close()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_damage_stops_every_later_write(path: Path) -> None:
    """Once SQLite reports damage inside a write, the connection writes nothing more,
    not even to pages that are sound."""
    store = Store(path)
    size = store.conn.execute("PRAGMA page_size").fetchone()[0]
    root = store.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'segments'")
    page = root.fetchone()[0]
    store.close()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xff" * 64)
    store = Store(path)
    with pytest.raises(sqlite3.DatabaseError) as first, store.write() as conn:
        conn.execute("UPDATE segments SET text = 'x' WHERE n = 1")
    assert isinstance(failure(first.value, path), DamagedError)
    with pytest.raises(sqlite3.DatabaseError) as again:
        store.set_setting("engine", "argos", "rania")
    assert again.value is first.value
    assert store.setting("engine") == ""
    store.close()


@pytest.mark.parametrize(
    ("table", "column", "value", "read"),
    [
        ("stories", "status", "archived", lambda s: s.list_stories()),
        ("stories", "keywords", "{not json", lambda s: s.load_story("douma-raids")),
        ("segments", "status", "shredded", lambda s: s.load_story("douma-raids")),
    ],
    ids=["story-status", "keywords", "segment-status"],
)
def test_rows_no_desk_writes_are_damage(
    path: Path, table: str, column: str, value: str, read: object
) -> None:
    """A status or JSON that no desk writes is told as damage naming what was read, not
    a ValueError traceback."""
    with sqlite3.connect(path) as conn:
        conn.execute(f"UPDATE {table} SET {column} = ?", (value,))
    conn.close()
    store = Store(path)
    with pytest.raises(DamagedError, match=f"desk database {path} is damaged"):
        read(store)  # type: ignore[operator]
    store.close()


def test_revision_kind_no_desk_writes_is_damage(path: Path) -> None:
    """The revision log too (its rows cannot be changed, so a new one is written)."""
    store = Store(path)
    with store.write() as conn:
        conn.execute(
            "INSERT INTO revisions (story_id, author, at, kind) VALUES (1, 'x', 'now', 'teleport')"
        )
    with pytest.raises(DamagedError, match="the revision log: 'teleport'"):
        store.revisions(1)
    store.close()


@pytest.mark.parametrize(
    ("sql", "read", "what"),
    [
        ("UPDATE stories SET keywords = '[1, 2]'", "story", "keywords holds '[1, 2]'"),
        ("UPDATE stories SET keywords = '{\"a\": \"b\"}'", "story", "not a list of text"),
        ("UPDATE stories SET created_at = 'garbage'", "story", "created_at holds 'garbage'"),
        ("UPDATE stories SET published_at = 'soon'", "story", "published_at holds 'soon'"),
        ("UPDATE stories SET updated_at = '9999-12-31T23:59:59-23:00'", "list", "updated_at"),
        ("UPDATE segments SET updated_at = '17 May'", "story", "updated_at holds '17 May'"),
        ("UPDATE stories SET slug = '../../../tmp/x/pwn'", "list", "slug '../../../tmp/x/pwn'"),
        ("UPDATE stories SET slug = 'Douma Raids'", "slug", "slug 'Douma Raids' is not one"),
        ("INSERT INTO revisions (story_id, author, at, kind) VALUES (1, 'x', 'now', 'edit')",
         "log", "the revision log: at holds 'now'"),
    ],
    ids=["keywords-numbers", "keywords-object", "created-at", "published-at", "year-10000",
         "segment-updated-at", "slug-path", "slug-pattern", "revision-at"],
)  # fmt: skip
def test_rows_of_the_wrong_shape_are_damage_and_stop_writes(
    path: Path, sql: str, read: str, what: str
) -> None:
    """JSON of the wrong shape, a time that is not ISO 8601 (or that a time zone would push
    past the calendar), a slug desk would refuse: damage naming what was read, never a
    TypeError or ValueError later (rendering, exporting, writing a file named after the
    slug); and once read, the connection writes nothing more."""
    with sqlite3.connect(path) as conn:
        conn.execute(sql)
        slug = conn.execute("SELECT slug FROM stories").fetchone()[0]
    conn.close()
    store = Store(path)
    reads = {"story": lambda: store.load_story("douma-raids"), "list": store.list_stories,
             "slug": lambda: store.load_story(slug), "log": lambda: store.revisions(1)}  # fmt: skip
    with pytest.raises(DamagedError, match=f"desk database {path} is damaged") as caught:
        reads[read]()
    assert what in caught.value.what
    with pytest.raises(DamagedError):
        store.set_setting("engine", "argos", "rania")
    assert store.setting("engine") == ""
    store.close()


def test_newer_migration_is_refused_before_anything_is_written(path: Path) -> None:
    """A migration this desk does not know: SchemaError with both versions; the database
    keeps exactly the migrations it had."""
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES ('999_tags', '2030-01-01')")
    conn.close()
    with pytest.raises(SchemaError, match=f"'999_tags' unknown.*'{MIGRATIONS[-1].name}'"):
        Store(path)
    with sqlite3.connect(path) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM schema_migrations")]
    conn.close()
    assert names == [*(m.name for m in MIGRATIONS), "999_tags"]


def test_older_database_with_a_newer_migration_is_not_migrated(path: Path) -> None:
    """One known migration missing and one unknown present: refused, not half-migrated."""
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM schema_migrations WHERE name = ?", (MIGRATIONS[-1].name,))
        conn.execute("INSERT INTO schema_migrations VALUES ('999_tags', '2030-01-01')")
    conn.close()
    with pytest.raises(SchemaError, match="newer desk"):
        Store(path)
    with sqlite3.connect(path) as conn:
        count = conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    conn.close()
    assert count == len(MIGRATIONS)


def test_dropped_table_is_refused(path: Path) -> None:
    """A table the migrations make, gone: SchemaError naming it."""
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE settings")
    conn.close()
    with pytest.raises(SchemaError, match="lacks table settings"):
        Store(path)


def test_missing_folder_that_cannot_be_made_is_unavailable(tmp_path: Path) -> None:
    """A desk home under a regular file: UnavailableError naming the database."""
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(UnavailableError, match="cannot create the desk database"):
        Store(tmp_path / "afile" / "home" / "desk.sqlite3")
