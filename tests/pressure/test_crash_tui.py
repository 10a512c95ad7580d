"""Crash safety of the workbench: the real TUI in tmux, SIGKILLed at random moments.

Each round starts `desk open` in a tmux session of its own (a real pseudo-terminal),
drives it with keys (typing into the English of a segment; Ctrl+Down / Ctrl+Up to save
and move; Ctrl+S / F2 to save, confirm and move; a pause for the two-second autosave;
F8 to export an approved story), and SIGKILLs desk at a random moment: while it starts,
mid-typing, right after a save or an export key, or when it is idle. Then the store is
opened directly with sqlite3 and must pass `PRAGMA integrity_check`; every edit the TUI
acknowledged must be in the store (the segment's text now, or a later one typed in the
same run) and in the log; the log must be ordered and, replayed from the import, give
every segment's text, status and version; the export folder must hold only the whole
export (and at most the hidden temporary files of a kill between write and rename).
The next round reopens the store in a fresh TUI, which must show exactly what is stored.

An edit counts as acknowledged when the segment table shows it: the table's rows are
drawn from the store after each save (`EditorScreen.save` reloads the story), never from
the typing. An export counts once the "Wrote ..." notification is on screen.

The run is random but seeded: the seed is printed (and added to any failure);
DESK_CRASH_SEED=N repeats a run. By default 12 TUI processes are killed; DESK_STRESS=1
kills 60. (tests/pressure/test_crash.py does the same for `desk edit` and `desk export`.)
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from desk.locations import database_path, export_dir
from tests.helpers.cli import DeskCli
from tests.helpers.paths import ROOT
from tests.helpers.stories import write_small

SLUG = "douma-raids"
"""The story edited in the TUI (six segments: every row fits on screen)."""
EXPORTED = "douma-export"
"""An approved copy of it, exported with F8."""
AUTHOR = "rania"
WIDTH, HEIGHT = 120, 36
DEADLINE = 30.0
"""Seconds to wait for any one thing to show (generous: CI machines are slow)."""
PREFIX = 30
"""How much of a segment's English is compared with its row (the row cuts it at 52)."""
TEXT_KINDS = {"import", "edit", "mt", "glossary", "correction"}
"""Revision kinds that set a segment's English (`status` ones only confirm it)."""

State = tuple[str, str]
"""A segment as stored: (English, status)."""
T = TypeVar("T")

ROW = re.compile(r"^\s*(\d+)(?: !\d+)?\s+(draft|edited|confirmed)\s+(.*)$")
"""A row of the editor's segment table: number (and findings), status, English, Arabic."""


def rounds_wanted() -> int:
    """TUI processes to kill: 12, or 60 with DESK_STRESS=1."""
    return 60 if os.environ.get("DESK_STRESS") == "1" else 12


def squeeze(text: str) -> str:
    """`text` with its whitespace runs made single spaces, as the table shows it."""
    return " ".join(text.split())


class Terminal:
    """One tmux server of our own (its own socket), one session per desk run."""

    def __init__(self, env: dict[str, str], config: Path, cwd: Path) -> None:
        """A server named uniquely so nothing else's tmux is touched."""
        self.socket = f"desk-crash-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.cwd = str(cwd)
        # A pane whose process died stays, so a crash of desk's own shows its traceback;
        # the server stays between sessions (it would exit with the last one, and a new
        # session started meanwhile fails with "server exited unexpectedly").
        config.write_text(
            "set-option -g remain-on-exit on\nset-option -s exit-empty off\n", encoding="utf-8"
        )
        self.config = str(config)
        self.last = ""
        self.socket_path: Path | None = None

    def tmux(self, *args: str) -> str:
        """Run a tmux command on our server; its stdout."""
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", self.config, *args],
            env=self.env, check=False, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode:
            pytest.fail(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self, session: str, *command: str) -> None:
        """Run `command` (argv, no shell) in a detached session of WIDTH x HEIGHT."""
        self.tmux("new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT),
                  "-c", self.cwd, *command)  # fmt: skip
        if self.socket_path is None:
            self.socket_path = Path(self.tmux("display-message", "-p", "#{socket_path}").strip())

    def capture(self, session: str) -> str:
        """The visible screen of `session` as text (kept as `last`)."""
        self.last = self.tmux("capture-pane", "-p", "-t", session)
        return self.last

    def keys(self, session: str, *keys: str, literal: bool = False) -> None:
        """Send keys (tmux names such as C-s, F2) or, with `literal`, text as typed."""
        self.tmux("send-keys", "-t", session, *(["-l"] if literal else []), *keys)

    def pane(self, session: str, fmt: str) -> str:
        """A format (`#{pane_pid}`, `#{pane_dead}`...) of the session's one pane."""
        return self.tmux("list-panes", "-t", session, "-F", fmt).strip()

    def kill_session(self, session: str) -> None:
        """Close a session (its pane is dead by then)."""
        self.tmux("kill-session", "-t", session)

    def kill_server(self) -> None:
        """Stop our tmux server and whatever still runs in it; remove its socket."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], env=self.env,
                       capture_output=True, check=False)  # fmt: skip
        if self.socket_path is not None:
            self.socket_path.unlink(missing_ok=True)


def rows(screen: str) -> dict[int, tuple[str, str]]:
    """The segment table on `screen`: number → (status, the row from the English on)."""
    out: dict[int, tuple[str, str]] = {}
    for line in screen.splitlines():
        match = ROW.match(line)
        if match:
            out[int(match[1])] = (match[2], match[3])
    return out


def current_draft(screen: str) -> str | None:
    """The draft line's text (the current segment's machine draft), if it is on screen."""
    for line in screen.splitlines():
        if line.lstrip().startswith("Draft (") and "): " in line:
            return line.split("): ", 1)[1]
    return None


def shows_row(screen: str, n: int, state: State) -> bool:
    """Whether the table's row `n` shows `state` (its status and English)."""
    row = rows(screen).get(n)
    return row is not None and row[0] == state[1] and row[1].startswith(squeeze(state[0])[:PREFIX])


@dataclass
class Revision:
    """One row of the revision log, as stored."""

    id: int
    segment: int | None
    author: str
    at: str
    kind: str
    before: str
    after: str


@dataclass
class Stored:
    """What the store holds of one story after a kill."""

    status: str
    segments: dict[int, tuple[str, str, int]]
    """Number → (English, status, version)."""
    log: list[Revision]


def read_story(db: Path, slug: str) -> Stored:
    """Open the database directly (as the next desk will) and read `slug`'s rows and log."""
    with closing(sqlite3.connect(db)) as conn:
        story_id, status = conn.execute(
            "SELECT id, status FROM stories WHERE slug = ?", (slug,)
        ).fetchone()
        segments = {
            n: (text, seg_status, version)
            for n, text, seg_status, version in conn.execute(
                "SELECT n, text, status, version FROM segments WHERE story_id = ?", (story_id,)
            )
        }
        log = [
            Revision(*row)
            for row in conn.execute(
                "SELECT r.id, s.n, r.author, r.at, r.kind, r.before, r.after FROM revisions r"
                " LEFT JOIN segments s ON s.id = r.segment_id WHERE r.story_id = ? ORDER BY r.id",
                (story_id,),
            )
        ]
    return Stored(str(status), segments, log)


def check_database(db: Path) -> None:
    """The whole file is sound: integrity and foreign keys."""
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def check_log(stored: Stored) -> None:
    """The log is ordered and complete: replayed from the import, it gives the story's
    status and every segment's English, status and version (one save, one revision)."""
    times = [r.at for r in stored.log]
    assert times == sorted(times), "the log's times go backwards"
    story_status = ""
    replay: dict[int, list[Any]] = {}  # n → [text, status, version]
    for r in stored.log:
        if r.segment is None:  # the story's own moves: import, then status changes
            if r.kind != "import":
                assert r.before == story_status, f"revision {r.id} moves from {r.before!r}"
            story_status = r.after
            continue
        seg = replay.setdefault(r.segment, ["", "draft", 1])
        if r.kind == "import":
            assert seg == ["", "draft", 1], f"segment {r.segment} imported twice"
            seg[0] = r.after
            continue
        if r.kind in TEXT_KINDS:
            assert r.before == seg[0], f"revision {r.id} does not follow on segment {r.segment}"
            seg[0] = r.after
            seg[1] = "edited" if r.kind == "edit" else seg[1]
        else:
            assert r.kind == "status", f"revision {r.id}: unexpected kind {r.kind!r}"
            assert r.before == seg[1], f"revision {r.id} moves segment {r.segment} from {r.before}"
            seg[1] = r.after
        seg[2] += 1
    assert story_status == stored.status, "the story's status is not its log's"
    for n, (text, status, version) in stored.segments.items():
        assert replay.get(n, ["", "draft", 1]) == [text, status, version], (
            f"segment {n} is {(text, status, version)} but its log gives {replay.get(n)}"
        )


@dataclass
class Ack:
    """What the screen must show once an action is done: row `n` in `state`, and the
    editor on segment `target`; `edit` is the English the action saved, if any."""

    n: int
    state: State
    target: int
    edit: str | None = None


@dataclass
class Harness:
    """The TUI rounds and what the store must hold after each kill."""

    term: Terminal
    rng: random.Random
    db: Path
    exports: Path
    whole_export: bytes
    allowed: dict[int, list[State]] = field(default_factory=dict)
    """Segment → the last acknowledged state, then the states later unacknowledged
    actions of this run may have stored (the store must hold one of them)."""
    drafts: dict[int, str] = field(default_factory=dict)
    acknowledged: list[tuple[int, str]] = field(default_factory=list)
    exported: int = 0
    """Exports the TUI acknowledged."""
    kills: int = 0
    trail: list[str] = field(default_factory=list)
    """What this round did so far (for a failure message)."""
    sessions: int = 0
    unacknowledged: int = 0
    """Segments found holding a state whose acknowledgement the kill cut off."""
    temporary: int = 0
    """Hidden temporary export files left by kills mid-export."""

    # -- the terminal -------------------------------------------------------------

    def wait(self, what: str, session: str, probe: Callable[[str], T | None]) -> T:
        """Poll the screen until `probe(screen)` is truthy; fail after DEADLINE, with the
        screen and this round's actions."""
        end = time.monotonic() + DEADLINE
        while True:
            value = probe(self.term.capture(session))
            if value:
                return value
            if self.term.pane(session, "#{pane_dead}") == "1":
                break  # desk ended by itself: no point waiting
            if time.monotonic() > end:
                break
            time.sleep(0.05)
        screen = self.term.capture(session)
        pytest.fail(
            f"waiting for {what}: not shown after {DEADLINE:.0f} s (or desk ended); "
            f"this round: {self.trail}; the screen:\n{screen}"
        )

    def open(self, slug: str) -> str:
        """Start `desk open SLUG` in a new session; its name."""
        self.sessions += 1
        session = f"r{self.sessions}"
        self.term.start(session, sys.executable, "-m", "desk", "open", slug)
        self.trail = [f"open {slug}"]
        return session

    def ready(self, session: str, slug: str) -> None:
        """Wait until the editor shows the story as stored: header, every row, segment 1."""
        stored = read_story(self.db, slug)
        done = sum(1 for _, status, _ in stored.segments.values() if status == "confirmed")
        header = (f"{slug} │ {stored.status} │ confirmed {done}/{len(stored.segments)} │ "
                  f"findings 0 │ you: {AUTHOR}")  # fmt: skip

        def probe(screen: str) -> bool:
            """Header, rows and the draft of segment 1, all as stored."""
            return (
                header in screen
                and all(shows_row(screen, n, (t, s)) for n, (t, s, _) in stored.segments.items())
                and (current_draft(screen) or "").startswith(self.drafts[1][:40])
            )

        self.wait(f"the editor on {slug} as stored", session, probe)
        self.trail.append("ready")

    def kill(self, session: str) -> None:
        """SIGKILL the desk process of `session` (and any child), wait for tmux to see it."""
        assert self.term.pane(session, "#{pane_dead}") == "0", (
            f"desk ended by itself before the kill; this round: {self.trail}; "
            f"the screen:\n{self.term.capture(session)}"
        )
        pid = int(self.term.pane(session, "#{pane_pid}"))
        # Right after new-session the pane's process may not have exec'd desk yet.
        end = time.monotonic() + DEADLINE
        argv = Path(f"/proc/{pid}/cmdline")
        while b"\0-m\0desk\0open\0" not in (cmdline := argv.read_bytes()):
            assert time.monotonic() < end, f"pane process {pid} is not desk: {cmdline!r}"
            time.sleep(0.005)
        children = [  # desk runs no subprocess today; should it ever, they die too
            int(child)
            for listing in Path(f"/proc/{pid}/task").glob("*/children")
            for child in listing.read_text(encoding="ascii").split()
        ]
        os.kill(pid, signal.SIGKILL)
        for child in children:
            with suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        self.kills += 1
        self.trail.append("SIGKILL")
        dead = self.wait_dead(session)
        # pane_dead_signal is tmux 3.3's; older ones leave it empty.
        assert dead in ("", "9"), f"desk died of signal {dead}, not our SIGKILL"
        self.term.kill_session(session)

    def wait_dead(self, session: str) -> str:
        """Wait until the session's pane process is gone; the signal that ended it."""
        end = time.monotonic() + DEADLINE
        while self.term.pane(session, "#{pane_dead}") != "1":
            assert time.monotonic() < end, "tmux never saw desk die"
            time.sleep(0.02)
        return self.term.pane(session, "#{pane_dead_signal}")

    # -- the store ------------------------------------------------------------------

    def reset(self) -> None:
        """Take the store's state as the acknowledged one (the next TUI starts from it)."""
        stored = read_story(self.db, SLUG)
        self.allowed = {n: [(t, s)] for n, (t, s, _) in stored.segments.items()}

    def check(self) -> None:
        """After a kill: the database, the log, the acknowledged edits, the export folder."""
        check_database(self.db)
        stored = read_story(self.db, SLUG)
        check_log(stored)
        edits = {(r.segment, r.after) for r in stored.log if r.kind == "edit"}
        missing = [e for e in self.acknowledged if e not in edits]
        assert not missing, f"acknowledged edits missing from the log: {missing}"
        assert all(r.author in ("tr", AUTHOR) for r in stored.log)
        for n, (text, status, _) in stored.segments.items():
            assert (text, status) in self.allowed[n], (
                f"segment {n} holds {(text, status)!r}; acknowledged (then possible) "
                f"states: {self.allowed[n]}; this round: {self.trail}"
            )
            self.unacknowledged += (text, status) != self.allowed[n][0]
        # The approved copy is never changed: only exported.
        other = read_story(self.db, EXPORTED)
        check_log(other)
        assert other.status == "approved"
        self.check_exports()

    def check_exports(self) -> None:
        """The export is whole; nothing else there but a killed export's hidden temp file."""
        target = self.exports / f"{EXPORTED}.md"
        if self.exported:
            assert target.exists(), "an acknowledged export is gone"
        if target.exists():
            assert target.read_bytes() == self.whole_export, "the export is not whole"
        others = sorted(p.name for p in self.exports.glob("*") if p != target) if (
            self.exports.exists()) else []  # fmt: skip
        temporary = re.compile(rf"^\.{re.escape(EXPORTED)}\.md\..+\.tmp$")
        assert all(temporary.match(name) for name in others), f"export folder: {others}"
        self.temporary = len(others)

    # -- rounds ---------------------------------------------------------------------

    def startup_round(self) -> None:
        """Kill desk while it starts (opening the store, drawing the editor)."""
        session = self.open(SLUG)
        time.sleep(self.rng.uniform(0.0, 1.5))
        self.kill(session)

    def export_round(self) -> None:
        """F8 on the approved story; the kill lands before, during or after the write."""
        session = self.open(EXPORTED)
        self.ready(session, EXPORTED)
        self.term.keys(session, "F8")
        self.trail.append("F8")
        if not self.exported or self.rng.random() < 0.5:
            self.wait(
                "the export's notification", session, lambda s: "Exported" in s and "Wrote" in s
            )
            self.exported += 1
            self.trail.append("exported")
            assert (self.exports / f"{EXPORTED}.md").read_bytes() == self.whole_export
        # A few more exports in a row, and the kill while they run (or just after).
        presses = self.rng.randint(0, 4)
        if presses:
            self.term.keys(session, *["F8"] * presses)
        self.trail.append(f"F8 x {presses}")
        time.sleep(self.rng.uniform(0.0, 0.2))
        self.kill(session)

    def edit_round(self, number: int) -> None:
        """Type, save, move and confirm at random; kill after a random number of actions."""
        session = self.open(SLUG)
        self.ready(session, SLUG)
        last = len(self.allowed)
        saved = {n: states[0] for n, states in self.allowed.items()}  # the TUI's view
        current, offset, editor = 1, 0, saved[1][0]
        marks = iter(f"x{number}k{i}" for i in range(100))

        def act(typing: bool | None = None) -> Ack | None:
            """One random action on the current segment (`typing`: type, or save/move);
            what acknowledges it on screen (None for typing: nothing shows it saved)."""
            nonlocal current, offset, editor
            dirty = editor != saved[current][0]
            if typing is None:
                typing = self.rng.random() < (0.15 if dirty else 0.8) and offset < 20
            if typing:
                mark = next(marks) + " "
                editor = editor[:offset] + mark + editor[offset:]
                offset += len(mark)
                self.term.keys(session, mark, literal=True)
                self.trail.append(f"type {mark!r} into {current}")
                self.allowed[current].append((editor.strip(), "edited"))
                return None
            text = editor.strip()
            edit = text if dirty else None  # a save only when the English changed
            choice = self.rng.random()
            if dirty and choice < 0.1:
                self.trail.append(f"wait for the autosave of {current}")
                return Ack(current, (text, "edited"), current, edit)
            if choice < 0.5:
                key = self.rng.choice(["C-s", "F2"])
                state, target = (text, "confirmed"), min(current + 1, last)
                if state not in self.allowed[current]:
                    self.allowed[current].append(state)
            else:
                forward = current == 1 or (current < last and self.rng.random() < 0.7)
                key = "C-Down" if forward else "C-Up"
                state = (text, "edited") if dirty else saved[current]
                target = current + (1 if forward else -1)
            self.term.keys(session, key)
            self.trail.append(f"{key} on {current}")
            return Ack(current, state, target, edit)

        def done(ack: Ack) -> None:
            """Wait until the screen shows `ack`; then it is acknowledged."""
            nonlocal current, offset, editor

            def probe(screen: str) -> bool:
                """Row n as expected, and the editor on the target segment."""
                draft = current_draft(screen) or ""
                return shows_row(screen, ack.n, ack.state) and draft.startswith(
                    self.drafts[ack.target][:40]
                )

            self.wait(f"segment {ack.n} saved as {ack.state}", session, probe)
            states = self.allowed[ack.n]
            del states[: states.index(ack.state)]
            saved[ack.n] = ack.state
            if ack.edit is not None:
                self.acknowledged.append((ack.n, ack.edit))
            if ack.target != current:
                current, offset, editor = ack.target, 0, saved[ack.target][0]
            self.trail.append("acknowledged")

        # First something typed and saved (so every round acknowledges an edit), then a
        # random number of further actions; the last one is not waited for (usually).
        act(typing=True)
        first = act(typing=False)
        assert first is not None
        done(first)
        for _ in range(self.rng.randint(0, 6)):
            ack = act()
            if ack is not None:
                done(ack)
        ack = act()
        if ack is not None and self.rng.random() < 0.3:
            done(ack)
        time.sleep(self.rng.choice([0.0, self.rng.uniform(0.0, 0.3), self.rng.uniform(0.3, 2.5)]))
        self.kill(session)


@pytest.fixture
def terminal(tmp_path: Path, desk_home: Path) -> Iterator[Terminal]:
    """A tmux server; desk runs in it in the test's environment (own home, no glossary),
    as rania, with a real clock."""
    # Fail, not skip: CI installs tmux (`.ci/run`), and this is the TUI's crash test.
    assert shutil.which("tmux"), "tmux is needed: `apt-get install tmux`"
    env = dict(os.environ, DESK_USER=AUTHOR, TERM="xterm-256color", LANG="C.UTF-8",
               PYTHONPATH=str(ROOT))  # fmt: skip
    env.pop("DESK_CLOCK", None)  # real times, so the log's order says something
    env.pop("TMUX", None)  # we may be running inside someone's tmux: ours is separate
    term = Terminal(env, tmp_path / "tmux.conf", tmp_path)
    try:
        yield term
    finally:
        term.kill_server()


def test_sigkill_of_the_tui_never_loses_an_acknowledged_edit(
    terminal: Terminal, desk: DeskCli, desk_home: Path, tmp_path: Path
) -> None:
    """The TUI killed at random moments of editing and exporting; the store stays whole."""
    source, draft = write_small(tmp_path / "in")
    desk("import", str(source), "--draft", str(draft), "--as", "tr")
    desk("import", str(source), "--draft", str(draft), "--slug", EXPORTED, "--as", "tr")
    desk("confirm", EXPORTED, "--all", "--as", "tr")
    desk("status", EXPORTED, "review", "--as", "tr")
    desk("status", EXPORTED, "approved", "--as", "tr")
    seed = int(os.environ.get("DESK_CRASH_SEED") or random.SystemRandom().randrange(10**6))
    print(f"seed {seed} (DESK_CRASH_SEED={seed} repeats this run)")
    harness = Harness(
        terminal, random.Random(seed), database_path(desk_home), export_dir(desk_home),
        desk("export", EXPORTED, "--stdout").stdout_bytes,
    )  # fmt: skip
    with closing(sqlite3.connect(harness.db)) as conn:
        harness.drafts = dict(conn.execute(
            "SELECT n, draft FROM segments JOIN stories s ON s.id = story_id WHERE slug = ?",
            (SLUG,),
        ).fetchall())  # fmt: skip
    harness.reset()
    harness.check()  # the log replays as the import left it

    want = rounds_wanted()
    startups, exports = max(2, want // 8), max(2, want // 6)
    plan = ["startup"] * startups + ["export"] * exports + ["edit"] * (want - startups - exports)
    harness.rng.shuffle(plan)
    started = time.monotonic()
    try:
        for number, kind in enumerate(plan, 1):
            if kind == "startup":
                harness.startup_round()
            elif kind == "export":
                harness.export_round()
            else:
                harness.edit_round(number)
            harness.check()
            harness.reset()
        # Reopened once more: the TUI shows exactly what the store holds.
        harness.ready(harness.open(SLUG), SLUG)
    except BaseException as exc:
        exc.add_note(f"seed {seed}: DESK_CRASH_SEED={seed} repeats this run")
        raise

    assert harness.kills == want
    assert harness.acknowledged and harness.exported
    print(
        f"{harness.kills} TUI processes killed with SIGKILL in {time.monotonic() - started:.0f} s; "
        f"{len(harness.acknowledged)} edits and {harness.exported} exports acknowledged; "
        f"{harness.unacknowledged} times a segment held a save the kill left unacknowledged; "
        f"{harness.temporary} temporary export files left by kills mid-export"
    )
