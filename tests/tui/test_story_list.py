"""Pilot tests of the story list: open, filter and sort, delete, findings, a large archive."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from desk.app.home import Home
from desk.core.glossary.model import load_folder
from desk.core.importer import ImportOptions
from desk.tui import make_app
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.story_list import StoryListScreen
from desk.tui.widgets.story_table import StoryTable
from tests.helpers.paths import SAMPLES
from tests.helpers.tui import SIZE, SLUG, settle, synchronous

OTHER = "hassakeh-water"


@synchronous
async def test_story_list_shows_the_story_and_opens_it(env: Home) -> None:
    """The list shows slug, status and progress; Enter opens the editor on segment 1."""
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, StoryListScreen)
        table = app.screen.query_one(StoryTable)
        cell = {key: table.get_cell(SLUG, key) for key in ("slug", "status", "progress")}
        assert cell == {"slug": SLUG, "status": "new", "progress": "0/35"}
        assert table.get_cell(SLUG, "author") == "importer"
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.session.current == 1


@synchronous
async def test_story_list_filters_by_status_and_sorts(env: Home) -> None:
    """`f` cycles the status shown (all, new, translating, …); `o` cycles the order."""
    env.desk.import_story(
        SAMPLES / "hassakeh-water.ar.md",
        ImportOptions(draft=SAMPLES / "hassakeh-water.draft.en.md"),
        author="importer",
    )
    env.desk.confirm(SLUG, [1], author="rania")  # lattakia: translating, updated last
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(StoryTable)

        def slugs() -> list[str]:
            return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]

        assert slugs() == [SLUG, "hassakeh-water"]
        await pilot.press("f")
        assert slugs() == ["hassakeh-water"]
        assert "only new" in str(app.screen.query_one("#list-title").render())
        await pilot.press("f")
        assert slugs() == [SLUG]
        await pilot.press("f")
        assert slugs() == [] and "No review stories" in str(
            app.screen.query_one("#list-empty").render()
        )
        for _ in range(4):  # approved, published, correcting, all
            await pilot.press("f")
        assert slugs() == [SLUG, "hassakeh-water"]
        await pilot.press("o")  # by slug
        assert slugs() == ["hassakeh-water", SLUG]
        await pilot.press("o")  # by status: new before translating
        assert slugs() == ["hassakeh-water", SLUG]
        await pilot.press("o")
        assert slugs() == [SLUG, "hassakeh-water"]


@synchronous
async def test_delete_a_new_story_from_the_list(env: Home) -> None:
    """`d` asks first (n keeps the story), y deletes a new story; a story someone has
    worked on is refused with a notice."""
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("d")
        await pilot.press("n")
        assert env.desk.store.has_story(SLUG)
        await pilot.press("d")
        await pilot.press("y")
        await settle(app)
        assert not env.desk.store.has_story(SLUG)
        assert app.screen.query_one(StoryTable).row_count == 0
    env.desk.import_story(
        SAMPLES / f"{SLUG}.ar.md",
        ImportOptions(draft=SAMPLES / f"{SLUG}.draft.en.md"),
        author="importer",
    )
    env.desk.confirm(SLUG, [1], author="rania")
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("d")
        await settle(app)
        assert env.desk.store.has_story(SLUG)
        assert any("only a story still new" in str(n.message) for n in app._notifications)


@synchronous
async def test_the_list_counts_open_findings(env: Home) -> None:
    """The Findings column shows each story's open glossary findings, counted in a worker."""
    from desk.core.glossary.enforce import Enforcer
    from desk.core.glossary.stories import check_story
    from desk.locations import glossary_dir

    folder = glossary_dir(env.path, None, env.config.glossary_folder)
    expected = sum(
        len(r.findings)
        for r in check_story(env.desk.store.load_story(SLUG), Enforcer(load_folder(folder)))
    )
    assert expected > 0
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        table = app.screen.query_one(StoryTable)
        assert table.get_cell(SLUG, "findings") == str(expected)


@synchronous
async def test_a_large_archive_lists_only_the_newest_stories(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SHOWN stories the list holds the newest and says how many there are."""
    import desk.tui.screens.story_list as story_list
    from tests.helpers.stories import import_sample

    import_sample(env, OTHER)
    import_sample(env, "idleb-displacement")
    monkeypatch.setattr(story_list, "SHOWN", 2)
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE):
        await settle(app)
        assert isinstance(app.screen, StoryListScreen)
        assert app.screen.query_one(StoryTable).row_count == 2
        title = str(app.screen.query_one("#list-title", Static).render())
        assert "newest 2 of 3" in title
