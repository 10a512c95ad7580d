"""Pilot tests of the story list: open, filter and sort, delete, findings, a large archive,
the headline on screen, the search box, who is working."""

from __future__ import annotations

import getpass
import html
import re

import pytest
from rich.text import Text
from textual.widgets import Input, Static
from textual.widgets.data_table import ColumnKey

from desk.app.home import Home
from desk.core.glossary.model import load_folder
from desk.core.importer import ImportOptions
from desk.core.slugs import slug_from_text
from desk.tui import make_app
from desk.tui.arabic import display_arabic
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.story_list import StoryListScreen
from desk.tui.widgets.row_key import cursor_key
from desk.tui.widgets.story_table import StoryTable
from tests.helpers.paths import SAMPLES
from tests.helpers.stories import import_sample, write_small
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


# -- the headline on screen ----------------------------------------------------------------

# The slug desk makes from the Lattakia sample's English headline when none is given.
LONG_SLUG = slug_from_text(
    "Concern of sectarian violations in Latakia countryside as the regime forces approach"
)
HEADLINE = "Concern of sectarian violations in Latakia"


def screen_text(app: object) -> str:
    """Everything on the screen as text (the SVG screenshot without its markup)."""
    from textual.app import App

    assert isinstance(app, App)
    svg = html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot()))
    return svg.replace("\xa0", " ")


def import_long_slug(env: Home) -> None:
    """The Lattakia sample again under the 60-character slug desk would make for it, and
    the small story with no English yet (its Arabic headline is what the list shows)."""
    assert len(LONG_SLUG) >= 55
    env.desk.import_story(
        SAMPLES / f"{SLUG}.ar.md",
        ImportOptions(slug=LONG_SLUG, draft=SAMPLES / f"{SLUG}.draft.en.md"),
        author="importer",
    )
    source, _ = write_small(env.path.parent / "small")
    env.desk.import_story(source, ImportOptions(), author="importer")


@pytest.mark.parametrize(("size", "shown"), [((120, 36), 36), ((80, 24), 28)])
@synchronous
async def test_the_headline_is_on_screen_without_scrolling(
    env: Home, size: tuple[int, int], shown: int
) -> None:
    """With a 60-character slug, the headline starts on screen at 120 and at 80 columns,
    at least `shown` characters of it; an Arabic headline shows where no English exists."""
    import_long_slug(env)
    app = make_app(env, author="rania")
    async with app.run_test(size=size) as pilot:
        await settle(app)
        await pilot.pause()
        table = app.screen.query_one(StoryTable)
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        keys = [c.key.value for c in table.ordered_columns]
        ends_at = sum(widths[: keys.index("headline") + 1])
        assert ends_at <= table.size.width
        assert table.columns[ColumnKey("headline")].width >= shown
        text = screen_text(app)
        assert HEADLINE[:shown] in text or HEADLINE in text
        assert LONG_SLUG[:12] in text
        assert display_arabic("غارات للنظام", "shaped") in text  # drawn as in the editor
        assert table.scroll_x == 0


# -- the search box ----------------------------------------------------------------------


def listed(app: object) -> list[str]:
    """The slugs the story list shows, top to bottom."""
    from textual.app import App

    assert isinstance(app, App)
    table = app.screen.query_one(StoryTable)
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


def shown_count(app: object) -> str:
    """What the count beside the search box says."""
    from textual.app import App

    assert isinstance(app, App)
    return str(app.screen.query_one("#list-count", Static).render())


@synchronous
async def test_the_search_box_narrows_the_list_and_esc_restores_it(env: Home) -> None:
    """`/` puts the cursor in the search box; each letter narrows the list to the stories
    whose slug or headline holds the text (any case; Arabic folded as the glossary folds
    it); Esc empties it, gives the list back and the keys to the table."""
    import_sample(env, OTHER)
    import_sample(env, "idleb-displacement")
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        everything = listed(app)
        assert len(everything) == 3 and shown_count(app) == "3 stories"
        await pilot.press("slash")
        box = app.screen.query_one("#list-search", Input)
        assert box.has_focus
        await pilot.press(*"WATER")  # the English headline, in any case
        assert listed(app) == [OTHER] and shown_count(app) == "1 of 3 stories"
        await pilot.press("escape")
        assert listed(app) == everything and box.value == ""
        assert app.screen.query_one(StoryTable).has_focus
        await pilot.press("slash", *"ادلب")  # إدلب in the Arabic headline: hamza folded
        assert listed(app) == ["idleb-displacement"]
        await pilot.press("escape", "slash", *"lattakia-off")  # the slug
        assert listed(app) == [SLUG]
        await pilot.press(*"xyz")
        assert listed(app) == [] and shown_count(app) == "0 of 3 stories"
        hint = str(app.screen.query_one("#list-empty", Static).render())
        assert "No stories match “lattakia-offxyz”" in hint and "Esc" in hint
        await pilot.press("escape")
        assert listed(app) == everything
        assert str(app.screen.query_one("#list-empty", Static).render()) == ""


@synchronous
async def test_the_search_and_the_status_filter_work_together(env: Home) -> None:
    """A search typed, Enter goes to the list, and `f` narrows the matches by status; a
    status with no match says both why and how to get out."""
    import_sample(env, OTHER)
    import_sample(env, "idleb-displacement")
    env.desk.confirm(SLUG, [1], author="rania")  # lattakia: translating, updated last
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("slash", *"countryside", "enter")
        assert listed(app) == [SLUG, "idleb-displacement"]
        assert app.screen.query_one(StoryTable).has_focus
        await pilot.press("f")  # new
        assert listed(app) == ["idleb-displacement"] and shown_count(app) == "1 of 2 stories"
        await pilot.press("f")  # translating
        assert listed(app) == [SLUG]
        await pilot.press("f")  # review
        hint = str(app.screen.query_one("#list-empty", Static).render())
        assert listed(app) == [] and "No review stories match “countryside”" in hint
        assert "f shows the next status" in hint
        await pilot.press("escape")  # the search goes; the status stays
        assert listed(app) == [] and "only review" in str(
            app.screen.query_one("#list-title", Static).render()
        )
        for _ in range(4):  # approved, published, correcting, all
            await pilot.press("f")
        assert len(listed(app)) == 3


@synchronous
async def test_the_search_keys_are_in_the_footer_and_the_help(env: Home) -> None:
    """`/` is in the footer; Esc joins it while there is a search; the help lists both."""
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        footer = ""
        for _ in range(50):  # the footer lays its keys out after the first frames
            await pilot.pause(0.05)
            footer = screen_text(app)
            if "Search" in footer:
                break
        assert "/ Search" in footer and "Clear search" not in footer
        await pilot.press("slash", "a")
        await pilot.pause()
        assert "esc Clear search" in screen_text(app)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        help_text = str(app.screen.query_one("#help-text", Static).render())
        assert "Search" in help_text and "Clear search" in help_text


# -- who is working ------------------------------------------------------------------------


@synchronous
async def test_the_login_name_is_shown_as_such(env: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --as or $DESK_USER the title says the name is the login name and how to
    set one; a name given either way is shown as it is."""
    login = getpass.getuser()
    app = make_app(env)
    async with app.run_test(size=SIZE):
        title = str(app.screen.query_one("#list-title", Static).render())
        assert f"you: {login} (login name; use --as NAME or DESK_USER)" in title
    app = make_app(env, author=login)  # --as with the login name: a choice, no note
    async with app.run_test(size=SIZE):
        title = str(app.screen.query_one("#list-title", Static).render())
        assert title.endswith(f"you: {login}")
    monkeypatch.setenv("DESK_USER", "layla")
    app = make_app(env)
    async with app.run_test(size=SIZE):
        title = str(app.screen.query_one("#list-title", Static).render())
        assert title.endswith("you: layla")


@synchronous
async def test_back_from_a_story_opened_by_name_the_cursor_is_on_it(env: Home) -> None:
    """`desk open SLUG` while another story is the newest: after an edit, Esc goes back
    to the list re-sorted with SLUG first, and the cursor is on SLUG (Enter opens it
    again, not the story that was first before)."""
    import_sample(env, OTHER)
    env.desk.edit(OTHER, 2, "Newer than the other story.", author="rania")
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("ctrl+e", *" Q", "escape")
        await settle(app)
        assert listed(app)[0] == SLUG
        assert cursor_key(app.screen.query_one(StoryTable)) == SLUG
        await pilot.press("enter")
        await settle(app)
        assert isinstance(app.screen, EditorScreen) and app.screen.session.slug == SLUG


@synchronous
async def test_an_arabic_headline_is_drawn_as_the_editor_draws_arabic(env: Home) -> None:
    """A story without English yet lists its Arabic headline shaped and right to left
    (`shaped`, the default), not in the logical order the file holds."""
    env.desk.import_story(SAMPLES / f"{OTHER}.ar.md", ImportOptions(), author="importer")
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE):
        await settle(app)
        table = app.screen.query_one(StoryTable)
        cell = table.get_cell(OTHER, "headline")
        headline = env.desk.store.load_story(OTHER).headline_ar
        assert isinstance(cell, Text) and cell.plain and cell.plain[:4] not in headline
        drawn = display_arabic(headline, "shaped")
        assert cell.plain.lstrip("…") in drawn
