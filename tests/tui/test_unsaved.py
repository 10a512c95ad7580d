"""Typed English is never lost: quitting saves it; a store that refuses the save keeps it
in the box and in the desk home's recovery file, offered back at the next open."""

from __future__ import annotations

import sqlite3
import time

import pytest

from desk.app import recovery
from desk.app.home import Home
from desk.locations import database_path
from desk.tui import make_app
from desk.tui.context import UI_BUSY_TIMEOUT_MS
from desk.tui.screens import editor as editor_screen
from desk.tui.screens import editor_messages as messages
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
    """Another process holds the write lock: moving on is refused with the reason
    within about a second (the workbench's short busy timeout, not a command's 10 s),
    the text stays in the box and in the recovery file; once the lock is gone the retry
    saves it and the recovery file is emptied."""
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
        await pilot.press("space", "L", "O", "C", "K")
        started = time.monotonic()
        await pilot.press("ctrl+down")
        waited = time.monotonic() - started
        await pilot.pause()
        assert waited < 3 * UI_BUSY_TIMEOUT_MS / 1000, f"the UI waited {waited:.1f} s"
        assert screen.session.current == 1 and editor.text.endswith(" LOCK")
        assert recovery.kept(env.path, SLUG)[1].text.endswith(" LOCK")
        other.execute("ROLLBACK")
        other.close()
        await pilot.pause(2 * UI_BUSY_TIMEOUT_MS / 1000 + 1.0)
        await settle(app)
    assert Home(env.path).desk.store.load_story(SLUG).segment(1).text.endswith(" LOCK")
    assert recovery.kept(env.path, SLUG) == {}


@synchronous
async def test_a_refused_save_that_cannot_be_kept_either_still_retries(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store refuses and the recovery file cannot be written either (as on a full
    disk; here its name, and the name it would be set aside under, are taken by
    folders): the notice says the database is unavailable and that the disk refused to
    keep the text, not the recovery file's error; the retry still saves it."""
    monkeypatch.setattr(editor_screen, "RETRY_SECONDS", 0.5)
    for name in (f"{SLUG}.json", f"{SLUG}.broken"):
        (env.path / "recovery" / name).mkdir(parents=True)
        (env.path / "recovery" / name / "in the way").write_text("", encoding="utf-8")
    refusals: list[str] = []

    def heard(message: object) -> None:
        """Keep the reasons of refused actions."""
        if isinstance(message, messages.Refused):
            refusals.append(message.reason)

    app = make_app(Home(env.path), author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=heard) as pilot:
        await settle(app)
        editor = app.screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        other = sqlite3.connect(database_path(env.path), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        await pilot.press("space", "K", "E", "P", "T", "ctrl+down")
        await pilot.pause()
        assert editor.text.endswith(" KEPT")
        assert refusals and "database is unavailable: database is locked" in refusals[0]
        assert "the disk refused to keep it too" in refusals[0]
        other.execute("ROLLBACK")
        other.close()
        await pilot.pause(2 * UI_BUSY_TIMEOUT_MS / 1000 + 1.0)
        await settle(app)
    assert Home(env.path).desk.store.load_story(SLUG).segment(1).text.endswith(" KEPT")


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
