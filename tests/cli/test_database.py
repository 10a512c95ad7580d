"""A database that is busy, damaged, read-only or newer, through real `desk` processes:
readers need no write lock, every fault is one line and exit 6, nothing is written to a
damaged database; `desk db check` and `desk db backup`."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desk.app.home import Home
from desk.core.store.migrations import MIGRATIONS
from tests.helpers.cli import DeskCli
from tests.helpers.paths import ROOT
from tests.helpers.stories import import_sample, write_small

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


def test_audit_of_a_current_index_needs_no_write_lock(database: Path) -> None:
    """`desk glossary audit` writes only to bring its index up to date: with the index
    current it reads while another desk holds the write lock."""
    assert run("glossary", "audit").returncode == 0
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = run("glossary", "audit", DESK_BUSY_TIMEOUT_MS="100")
        assert result.returncode == 0, result.stderr
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_writer_past_busy_timeout_is_exit_6(write_lock: sqlite3.Connection) -> None:
    """A change that cannot get the write lock within the busy timeout: exit 6, the
    README's "database is unavailable", the database named."""
    result = run("confirm", SLUG, "1", "--as", "rania", DESK_BUSY_TIMEOUT_MS="100")
    assert_fails(result, 6, "is unavailable", "desk.sqlite3", "busy timeout")


def forced_exports(slug: str = SLUG) -> int:
    """How many "export forced past the QA gate" entries the story's log holds."""
    log = json.loads(run("log", slug, "--json").stdout)
    return sum("export forced past the QA gate" in entry["note"] for entry in log)


def test_forced_export_on_a_busy_database_writes_nothing(database: Path, tmp_path: Path) -> None:
    """Another process holds the write lock past the busy timeout: a forced export, which
    must be logged, is exit 6 and writes no file (the lock is taken before the file is
    written); once the lock is free it writes the file and logs the override."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], "
         "isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); "
         "sys.stdin.read()", str(database)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    out = tmp_path / "site"
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        failed = run("export", SLUG, "--force", "--out", str(out), "--as", "omar",
                     DESK_BUSY_TIMEOUT_MS="300")  # fmt: skip
        assert_fails(failed, 6, "busy timeout")
    finally:
        holder.communicate("", timeout=30)
    assert not out.exists() or list(out.iterdir()) == []
    assert forced_exports() == 0
    written = run("export", SLUG, "--force", "--out", str(out), "--as", "omar")
    assert written.returncode == 0, written.stderr
    assert [p.name for p in out.iterdir()] == [f"{SLUG}.md"] and forced_exports() == 1


class _CommitFails:
    """A connection whose COMMIT fails (as on a disk that fills at that moment)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        """Wrap `conn`."""
        self.conn = conn

    def __getattr__(self, name: str) -> object:
        """Everything else is the connection's."""
        return getattr(self.conn, name)

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        """Run `sql`, failing a COMMIT."""
        if sql == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self.conn.execute(sql, *args)


def test_forced_export_whose_log_is_not_committed_leaves_no_file(
    home: Path, tmp_path: Path
) -> None:
    """The file is written under the write lock, after the override's log row and before
    it commits; when that commit fails, the file is removed again: no export without its
    log."""
    env = Home(home)
    out = tmp_path / "site"
    store = env.desk.store
    conn = store.conn
    store.conn = _CommitFails(conn)  # type: ignore[assignment]
    try:
        with pytest.raises(sqlite3.OperationalError, match="disk is full"):
            env.export(SLUG, author="omar", out=out, force=True)
    finally:
        store.conn = conn
        store.close()
    assert list(out.iterdir()) == []
    assert forced_exports() == 0


def test_forced_export_whose_log_fails_keeps_the_earlier_export(
    home: Path, database: Path, tmp_path: Path
) -> None:
    """The override's log row is written before the file: when the log cannot be written
    (here a trigger refuses it), the earlier export stays as it was, through a symbolic
    link too, and nothing new is written."""
    out = tmp_path / "site"
    out.mkdir()
    outside = tmp_path / "outside.md"
    outside.write_text("PREVIOUS GOOD EXPORT\n", encoding="utf-8")
    (out / f"{SLUG}.md").symlink_to(outside)
    conn = sqlite3.connect(database)
    conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON revisions "
                 "BEGIN SELECT RAISE(ABORT, 'refused'); END")  # fmt: skip
    conn.commit()
    conn.close()
    failed = run("export", SLUG, "--force", "--out", str(out), "--as", "omar")
    assert failed.returncode != 0 and "Traceback" not in failed.stderr, failed.stderr
    assert outside.read_text(encoding="utf-8") == "PREVIOUS GOOD EXPORT\n"
    assert (out / f"{SLUG}.md").is_symlink() and sorted(p.name for p in out.iterdir()) == [
        f"{SLUG}.md"
    ]
    assert forced_exports() == 0


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
    checked = run("db", "check")  # checking and copying it still work
    assert checked.returncode == 0 and "made by a newer desk" in checked.stdout
    assert run("db", "backup", str(database.parent / "copy.sqlite3")).returncode == 0
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


def tamper(database: Path, sql: str) -> None:
    """Change rows behind desk's back, as another program (or a stray write) could."""
    with sqlite3.connect(database) as conn:
        conn.execute(sql)
    conn.close()


def test_keywords_of_the_wrong_shape_are_damage_and_stop_the_edit(database: Path) -> None:
    """Keywords that are JSON but not a list of text: `show` and `edit` are exit 6
    "damaged" naming the column, not a TypeError traceback, and the edit writes nothing."""
    tamper(database, "UPDATE stories SET keywords = '[1,2]'")
    before = digest(database)
    assert_fails(run("show", SLUG), 6, "is damaged", "keywords holds '[1,2]'")
    assert_fails(run("edit", SLUG, "2", "--text", "Changed.", "--as", "rania"), 6, "is damaged")
    assert digest(database) == before
    tamper(database, "UPDATE stories SET keywords = '[]'")
    assert "Changed." not in run("show", SLUG, "--json").stdout


def test_unparseable_time_is_damage_not_a_traceback(database: Path, tmp_path: Path) -> None:
    """A `created_at` no desk writes: export is exit 6 "damaged", and writes no file."""
    tamper(database, "UPDATE stories SET created_at = 'garbage'")
    out = tmp_path / "site"
    assert_fails(run("export", SLUG, "--force", "--out", str(out), "--as", "omar"), 6,
                 "is damaged", "created_at holds 'garbage'")  # fmt: skip
    assert not out.exists()


def test_tampered_slug_never_leads_an_export_out_of_its_folder(
    database: Path, tmp_path: Path
) -> None:
    """A slug rewritten to climb folders: damage (exit 6) for every command that reads
    it, and nothing is written anywhere under the test's folder."""
    escape = f"../../../{tmp_path.name}/pwn"
    tamper(database, f"UPDATE stories SET slug = '{escape}'")
    out = tmp_path / "o" / "a" / "b"
    for args in (("export", escape, "--out", str(out), "--force", "--as", "omar"), ("list",)):
        assert_fails(run(*args), 6, "is damaged", f"slug '{escape}' is not one desk makes")
    assert [p for p in tmp_path.rglob("*") if "pwn" in p.name or p.suffix == ".md"] == []


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
    report = json.loads(result.stdout)
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


def test_backup_refuses_the_databases_own_files(database: Path, tmp_path: Path) -> None:
    """The database's -wal, -shm and -journal, by their names, through a linked folder or
    a hard link, and the database by another spelling of its path: refused with or
    without --force (exit 1, naming the file), while another desk has it open; an edit
    made meanwhile survives and the database stays sound."""
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("SELECT COUNT(*) FROM stories").fetchone()  # -wal and -shm exist now
    try:
        wal = Path(f"{database}-wal")
        linked = tmp_path / "linked-home"
        linked.symlink_to(database.parent)
        hard = tmp_path / "hard-link"
        os.link(wal, hard)
        cases = [(wal, "-wal file"), (Path(f"{database}-shm"), "-shm file"),
                 (Path(f"{database}-journal"), "-journal file"), (linked / wal.name, "-wal file"),
                 (hard, "-wal file"), (database.parent / ".." / database.parent.name /
                                       database.name, "the desk database itself")]  # fmt: skip
        for target, needle in cases:
            for force in ((), ("--force",)):
                assert_fails(run("db", "backup", str(target), *force), 1, needle, str(target))
        edited = run("edit", SLUG, "2", "--text", "Kept after the backups.", "--as", "rania")
        assert edited.returncode == 0, edited.stderr
        assert not Path(f"{database}-journal").exists()
    finally:
        other.close()
    assert "Kept after the backups." in run("show", SLUG, "--json").stdout
    assert run("db", "check").returncode == 0


def test_backup_refuses_the_own_files_of_a_linked_database(database: Path, tmp_path: Path) -> None:
    """Where desk.sqlite3 is a symbolic link, SQLite keeps its -wal and -shm beside the
    file it points to; a backup over them is refused too (it replaced the live -wal and
    lost an acknowledged edit)."""
    real = tmp_path / "real" / "db.sqlite"
    real.parent.mkdir()
    database.rename(real)
    database.symlink_to(real)
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("SELECT COUNT(*) FROM stories").fetchone()
    try:
        edited = run("edit", SLUG, "2", "--text", "Kept through the link.", "--as", "rania")
        assert edited.returncode == 0, edited.stderr
        assert Path(f"{real}-wal").exists()
        for suffix in ("-wal", "-shm", "-journal"):
            target = Path(f"{real}{suffix}")
            assert_fails(run("db", "backup", str(target), "--force"), 1, f"{suffix} file")
    finally:
        other.close()
    assert "Kept through the link." in run("show", SLUG, "--json").stdout


def test_backup_onto_a_full_disk_says_so(database: Path, tmp_path: Path) -> None:
    """A backup onto a full (small tmpfs) disk: exit 1 naming the backup file and saying
    the disk is full, not "database unavailable"; nothing left there, the database sound."""
    full = tmp_path / "full"
    full.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(full)],
                             capture_output=True, text=True, timeout=30)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        target = full / "backup.sqlite3"
        assert_fails(run("db", "backup", str(target)), 1, str(target), "the disk is full")
        assert list(full.iterdir()) == []
    finally:
        subprocess.run(["umount", str(full)], capture_output=True, timeout=30)
    assert run("db", "check").returncode == 0


# -- read-only ------------------------------------------------------------------------


@pytest.fixture
def read_only_view(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    """Makes a read-only bind mount of a folder and returns where (unmounted after the
    test); skips the test, saying why, where this machine cannot mount. A real
    read-only mount, because as root a file's mode bits do not stop a write."""
    views: list[Path] = []

    def mount(folder: Path) -> Path:
        view = tmp_path / f"read-only-{len(views)}"
        view.mkdir()
        if shutil.which("mount") is None:
            pytest.skip("no mount command to make a read-only bind mount")
        steps = (["mount", "--bind", str(folder), str(view)],
                 ["mount", "-o", "remount,bind,ro", str(view)])  # fmt: skip
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, timeout=30)
            if done.returncode != 0:
                if step is steps[1]:
                    subprocess.run(["umount", str(view)], capture_output=True, timeout=30)
                pytest.skip(f"cannot make a read-only bind mount ({' '.join(step[:3])}: "
                            f"{done.stderr.strip() or done.returncode})")  # fmt: skip
        views.append(view)
        return view

    yield mount
    for view in reversed(views):
        if subprocess.run(["umount", str(view)], capture_output=True, timeout=30).returncode:
            subprocess.run(["umount", "-l", str(view)], capture_output=True, timeout=30)


@pytest.fixture
def approved(desk_home: Path, tmp_path: Path) -> Path:
    """A desk home (every desk process ended) holding douma-raids, approved."""
    source, draft = write_small(tmp_path)
    for args in (("import", str(source), "--draft", str(draft), "--no-mt"),
                 ("confirm", "douma-raids", "--all"), ("status", "douma-raids", "review"),
                 ("status", "douma-raids", "approved")):  # fmt: skip
        done = run(*args, "--as", "omar")
        assert done.returncode == 0, done.stderr
    assert run("glossary", "audit").returncode == 0  # its index brought up to date
    return desk_home


@pytest.mark.parametrize("held_open", [False, True], ids=["closed", "held-open"])
def test_read_only_mount_serves_every_reader(
    approved: Path, read_only_view: Callable[[Path], Path], tmp_path: Path, held_open: bool
) -> None:
    """On a read-only mount every reading command works, whether the last desk closed
    the database cleanly (no -shm: read immutable) or another desk still has it open
    beside the mount (-wal and -shm there); `desk db check` and `desk db backup` too.
    Each change is exit 6 naming the read-only mount, and nothing is written."""
    database = approved / "desk.sqlite3"
    holder = sqlite3.connect(database) if held_open else None
    if holder is not None:
        holder.execute("SELECT COUNT(*) FROM stories").fetchone()
    try:
        view = read_only_view(approved)
        before = digest(database)
        slug = "douma-raids"
        site = tmp_path / "site"
        for args in (("list",), ("show", slug), ("search", "Duma"), ("log", slug),
                     ("diff", slug), ("stats", slug), ("export", slug, "--stdout"),
                     ("export", slug, "--out", str(site)), ("glossary", "audit"), ("db", "check"),
                     ("db", "backup", str(tmp_path / "copy.sqlite3"))):  # fmt: skip
            done = run("--home", str(view), *args)
            assert done.returncode == 0, (args, done.stderr)
            assert "Traceback" not in done.stderr
        assert "Duma" in run("--home", str(view), "show", slug).stdout
        assert (site / f"{slug}.md").is_file()
        assert stories_in(tmp_path / "copy.sqlite3") == [slug]
        second = tmp_path / "second"
        second.mkdir()
        source, _ = write_small(second)
        for args in (("status", slug, "review"), ("import",
                     str(source), "--no-mt", "--slug", "second-story"),
                     ("export", slug, "--force", "--out", str(tmp_path / "forced"))):  # fmt: skip
            assert_fails(run("--home", str(view), *args, "--as", "omar"), 6,
                         "is read-only", "read-only mount")  # fmt: skip
        assert not (tmp_path / "forced").exists()
        assert digest(database) == before
    finally:
        if holder is not None:
            holder.close()


def test_read_only_mount_with_unfolded_changes_is_refused(
    approved: Path, read_only_view: Callable[[Path], Path], tmp_path: Path
) -> None:
    """A -wal file holding changes but no -shm on a read-only mount: reading the file
    alone would miss them, so desk refuses (exit 6) and says how to fold them in."""
    frozen = tmp_path / "frozen"
    frozen.mkdir()
    writer = sqlite3.connect(approved / "desk.sqlite3", isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE stories SET byline = 'changed in the WAL'")
    shutil.copy(approved / "desk.sqlite3", frozen / "desk.sqlite3")
    shutil.copy(approved / "desk.sqlite3-wal", frozen / "desk.sqlite3-wal")
    writer.close()
    view = read_only_view(frozen)
    assert_fails(run("--home", str(view), "list"), 6, "desk.sqlite3-wal", "holds changes",
                 "mount it writable")  # fmt: skip


def test_forced_export_that_cannot_be_written_logs_nothing(
    desk_home: Path, read_only_view: Callable[[Path], Path], tmp_path: Path
) -> None:
    """A forced export into a folder on a read-only mount fails (one line, no
    traceback) and leaves no "export forced past the QA gate" in the log; the same
    export into a writable folder does log it."""
    source, draft = write_small(tmp_path)
    imported = run("import", str(source), "--draft", str(draft), "--no-mt", "--as", "omar")
    assert imported.returncode == 0, imported.stderr
    site = tmp_path / "site"
    site.mkdir()
    view = read_only_view(site)

    def overrides() -> int:
        log = json.loads(run("log", "douma-raids", "--json").stdout)
        return sum("export forced past the QA gate" in entry["note"] for entry in log)

    failed = run("export", "douma-raids", "--force", "--out", str(view), "--as", "omar")
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
    assert overrides() == 0 and list(site.iterdir()) == []
    written = run("export", "douma-raids", "--force", "--out", str(site), "--as", "omar")
    assert written.returncode == 0, written.stderr
    assert overrides() == 1


def test_full_disk_is_exit_6_and_the_story_unchanged(desk_home: Path, tmp_path: Path) -> None:
    """A desk home on a full (small tmpfs) disk: a change is exit 6 saying the disk is
    full, and the story reads as before once there is room again."""
    desk_home.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(desk_home)],
                             capture_output=True, text=True, timeout=30)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        source, draft = write_small(tmp_path)
        imported = run("import", str(source), "--draft", str(draft), "--no-mt", "--as", "omar")
        assert imported.returncode == 0, imported.stderr
        before = run("show", "douma-raids", "--json").stdout
        filler = desk_home / "filler"
        with filler.open("wb") as handle, pytest.raises(OSError):
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        failed = run("edit", "douma-raids", "2", "--text", "A sentence " * 200, "--as", "omar")
        assert_fails(failed, 6, "desk.sqlite3", "the disk is full")
        filler.unlink()
        assert run("show", "douma-raids", "--json").stdout == before
    finally:
        subprocess.run(["umount", str(desk_home)], capture_output=True, timeout=30)


def test_flipped_bytes_never_escape_as_a_traceback(home: Path, desk: DeskCli) -> None:
    """Bytes flipped at random places of the file (a seeded fuzz, 60 damaged copies):
    each reading command either works or says the database is damaged (exit 6, or 3
    when the damage hid the story); no exception escapes, whatever cell or page it hit
    (a schema whose text is not UTF-8, a text cell read back as bytes)."""
    database = home / "desk.sqlite3"
    pristine = database.read_bytes()
    for seed in range(60):
        data = bytearray(pristine)
        rng = random.Random(seed)
        for _ in range(24):
            data[rng.randrange(100, len(data))] ^= 1 << rng.randrange(8)
        database.write_bytes(bytes(data))
        for args in (("list", "--json"), ("show", SLUG), ("log", SLUG), ("search", "militias"),
                     ("stats", SLUG), ("glossary", "audit")):  # fmt: skip
            result = desk(*args, ok=False)
            assert result.exit_code in (0, 3, 6), (seed, args, result.exit_code, result.stderr)
            if result.exit_code == 6:  # a damaged name in the schema reads as a missing one
                said = result.stderr
                assert "is damaged" in said or "desk db check" in said, (seed, said)


@pytest.fixture
def without_root_override(tmp_path: Path) -> tuple[str, ...]:
    """A command prefix that runs a process as this root user but without the power to
    override file modes (CAP_DAC_OVERRIDE), so a read-only file stays read-only; skips
    the test, saying why, where that cannot be done."""
    prefix = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search")
    probe = tmp_path / "probe"
    probe.write_text("x", encoding="utf-8")
    probe.chmod(0o444)
    if shutil.which("setpriv") is None:
        pytest.skip("no setpriv to drop the override of file modes")
    tried = subprocess.run([*prefix, "sh", "-c", f"echo y >> {probe}"], capture_output=True,
                           timeout=30)  # fmt: skip
    if tried.returncode == 0 or probe.read_text(encoding="utf-8") != "x":
        pytest.skip("cannot run a process here that a file's read-only mode stops")
    return prefix


def run_with(prefix: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `desk ARGS` as its own process under `prefix`."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "desk", *args], cwd=ROOT, env=dict(os.environ),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_read_only_file_serves_readers(
    approved: Path, without_root_override: tuple[str, ...]
) -> None:
    """A database file whose mode is read-only, in a folder desk may write: opened with
    SQLite's mode=ro, every reading command works; a change is exit 6 naming why."""
    database = approved / "desk.sqlite3"
    database.chmod(0o444)
    before = digest(database)
    for args in (("list",), ("show", "douma-raids"), ("search", "Duma"), ("db", "check")):
        done = run_with(without_root_override, *args)
        assert done.returncode == 0, (args, done.stderr)
    assert_fails(run_with(without_root_override, "status", "douma-raids", "review", "--as",
                          "omar"), 6, "is read-only", "the file is read-only")  # fmt: skip
    assert digest(database) == before


def test_read_only_folder_without_shm_is_a_clear_refusal(
    approved: Path, without_root_override: tuple[str, ...]
) -> None:
    """A read-only file in a read-only folder that is not a read-only mount, with no
    -shm beside it: SQLite cannot read it safely (immutable would not be safe: its owner
    may write), so desk says what to do, exit 6; with a writer's -shm there, it reads."""
    (approved / "desk.sqlite3").chmod(0o444)
    approved.chmod(0o555)
    try:
        assert_fails(run_with(without_root_override, "list"), 6,
                     "the file and its folder are read-only", "make the folder writable")  # fmt: skip
        # While a writer has it open, its -shm is there to read through: readers work.
        holder = sqlite3.connect(approved / "desk.sqlite3")
        holder.execute("SELECT COUNT(*) FROM stories").fetchone()
        try:
            done = run_with(without_root_override, "show", "douma-raids")
            assert done.returncode == 0, done.stderr
        finally:
            holder.close()
    finally:
        approved.chmod(0o755)


def test_older_database_on_a_read_only_mount_says_it_needs_migrating(
    desk_home: Path, read_only_view: Callable[[Path], Path]
) -> None:
    """A database one migration behind on a read-only mount cannot be brought up to
    date there: exit 6 naming the migration, instead of a write that fails."""
    from desk.core.store import Store

    Store(desk_home / "desk.sqlite3", upto=MIGRATIONS[-2].name).close()
    view = read_only_view(desk_home)
    assert_fails(run("--home", str(view), "list"), 6, "made by an older desk",
                 f"'{MIGRATIONS[-1].name}'", "read-only mount")  # fmt: skip
