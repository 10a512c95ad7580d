"""Saves the store refuses, in a real terminal: another process write-locks the database,
or the disk is full. The typed English stays in the box, the reason shows (never a
traceback), the UI keeps answering, and the retry saves it once the obstacle is gone."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.locations import database_path
from tests.helpers.terminal import (
    SLUG,
    Terminal,
    desk_argv,
    flat,
    import_sample,
    in_the_box,
    segments,
    stored_english,
    terminal_world,
    wait_for,
)

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed (.ci/run installs it; `apt-get install tmux` here)",
)

LOCKER = """\
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
"""
"""Another writer: holds the database's write lock until a line (or EOF) on its stdin."""

ON_TMPFS = 'mount -t tmpfs -o size=2m tmpfs "$1" && cp -a "$2/." "$1/" && shift 2 && exec "$@"'
"""In a mount namespace of its own: a 2 MiB tmpfs on $1, the desk home $2 copied onto
it, then the command that follows."""

FIRST_ENGLISH = "Concern of sectarian violations"
"""How segment 1's English starts (the box shows segment 1 while it starts so)."""


@pytest.fixture
def world(tmp_path: Path, desk_home: Path) -> Iterator[tuple[dict[str, str], Terminal]]:
    """The environment desk runs in and a tmux server of the test's own."""
    with terminal_world(tmp_path, desk_home) as made:
        yield made


def open_editor(term: Terminal, session: str, *argv: str) -> None:
    """Start `argv` in `session` and wait for desk's editor on the sample story."""
    term.start(session, *argv)
    wait_for("the editor", lambda: term.shows(session, SLUG, "you: rania"), term.seen)


def type_and_move_on(term: Terminal, session: str, marker: str) -> str:
    """Type `marker` into segment 1 and press Ctrl+Down; wait for the refusal's notice
    and return the screen (printing how long the notice took)."""
    term.keys(session, f"{marker} ", literal=True)
    wait_for("the typing on screen", lambda: term.shows(session, marker), term.seen)
    pressed = time.monotonic()
    term.keys(session, "C-Down")
    screen = str(wait_for(
        "the refusal's notice",
        lambda: term.shows(session, "Cannot save", "database is unavailable"),
        term.seen,
    ))  # fmt: skip
    took = time.monotonic() - pressed
    print(f"{session}: the notice showed {took:.2f} s after Ctrl+Down")
    assert took < 5.0, f"the UI waited {took:.1f} s before it said why"
    return screen


def kept_in_the_box(term: Terminal, session: str, screen: str, marker: str) -> None:
    """Segment 1 is still the one in the box, with `marker` typed; desk runs; the screen
    shows no traceback."""
    assert in_the_box(screen, marker) and in_the_box(screen, FIRST_ENGLISH), screen
    assert "Traceback" not in term.capture(session) and not term.dead(session), term.seen()


def test_a_write_locked_database_keeps_the_text_and_saves_it_once_free(
    world: tuple[dict[str, str], Terminal], desk_home: Path
) -> None:
    """Another process holds the write lock: Ctrl+Down after typing says why within a
    second or two (the UI does not wait out the 10 s a command would), the text stays
    in the box, typing goes on, and once the lock is let go the retry saves it."""
    env, term = world
    import_sample(env)
    open_editor(term, "locked", *desk_argv("open", SLUG))
    database = database_path(desk_home)
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(database)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        screen = type_and_move_on(term, "locked", "LOCKTEST")
        assert "database is unavailable: database is locked" in flat(screen), screen
        kept_in_the_box(term, "locked", screen, "LOCKTEST")
        # While refused, the UI still answers: typing shows at once.
        term.keys("locked", "MORE ", literal=True)
        wait_for("typing while refused", lambda: term.shows("locked", "MORE"), term.seen)
        assert stored_english(database, 1).startswith(FIRST_ENGLISH)
        assert locker.stdin is not None
        locker.stdin.close()  # the other writer lets go
        assert locker.wait(timeout=20) == 0
    finally:
        locker.kill()
        locker.wait()
    wait_for(
        "the retry to save the text",
        lambda: stored_english(database, 1).startswith("LOCKTEST MORE"),
        term.seen,
    )
    kept_in_the_box(term, "locked", term.capture("locked"), "LOCKTEST MORE")


def tmpfs_refused(where: Path) -> str | None:
    """Why a tmpfs cannot be mounted in a user and mount namespace here (None: it can)."""
    if shutil.which("unshare") is None or shutil.which("nsenter") is None:
        return "unshare/nsenter (util-linux) are not installed"
    where.mkdir()
    done = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", 'mount -t tmpfs -o size=1m tmpfs "$1"', "sh",
         str(where)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    where.rmdir()
    return None if done.returncode == 0 else f"no tmpfs in a namespace: {done.stderr.strip()}"


def fill(folder: Path) -> Path:
    """Write a file into `folder` until its file system is full; the file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        while True:
            os.write(fd, bytes(4096))
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_keeps_the_text_and_saves_it_once_there_is_room(
    world: tuple[dict[str, str], Terminal], desk_home: Path, tmp_path: Path
) -> None:
    """The desk home on a small tmpfs (its own mount namespace), filled after desk
    opens: Ctrl+Down after typing says the disk is full, the text stays in the box
    (the recovery file cannot be written either), no traceback; once room is made the
    retry saves it, as another desk in the same namespace reads."""
    disk = tmp_path / "disk"
    refused = tmpfs_refused(disk)
    if refused is not None:
        pytest.skip(refused)
    disk.mkdir()
    env, term = world
    import_sample(env)
    # DESK_HOME moves onto the tmpfs: the copy the namespace's tmpfs holds.
    open_editor(
        term, "full",
        "unshare", "-Urm", "sh", "-c", f'export DESK_HOME="$1"; {ON_TMPFS}', "sh",
        str(disk), str(desk_home), *desk_argv("open", SLUG),
    )  # fmt: skip
    pid = term.pane_pid("full")
    inside = Path(f"/proc/{pid}/root") / disk.relative_to("/")  # desk's view of the tmpfs
    assert (inside / database_path(Path()).name).exists()
    filler = fill(inside)
    assert os.statvfs(inside).f_bavail == 0

    screen = type_and_move_on(term, "full", "FULLTEST")
    said = flat(screen)
    assert "database or disk is full" in said, screen
    assert "the disk refused to keep it too" in said, screen
    kept_in_the_box(term, "full", screen, "FULLTEST")

    filler.unlink()  # room again: the retry (every few seconds) saves it
    there = ["nsenter", f"--target={pid}", "--user", "--mount", "--preserve-credentials"]
    on_disk = dict(env, DESK_HOME=str(disk))
    wait_for(
        "the retry to save the text",
        lambda: segments(on_disk, within=there)[1]["text"].startswith("FULLTEST"),
        term.seen,
    )
    kept_in_the_box(term, "full", term.capture("full"), "FULLTEST")
