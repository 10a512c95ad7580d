"""A database that is busy, damaged, read-only or newer, through real `desk` processes:
readers need no write lock, every fault is one line and exit 6, nothing is written to a
damaged database; `desk db check` and `desk db backup`."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.app.home import Home
from desk.core.store.migrations import MIGRATIONS
from tests.helpers.paths import ROOT
from tests.helpers.stories import import_sample

SLUG = "lattakia-offensive"
READERS = [
    ("list",),
    ("list", "--json"),
    ("show", SLUG),
    ("search", "militias"),
    ("log", SLUG),
    ("diff", SLUG),
    ("stats", SLUG),
]
"""Commands that only read the database."""


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `desk ARGS` as its own process (the test's environment, plus `env`)."""
    return subprocess.run(
        [sys.executable, "-m", "desk", *args], cwd=ROOT, env=os.environ | env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def assert_fails(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    """Exit `code`, one line on stderr holding each needle, no traceback."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def home(desk_home: Path, glossary: Path) -> Path:
    """A desk home holding the Lattakia sample, every connection to it closed."""
    env = Home(desk_home)
    import_sample(env, SLUG)
    env.desk.store.close()
    return desk_home


@pytest.fixture
def database(home: Path) -> Path:
    """The home's database file."""
    return home / "desk.sqlite3"


@pytest.fixture
def write_lock(database: Path) -> Iterator[sqlite3.Connection]:
    """Another process's view: a connection holding the database's write lock."""
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE stories SET byline = byline")
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


# -- busy ---------------------------------------------------------------------------


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_readers_need_no_write_lock(write_lock: sqlite3.Connection, args: tuple[str, ...]) -> None:
    """While another desk holds the write lock, every reading command still reads."""
    result = run(*args, DESK_BUSY_TIMEOUT_MS="100")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_writer_past_busy_timeout_is_exit_6(write_lock: sqlite3.Connection) -> None:
    """A change that cannot get the write lock within the busy timeout: exit 6, the
    README's "database is unavailable", the database named."""
    result = run("confirm", SLUG, "1", "--as", "rania", DESK_BUSY_TIMEOUT_MS="100")
    assert_fails(result, 6, "is unavailable", "desk.sqlite3", "busy timeout")


def test_migration_waits_for_the_lock_like_a_writer(desk_home: Path) -> None:
    """A database one migration behind needs the write lock to be brought up to date:
    busy past the timeout it is exit 6, and migrated once the lock is free."""
    from desk.core.store import Store

    old = Store(desk_home / "desk.sqlite3", upto=MIGRATIONS[-2].name)
    old.close()
    conn = sqlite3.connect(desk_home / "desk.sqlite3", isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        assert_fails(run("list", DESK_BUSY_TIMEOUT_MS="100"), 6, "is unavailable")
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert run("list").returncode == 0
    with sqlite3.connect(desk_home / "desk.sqlite3") as check:
        names = [row[0] for row in check.execute("SELECT name FROM schema_migrations")]
    assert names[-1] == MIGRATIONS[-1].name


def test_a_bad_busy_timeout_names_the_variable(home: Path) -> None:
    """$DESK_BUSY_TIMEOUT_MS that is not a number of milliseconds: exit 1, named."""
    assert_fails(run("list", DESK_BUSY_TIMEOUT_MS="soon"), 1, "$DESK_BUSY_TIMEOUT_MS", "'soon'")


# -- newer ----------------------------------------------------------------------------


def test_database_of_a_newer_desk_is_refused_untouched(database: Path) -> None:
    """A migration this desk does not know: refused with the versions, exit 6, before
    anything is written (the file's bytes are the same afterwards)."""
    with sqlite3.connect(database) as conn:
        conn.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES ('008_archive', '2030')"
        )
    conn.close()
    before = digest(database)
    for args in (("list",), ("show", SLUG), ("confirm", SLUG, "1", "--as", "rania")):
        assert_fails(run(*args), 6, "made by a newer desk", "'008_archive'",
                     f"knows up to '{MIGRATIONS[-1].name}'")  # fmt: skip
    assert digest(database) == before


def test_renamed_column_is_refused_not_a_traceback(database: Path) -> None:
    """A column renamed by a newer desk (or by hand): exit 6 naming it, no IndexError."""
    with sqlite3.connect(database) as conn:
        conn.execute("ALTER TABLE stories RENAME COLUMN headline_ar TO headline_source")
        conn.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES ('008_rename', '2030')"
        )
    conn.close()
    assert_fails(run("show", SLUG), 6, "newer desk", "'008_rename'")
    with sqlite3.connect(database) as conn:
        conn.execute("DELETE FROM schema_migrations WHERE name = '008_rename'")
    conn.close()
    before = digest(database)
    for args in (("show", SLUG), ("list",)):
        assert_fails(run(*args), 6, "lacks column stories.headline_ar", "knows up to")
    assert digest(database) == before


def test_another_programs_database_is_not_taken_over(desk_home: Path) -> None:
    """An SQLite file with tables but no desk migrations is refused, not migrated into."""
    desk_home.mkdir(parents=True)
    with sqlite3.connect(desk_home / "desk.sqlite3") as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    before = digest(desk_home / "desk.sqlite3")
    assert_fails(run("list"), 6, "not a desk database", "invoices")
    assert digest(desk_home / "desk.sqlite3") == before


# -- damaged --------------------------------------------------------------------------


def damage_page(database: Path, table: str) -> None:
    """Overwrite the start of `table`'s root page (its b-tree header) with 0xff bytes,
    as a failing disk or a stray write would."""
    with sqlite3.connect(database) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
    conn.close()
    with database.open("r+b") as handle:
        handle.seek((root[0] - 1) * size)
        handle.write(b"\xff" * 64)


DAMAGED_COMMANDS = [
    ("list",),
    ("show", SLUG),
    ("search", "militias"),
    ("log", SLUG),
    ("glossary", "audit"),
    ("confirm", SLUG, "1", "--as", "rania"),
    ("edit", SLUG, "1", "--text", "A new headline", "--as", "rania"),
]


@pytest.mark.parametrize("args", DAMAGED_COMMANDS, ids=" ".join)
def test_damaged_page_is_exit_6_and_nothing_written(database: Path, args: tuple[str, ...]) -> None:
    """Bytes flipped in the segments' page: every command that reads them says the
    database is damaged and what to do (exit 6, one line), and writes nothing."""
    damage_page(database, "segments")
    before = digest(database)
    assert_fails(run(*args), 6, f"the desk database {database} is damaged",
                 "`desk db check`", "backup")  # fmt: skip
    assert digest(database) == before
    assert not Path(f"{database}-wal").exists() or Path(f"{database}-wal").stat().st_size == 0


def test_file_that_is_not_a_database_is_damaged(database: Path) -> None:
    """A database whose header is overwritten: damaged (exit 6), not a traceback."""
    with database.open("r+b") as handle:
        handle.write(b"\x00" * 100)
    before = digest(database)
    assert_fails(run("list"), 6, "is damaged", "file is not a database")
    assert_fails(run("db", "check"), 6, "is damaged")
    assert digest(database) == before


def test_db_check_lists_the_damage(database: Path) -> None:
    """`desk db check`: exit 0 on a sound database; exit 6 listing problems on a damaged
    one, which it leaves as it was."""
    sound = run("db", "check")
    assert sound.returncode == 0, sound.stderr
    assert "sound" in sound.stdout and f"up to date ({MIGRATIONS[-1].name})" in sound.stdout
    damage_page(database, "revisions")
    before = digest(database)
    result = run("db", "check")
    assert_fails(result, 6, "is damaged", "problem(s) listed")
    problems = [line for line in result.stdout.splitlines() if not line.startswith("schema:")]
    assert problems and all(problems)
    assert digest(database) == before


def test_db_check_json_and_foreign_keys(database: Path) -> None:
    """`desk db check --json` reports a dangling foreign key as a problem."""
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE segments SET story_id = 999 WHERE n = 1")
    conn.close()
    result = run("db", "check", "--json")
    assert result.returncode == 6
    report = __import__("json").loads(result.stdout)
    assert report["ok"] is False
    assert report["problems"] == ["segments row 1 refers to a missing stories row"]


# -- backup ---------------------------------------------------------------------------


def stories_in(path: Path) -> list[str]:
    """The slugs a database file holds."""
    with sqlite3.connect(path) as conn:
        slugs = [row[0] for row in conn.execute("SELECT slug FROM stories ORDER BY slug")]
    conn.close()
    return slugs


def test_backup_is_a_whole_consistent_copy(write_lock: sqlite3.Connection, tmp_path: Path) -> None:
    """`desk db backup FILE` while another desk is mid-write: a self-contained SQLite
    file (no -wal beside it) holding the committed stories, which `desk db check` finds
    sound; the other desk's uncommitted change is not in it."""
    target = tmp_path / "backups" / "desk.sqlite3"
    target.parent.mkdir()
    result = run("db", "backup", str(target))
    assert result.returncode == 0, result.stderr
    assert stories_in(target) == [SLUG]
    assert sorted(p.name for p in target.parent.iterdir()) == ["desk.sqlite3"]
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert run("--home", str(target.parent), "db", "check").returncode == 0


def test_backup_never_overwrites_by_surprise(home: Path, tmp_path: Path) -> None:
    """An existing file is refused (exit 4) and kept, unless --force replaces it."""
    target = tmp_path / "desk-backup.sqlite3"
    target.write_text("yesterday's notes", encoding="utf-8")
    assert_fails(run("db", "backup", str(target)), 4, str(target), "--force")
    assert target.read_text(encoding="utf-8") == "yesterday's notes"
    assert run("db", "backup", str(target), "--force").returncode == 0
    assert stories_in(target) == [SLUG]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".desk-backup")] == []


def test_backup_refuses_links_folders_and_fifos(home: Path, tmp_path: Path) -> None:
    """A symbolic link, a folder, a FIFO, `-` or the database itself are refused with
    or without --force (exit 1), and left as they were."""
    real = tmp_path / "real.sqlite3"
    real.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.sqlite3"
    link.symlink_to(real)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, needle in ((link, "symbolic link"), (tmp_path, "a folder"),
                           (fifo, "FIFO"), (Path("-"), "not -"),
                           (home / "desk.sqlite3", "the desk database itself")):  # fmt: skip
        for force in ((), ("--force",)):
            assert_fails(run("db", "backup", str(target), *force), 1, needle)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "keep me"
    assert fifo.is_fifo()


def test_backup_of_a_missing_database_is_not_found(desk_home: Path, tmp_path: Path) -> None:
    """No database yet: exit 3, and no database is created by asking."""
    assert_fails(run("db", "backup", str(tmp_path / "b.sqlite3")), 3, "no desk database")
    assert_fails(run("db", "check"), 3, "no desk database")
    assert not (desk_home / "desk.sqlite3").exists()
