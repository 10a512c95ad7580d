"""Importing from the story list: the dialog, its refusals, drafting in a worker, --no-mt."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Switch

from desk.app.home import Home
from desk.core.story import RevisionKind
from desk.tui import make_app
from desk.tui.screens.import_story import ImportScreen
from desk.tui.screens.story_list import StoryListScreen
from desk.tui.widgets.story_table import StoryTable
from tests.helpers.paths import SAMPLES
from tests.helpers.tui import SIZE, SLUG, error_text, settle, synchronous

OTHER = "hassakeh-water"


def fill(screen: ImportScreen, **values: str) -> None:
    """Type values into the import dialog's fields (keys: path, slug, draft...)."""
    for key, value in values.items():
        screen.query_one(f"#import-{key.replace('_', '-')}", Input).value = value


@synchronous
async def test_import_with_a_draft_file_lists_and_selects_the_story(env: Home) -> None:
    """`i`, a path, options and a draft file: imported as the author, listed, selected."""
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        fill(
            screen,
            path=str(SAMPLES / f"{OTHER}.ar.md"),
            slug="water-cut",
            outlet="Desk test",
            byline="Someone",
            draft=str(SAMPLES / f"{OTHER}.draft.en.md"),
        )
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, StoryListScreen)
        table = app.screen.query_one(StoryTable)
        assert table.selected_slug == "water-cut"
        assert table.get_cell("water-cut", "status") == "new"
    story = env.desk.store.load_story("water-cut")
    assert story.outlet == "Desk test" and story.byline == "Someone"
    assert all(s.draft for s in story.segments)
    revisions = env.desk.store.revisions(story.id or 0)
    assert {r.author for r in revisions} == {"rania"}
    assert not [r for r in revisions if r.kind == RevisionKind.MT]


@synchronous
async def test_import_refusals_are_shown_in_the_dialog(env: Home, tmp_path: Path) -> None:
    """Missing file, not UTF-8, duplicate slug, `~user` for a user this machine lacks (a
    RuntimeError that closed the workbench): the core's message, nothing imported."""
    latin1 = tmp_path / "latin1.ar.md"
    latin1.write_bytes("# caf\xe9\n".encode("latin-1"))
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        assert "Give the Arabic file" in error_text(screen, "#import-error")
        for path, expected in (
            (tmp_path / "missing.ar.md", "no such source file"),
            (latin1, "UTF-8"),
            (SAMPLES / f"{SLUG}.ar.md", "already exists"),
            ("~no-such-user-desk/x.ar.md", "cannot find that home folder"),
        ):
            fill(screen, path=str(path), draft=str(SAMPLES / f"{SLUG}.draft.en.md"))
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen
            shown = error_text(screen, "#import-error")
            assert "Not imported" in shown and expected in shown, shown
        await pilot.press("escape")
        assert isinstance(app.screen, StoryListScreen)
    assert [s.slug for s in env.desk.store.list_stories(None)] == [SLUG]


@synchronous
async def test_import_without_a_draft_file_drafts_in_a_worker(env: Home, tmp_path: Path) -> None:
    """No draft file: a worker drafts with the desk's engine (the demo model) and the
    glossary's listed spellings, in its own store connection."""
    short = tmp_path / "short.ar.md"
    short.write_text("# قصف على ريف اللاذقية\n\nقتل 12 مدنيا في اللاذقية.\n", encoding="utf-8")
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        fill(screen, path=str(short), slug="short")
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any(m.startswith("Drafted 2 segment(s) of short") for m in notes), notes
    story = env.desk.store.load_story("short")
    assert all(s.draft and s.engine == "argos" for s in story.segments)
    kinds = {r.kind for r in env.desk.store.revisions(story.id or 0)}
    assert RevisionKind.MT in kinds


@synchronous
async def test_no_machine_draft_switch_imports_without_drafting(env: Home) -> None:
    """The switch is `desk import --no-mt`: the story is imported, no worker drafts it."""
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        fill(screen, path=str(SAMPLES / f"{OTHER}.ar.md"))
        screen.query_one("#import-no-mt", Switch).value = True
        await pilot.click("#import-ok")
        await settle(app)
        assert isinstance(app.screen, StoryListScreen)
    story = env.desk.store.load_story(OTHER)
    assert not any(s.draft for s in story.segments)
