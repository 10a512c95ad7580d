"""Search in story (Ctrl+F): jump to the next segment holding the text, English or Arabic."""

from __future__ import annotations

from textual.widgets import Input

from desk.app.home import Home
from desk.tui import make_app
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.find_in_story import SearchScreen
from tests.helpers.tui import SIZE, SLUG, notices, settle, synchronous


@synchronous
async def test_search_jumps_to_the_next_match_and_wraps(env: Home) -> None:
    """English case-insensitively, Arabic normalised; Enter again goes on, then wraps."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        story = screen.session.story
        salma = [s.n for s in story.segments if "salma" in s.text.casefold()]
        assert len(salma) >= 2
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        app.screen.query_one(Input).value = "SALMA"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.current == salma[0]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.current == salma[1]
        # Bare alef finds the hamza's alef in the Arabic (الأكراد), wrapping round.
        app.screen.query_one(Input).value = "الاكراد"
        await pilot.press("enter")
        await pilot.pause()
        akrad = [s.n for s in story.segments if "الأكراد" in s.source]
        later = [n for n in akrad if n > salma[1]]
        assert screen.session.current == (later or akrad)[0]
        app.screen.query_one(Input).value = "no such words"
        await pilot.press("enter")
        await pilot.pause()
        assert any("No segment contains 'no such words'" in n for n in notices(app))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+f")  # the dialog remembers the last search
        assert app.screen.query_one(Input).value == "no such words"
