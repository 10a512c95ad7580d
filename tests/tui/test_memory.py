"""The translation memory in the editor: the matches pane filled in the background, one key
inserting a match as a `tm` revision, picking among matches, the diff against a match, and
the concordance."""

from __future__ import annotations

import json

from textual.message import Message
from textual.widgets import Input

from desk.app.home import Home
from desk.core.store import Revision
from desk.core.store.memory import NewUnit, add_units
from desk.core.story import RevisionKind
from desk.tui import make_app
from desk.tui.screens.concordance import ConcordanceScreen, fragment
from desk.tui.screens.conflict import ConflictScreen
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.help import HelpScreen
from desk.tui.screens.memory_matches import MemoryMatches
from desk.tui.widgets.diff_view import DELETED, INSERTED, DiffView
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.matches_pane import MatchesPane
from tests.helpers.tui import SIZE, notices, once, settle, synchronous

WIRE = "tmx:wire.tmx"
"""The origin of the unit a test imports beside the desk's own."""


def editor_screen(app: object) -> EditorScreen:
    """The editor, on top."""
    from textual.app import App

    assert isinstance(app, App) and isinstance(app.screen, EditorScreen)
    return app.screen


async def go(app: object, n: int) -> None:
    """Move the editor to segment `n` and wait for its matches."""
    from textual.app import App

    assert isinstance(app, App)
    editor_screen(app).go(n)
    await settle(app)
    await app.workers.wait_for_complete()
    await settle(app)


def last_revision(env: Home, slug: str, n: int) -> Revision:
    """The newest revision of segment `n` (a first edit is followed by the story's move)."""
    store = Home(env.path).desk.store
    return [r for r in store.revisions(store.story_id(slug)) if r.segment_n == n][-1]


@synchronous
async def test_the_pane_shows_each_kind_of_match_with_its_diff(env: Home, followup: str) -> None:
    """101% (the same neighbours), 100%, 100% repaired (12 → 15), 83% with the words that
    differ struck and underlined, and a quiet line where the memory has nothing."""
    app = make_app(env, author="rania", slug=followup)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        pane = app.screen.query_one(MatchesPane)
        seen: dict[int, list[str]] = {}
        for n in range(1, 7):
            await go(app, n)
            seen[n] = pane.lines
        assert seen[1][1].startswith("▶ 1. 101%  lattakia-offensive §1 (unpublished)")
        assert "Latakia countryside" in seen[1][-1]
        assert seen[2][1].startswith("▶ 1. 100%  lattakia-offensive §2")
        assert seen[3][1].startswith("▶ 1. 100%  lattakia-offensive §11")
        assert seen[4][1].startswith("▶ 1. 100% repaired  lattakia-offensive §13")
        assert "12 → 15" in seen[4][1] and "no less than 15 dead" in seen[4][-1]
        assert seen[5][1].startswith("▶ 1. 83%  lattakia-offensive §11")
        assert seen[6] == ["Memory: no match of 70% or more"]
        assert pane.has_class("-quiet")
        await go(app, 4)
        styles = {str(s.style): pane.text.plain[s.start : s.end] for s in pane.text.spans}
        assert styles[DELETED] == "١٢" and styles[INSERTED] == "١٥"
        await go(app, 5)
        text = pane.text
        struck = [text.plain[s.start : s.end] for s in text.spans if str(s.style) == DELETED]
        added = [text.plain[s.start : s.end] for s in text.spans if str(s.style) == INSERTED]
        assert "ﺔﻳﻮﺟ" in struck and "ﻒﺼﻗ" in added  # shaped: جوية out, قصف in


@synchronous
async def test_one_key_inserts_the_match_as_a_tm_revision(env: Home, followup: str) -> None:
    """Shift+F11 puts the repaired match's English in the box and saves it as a `tm`
    revision whose note names the unit and its origin; Ctrl+_ takes it back alone."""
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=followup)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app)
        await go(app, 4)
        await pilot.press("shift+f11")
        await settle(app)
        editor = app.screen.query_one(EnglishEditor)
        assert "no less than 15 dead" in editor.text and not editor.dirty
        assert any("Inserted the 100% repaired match" in n for n in notices(app))
        [inserted] = once(messages, MemoryMatches.Inserted)
        assert (inserted.n, inserted.origin, inserted.label) == (4, "desk", "100% repaired")
        assert (
            "no less than 15 dead" in Home(env.path).desk.store.load_story(followup).segment(4).text
        )
        last = last_revision(env, followup, 4)
        await pilot.press("ctrl+underscore")
        await settle(app)
        assert editor.text == ""
    assert last.kind == RevisionKind.TM and last.author == "rania" and last.segment_n == 4
    note = json.loads(last.note)
    assert note["origin"] == "desk" and note["unit"] == inserted.unit_id
    assert note["where"] == "lattakia-offensive §13 (unpublished)"
    assert note["repaired"] == ["12 → 15"]


@synchronous
async def test_picking_another_match_and_comparing_with_it(env: Home, followup: str) -> None:
    """Two units of one sentence: Ctrl+Shift+Down marks the second, Ctrl+T goes from the
    diff against the draft to the diff against the match to none, and the insert takes the
    match marked, its origin in the revision."""
    with env.desk.store.write() as conn:
        add_units(conn, [NewUnit(env.desk.store.load_story(followup).segment(3).source,
                                 "Fierce fighting raged on several fronts.", WIRE)])  # fmt: skip
    app = make_app(env, author="rania", slug=followup)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await go(app, 3)
        pane = app.screen.query_one(MatchesPane)
        assert pane.lines[0].startswith("Memory: 2 matches  (Shift+F11 inserts ▶")
        assert [line[:4] for line in pane.lines if line[2:3].isdigit()] == ["▶ 1.", "  2."]
        await pilot.press("ctrl+shift+down")
        assert [line[:4] for line in pane.lines if line[2:3].isdigit()] == ["  1.", "▶ 2."]
        diff = app.screen.query_one(DiffView)
        assert str(diff.render()).startswith("Diff vs draft")
        await pilot.press("ctrl+t")
        assert str(diff.render()).startswith("Diff vs match (100%): Fierce fighting")
        await pilot.press("ctrl+t")
        assert diff.has_class("-hidden")
        await pilot.press("ctrl+t")
        assert not diff.has_class("-hidden") and str(diff.render()).startswith("Diff vs draft")
        await pilot.press("ctrl+shift+up", "ctrl+shift+up", "shift+f11")
        await settle(app)
        assert (
            app.screen.query_one(EnglishEditor).text == "Fierce fighting raged on several fronts."
        )
    assert json.loads(last_revision(env, followup, 3).note)["origin"] == WIRE


@synchronous
async def test_a_late_result_for_a_segment_left_is_dropped(env: Home, followup: str) -> None:
    """Matches that arrive for segment 1 once the person is on segment 5 are not shown."""
    app = make_app(env, author="rania", slug=followup)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = editor_screen(app)
        first = list(screen.session.matches or [])
        await go(app, 5)
        shown = screen.query_one(MatchesPane).lines
        screen.memory.post_message(MemoryMatches.Found(followup, 1, first))
        await pilot.pause()
        assert screen.query_one(MatchesPane).lines == shown
        assert screen.session.matches_n == 5


@synchronous
async def test_an_insert_over_someone_elses_save_asks_first(env: Home, followup: str) -> None:
    """Someone saved the segment meanwhile: the conflict dialog shows the match as yours;
    keeping it writes the `tm` revision over theirs."""
    app = make_app(env, author="rania", slug=followup)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await go(app, 4)
        Home(env.path).desk.edit(followup, 4, "Their casualty figure.", author="omar")
        await pilot.press("shift+f11")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert "15 dead" in app.screen.mine and app.screen.theirs == "Their casualty figure."
        await pilot.click("#mine")
        await settle(app)
        assert isinstance(app.screen, EditorScreen)
        assert "15 dead" in app.screen.query_one(EnglishEditor).text
    last = last_revision(env, followup, 4)
    assert last.kind == RevisionKind.TM and last.before == "Their casualty figure."


@synchronous
async def test_the_concordance_finds_and_enter_copies(env: Home, followup: str) -> None:
    """Shift+F12 opens the concordance with the English selected; typing searches the
    whole memory; Enter puts the sentence holding the words into the box at the cursor."""
    app = make_app(env, author="rania", slug=followup)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await go(app, 6)
        editor = app.screen.query_one(EnglishEditor)
        editor.load_text("Schools closed.")
        editor.select_all()
        await pilot.press("shift+f12")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConcordanceScreen)
        box = screen.query_one(Input)
        assert box.value == "Schools closed."
        box.value = ""
        await pilot.press(*"regime forces")
        await pilot.pause(0.5)
        await settle(app)
        await pilot.pause()
        assert screen.units and screen.searched == "regime forces"
        assert len(screen.units) == 2
        assert all("regime forces" in u.target.lower() for u in screen.units)
        listed = str(screen.query_one("#concordance-status").render())
        assert f"{len(screen.units)} unit(s)" in listed
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        chosen = fragment(screen.units[1].target, "regime forces")
        assert editor.text == f"Schools closed. {chosen}"
        assert editor.dirty  # saved as typing is


@synchronous
async def test_the_concordance_searches_arabic_and_escape_copies_nothing(
    env: Home, followup: str
) -> None:
    """An Arabic phrase finds the units holding it; Esc leaves the box as it was."""
    app = make_app(env, author="rania", slug=followup)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("shift+f12")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConcordanceScreen)
        screen.query_one(Input).value = "جبل الأكراد"
        await pilot.pause(0.5)
        await settle(app)
        await pilot.pause()
        assert screen.units and all("الأكراد" in u.source for u in screen.units)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one(EnglishEditor).text == ""


@synchronous
async def test_text_from_the_memory_is_shown_never_obeyed(env: Home, followup: str) -> None:
    """A unit's markup and escapes are drawn as text: no style, no escape reaches the
    terminal."""
    hostile = "[bold red]Boom[/] \x1b]0;owned\x07 \u202eevil"
    with env.desk.store.write() as conn:
        add_units(conn, [NewUnit(env.desk.store.load_story(followup).segment(3).source,
                                 hostile, "[link=x]tmx[/link]")])  # fmt: skip
    app = make_app(env, author="rania", slug=followup)
    async with app.run_test(size=SIZE):
        await settle(app)
        await go(app, 3)
        text = "\n".join(app.screen.query_one(MatchesPane).lines)
        assert "[bold red]Boom[/]" in text and "[link=x]tmx[/link]" in text
        assert "\x1b" not in text and "\x07" not in text and "⟨RLO⟩evil" in text


def test_the_fragment_copied_is_the_sentence_holding_the_words() -> None:
    """An English search copies the sentence it found; an Arabic one, the whole English;
    a control character never reaches the box."""
    english = "Shelling continued. The Syrian Observatory said 12 died. Schools closed."
    assert fragment(english, "syrian  OBSERVATORY") == "The Syrian Observatory said 12 died."
    assert fragment(english, "المرصد السوري") == english
    assert fragment(english, "not there") == english
    assert fragment("Boom\x1b[2J here.", "boom") == "Boom\ufffd[2J here."


@synchronous
async def test_the_help_names_the_memory_keys(env: Home, followup: str) -> None:
    """F1 in the editor lists the keys of the matches and the concordance; F1 in the
    concordance lists its own."""
    app = make_app(env, author="rania", slug=followup)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = {d: k for k, d, _ in app.screen.lines}
        assert keys["Insert match"] == "shift+f11" and keys["Concordance"] == "shift+f12"
        assert {"Next match", "Prev match"} <= set(keys)
        await pilot.press("escape", "shift+f12")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.title_text == "Concordance"
        assert "Close" in {d for _, d, _ in app.screen.lines}
