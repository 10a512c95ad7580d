"""The workbench in a real terminal: tmux runs `desk open`, keys go in, SIGKILL mid-edit.

tmux (installed by `.ci/run` when missing) gives desk a real pseudo-terminal of a fixed
size; `capture-pane` reads the screen back as text. desk runs as its own process, so the
store is read through `desk show --json` / `desk log --json` in further processes, as
another desk on the same machine would read it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from desk.locations import database_path
from tests.helpers.paths import SAMPLES

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed (.ci/run installs it; `apt-get install tmux` here)",
)

SLUG = "lattakia-offensive"
WIDTH, HEIGHT = 120, 36
DEADLINE = 20.0
"""Seconds to wait for any one thing to show (desk starts in well under a second)."""

GLOSSARY = """\
[lattakia]
canonical = "Lattakia"
arabic = ["اللاذقية"]
variants = ["Latakia"]
kind = "place"
"""


def wait_for(what: str, probe: Callable[[], Any], seen: Callable[[], str] | None = None) -> Any:
    """Poll `probe` until it returns something truthy; after DEADLINE s fail, saying what
    was awaited and (with `seen`) what was there instead."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    there = f"; the screen was:\n{seen()}" if seen is not None else ""
    pytest.fail(f"timed out after {DEADLINE:.0f} s waiting for {what}{there}")


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


class Terminal:
    """One tmux server of our own (its own socket), one session per desk run."""

    def __init__(self, env: dict[str, str], config: Path) -> None:
        """A server named uniquely so nothing else's tmux is touched."""
        self.socket = f"desk-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.env = env
        # A pane whose process died stays on screen, so a crash shows its traceback.
        config.write_text("set-option -g remain-on-exit on\n", encoding="utf-8")
        self.config = str(config)
        self.last = ""

    def tmux(self, *args: str) -> str:
        """Run a tmux command on our server; its stdout."""
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", self.config, *args],
            env=self.env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        return done.stdout

    def start(self, session: str, *command: str) -> None:
        """Run `command` (argv, no shell) in a detached session of WIDTH x HEIGHT."""
        self.tmux("new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT),
                  *command)  # fmt: skip

    def capture(self, session: str) -> str:
        """The visible screen of `session` as text (kept as `last`)."""
        self.last = self.tmux("capture-pane", "-p", "-t", session)
        return self.last

    def keys(self, session: str, *keys: str, literal: bool = False) -> None:
        """Send keys (tmux names such as C-s, F2) or, with `literal`, text as typed."""
        self.tmux("send-keys", "-t", session, *(["-l"] if literal else []), *keys)

    def pane_pid(self, session: str) -> int:
        """The pid of the process the pane runs."""
        return int(self.tmux("list-panes", "-t", session, "-F", "#{pane_pid}").split()[0])

    def shows(self, session: str, *texts: str | tuple[str, ...]) -> str | None:
        """The screen if it shows every one of `texts` (a tuple: any one of it), else None."""
        screen = self.capture(session)
        wanted = [(t,) if isinstance(t, str) else t for t in texts]
        return screen if all(any(f in screen for f in t) for t in wanted) else None

    def seen(self) -> str:
        """The last screen captured."""
        return self.last

    def kill_server(self) -> None:
        """Stop our tmux server and whatever still runs in it."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], env=self.env,
                       capture_output=True, check=False)  # fmt: skip


@pytest.fixture
def world(tmp_path: Path, desk_home: Path) -> Iterator[tuple[dict[str, str], Terminal]]:
    """The environment desk runs in (own home, small glossary, rania) and a tmux server."""
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "places.toml").write_text(GLOSSARY, encoding="utf-8")
    env = dict(os.environ, DESK_HOME=str(desk_home), DESK_GLOSSARY=str(glossary),
               DESK_USER="rania", TERM="xterm-256color", LANG="C.UTF-8")  # fmt: skip
    # A real clock here, so that the log's times say something about its order.
    env.pop("DESK_CLOCK", None)
    env.pop("TMUX", None)  # we may be running inside someone's tmux: ours is separate
    terminal = Terminal(env, tmp_path / "tmux.conf")
    try:
        yield env, terminal
    finally:
        terminal.kill_server()


def _proc_status(pid: int) -> str:
    """What /proc says of `pid` (for a failure message)."""
    try:
        return Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError as exc:
        return f"no /proc entry: {exc}"


def desk_argv(*args: str) -> list[str]:
    """`desk ARGS` with this interpreter (the venv's)."""
    return [sys.executable, "-m", "desk", *args]


def desk_json(env: dict[str, str], *args: str) -> Any:
    """Run `desk ARGS --json` in its own process and parse its output."""
    done = subprocess.run(desk_argv(*args, "--json"), env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return json.loads(done.stdout)


def segments(env: dict[str, str]) -> dict[int, dict[str, Any]]:
    """The story's segments as the store holds them now, by number."""
    return {s["n"]: s for s in desk_json(env, "show", SLUG)["segments"]}


def confirmed(env: dict[str, str]) -> dict[int, str]:
    """Confirmed segment → its English, from the store."""
    return {n: s["text"] for n, s in segments(env).items() if s["status"] == "confirmed"}


def test_confirmed_segments_survive_sigkill_mid_edit(
    world: tuple[dict[str, str], Terminal], desk_home: Path
) -> None:
    """Confirm and edit in a real terminal, SIGKILL desk mid-edit, reopen: all is there."""
    env, term = world
    subprocess.run(
        desk_argv("import", str(SAMPLES / f"{SLUG}.ar.md"),
                  "--draft", str(SAMPLES / f"{SLUG}.draft.en.md")),
        env=env, check=True, capture_output=True,
    )  # fmt: skip
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
        lambda: term.tmux("list-panes", "-t", "first", "-F", "#{pane_dead}").strip() == "1",
        lambda: _proc_status(pid),
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


def _gone(pid: int) -> bool:
    """Whether process `pid` has ended (or is a zombie nobody reaped yet)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return True
    return "State:\tZ" in status


@pytest.mark.parametrize("how", ["ctrl-q", "hang-up"])
def test_typing_survives_quitting_and_closing_the_terminal(
    world: tuple[dict[str, str], Terminal], desk_home: Path, how: str
) -> None:
    """Type, then 0.1 s later press Ctrl+Q, or kill the tmux session (the terminal
    closes: SIGHUP): the typed English is in the store (or kept for the next open)."""
    env, term = world
    subprocess.run(
        desk_argv("import", str(SAMPLES / f"{SLUG}.ar.md"),
                  "--draft", str(SAMPLES / f"{SLUG}.draft.en.md")),
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    term.start("typing", *desk_argv("open", SLUG))
    wait_for("the editor", lambda: term.shows("typing", SLUG, "you: rania"), term.seen)
    pid = term.pane_pid("typing")
    marker = "QUITTEST " if how == "ctrl-q" else "HUPTEST "
    term.keys("typing", marker, literal=True)
    # Typed: on screen (the app has read the keys), not yet saved (autosave waits 2 s).
    wait_for("the typing on screen", lambda: term.shows("typing", marker.strip()), term.seen)
    time.sleep(0.1)
    if how == "ctrl-q":
        term.keys("typing", "C-q")
    else:
        term.tmux("kill-session", "-t", "typing")
    wait_for("desk to exit", lambda: _gone(pid), lambda: _proc_status(pid))
    text = segments(env)[1]["text"]
    kept = desk_home / "recovery" / f"{SLUG}.json"
    saved = text.startswith(marker)
    assert saved or (kept.exists() and marker in kept.read_text("utf-8")), text
