"""Pilot tests of the editor's redraft, search, undo-a-save and rebindable keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from desk.cli import Env
from desk.core.config import TUI_ACTIONS, load_config
from desk.core.errors import InputError
from desk.core.story import RevisionKind, SegmentStatus, StoryStatus
from desk.locations import config_path
from desk.tui import make_app
from desk.tui.app import DeskApp
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.help import HelpScreen
from desk.tui.screens.search import SearchScreen
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.status_header import StatusHeader
from tests.helpers.tui import SIZE, SLUG, settle, synchronous

NEW_KEYS = {
    "search": "ctrl+f",
    "redraft": "ctrl+right_square_bracket",
    "redraft_story": "ctrl+backslash",
    "undo_saved": "ctrl+underscore",
}


def once(messages: list[Message], kind: type[Message]) -> list[Any]:
    """The messages of `kind`, each once (a bubbling message is seen at every node)."""
    return [m for m in {id(m): m for m in messages}.values() if isinstance(m, kind)]


def notices(app: Any) -> list[str]:
    """The notifications shown so far."""
    return [str(n.message) for n in app._notifications]


def publish(env: Env) -> None:
    """Take the sample to published through the core."""
    env.desk.confirm(SLUG, None, author="rania")
    for status in (StoryStatus.REVIEW, StoryStatus.APPROVED, StoryStatus.PUBLISHED):
        env.desk.set_status(SLUG, status, author="omar")


# -- the keys -------------------------------------------------------------------------


@synchronous
async def test_the_new_keys_reach_the_screen_while_typing(env: Env) -> None:
    """Search, redraft, redraft story and undo-a-save are not taken by the TextArea."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(app.focused, EnglishEditor)
        active = screen.active_bindings
        for action, key in NEW_KEYS.items():
            assert active[key].node is screen, f"{key} is taken by {active[key].node}"
            assert active[key].binding.action == action


def test_every_binding_can_be_rebound_by_its_action_name() -> None:
    """Each editor and app binding has its action as id (`fix_one(N)` has `fix_N`), and
    `[tui.keys]` knows it."""
    for cls in (EditorScreen, DeskApp):
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding)
            name = binding.action.replace("fix_one(", "fix_").rstrip(")")
            assert binding.id == name and binding.id in TUI_ACTIONS


# -- redraft ------------------------------------------------------------------------------


@synchronous
async def test_redraft_segment_runs_the_engine_in_a_worker(env: Env) -> None:
    """The key drafts the current segment again (demo model), saved as `mt`, shown at once."""
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app)
        await pilot.press("ctrl+down")
        screen = app.screen
        assert isinstance(screen, EditorScreen) and screen.current == 2
        editor = screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "x")  # unsaved typing is saved before the redraft
        await pilot.press("ctrl+right_square_bracket")
        await settle(app)
        await pilot.pause()
        story = env.desk.store.load_story(SLUG)
        seg = story.segment(2)
        assert seg.engine == "argos" and "demo model" in seg.model
        assert seg.status == SegmentStatus.DRAFT
        assert editor.text == seg.text and screen.base_version == seg.version
        assert "drafting" not in str(screen.query_one(StatusHeader).render())
        assert any("Redrafted 1 segment(s)." in n for n in notices(app))
    revisions = env.desk.store.revisions(story.id or 0)
    mt = [r for r in revisions if r.kind == RevisionKind.MT]
    assert [(r.author, r.segment_n) for r in mt] == [("argos", 2)]
    assert mt[0].before.endswith(" x")  # the typing was saved first, then redrafted
    assert json.loads(mt[0].note)["requested_by"] == "rania"
    arrived = once(messages, EditorScreen.Redrafted)
    assert [(m.n, m.done, m.total) for m in arrived] == [(2, 1, 1)]
    finished = once(messages, EditorScreen.RedraftFinished)
    assert [(m.drafted, m.error) for m in finished] == [([2], "")]


@synchronous
async def test_redraft_story_drafts_untouched_segments_row_by_row(env: Env) -> None:
    """Only segments nobody worked on are redrafted; each row arrives with its progress."""
    env.desk.confirm(SLUG, list(range(4, 36)), author="omar")
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app)
        await pilot.press("ctrl+backslash")
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        assert screen.query_one(EnglishEditor).text == screen.story.segment(1).text
        assert any("Redrafted 3 segment(s)." in n for n in notices(app))
        arrived = once(messages, EditorScreen.Redrafted)
        assert sorted(m.n for m in arrived) == [1, 2, 3]
        assert [(m.done, m.total) for m in arrived] == [(1, 3), (2, 3), (3, 3)]
        screen.post_message(EditorScreen.Redrafted(2, 2, 3))  # as a draft arrives: the header
        await pilot.pause()
        assert "drafting 2/3" in str(screen.query_one(StatusHeader).render())
    story = env.desk.store.load_story(SLUG)
    assert [s.engine for s in story.segments[:4]] == ["argos", "argos", "argos", "import"]


@synchronous
async def test_redraft_is_refused_for_a_published_story(env: Env) -> None:
    """A published story is frozen: the core's reason, and no engine runs."""
    publish(env)
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+right_square_bracket", "ctrl+backslash")
        await settle(app)
    refused = once(messages, EditorScreen.Refused)
    assert [m.action for m in refused] == ["redraft", "redraft"]
    assert all("published and frozen" in m.reason for m in refused)
    assert not once(messages, EditorScreen.Redrafted)


# -- search ---------------------------------------------------------------------------------


@synchronous
async def test_search_jumps_to_the_next_match_and_wraps(env: Env) -> None:
    """English case-insensitively, Arabic normalised; Enter again goes on, then wraps."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        story = screen.story
        salma = [s.n for s in story.segments if "salma" in s.text.casefold()]
        assert len(salma) >= 2
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        app.screen.query_one(Input).value = "SALMA"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == salma[0]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == salma[1]
        # Bare alef finds the hamza's alef in the Arabic (الأكراد), wrapping round.
        app.screen.query_one(Input).value = "الاكراد"
        await pilot.press("enter")
        await pilot.pause()
        akrad = [s.n for s in story.segments if "الأكراد" in s.source]
        later = [n for n in akrad if n > salma[1]]
        assert screen.current == (later or akrad)[0]
        app.screen.query_one(Input).value = "no such words"
        await pilot.press("enter")
        await pilot.pause()
        assert any("No segment contains 'no such words'" in n for n in notices(app))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+f")  # the dialog remembers the last search
        assert app.screen.query_one(Input).value == "no such words"


# -- undo a saved change ----------------------------------------------------------------------


@synchronous
async def test_undo_puts_back_the_text_before_the_last_saved_change(env: Env) -> None:
    """The undo is a new `edit` revision; the log keeps both."""
    messages: list[Message] = []
    original = env.desk.store.load_story(SLUG).segment(2).text
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app)
        await pilot.press("ctrl+down")
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        editor = screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "y", "e", "s")
        await pilot.press("ctrl+underscore")  # saves the typing, then undoes that save
        await pilot.pause()
        assert editor.text == original
        assert screen.current == 2
    story = env.desk.store.load_story(SLUG)
    assert story.segment(2).text == original
    edits = [r for r in env.desk.store.revisions(story.id or 0) if r.kind == RevisionKind.EDIT]
    assert [(r.author, r.before, r.after) for r in edits] == [
        ("rania", original, original + " yes"),
        ("rania", original + " yes", original),
    ]
    assert [m.n for m in once(messages, EditorScreen.Undone)] == [2]


@synchronous
async def test_undo_with_nothing_saved_and_on_a_published_story(env: Env) -> None:
    """Nothing to undo says so; a published story is refused with the core's reason."""
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+underscore")
        await pilot.pause()
        assert any("No saved change to undo" in n for n in notices(app))
    publish(env)
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+underscore")
        await pilot.pause()
    refused = once(messages, EditorScreen.Refused)
    assert [m.action for m in refused] == ["undo"]
    assert "published and frozen" in refused[0].reason


# -- keys from the config ----------------------------------------------------------------------


@synchronous
async def test_keys_rebound_in_the_config(env: Env) -> None:
    """`[tui.keys]` moves a binding; the footer's bindings and the help show the new key."""
    config_path(env.home).write_text(
        '[tui.keys]\nconfirm_next = "ctrl+f1"\nhelp = "f1,ctrl+f2"\n', encoding="utf-8"
    )
    app = make_app(Env(env.home), author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        active = screen.active_bindings
        assert active["ctrl+f1"].binding.action == "confirm_next"
        assert "ctrl+s" not in active and "f2" not in active
        await pilot.press("ctrl+f1")
        await pilot.pause()
        assert isinstance(screen, EditorScreen) and screen.current == 2
        assert screen.story.segment(1).status == SegmentStatus.CONFIRMED
        await pilot.press("ctrl+f2")
        assert isinstance(app.screen, HelpScreen)
        lines = {d: k for k, d, _ in app.screen.lines}
        assert lines["Confirm+next"] == app.get_key_display(Binding("ctrl+f1", ""))
        assert app.get_key_display(Binding("ctrl+f2", "")) in lines["Help"]


def test_tui_keys_are_checked_when_the_config_is_read(tmp_path: Path) -> None:
    """Unknown actions and empty keys are refused, naming config.toml and the action."""
    path = tmp_path / "config.toml"
    path.write_text('[tui.keys]\nsearch = "ctrl+f5"\nback = "escape, f11"\n', encoding="utf-8")
    assert load_config(path).tui_keys == {"search": "ctrl+f5", "back": "escape,f11"}
    for bad, what in [
        ('fly = "ctrl+f5"', "no action 'fly'"),
        ('search = ""', "search = ''"),
        ('search = "ctrl+f,"', "search"),
        ("search = 5", "search must be a string"),
    ]:
        path.write_text(f"[tui.keys]\n{bad}\n", encoding="utf-8")
        with pytest.raises(InputError, match=r"config\.toml") as caught:
            load_config(path)
        assert what in str(caught.value)


def test_a_bad_keymap_is_refused_before_the_workbench_starts(env: Env) -> None:
    """make_app reads the config first: the CLI prints the error instead of a traceback."""
    config_path(env.home).write_text('[tui.keys]\nconfirm = "ctrl+s"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"config\.toml: \[tui.keys\] has no action 'confirm'"):
        make_app(Env(env.home), author="rania")
