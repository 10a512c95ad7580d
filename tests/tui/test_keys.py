"""The editor's keys: none is taken by the English box while typing; each can be rebound in
`[tui.keys]`, and a bad keymap is refused before the workbench starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding

from desk.app.home import Home
from desk.core.config import TUI_ACTIONS, load_config
from desk.core.errors import InputError
from desk.core.story import SegmentStatus
from desk.locations import config_path
from desk.tui import make_app
from desk.tui.app import DeskApp
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.help import HelpScreen
from desk.tui.widgets.english_editor import EnglishEditor
from tests.helpers.tui import SIZE, SLUG, synchronous

NEW_KEYS = {
    "search": "ctrl+f",
    "redraft": "ctrl+right_square_bracket",
    "redraft_story": "ctrl+backslash",
    "undo_saved": "ctrl+underscore",
}


@synchronous
async def test_every_editor_key_reaches_the_screen_while_typing(env: Home) -> None:
    """No editor binding is shadowed by the focused TextArea's own bindings."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(app.focused, EnglishEditor)
        active = screen.active_bindings
        for binding in EditorScreen.BINDINGS:
            assert isinstance(binding, Binding)
            for key in binding.key.split(","):
                assert active[key].node is screen, f"{key} is taken by {active[key].node}"


@synchronous
async def test_the_new_keys_reach_the_screen_while_typing(env: Home) -> None:
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
            name = binding.action.replace("fix_one(", "fix_").rstrip(")").removeprefix("app.")
            assert binding.id == name and binding.id in TUI_ACTIONS


# -- keys from the config --------------------------------------------------------------


@synchronous
async def test_keys_rebound_in_the_config(env: Home) -> None:
    """`[tui.keys]` moves a binding; the footer's bindings and the help show the new key."""
    config_path(env.path).write_text(
        '[tui.keys]\nconfirm_next = "ctrl+f1"\nhelp = "f1,ctrl+f2"\n', encoding="utf-8"
    )
    app = make_app(Home(env.path), author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        active = screen.active_bindings
        assert active["ctrl+f1"].binding.action == "confirm_next"
        assert "ctrl+s" not in active and "f2" not in active
        await pilot.press("ctrl+f1")
        await pilot.pause()
        assert isinstance(screen, EditorScreen) and screen.session.current == 2
        assert screen.session.story.segment(1).status == SegmentStatus.CONFIRMED
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


def test_a_bad_keymap_is_refused_before_the_workbench_starts(env: Home) -> None:
    """make_app reads the config first: the CLI prints the error instead of a traceback."""
    config_path(env.path).write_text('[tui.keys]\nconfirm = "ctrl+s"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"config\.toml: \[tui.keys\] has no action 'confirm'"):
        make_app(Home(env.path), author="rania")
