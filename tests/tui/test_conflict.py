"""The conflict dialog: a save that someone else's save got ahead of."""

from __future__ import annotations

from desk.app.home import Home
from desk.tui import make_app
from desk.tui.screens.conflict import ConflictScreen
from desk.tui.screens.editor import EditorScreen
from desk.tui.widgets.english_editor import EnglishEditor
from tests.helpers.tui import SIZE, SLUG, synchronous


@synchronous
async def test_a_conflicting_save_shows_both_texts_and_overwrites_nothing(env: Home) -> None:
    """Someone else saved the segment meanwhile: a dialog shows both; theirs is kept."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        env.desk.edit(SLUG, 1, "Their headline", author="omar")
        editor = app.screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "x", "ctrl+down")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert app.screen.theirs == "Their headline" and app.screen.mine.endswith(" x")
        assert app.screen.who == "omar"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert editor.text == "Their headline"
    story = env.desk.store.load_story(SLUG)
    assert story.segment(1).text == "Their headline"
    edits = [r.author for r in env.desk.store.revisions(story.id or 0) if r.kind == "edit"]
    assert edits == ["omar"]
