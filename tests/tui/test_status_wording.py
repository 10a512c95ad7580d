"""The editor's notice of a status move reads as a sentence."""

from __future__ import annotations

from desk.app.home import Home
from desk.core.story import StoryStatus
from desk.tui import make_app
from tests.helpers.tui import SIZE, SLUG, notices, settle, synchronous


@synchronous
async def test_f4_says_the_story_is_now_in_review(env: Home) -> None:
    """F4 sends the story to review and says "The story is now in review."."""
    env.desk.set_status(SLUG, StoryStatus.TRANSLATING, author="rania")
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await settle(app)
        assert "The story is now in review." in notices(app)
        assert "The story is now review." not in notices(app)
    assert env.desk.store.load_story(SLUG).status == StoryStatus.REVIEW
