"""Undo a saved change: the text before the last save comes back as a new revision."""

from __future__ import annotations

from textual.message import Message

from desk.app.home import Home
from desk.core.story import RevisionKind
from desk.tui import make_app
from desk.tui.screens import editor_messages
from desk.tui.screens.editor import EditorScreen
from desk.tui.widgets.english_editor import EnglishEditor
from tests.helpers.tui import SIZE, SLUG, notices, once, publish, settle, synchronous


@synchronous
async def test_undo_puts_back_the_text_before_the_last_saved_change(env: Home) -> None:
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
        assert screen.session.current == 2
    story = env.desk.store.load_story(SLUG)
    assert story.segment(2).text == original
    edits = [r for r in env.desk.store.revisions(story.id or 0) if r.kind == RevisionKind.EDIT]
    assert [(r.author, r.before, r.after) for r in edits] == [
        ("rania", original, original + " yes"),
        ("rania", original + " yes", original),
    ]
    assert [m.n for m in once(messages, editor_messages.Undone)] == [2]


@synchronous
async def test_undo_with_nothing_saved_and_on_a_published_story(env: Home) -> None:
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
    refused = once(messages, editor_messages.Refused)
    assert [m.action for m in refused] == ["undo"]
    assert "published and frozen" in refused[0].reason
