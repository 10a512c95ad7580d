"""How the workbench draws Arabic: shaped for terminals without bidi, or raw; from the CLI
option or the `[tui]` config."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from desk.app.home import Home
from desk.core.config import load_config
from desk.core.errors import InputError
from desk.locations import config_path
from desk.tui import make_app
from desk.tui.arabic import display_arabic, display_arabic_lines, display_mixed_text
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.find_in_story import SearchScreen
from desk.tui.screens.glossary_panel import EntryTable, GlossaryPanelScreen
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.findings_list import FindingsList
from desk.tui.widgets.segment_table import SegmentTable
from desk.tui.widgets.source_pane import SourcePane
from tests.helpers.cli import DeskCli
from tests.helpers.tui import SIZE, SLUG, settle, synchronous

PHRASE = "قتل 12 مدنيا في اللاذقية عام 2024"
"""Twelve civilians were killed in Lattakia in 2024: numbers inside right-to-left text."""

TANWEEN = "عنصراً"
""""Fighter" (accusative), its alef carrying tanween fath (U+064B)."""

AKRAD = "جبل الأكراد"
"""Jabal al-Akrad: the sample glossary's Arabic form quoted by segment 11's finding."""


def presentation_forms(text: str) -> bool:
    """Whether `text` holds Arabic in joined (presentation) forms, U+FB50..U+FEFF."""
    return any(0xFB50 <= ord(c) <= 0xFEFF for c in text)


def test_raw_display_keeps_the_logical_order() -> None:
    """`raw` leaves the text to the terminal's own bidi."""
    assert display_arabic(PHRASE, "raw") == PHRASE
    assert display_arabic_lines(PHRASE, "raw", 10) == [PHRASE]


def test_shaped_display_joins_letters_and_keeps_numbers_readable() -> None:
    """Letters take their joined forms, words run right to left, digits left to right."""
    shown = display_arabic(PHRASE, "shaped")
    assert shown != PHRASE
    # Every letter is a presentation form (U+FB50..U+FEFF): joined, not isolated.
    letters = [c for c in shown if not c.isspace() and not c.isdigit()]
    assert letters and all(0xFB50 <= ord(c) <= 0xFEFF for c in letters)
    # The numbers read 12 and 2024, not 21 and 4202, and 2024 (said last) is drawn leftmost.
    assert "12" in shown and "2024" in shown and "4202" not in shown
    assert shown.index("2024") < shown.index("12")
    assert shown.split()[0] == "2024"


def test_shaped_lines_are_wrapped_before_they_are_reordered() -> None:
    """The sentence starts on the first line; each line is reordered on its own."""
    lines = display_arabic_lines(PHRASE, "shaped", 12)
    assert len(lines) > 1
    first_word = display_arabic("قتل", "shaped")
    assert lines[0].endswith(first_word)  # the first word, at the right of the first line
    assert "2024" in lines[-1]
    assert display_arabic("", "shaped") == ""


def test_shaped_display_keeps_tanween_and_harakat_on_their_letters() -> None:
    """Tanween, shadda and the other marks stay, each drawn after the letter it sits on."""
    shown = display_arabic(TANWEEN, "shaped")
    assert "\u064b" in shown and presentation_forms(shown)
    # Drawn right to left: the last letter, the alef (U+FE8D, isolated: ra never joins
    # forward), is leftmost, its tanween right after it as a terminal expects a mark.
    assert shown.startswith("\ufe8d\u064b")
    # A shadda and a dammatan on two different letters: مُحمّدٌ keeps all three marks.
    muhammad = display_arabic("مُحمّدٌ", "shaped")
    assert [c for c in muhammad if c in "\u064c\u064f\u0651"] == ["\u064c", "\u0651", "\u064f"]
    assert muhammad.startswith("\ufeaa\u064c")  # the dal, then its dammatan
    assert display_arabic_lines(TANWEEN, "shaped", 40) == [shown]
    assert display_arabic(TANWEEN, "raw") == TANWEEN


def test_mixed_lines_shape_only_their_arabic_runs() -> None:
    """English quoting Arabic: the English stays in order and place; each Arabic run is
    shaped and drawn right to left where it stands."""
    line = f"al-Akrad missing: the Arabic has {AKRAD} (places.toml)"
    shown = display_mixed_text(line, "shaped").plain
    assert shown == (
        f"al-Akrad missing: the Arabic has {display_arabic(AKRAD, 'shaped')} (places.toml)"
    )
    assert AKRAD not in shown and presentation_forms(shown)
    # Two forms, a number in the Arabic, tanween: one run each side of the English.
    line = f"{TANWEEN}، {PHRASE} → Lattakia? (unlisted, اللاذقية)"
    shown = display_mixed_text(line, "shaped").plain
    run = display_arabic(f"{TANWEEN}، {PHRASE.removesuffix(' 2024')}", "shaped")
    assert shown == f"{run} 2024 → Lattakia? (unlisted, {display_arabic('اللاذقية', 'shaped')})"
    assert "\u064b" in shown
    # Invisible characters are markers in both parts; raw leaves the Arabic as stored.
    hidden = display_mixed_text(f"Lat\u200bakia: {AKRAD}\u202e", "shaped").plain
    assert hidden.startswith("Lat⟨ZWSP⟩akia: ") and hidden.endswith("⟨RLO⟩")
    assert display_mixed_text(line, "raw").plain == line
    assert display_mixed_text("Lattakia (12)", "shaped").plain == "Lattakia (12)"


@synchronous
async def test_findings_quote_arabic_shaped_or_raw(env: Home) -> None:
    """Segment 11's finding quotes the glossary's Arabic: shaped in its English line by
    default, as stored with `raw`."""
    for mode in ("shaped", "raw"):
        app = make_app(env, author="rania", slug=SLUG, arabic_display=mode)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            screen = app.screen
            assert isinstance(screen, EditorScreen)
            screen.go(11)
            await pilot.pause()
            shown = str(screen.query_one(FindingsList).render())
            assert "al-Akrad missing: the Arabic has " in shown
            if mode == "shaped":
                assert f"has {display_arabic(AKRAD, 'shaped')} (places.toml)" in shown
                assert AKRAD not in shown
            else:
                assert f"has {AKRAD} (places.toml)" in shown and not presentation_forms(shown)


@synchronous
async def test_glossary_panel_arabic_column_shaped_or_raw(env: Home) -> None:
    """The panel's Arabic column is drawn like the segment table's: shaped by default."""
    for mode in ("shaped", "raw"):
        app = make_app(env, author="rania", slug=SLUG, arabic_display=mode)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            await pilot.press("f11")
            await settle(app)
            await pilot.pause()
            assert isinstance(app.screen, GlossaryPanelScreen)
            table = app.screen.query_one(EntryTable)
            cells = {key.value: str(table.get_row(key)[2]) for key in table.rows}
            shown = ""
            for _ in range(100):  # the rows are drawn a frame or more after they are added
                shown = "".join(table.render_line(y).text for y in range(table.size.height))
                if "ﺔ" in shown or "اللاذقية" in shown:
                    break
                await pilot.pause(0.05)
            if mode == "shaped":
                assert cells["al-akrad"] == display_arabic(AKRAD, "shaped")
                assert cells["lattakia"] == display_arabic("اللاذقية", "shaped")
                assert presentation_forms(shown) and "اللاذقية" not in shown
            else:
                assert (cells["al-akrad"], cells["lattakia"]) == (AKRAD, "اللاذقية")
                assert "اللاذقية" in shown and not presentation_forms(shown)


async def type_in(pilot: Pilot[None], box: Input, text: str) -> None:
    """Type `text` into `box`: letters as key presses; a combining mark, which Pilot
    cannot name as a key, inserted at the cursor as a terminal's keystroke would."""
    for char in text:
        if unicodedata.category(char) == "Mn":
            box.insert_text_at_cursor(char)
        else:
            await pilot.press(char)
    await pilot.pause()


@synchronous
async def test_search_box_repeats_arabic_shaped_and_searches_the_logical_text(
    env: Home,
) -> None:
    """Ctrl+F: Arabic typed shows shaped (tanween kept) under the box; the box keeps the
    logical text and Enter finds it. English alone, or `raw`, shows no extra line."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        preview = app.screen.query_one("#search-preview")
        box = app.screen.query_one(Input)
        await type_in(pilot, box, TANWEEN)
        assert box.value == TANWEEN  # logical, as typed
        assert preview.display
        shown = str(preview.render())
        assert shown == f"Searching for: {display_arabic(TANWEEN, 'shaped')}"
        assert "\u064b" in shown and TANWEEN not in shown
        box.value = "Salma"
        await pilot.pause()
        assert not preview.display
        box.value = "الاكراد"  # bare alef: found in الأكراد
        await pilot.pause()
        assert "الاكراد" not in str(preview.render()) and presentation_forms(str(preview.render()))
        await pilot.press("enter")
        await pilot.pause()
        story = editor.session.story
        assert "الأكراد" in story.segment(editor.session.current).source
    app = make_app(env, author="rania", slug=SLUG, arabic_display="raw")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("ctrl+f")
        await type_in(pilot, app.screen.query_one(Input), TANWEEN)
        assert app.screen.query_one(Input).value == TANWEEN
        assert not app.screen.query_one("#search-preview").display


@synchronous
async def test_source_pane_and_table_show_shaped_arabic(env: Home) -> None:
    """By default the Arabic pane and column are shaped; the store keeps logical order."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        seg = env.desk.store.load_story(SLUG).segment(1)
        pane = app.screen.query_one(SourcePane)
        width = pane.content_size.width
        assert pane.lines == display_arabic_lines(seg.source, "shaped", width)
        assert str(pane.render()).strip().splitlines()[0].strip() == pane.lines[0]
        assert seg.source not in str(pane.render())
        table = app.screen.query_one(SegmentTable)
        cell = table.get_row("1")[3]
        # The row holds the whole sentence, wrapped in logical order, each line reordered.
        assert str(cell) == "\n".join(
            display_arabic_lines(seg.source, "shaped", table.arabic_width)
        )
        assert isinstance(app.focused, EnglishEditor)
        assert app.focused.read_only is False
        assert pane.can_focus is False  # the Arabic is never edited
    assert env.desk.store.load_story(SLUG).segment(1).source == seg.source


@synchronous
async def test_raw_arabic_display_from_the_option_and_the_config(env: Home) -> None:
    """`arabic_display="raw"` (the CLI option) and `[tui] arabic_display` leave it raw."""
    seg = env.desk.store.load_story(SLUG).segment(1)
    app = make_app(env, author="rania", slug=SLUG, arabic_display="raw")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(SourcePane).lines == [seg.source]
    config_path(env.path).write_text('[tui]\narabic_display = "raw"\n', encoding="utf-8")
    app = make_app(Home(env.path), author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(SourcePane).lines == [seg.source]


def test_config_reads_and_checks_the_tui_table(tmp_path: Path) -> None:
    """`[tui]` takes arabic_display and theme, each from a fixed set of values."""
    path = tmp_path / "config.toml"
    assert load_config(path).tui_arabic_display == "shaped"
    assert load_config(path).tui_theme == "dark"
    path.write_text('[tui]\narabic_display = "raw"\ntheme = "light"\n', encoding="utf-8")
    config = load_config(path)
    assert (config.tui_arabic_display, config.tui_theme) == ("raw", "light")
    path.write_text('[tui]\narabic_display = "bidi"\n', encoding="utf-8")
    with pytest.raises(InputError, match="arabic_display must be one of shaped, raw"):
        load_config(path)


def test_the_cli_passes_arabic_display_to_the_workbench(
    env: Home, desk: DeskCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`desk --arabic-display`, `desk open --arabic-display`, and a bad value refused."""
    calls: list[dict[str, Any]] = []

    class Fake:
        def run(self) -> None:
            """Do not start a terminal UI in a CLI test."""

    def fake_make_app(*args: Any, **kwargs: Any) -> Fake:
        calls.append(kwargs)
        return Fake()

    monkeypatch.setattr("desk.tui.make_app", fake_make_app)
    monkeypatch.setattr("desk.commands.workbench.has_terminal", lambda: True)
    desk("--arabic-display", "raw")
    desk("open", SLUG, "--arabic-display", "raw")
    desk("--arabic-display", "raw", "open", SLUG)
    desk("open", SLUG)
    assert [c.get("arabic_display") for c in calls] == ["raw", "raw", "raw", None]
    bad = desk("open", SLUG, "--arabic-display", "mirrored", ok=False)
    assert bad.exit_code == 2 and "mirrored" in bad.stderr
