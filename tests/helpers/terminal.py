"""desk in a real terminal: a tmux server of the test's own, polling its screen, and the
store read back through `desk show --json` in further processes.

tmux gives desk a real pseudo-terminal of a fixed size; `capture-pane` reads the screen
back as text. Every wait polls with a generous deadline, so a loaded machine is slow,
not red.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.paths import SAMPLES

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


def wait_for(
    what: str,
    probe: Callable[[], Any],
    seen: Callable[[], str] | None = None,
    deadline: float = DEADLINE,
) -> Any:
    """Poll `probe` until it returns something truthy; after `deadline` s fail, saying
    what was awaited and (with `seen`) what was there instead."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    there = f"; the screen was:\n{seen()}" if seen is not None else ""
    pytest.fail(f"timed out after {deadline:.0f} s waiting for {what}{there}")


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

    def dead(self, session: str) -> bool:
        """Whether the pane's process has ended (the pane stays, showing its last screen)."""
        return self.tmux("list-panes", "-t", session, "-F", "#{pane_dead}").strip() == "1"

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


@contextmanager
def terminal_world(tmp_path: Path, desk_home: Path) -> Iterator[tuple[dict[str, str], Terminal]]:
    """The environment desk runs in (own home, small glossary, rania) and a tmux server,
    stopped afterwards."""
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


def proc_status(pid: int) -> str:
    """What /proc says of `pid` (for a failure message)."""
    try:
        return Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError as exc:
        return f"no /proc entry: {exc}"


def gone(pid: int) -> bool:
    """Whether process `pid` has ended (or is a zombie nobody reaped yet)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return True
    return "State:\tZ" in status


def desk_argv(*args: str) -> list[str]:
    """`desk ARGS` with this interpreter (the venv's)."""
    return [sys.executable, "-m", "desk", *args]


def import_sample(env: dict[str, str]) -> None:
    """Import the sample story with its pasted draft, as `desk import` in a process."""
    subprocess.run(
        desk_argv("import", str(SAMPLES / f"{SLUG}.ar.md"),
                  "--draft", str(SAMPLES / f"{SLUG}.draft.en.md")),
        env=env, check=True, capture_output=True,
    )  # fmt: skip


def desk_json(env: dict[str, str], *args: str, within: Sequence[str] = ()) -> Any:
    """Run `desk ARGS --json` in its own process and parse its output; `within` is a
    command prefix (e.g. nsenter into the namespaces desk runs in)."""
    done = subprocess.run([*within, *desk_argv(*args, "--json")], env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return json.loads(done.stdout)


def segments(env: dict[str, str], within: Sequence[str] = ()) -> dict[int, dict[str, Any]]:
    """The story's segments as the store holds them now, by number."""
    return {s["n"]: s for s in desk_json(env, "show", SLUG, within=within)["segments"]}


def confirmed(env: dict[str, str]) -> dict[int, str]:
    """Confirmed segment → its English, from the store."""
    return {n: s["text"] for n, s in segments(env).items() if s["status"] == "confirmed"}


def stored_english(database: Path, n: int) -> str:
    """Segment `n`'s English as the SQLite file holds it now, read directly (a `desk`
    command would wait for a write lock another process holds: it migrates on open)."""
    with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as conn:
        row = conn.execute(
            "SELECT g.text FROM segments g JOIN stories s ON s.id = g.story_id "
            "WHERE s.slug = ? AND g.n = ?",
            (SLUG, n),
        ).fetchone()
    return str(row[0])


def flat(screen: str) -> str:
    """The screen's words in one line: a notice wrapped over lines (its `▌` border
    dropped) reads as one sentence."""
    return " ".join(screen.replace("▌", " ").split())


def in_the_box(screen: str, text: str) -> bool:
    """Whether the English box (its lines start with `▊`) shows `text`."""
    return any(line.startswith("▊") and text in line for line in screen.splitlines())
