"""Typed English is never lost: quitting saves it; a store that refuses the save keeps it
in the box and in the desk home's recovery file, offered back at the next open."""

from __future__ import annotations

import sqlite3

import pytest

from desk.app import recovery
from desk.app.home import Home
from desk.core.store import sqlite as store_sqlite
from desk.locations import database_path
from desk.tui import make_app
from desk.tui.screens import editor as editor_screen
from desk.tui.screens.editor import EditorScreen
from desk.tui.widgets.english_editor import EnglishEditor
from tests.helpers.tui import SIZE, SLUG, settle, synchronous


@synchronous
async def test_quit_right_after_typing_saves_the_text(env: Home) -> None:
    """Ctrl+Q a moment after typing: the English is saved before the app exits."""
    app = make_app(Home(env.path), author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        editor = app.screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "Q", "U", "I", "T")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert Home(env.path).desk.store.load_story(SLUG).segment(1).text.endswith(" QUIT")


@synchronous
async def test_a_locked_database_keeps_the_text_and_saves_it_later(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the write lock past the timeout: moving on is refused with
    the reason, the text stays in the box and in the recovery file; once the lock is
    gone the retry saves it and the recovery file is emptied."""
    monkeypatch.setattr(store_sqlite, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(editor_screen, "RETRY_SECONDS", 0.5)
    app = make_app(Home(env.path), author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        editor = screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        other = sqlite3.connect(database_path(env.path), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        await pilot.press("space", "L", "O", "C", "K", "ctrl+down")
        await pilot.pause()
        assert screen.session.current == 1 and editor.text.endswith(" LOCK")
        assert recovery.kept(env.path, SLUG)[1].text.endswith(" LOCK")
        other.execute("ROLLBACK")
        other.close()
        await pilot.pause(1.0)
        await settle(app)
    assert Home(env.path).desk.store.load_story(SLUG).segment(1).text.endswith(" LOCK")
    assert recovery.kept(env.path, SLUG) == {}


@synchronous
async def test_kept_text_is_offered_back_at_the_next_open(env: Home) -> None:
    """English kept in the recovery file (a save that never happened) comes back in
    its segment's box at the next open, and is saved from there."""
    seg = Home(env.path).desk.store.load_story(SLUG).segment(3)
    recovery.keep(env.path, SLUG, 3, seg.text + " RECOVERED", seg.version)
    app = make_app(Home(env.path), author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = app.screen
        assert isinstance(screen, EditorScreen) and screen.session.current == 3
        assert screen.query_one(EnglishEditor).text.endswith(" RECOVERED")
        await pilot.press("ctrl+down")
        await pilot.pause()
    assert Home(env.path).desk.store.load_story(SLUG).segment(3).text.endswith(" RECOVERED")
    assert recovery.kept(env.path, SLUG) == {}


def test_a_broken_recovery_file_is_set_aside(env: Home) -> None:
    """An unreadable recovery file offers nothing and is moved out of the way."""
    folder = env.path / "recovery"
    folder.mkdir()
    (folder / f"{SLUG}.json").write_text("{not json", encoding="utf-8")
    assert recovery.kept(env.path, SLUG) == {}
    assert (folder / f"{SLUG}.broken").exists()
