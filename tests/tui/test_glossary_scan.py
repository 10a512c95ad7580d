"""Pilot tests of the editor's glossary scan: the first screen's segments first, then the
rest; typing while it runs; opening from the list once the workbench loaded the glossary.

The scan's own batch function is wrapped to record, in order, which segments each batch
checks and which findings the editor showed at that moment: the real scan runs.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from desk.app.home import Home
from desk.core.glossary import compiled
from desk.core.story import Story
from desk.locations import glossary_cache_dir
from desk.tui import make_app
from desk.tui.context import GlossaryLoad
from desk.tui.screens import glossary_scan
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.glossary_scan import GlossaryScan
from desk.tui.screens.story_list import StoryListScreen
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.segment_table import SegmentTable
from tests.helpers.tui import SIZE, SLUG, notices, opened_editor, settle, synchronous


class Batch:
    """One batch the scan checked: its segments, the findings the editor showed when
    the batch began (None: none yet), on which thread, and whether it was the last."""

    def __init__(self, numbers: list[int], shown: set[int] | None, thread: str, done: bool):
        self.numbers, self.shown, self.thread, self.done = numbers, shown, thread, done


def record(monkeypatch: pytest.MonkeyPatch, hold: threading.Event | None = None) -> list[Batch]:
    """Record every batch the scan checks; with `hold`, the last batch waits for it."""
    batches: list[Batch] = []
    original = GlossaryScan._check

    def recording(
        self: GlossaryScan, story: Story, scan: int, numbers: list[int], enforcer: Any, **kw: Any
    ) -> GlossaryScan.Checked:
        screen = self.screen
        assert isinstance(screen, EditorScreen)
        found = screen.session.findings
        shown = None if found is None else set(found)
        batches.append(Batch(list(numbers), shown, threading.current_thread().name, kw["done"]))
        if hold is not None and kw["done"]:
            assert hold.wait(10), "the test never let the scan go on"
        return original(self, story, scan, numbers, enforcer, **kw)

    monkeypatch.setattr(GlossaryScan, "_check", recording)
    return batches


DOUMA = """
[douma]
canonical = "Douma"
arabic = ["دوما"]
variants = ["Duma"]
kind = "place"
"""
"""An entry whose variant segment 28 of the sample uses ("Duma's field hospitals")."""


@synchronous
async def test_a_glossary_change_checks_the_first_screen_first_then_the_rest(
    env: Home, glossary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The glossary changes while the editor is open (as the glossary panel's edits
    do): the story is checked again, the segments on screen first; their findings are
    on screen before the others are checked; the new entry's finding, further down,
    follows, and the header says "scanning" until then."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await settle(app)  # the spelling check, which starts once the scan has ended
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        assert 28 not in (screen.session.findings or {})
        with (glossary / "places.toml").open("a", encoding="utf-8") as out:
            out.write(DOUMA)
        batches = record(monkeypatch)
        screen.rescan()  # what the glossary panel's callback does after a change
        assert "scanning" in str(screen.query_one("#status").render())
        await settle(app)
        await pilot.pause()
        everything = {seg.n for seg in screen.session.story.segments}
        assert len(batches) == 2, [b.numbers for b in batches]
        first, rest = batches
        assert first.numbers[0] == 1 and not first.done and rest.done
        assert set(first.numbers).isdisjoint(rest.numbers)
        assert set(first.numbers) | set(rest.numbers) == everything
        # Every row on screen (the table laid out) was in the first batch; 28 was not.
        table = screen.query_one(SegmentTable)
        assert table.size.height and set(table.first_screen(1, SIZE[1])) <= set(first.numbers)
        assert 28 in rest.numbers
        found = screen.session.findings
        assert found is not None and not screen.scanning
        assert first.shown is None  # the change cleared the old findings
        # When the rest began, the first screen's findings were shown, and no others.
        assert rest.shown == {n for n in first.numbers if n in found} and 1 in rest.shown
        assert any(f.found == "Duma" and f.suggestion == "Douma" for f in found[28])
        assert "scanning" not in str(screen.query_one("#status").render())
        assert str(table.get_row("28")[0]).startswith("28 !")


@synchronous
async def test_opened_from_the_list_the_first_frame_has_the_first_screens_findings(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbench loads the glossary while the list shows; a story opened then has its
    first screen checked on the UI thread before its first frame, the rest in a worker."""
    batches = record(monkeypatch)
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        assert env.enforcer_if_loaded() is not None  # loaded with no story open
        lister = app.screen
        assert isinstance(lister, StoryListScreen)
        lister.open_story(SLUG)
        screen = await opened_editor(app, pilot)
        first, rest = batches
        assert first.thread == threading.main_thread().name and first.shown is None
        assert rest.thread != threading.main_thread().name and rest.done
        assert rest.shown is not None and 1 in rest.shown
        assert 1 in (screen.session.findings or {})


@synchronous
async def test_started_with_a_story_the_glossary_loads_while_textual_starts(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`desk open SLUG`: making the app starts loading the glossary in a thread of its
    own; once that is done when the editor mounts, the first screen is checked on the UI
    thread before the first frame, as when the story is opened from the list."""
    batches = record(monkeypatch)
    assert env.enforcer_if_loaded() is None
    app = make_app(env, author="rania", slug=SLUG)
    deadline = time.monotonic() + 10  # the preload's thread, given up to 10 s
    while env.enforcer_if_loaded() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert env.enforcer_if_loaded() is not None, "making the app did not load the glossary"
    async with app.run_test(size=SIZE) as pilot:
        await opened_editor(app, pilot)
        first, rest = batches
        assert first.thread == threading.main_thread().name and first.shown is None
        assert rest.thread != threading.main_thread().name and rest.done
        assert rest.shown is not None and 1 in rest.shown


def hold(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str
) -> tuple[threading.Event, list[str]]:
    """Hold every call of `owner.name` off the UI thread until the returned event is
    set; the list says "gave up" for each that waited 10 s."""
    gate, held = threading.Event(), []
    original = getattr(owner, name)

    def holding(*args: Any, **options: Any) -> Any:
        if threading.current_thread() is not threading.main_thread() and not gate.wait(10):
            held.append("gave up")
        return original(*args, **options)

    monkeypatch.setattr(owner, name, holding)
    return gate, held


def hold_the_loads(monkeypatch: pytest.MonkeyPatch, env: Home) -> tuple[threading.Event, list[str]]:
    """Hold every load of the glossary off the UI thread (the workbench's own, begun as it
    starts with a story, and any worker's `home.enforcer()`)."""
    return hold(monkeypatch, env, "enforcer")


@synchronous
async def test_started_with_a_story_the_first_frame_waits_for_the_compiled_glossary(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`desk open SLUG` when the load, from the compiled glossary, ends after the editor
    mounts (here held 0.3 s): the editor waits for it before its first frame (up to
    OPENING_WAIT_SECONDS, made long here) and that frame has the first screen's findings."""
    env.enforcer()  # compiled into the home's cache, as by any earlier command
    env.reload_glossary()  # and forgotten by this Home, as in a new process
    assert env.enforcer_if_loaded() is None
    monkeypatch.setattr(EditorScreen, "OPENING_WAIT_SECONDS", 30)
    batches = record(monkeypatch)
    gate, held = hold_the_loads(monkeypatch, env)
    threading.Timer(0.3, gate.set).start()
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened_editor(app, pilot)
        first, rest = batches
        assert first.thread == threading.main_thread().name and first.shown is None
        assert rest.thread != threading.main_thread().name and rest.done
        assert 1 in (screen.session.findings or {})
    assert not held


@synchronous
async def test_started_with_a_story_a_load_that_compiles_is_not_waited_for(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no compiled glossary (the first open after a glossary edit) the load
    compiles, which takes seconds at 10,000 entries: the editor shows the story without
    waiting for it, and the scan shows the findings once it is over."""
    shutil.rmtree(glossary_cache_dir(env.path), ignore_errors=True)
    monkeypatch.setattr(EditorScreen, "OPENING_WAIT_SECONDS", 30)
    batches = record(monkeypatch)
    gate, held = hold(monkeypatch, compiled, "load_files")  # the compile, once it begins
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditorScreen)  # drawn while the load is held
        assert screen.session.findings is None and not batches
        gate.set()
        await settle(app)
        await pilot.pause()
        first = batches[0]
        assert first.thread != threading.main_thread().name and first.shown is None
        assert 1 in (screen.session.findings or {})
    assert not held, "the editor waited for a load that compiles"


@synchronous
async def test_an_enforcer_loaded_already_is_not_waited_for(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The home has its enforcer already (a second editor in the same app, a given
    enforcer): the first frame does not wait for the load begun at the start, which
    may still be under way."""
    waits: list[float] = []
    monkeypatch.setattr(GlossaryLoad, "wait", lambda self, seconds: waits.append(seconds))
    env.enforcer()
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened_editor(app, pilot)
        assert 1 in (screen.session.findings or {})
    assert waits == []


@synchronous
async def test_a_load_under_way_lets_the_scan_go_on_without_waiting_for_the_first_frame(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor did not wait for the load (it ended later than OPENING_WAIT_SECONDS):
    the scan checks the first screen as soon as the load is over, rather than when the
    editor's queue of messages has emptied (`painted`, here never set)."""

    class NeverSet(threading.Event):
        def set(self) -> None:
            """The first frame is never said to be drawn."""

    original_init = GlossaryScan.__init__

    def init(self: GlossaryScan, home: Home) -> None:
        original_init(self, home)
        self.painted = NeverSet()

    monkeypatch.setattr(GlossaryScan, "__init__", init)
    monkeypatch.setattr(glossary_scan, "PAINT_WAIT_SECONDS", 30)
    monkeypatch.setattr(EditorScreen, "OPENING_WAIT_SECONDS", 0)
    batches = record(monkeypatch)
    gate, held = hold_the_loads(monkeypatch, env)
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        assert screen.session.findings is None
        gate.set()
        for _ in range(1000):  # up to about 10 s, a third of PAINT_WAIT_SECONDS
            if screen.session.findings:
                break
            await pilot.pause(0.01)
        assert 1 in (screen.session.findings or {}), "the scan waited for the first frame"
        assert batches[0].thread != threading.main_thread().name
    assert not held


@synchronous
async def test_started_with_a_story_a_broken_glossary_is_reported_by_the_scan(
    env: Home, glossary: Path
) -> None:
    """The preload meets a glossary file that does not parse and says nothing (it runs
    before the UI has a screen); the editor's scan meets it again and tells the person,
    naming the file; the story is open and editable."""
    (glossary / "places.toml").write_text("[douma\ncanonical = 1\n", encoding="utf-8")
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened_editor(app, pilot)
        told = notices(app)
        assert any("No glossary findings" in m and "places.toml" in m for m in told), told
        assert not screen.session.findings


@synchronous
async def test_typing_while_the_scan_runs_keeps_every_key(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys typed while the scan checks the later segments are all in the English; the
    segment left is saved; the scan then ends and the findings are all shown."""
    hold = threading.Event()
    batches = record(monkeypatch, hold)
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        for _ in range(200):  # until the scan is at its last batch, held there
            await pilot.pause(0.01)
            if batches and batches[-1].done:
                break
        assert batches and batches[-1].done and screen.scanning
        editor = screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "k", "e", "p", "t")
        assert editor.text.endswith(" kept") and screen.scanning
        await pilot.press("ctrl+down")
        assert screen.session.current == 2 and screen.scanning
        hold.set()
        await settle(app)
        await pilot.pause()
        assert not screen.scanning
        assert env.desk.store.load_story(SLUG).segment(1).text.endswith(" kept")
        assert 1 in (screen.session.findings or {})  # its findings, of the saved text
