"""How the workbench draws Arabic: shaped for terminals without bidi, or raw; from the CLI
option or the `[tui]` config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desk.app.home import Home
from desk.core.config import load_config
from desk.core.errors import InputError
from desk.locations import config_path
from desk.tui import make_app
from desk.tui.arabic import display_arabic, display_arabic_lines
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.segment_table import SegmentTable, _cut
from desk.tui.widgets.source_pane import SourcePane
from tests.helpers.cli import DeskCli
from tests.helpers.tui import SIZE, SLUG, synchronous

PHRASE = "قتل 12 مدنيا في اللاذقية عام 2024"
"""Twelve civilians were killed in Lattakia in 2024: numbers inside right-to-left text."""


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
        assert str(cell) == display_arabic(_cut(seg.source, table.arabic_width), "shaped")
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
