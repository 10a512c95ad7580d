"""The help screen: every key of the story list and of the editor, named."""

from __future__ import annotations

from desk.app.home import Home
from desk.tui import make_app
from desk.tui.screens.help import HelpScreen
from desk.tui.widgets.story_table import StoryTable
from tests.helpers.tui import SIZE, synchronous


@synchronous
async def test_help_lists_every_key_of_the_screen(env: Home) -> None:
    """`?` on the list and F1 in the editor open a help naming each binding."""
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(f"{k} {d}" for k, d, _ in app.screen.lines)
        assert "Open" in text and "Reload" in text and "Help" in text
        await pilot.press("escape")
        app.screen.query_one(StoryTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        descriptions = {d for _, d, _ in app.screen.lines}
        assert {
            "Next", "Prev", "Confirm+next", "Confirm all", "Glossary fix", "Next finding",
            "Revert", "Diff", "Review", "Approve", "Publish", "Export", "Stories", "Help",
        } <= descriptions  # fmt: skip
