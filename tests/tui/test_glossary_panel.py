"""Pilot tests of importing from the story list and of the editor's glossary panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import Input, Select, Static, Switch
from textual.widgets.text_area import Selection

from desk.cli import Env
from desk.core.glossary.model import load_folder
from desk.core.importer import ImportOptions
from desk.core.story import RevisionKind
from desk.tui import make_app
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.glossary_panel import AddEntryScreen, EntryTable, GlossaryPanelScreen
from desk.tui.screens.import_story import ImportScreen
from desk.tui.screens.story_list import StoryListScreen
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.story_table import StoryTable
from tests.helpers.paths import SAMPLES
from tests.helpers.tui import SIZE, SLUG, settle, synchronous

OTHER = "hassakeh-water"


def fill(screen: ImportScreen, **values: str) -> None:
    """Type values into the import dialog's fields (keys: path, slug, draft...)."""
    for key, value in values.items():
        screen.query_one(f"#import-{key.replace('_', '-')}", Input).value = value


def error_text(screen: object, selector: str) -> str:
    """What an error line shows."""
    from textual.screen import Screen

    assert isinstance(screen, Screen)
    return str(screen.query_one(selector, Static).render())


# -- import -------------------------------------------------------------------------


@synchronous
async def test_import_with_a_draft_file_lists_and_selects_the_story(env: Env) -> None:
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
async def test_import_refusals_are_shown_in_the_dialog(env: Env, tmp_path: Path) -> None:
    """Missing file, not UTF-8, duplicate slug: the core's message, nothing imported."""
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
async def test_import_without_a_draft_file_drafts_in_a_worker(env: Env, tmp_path: Path) -> None:
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
async def test_no_machine_draft_switch_imports_without_drafting(env: Env) -> None:
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


# -- the glossary panel ----------------------------------------------------------------


def test_glossary_keys_reach_the_screen_while_typing() -> None:
    """The panel's key is one the TextArea leaves alone (F-key and Ctrl+B)."""
    keys = [b.key for b in EditorScreen.BINDINGS if isinstance(b, Binding)]
    assert "f11,ctrl+b" in keys  # covered by test_every_editor_key_reaches_the_screen...


def select(editor: EnglishEditor, word: str) -> None:
    """Select `word` in the editor's (one-line) English."""
    start = editor.text.index(word)
    editor.selection = Selection((0, start), (0, start + len(word)))


@synchronous
async def test_glossary_panel_lists_the_story_entries(env: Env) -> None:
    """F11 in the editor: the entries named in the story, with Arabic, variants, kind."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        assert isinstance(app.focused, EnglishEditor)
        await pilot.press("f11")
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GlossaryPanelScreen)
        table = screen.query_one(EntryTable)
        assert [e.id for e in screen.entries or []] == ["lattakia", "al-akrad", "hassakeh"]
        assert table.get_row("lattakia") == ["lattakia", "Lattakia", "اللاذقية", "Latakia", "place"]
        assert "Select English" in error_text(screen, "#glossary-selection")
        await pilot.press("a")
        assert "Nothing is selected" in error_text(screen, "#glossary-error")
        await pilot.press("escape")
        assert isinstance(app.screen, EditorScreen)


@synchronous
async def test_add_the_selection_as_a_variant_and_the_findings_follow(
    env: Env, glossary: Path
) -> None:
    """Selected English as a variant of the highlighted entry: written to its file; the
    editor re-checks; adding it again is refused with the core's message."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down", "ctrl+down")
        assert editor.current == 5 and 5 not in (editor.findings or {})
        select(editor.query_one(EnglishEditor), "Doreen")
        await pilot.press("ctrl+b")
        await settle(app)
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, GlossaryPanelScreen) and panel.selected == "Doreen"
        assert panel.query_one(EntryTable).selected_id == "lattakia"
        await pilot.press("v")
        await settle(app)
        await pilot.pause()
        entry = load_folder(glossary).by_id("lattakia")
        assert entry is not None and "Doreen" in entry.variants
        await pilot.press("v")
        shown = error_text(panel, "#glossary-error")
        assert "Not added" in shown and "Doreen" in shown, shown
        await pilot.press("escape")
        await settle(app)
        await pilot.pause()
        assert app.screen is editor
        found = (editor.findings or {}).get(5, [])
        assert any(f.found == "Doreen" and f.suggestion == "Lattakia" for f in found)


@synchronous
async def test_add_the_selection_as_a_new_entry(env: Env, glossary: Path) -> None:
    """`a`: id and canonical prefilled from the selection; written by kind; a duplicate
    id is refused in the dialog with the core's message."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down", "ctrl+down")
        select(editor.query_one(EnglishEditor), "Marj Khokha")
        await pilot.press("f11")
        await settle(app)
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AddEntryScreen)
        assert dialog.query_one("#entry-id", Input).value == "marj-khokha"
        assert dialog.query_one("#entry-canonical", Input).value == "Marj Khokha"
        # A duplicate id is refused and nothing is written.
        dialog.query_one("#entry-id", Input).value = "lattakia"
        dialog.query_one("#entry-kind", Select).value = "place"
        dialog.query_one("#entry-arabic", Input).focus()
        await pilot.press("enter")
        assert app.screen is dialog
        assert "exists already" in error_text(dialog, "#entry-error")
        dialog.query_one("#entry-id", Input).value = "marj-khokha"
        dialog.query_one("#entry-arabic", Input).value = "مرج خوخة"
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, GlossaryPanelScreen) and panel.changed
        assert "marj-khokha" in [e.id for e in panel.entries or []]
        await pilot.press("escape")
        await settle(app)
    entry = load_folder(glossary).by_id("marj-khokha")
    assert entry is not None and entry.kind.value == "place"
    assert entry.arabic == ("مرج خوخة",) and entry.source.endswith("places.toml")


@synchronous
async def test_delete_a_new_story_from_the_list(env: Env) -> None:
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
async def test_the_list_counts_open_findings(env: Env) -> None:
    """The Findings column shows each story's open glossary findings, counted in a worker."""
    from desk.core.glossary.enforce import Enforcer
    from desk.core.glossary.stories import check_story
    from desk.locations import glossary_dir

    folder = glossary_dir(env.home, None, env.config.glossary_folder)
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
    env: Env, monkeypatch: pytest.MonkeyPatch
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
