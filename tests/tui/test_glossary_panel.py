"""The editor's glossary panel: the story's entries; the selection added as a variant or as a
new entry, written to the glossary's files."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.widgets import Input, Select
from textual.widgets.text_area import Selection

from desk.app.home import Home
from desk.core.glossary.model import load_folder
from desk.tui import make_app
from desk.tui.arabic import display_arabic
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.glossary_panel import AddEntryScreen, EntryTable, GlossaryPanelScreen
from desk.tui.widgets.english_editor import EnglishEditor
from tests.helpers.tui import SIZE, SLUG, error_text, settle, synchronous


def test_glossary_keys_reach_the_screen_while_typing() -> None:
    """The panel's key is one the TextArea leaves alone (F-key and Ctrl+B)."""
    keys = [b.key for b in EditorScreen.BINDINGS if isinstance(b, Binding)]
    assert "f11,ctrl+b" in keys  # covered by test_every_editor_key_reaches_the_screen...


def select(editor: EnglishEditor, word: str) -> None:
    """Select `word` in the editor's (one-line) English."""
    start = editor.text.index(word)
    editor.selection = Selection((0, start), (0, start + len(word)))


@synchronous
async def test_glossary_panel_lists_the_story_entries(env: Home) -> None:
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
        arabic = display_arabic("اللاذقية", "shaped")  # the Arabic column is shaped by default
        assert table.get_row("lattakia") == ["lattakia", "Lattakia", arabic, "Latakia", "place"]
        assert "Select English" in error_text(screen, "#glossary-selection")
        await pilot.press("a")
        assert "Nothing is selected" in error_text(screen, "#glossary-error")
        await pilot.press("escape")
        assert isinstance(app.screen, EditorScreen)


@synchronous
async def test_add_the_selection_as_a_variant_and_the_findings_follow(
    env: Home, glossary: Path
) -> None:
    """Selected English as a variant of the highlighted entry: written to its file; the
    editor re-checks; adding it again is refused with the core's message."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down", "ctrl+down")
        assert editor.session.current == 5 and 5 not in (editor.session.findings or {})
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
        found = (editor.session.findings or {}).get(5, [])
        assert any(f.found == "Doreen" and f.suggestion == "Lattakia" for f in found)


@synchronous
async def test_add_the_selection_as_a_new_entry(env: Home, glossary: Path) -> None:
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
