"""Bidi controls and zero-width characters drawn as visible markers in the workbench.

Unit tests of the one mapping (desk.tui.visible) and of the Arabic display with markers,
then Pilot tests on a story whose Arabic and English hide such characters: every
read-only view shows `⟨RLO⟩`-style markers, and the English box saves exactly what it holds.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from rich.text import Text
from textual.widget import Widget

from desk.app.home import Home
from desk.core.importer import ImportOptions
from desk.tui import make_app
from desk.tui.arabic import display_arabic, display_arabic_lines, display_arabic_text
from desk.tui.screens.conflict import ConflictScreen
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.history_view import HistoryScreen
from desk.tui.visible import (
    INVISIBLES,
    MARKER_STYLE,
    cut,
    invisible_at,
    marker,
    reveal,
    styled,
    visible_text,
)
from desk.tui.widgets.diff_view import DiffView
from desk.tui.widgets.draft_pane import DraftPane
from desk.tui.widgets.english_editor import CUE_STYLE, EnglishEditor
from desk.tui.widgets.hidden_notice import HiddenNotice
from desk.tui.widgets.history_detail import HistoryDetail
from desk.tui.widgets.revision_table import RevisionTable
from desk.tui.widgets.segment_table import SegmentTable
from desk.tui.widgets.source_pane import SourcePane
from desk.tui.widgets.story_table import StoryTable
from tests.helpers.tui import SIZE, settle, synchronous

SLUG = "hidden-names"
ARABIC = "# الجيش يدخل \u202eاللاذقية\u202c\n\nقال مصدر إن القوات دخلت القرية\u200b صباح الجمعة.\n"
"""Army enters Lattakia (the name under a right-to-left override); a zero-width space."""
ENGLISH = (
    "# Army enters \u2067Lattakia\u2069\n\n"
    "A source said the forces entered the village\u200b on Friday morning.\n"
)
HEADLINE_EN = "Army enters \u2067Lattakia\u2069"
LABELS = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
    "\u200e": "LRM", "\u200f": "RLM", "\u061c": "ALM",
    "\u200b": "ZWSP", "\u200c": "ZWNJ", "\u200d": "ZWJ", "\u2060": "WJ", "\ufeff": "BOM",
}  # fmt: skip
"""The characters the brief names, and the labels README documents."""


@pytest.fixture
def hidden(desk_home: Path, glossary: Path, tmp_path: Path) -> Home:
    """A desk home holding one story whose Arabic and English hide controls."""
    source = tmp_path / f"{SLUG}.ar.md"
    source.write_text(ARABIC, encoding="utf-8")
    draft = tmp_path / f"{SLUG}.draft.en.md"
    draft.write_text(ENGLISH, encoding="utf-8")
    env = Home(desk_home)
    env.desk.import_story(source, ImportOptions(slug=SLUG, draft=draft), author="importer")
    return env


def screen_text(app: object) -> str:
    """Everything on the screen as text (the SVG screenshot without its markup)."""
    from textual.app import App

    assert isinstance(app, App)
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot()))


def rendered(widget: Widget) -> str:
    """What a widget draws, as text."""
    return str(widget.render())


def marker_spans(text: Text) -> list[str]:
    """The pieces of `text` drawn in MARKER_STYLE."""
    return [text.plain[s.start : s.end] for s in text.spans if MARKER_STYLE in str(s.style)]


# -- the mapping -----------------------------------------------------------------------


def test_every_listed_character_has_its_marker() -> None:
    """Each bidi control and zero-width character has one label; nothing else is marked."""
    assert INVISIBLES == LABELS
    for char, label in LABELS.items():
        assert marker(char) == f"⟨{label}⟩"
        assert reveal(f"a{char}b") == f"a⟨{label}⟩b"
    every = "".join(LABELS)
    assert invisible_at(every) == list(range(len(every)))
    assert not any(char in reveal(every) for char in LABELS)
    plain = "Regime forces entered Lattakia on Friday, 13.8.2020 — “no comment”."
    assert invisible_at(plain) == [] and reveal(plain) == plain


def test_visible_text_styles_the_markers_and_keeps_the_base_style() -> None:
    """Markers in MARKER_STYLE (on top of the run's own style), the rest as given."""
    text = visible_text("entered \u202eaikattaL\u202c.", "green")
    assert text.plain == "entered ⟨RLO⟩aikattaL⟨PDF⟩."
    assert marker_spans(text) == ["⟨RLO⟩", "⟨PDF⟩"]
    assert all("green" in str(span.style) for span in text.spans)
    into = Text("Draft: ")
    assert visible_text("x\u200by", into=into) is into
    assert into.plain == "Draft: x⟨ZWSP⟩y"


def test_joiners_inside_arabic_words_are_left_alone_elsewhere_marked() -> None:
    """ZWNJ/ZWJ between Arabic letters are typography; at an edge or in English, marked."""
    word = "بَ\u200cت"  # a vowel mark before the joiner still counts as inside the word
    assert invisible_at(word, arabic=True) == []
    assert invisible_at(word) == [2]  # the English rule marks every one
    assert invisible_at("ب\u200d ت", arabic=True) == [1]  # before a space
    assert invisible_at("\u200cبت", arabic=True) == [0]  # at the start
    assert invisible_at("a\u200cت", arabic=True) == [1]  # beside a Latin letter
    # Bidi controls and the other zero-width characters are marked even inside a word.
    assert invisible_at("ب\u202eت ب\u200bت", arabic=True) == [1, 5]


def test_cut_counts_each_marker_at_its_length() -> None:
    """The cut line is no wider than asked once the markers are drawn; controls kept."""
    assert cut("abcdefghijk", 5) == "abcd…"  # as before for ordinary text
    line = cut("ab\u202ecdef ghijk", 9)
    assert line == "ab\u202ec…"
    assert len(reveal(line)) <= 9
    assert cut("ab\u202ec", 8) == "ab\u202ec"


# -- Arabic display ----------------------------------------------------------------------


def test_ordinary_arabic_is_drawn_as_before() -> None:
    """Without hidden characters, shaping and reordering are untouched."""
    import arabic_reshaper
    from bidi import get_display

    phrase = "قتل 12 مدنيا في اللاذقية عام 2024"
    assert display_arabic(phrase, "shaped") == get_display(arabic_reshaper.reshape(phrase))
    assert display_arabic(phrase, "raw") == phrase
    assert marker_spans(display_arabic_text(phrase, "shaped")) == []


@pytest.mark.parametrize("mode", ["shaped", "raw"])
def test_markers_survive_shaping_and_stop_the_override(mode: str) -> None:
    """The override is drawn, not obeyed: the words read as without it, markers LTR."""
    hidden_name = "الجيش يدخل \u202eاللاذقية\u202c"
    shown = display_arabic(hidden_name, mode)
    assert "⟨RLO⟩" in shown and "⟨PDF⟩" in shown  # never `⟩OLR⟨`
    assert not set(shown) & set(LABELS)  # the text's controls and desk's fences alike
    without = shown.replace("⟨RLO⟩", "").replace("⟨PDF⟩", "")
    assert without == display_arabic("الجيش يدخل اللاذقية", mode)
    assert marker_spans(display_arabic_text(hidden_name, mode)) in (
        ["⟨RLO⟩", "⟨PDF⟩"],
        ["⟨PDF⟩", "⟨RLO⟩"],  # shaped: right to left, the later marker drawn first
    )


def test_wrapped_arabic_lines_keep_their_markers() -> None:
    """Wrapping (before reordering) keeps each marker whole and styled."""
    text = "قال مصدر إن القوات دخلت \u202eالقرية\u202c صباح الجمعة"
    lines = display_arabic_lines(text, "shaped", 16)
    assert len(lines) > 1
    assert "⟨RLO⟩" in "".join(lines) and "⟨PDF⟩" in "".join(lines)
    assert styled("a\u2066⟨RLO⟩\u2069b").plain == "a⟨RLO⟩b"


# -- the workbench ---------------------------------------------------------------------


@synchronous
async def test_the_editor_shows_markers_in_every_read_only_view(hidden: Home) -> None:
    """Arabic pane, table, draft, diff: markers; the English box keeps the characters."""
    app = make_app(hidden, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        screen = app.screen
        on_screen = screen_text(app)
        for mark in ("⟨RLO⟩", "⟨PDF⟩", "⟨RLI⟩", "⟨PDI⟩", "⟨ZWSP⟩"):
            assert mark in on_screen, mark
        source = screen.query_one(SourcePane)
        assert "⟨RLO⟩" in rendered(source) and "⟨PDF⟩" in rendered(source)
        assert "Army enters ⟨RLI⟩Lattakia⟨PDI⟩" in rendered(screen.query_one(DraftPane))
        assert "⟨RLI⟩Lattakia⟨PDI⟩" in rendered(screen.query_one(DiffView))
        row = screen.query_one(SegmentTable).get_row("1")
        assert str(row[2]) == "Army enters ⟨RLI⟩Lattakia⟨PDI⟩" and "⟨RLO⟩" in str(row[3])
        for widget in (source, screen.query_one(DraftPane), screen.query_one(DiffView)):
            assert not set(rendered(widget)) & set(LABELS)
        # The English box holds the characters as imported, a cue on the letter after each.
        editor = screen.query_one(EnglishEditor)
        assert editor.text == HEADLINE_EN
        line = editor.get_line(0)
        cues = [line.plain[s.start : s.end] for s in line.spans if s.style == CUE_STYLE]
        assert cues == ["L", "a"]  # after RLI; PDI ends the line, so the letter before it
        notice = screen.query_one(HiddenNotice)
        assert notice.display and "2 hidden character(s)" in rendered(notice)
        assert "⟨RLI⟩" in rendered(notice) and "⟨PDI⟩" in rendered(notice)


@synchronous
async def test_saving_keeps_exactly_what_the_box_holds(hidden: Home) -> None:
    """Typed text and a pasted override are saved as they are; the diff marks the override."""
    app = make_app(hidden, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        editor = app.screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "x")
        editor.insert("\u202e")  # as a paste would
        await pilot.pause()
        diff = rendered(app.screen.query_one(DiffView))
        assert "x⟨RLO⟩" in diff
        assert "3 hidden character(s)" in rendered(app.screen.query_one(HiddenNotice))
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert app.screen.session.current == 2
        # Segment 2: a zero-width space, marked; segment 1's notice was its own.
        assert "⟨ZWSP⟩" in rendered(app.screen.query_one(HiddenNotice))
    story = hidden.desk.store.load_story(SLUG)
    assert story.segment(1).text == HEADLINE_EN + " x\u202e"
    assert story.segment(1).source == "الجيش يدخل \u202eاللاذقية\u202c"
    assert story.segment(2).text.count("\u200b") == 1


@synchronous
async def test_history_and_story_list_show_markers(hidden: Home) -> None:
    """Timeline, revision diff, the segment's Arabic, the story list's headline."""
    hidden.desk.edit(SLUG, 1, "Army enters \u202eaikattaL\u202c", author="omar")
    app = make_app(hidden, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        headline = app.screen.query_one(StoryTable).get_cell(SLUG, "headline")
        assert str(headline) == "Army enters ⟨RLO⟩aikattaL⟨PDF⟩"
        app.push_screen(HistoryScreen(app.workbench, SLUG, segment=1))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(RevisionTable)
        summary = str(table.get_row(str(table.selected_id))[5])
        assert summary == "Army enters ⟨RLO⟩aikattaL⟨PDF⟩"
        detail = rendered(screen.query_one(HistoryDetail))
        assert "⟨RLO⟩aikattaL⟨PDF⟩" in detail and "\u202e" not in detail
        assert "⟨RLO⟩" in rendered(screen.query_one(SourcePane))
        assert "⟨RLO⟩aikattaL⟨PDF⟩" in screen_text(app)


@synchronous
async def test_raw_display_and_the_conflict_dialog_mark_them_too(hidden: Home) -> None:
    """`raw` Arabic keeps logical order with markers; both texts of a conflict show them."""
    app = make_app(hidden, author="rania", slug=SLUG, arabic_display="raw")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        assert app.screen.query_one(SourcePane).lines == ["الجيش يدخل ⟨RLO⟩اللاذقية⟨PDF⟩"]
        app.push_screen(ConflictScreen(1, "mine\u2068", "theirs\u200d", "omar"))
        await pilot.pause()
        on_screen = screen_text(app)
        assert "mine⟨FSI⟩" in on_screen and "theirs⟨ZWJ⟩" in on_screen


@synchronous
async def test_an_ordinary_story_has_no_markers_or_notice(env: Home) -> None:
    """The Lattakia sample hides nothing: no notice, no marker anywhere."""
    app = make_app(env, author="rania", slug="lattakia-offensive")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        assert not app.screen.query_one(HiddenNotice).display
        assert "⟨" not in screen_text(app)
