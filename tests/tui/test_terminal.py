"""The workbench in a real terminal: tmux runs `desk open`, keys go in, SIGKILL mid-edit.

tmux (installed by `.ci/run` when missing) gives desk a real pseudo-terminal of a fixed
size; `capture-pane` reads the screen back as text. desk runs as its own process, so the
store is read through `desk show --json` / `desk log --json` in further processes, as
another desk on the same machine would read it.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from desk.locations import database_path
from tests.helpers.terminal import (
    SLUG,
    Terminal,
    confirmed,
    desk_argv,
    desk_json,
    gone,
    import_sample,
    proc_status,
    segments,
    terminal_world,
    wait_for,
)

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed (.ci/run installs it; `apt-get install tmux` here)",
)


def arabic_on_screen(word: str) -> tuple[str, ...]:
    """How `word` may appear on screen: as stored (the terminal does bidi), or shaped and
    reordered by desk (`arabic_display = shaped`, for terminals that do none)."""
    forms = [word]
    try:
        from arabic_reshaper import reshape
        from bidi import get_display
    except ImportError:  # desk cannot shape without them either
        return tuple(forms)
    forms.append(str(get_display(reshape(word))))
    return tuple(forms)


@pytest.fixture
def world(tmp_path: Path, desk_home: Path) -> Iterator[tuple[dict[str, str], Terminal]]:
    """The environment desk runs in and a tmux server of the test's own."""
    with terminal_world(tmp_path, desk_home) as made:
        yield made


def test_confirmed_segments_survive_sigkill_mid_edit(
    world: tuple[dict[str, str], Terminal], desk_home: Path
) -> None:
    """Confirm and edit in a real terminal, SIGKILL desk mid-edit, reopen: all is there."""
    env, term = world
    import_sample(env)
    before = segments(env)

    # The editor on segment 1: the Arabic, the pasted draft, the header.
    term.start("first", *desk_argv("open", SLUG))
    screen = wait_for(
        "the editor's first screen",
        lambda: term.shows("first", SLUG, "confirmed 0/35", "you: rania",
                           arabic_on_screen("انتهاكات"), "Concern of sectarian violations",
                           "Draft (import"),
        term.seen,
    )  # fmt: skip
    assert "Latakia" in screen  # the draft's spelling, before anyone fixes it

    def on_screen(what: str, *texts: str) -> str:
        """Wait until the first session's screen shows `texts`."""
        return str(wait_for(what, lambda: term.shows("first", *texts), term.seen))

    # Confirm segments 1-3 (Ctrl+S, F2: both are "confirm and go to the next").
    term.keys("first", "C-s")
    on_screen("segment 1 confirmed", "confirmed 1/35")
    term.keys("first", "F2")
    on_screen("segment 2 confirmed", "confirmed 2/35")
    term.keys("first", "C-s")
    on_screen("segment 3 confirmed", "confirmed 3/35")
    assert wait_for("the store to hold 3 confirms", lambda: len(confirmed(env)) == 3)

    # Now on segment 4, the English box has the focus: typing goes into it.
    typed = "Rania checked this. "
    term.keys("first", typed, literal=True)
    on_screen("the typed English on screen", typed.strip())
    # Saved two seconds after the last key, without leaving the segment.
    assert wait_for(
        "the autosave of segment 4",
        lambda: segments(env)[4]["text"].startswith(typed),
    )
    term.keys("first", "F2")
    on_screen("segment 4 confirmed", "confirmed 4/35")
    kept = wait_for("the store to hold 4 confirms", lambda: (c := confirmed(env)) and
                    len(c) == 4 and c)  # fmt: skip
    assert sorted(kept) == [1, 2, 3, 4]
    assert kept[4] == typed + before[4]["text"]
    assert all(kept[n] == before[n]["text"] for n in (1, 2, 3))

    # Mid-edit on segment 5: typed, on screen, not yet saved. Then SIGKILL.
    unsaved = "Never saved words "
    term.keys("first", unsaved, literal=True)
    on_screen("the unsaved typing on screen", unsaved.strip())
    pid = term.pane_pid("first")
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert b"desk" in cmdline and b"open" in cmdline, cmdline  # the pane runs desk itself
    os.kill(pid, signal.SIGKILL)
    wait_for(
        "tmux to see desk die",
        lambda: term.dead("first"),
        lambda: proc_status(pid),
    )

    # Every confirmed segment is still confirmed, with its text; nothing else moved.
    after = segments(env)
    assert confirmed(env) == kept
    for n in range(6, 36):
        assert after[n]["status"] == "draft" and after[n]["text"] == before[n]["text"]
    assert after[5]["status"] == "draft"
    assert after[5]["text"] in (before[5]["text"], unsaved + before[5]["text"])

    # The database is sound and the log is in order: ids rising, times not going back.
    with closing(sqlite3.connect(database_path(desk_home))) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    log = desk_json(env, "log", SLUG)
    ids = [r["id"] for r in log]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    times = [r["at"] for r in log]
    assert times == sorted(times)
    confirms = [(r["segment"], r["author"]) for r in log
                if r["kind"] == "status" and r["after"] == "confirmed"]  # fmt: skip
    assert confirms == [(1, "rania"), (2, "rania"), (3, "rania"), (4, "rania")]
    edits = [(r["segment"], r["author"]) for r in log if r["kind"] == "edit"]
    assert edits[0] == (4, "rania") and set(edits[1:]) <= {(5, "rania")}

    # Reopened in a second session: the work is on screen.
    term.start("second", *desk_argv("open", SLUG))
    screen = wait_for(
        "the reopened editor",
        lambda: term.shows("second", SLUG, "translating", "confirmed 4/35",
                           "Rania checked this."),
        term.seen,
    )  # fmt: skip
    assert screen.count("confirmed") >= 5  # the header and four rows


@pytest.mark.parametrize("how", ["ctrl-q", "hang-up", "sigterm"])
def test_typing_survives_quitting_and_closing_the_terminal(
    world: tuple[dict[str, str], Terminal], desk_home: Path, how: str
) -> None:
    """Type, then 0.1 s later press Ctrl+Q, kill the tmux session (the terminal closes:
    SIGHUP) or send SIGTERM (`kill`): the typed English is in the store (or kept for the
    next open)."""
    env, term = world
    import_sample(env)
    term.start("typing", *desk_argv("open", SLUG))
    wait_for("the editor", lambda: term.shows("typing", SLUG, "you: rania"), term.seen)
    pid = term.pane_pid("typing")
    marker = {"ctrl-q": "QUITTEST ", "hang-up": "HUPTEST ", "sigterm": "TERMTEST "}[how]
    term.keys("typing", marker, literal=True)
    # Typed: on screen (the app has read the keys), not yet saved (autosave waits 2 s).
    wait_for("the typing on screen", lambda: term.shows("typing", marker.strip()), term.seen)
    time.sleep(0.1)
    if how == "ctrl-q":
        term.keys("typing", "C-q")
    elif how == "sigterm":
        os.kill(pid, signal.SIGTERM)
    else:
        term.tmux("kill-session", "-t", "typing")
    wait_for("desk to exit", lambda: gone(pid), lambda: proc_status(pid))
    text = segments(env)[1]["text"]
    kept = desk_home / "recovery" / f"{SLUG}.json"
    saved = text.startswith(marker)
    assert saved or (kept.exists() and marker in kept.read_text("utf-8")), text


def threads(pid: int) -> int:
    """How many threads process `pid` runs, once the number has held for a second (the
    glossary scan's and the spell checker's workers come and go after the first frame)."""

    def count() -> int:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
        return int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("Threads:")))

    last = count()
    for _ in range(40):
        time.sleep(1.0)
        now, last = last, count()
        if now == last:
            break
    return last


def test_a_stray_sigcont_and_a_closed_terminal_leave_no_desk_running(
    world: tuple[dict[str, str], Terminal],
) -> None:
    """A closed terminal sends SIGCONT with SIGHUP. SIGCONT without a suspend (Ctrl+Z)
    before it starts nothing (Textual's driver would start a second output and input
    thread, and on a terminal that is gone the dead output thread's queue blocks desk
    for good); desk stays usable; killing the whole tmux server (every terminal gone at
    once) saves the typing and the process ends, three times running."""
    env, term = world
    import_sample(env)
    for run in range(3):
        session = f"stray-{run}"
        term.start(session, *desk_argv("open", SLUG))
        wait_for("the editor", lambda s=session: term.shows(s, SLUG, "you: rania"), term.seen)
        pid = term.pane_pid(session)
        before = threads(pid)
        os.kill(pid, signal.SIGCONT)
        assert threads(pid) <= before, "SIGCONT started the threads of a second session"
        marker = f"CONT{run} "
        term.keys(session, marker, literal=True)
        wait_for("typing after SIGCONT", lambda s=session, m=marker: term.shows(s, m), term.seen)
        term.kill_server()
        wait_for("desk to end", lambda p=pid: gone(p), lambda p=pid: proc_status(p), deadline=15)
        assert segments(env)[1]["text"].startswith(marker)


def test_shift_f3_applies_finding_3(world: tuple[dict[str, str], Terminal]) -> None:
    """xterm and tmux send Shift+F3 as ESC [1;2R, which Textual reads as a cursor
    position report: desk takes it as the key, so finding 3 is applied like the others
    (here the third of three misspellings of one name)."""
    env, term = world
    import_sample(env)
    subprocess.run(
        desk_argv("edit", SLUG, "1", "--text", "Latakia, Latakia and Latakia."),
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    term.start("finding", *desk_argv("open", SLUG))
    wait_for("finding 3", lambda: term.shows("finding", "[shift+F3]"), term.seen)
    term.keys("finding", "S-F3")
    wait_for(
        "finding 3 applied",
        lambda: segments(env)[1]["text"] == "Latakia, Latakia and Lattakia.",
        lambda: f"{segments(env)[1]['text']}\n{term.capture('finding')}",
    )
    term.keys("finding", "C-q")
