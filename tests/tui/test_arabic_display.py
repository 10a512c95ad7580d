"""Pilot and unit tests of the workbench's history view, Arabic display, QA gate dialog,
corrections and themes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.widgets import Input

from desk.cli import Env
from desk.core.config import load_config
from desk.core.errors import InputError
from desk.core.importer import ImportOptions
from desk.core.story import RevisionKind, StoryStatus
from desk.locations import config_path
from desk.tui import make_app
from desk.tui.arabic import display_arabic, display_arabic_lines
from desk.tui.screens.correction import CorrectionScreen
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.history import HistoryScreen
from desk.tui.screens.qa_gate import QaGateScreen
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.history_detail import HistoryDetail
from desk.tui.widgets.revision_table import RevisionTable
from desk.tui.widgets.segment_table import SegmentTable, _cut
from desk.tui.widgets.source_pane import SourcePane
from desk.tui.widgets.story_table import StoryTable
from tests.helpers.cli import DeskCli
from tests.helpers.paths import SAMPLES
from tests.helpers.tui import SIZE, SLUG, settle, synchronous

PHRASE = "قتل 12 مدنيا في اللاذقية عام 2024"
"""Twelve civilians were killed in Lattakia in 2024: numbers inside right-to-left text."""


def detail_text(app: Any) -> str:
    """What the history view's lower pane shows."""
    return str(app.screen.query_one(HistoryDetail).render())


def publish(env: Env) -> None:
    """Take the sample to published through the core, as an editor would."""
    env.desk.confirm(SLUG, None, author="rania")
    for status in (StoryStatus.REVIEW, StoryStatus.APPROVED, StoryStatus.PUBLISHED):
        env.desk.set_status(SLUG, status, author="omar")


# -- Arabic display -----------------------------------------------------------------


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
async def test_source_pane_and_table_show_shaped_arabic(env: Env) -> None:
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
async def test_raw_arabic_display_from_the_option_and_the_config(env: Env) -> None:
    """`arabic_display="raw"` (the CLI option) and `[tui] arabic_display` leave it raw."""
    seg = env.desk.store.load_story(SLUG).segment(1)
    app = make_app(env, author="rania", slug=SLUG, arabic_display="raw")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(SourcePane).lines == [seg.source]
    config_path(env.home).write_text('[tui]\narabic_display = "raw"\n', encoding="utf-8")
    app = make_app(Env(env.home), author="rania", slug=SLUG)
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
    env: Env, desk: DeskCli, monkeypatch: pytest.MonkeyPatch
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
    desk("--arabic-display", "raw")
    desk("open", SLUG, "--arabic-display", "raw")
    desk("--arabic-display", "raw", "open", SLUG)
    desk("open", SLUG)
    assert [c.get("arabic_display") for c in calls] == ["raw", "raw", "raw", None]
    bad = desk("open", SLUG, "--arabic-display", "mirrored", ok=False)
    assert bad.exit_code == 2 and "mirrored" in bad.stderr


# -- the history view -----------------------------------------------------------------


@synchronous
async def test_history_shows_the_timeline_diffs_filters_and_stats(env: Env) -> None:
    """Ctrl+L: every revision; a revision's diff; by author; draft → now; stats."""
    env.desk.edit(SLUG, 2, "Omar's second sentence", author="omar")
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        editor = app.screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "x", "ctrl+l")  # the typing is saved before the history
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        story = env.desk.store.load_story(SLUG)
        revisions = env.desk.store.revisions(story.id or 0)
        table = screen.query_one(RevisionTable)
        assert table.row_count == len(revisions)
        # The cursor starts on the newest revision: rania's edit of segment 1.
        last = revisions[-1]
        assert (last.author, last.kind, last.segment_n) == ("rania", RevisionKind.EDIT, 1)
        assert table.get_row(str(last.id))[2:5] == ["rania", "edit", "1"]
        shown = detail_text(app)
        assert f"r{last.id} · rania" in shown and "x" in shown

        # Author filter: everyone → importer → omar → rania → everyone.
        await pilot.press("a")
        assert screen.author == "importer"
        await pilot.press("a")
        assert screen.author == "omar"
        omar = [r for r in revisions if r.author == "omar"]  # his edit moved the story too
        assert table.row_count == len(omar) == 2
        assert {table.get_row_at(i)[2] for i in range(table.row_count)} == {"omar"}
        await pilot.press("n")
        assert "by omar: 1 revision(s)" in detail_text(app)
        await pilot.press("a", "a")
        assert screen.author is None and table.row_count == len(revisions)

        # Story-level diffs and stats.
        await pilot.press("n")
        assert "Draft → now: 2 segment(s) differ" in detail_text(app)
        await pilot.press("p")
        assert "never been published" in detail_text(app)
        await pilot.press("t")
        stats = detail_text(app)
        assert "Segments edited: 2/35" in stats and "omar: 1 segment(s) changed" in stats
        await pilot.press("v", "escape")
        assert isinstance(app.screen, EditorScreen)


@synchronous
async def test_history_of_this_segment_and_after_publication(env: Env) -> None:
    """Ctrl+O opens the history of the focused segment only; draft → published works."""
    env.desk.edit(SLUG, 2, "Omar's second sentence", author="omar")
    env.desk.edit(SLUG, 3, "Omar's third sentence", author="omar")
    publish(env)
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+down", "ctrl+o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.segment == 2
        table = screen.query_one(RevisionTable)
        assert {table.get_row_at(i)[4] for i in range(table.row_count)} == {"2"}
        assert screen.query_one(SourcePane).display
        await pilot.press("p")
        shown = detail_text(app)
        assert "Draft → published: 1 segment(s) differ" in shown and "¶2" in shown
        assert "¶3" not in shown
        await pilot.press("g")  # every segment again
        assert screen.segment is None and not screen.query_one(SourcePane).display
        assert "Draft → published: 2 segment(s) differ" in detail_text(app)


# -- the QA gate, corrections and refusals -------------------------------------------------


@synchronous
async def test_approving_past_the_qa_gate_shows_what_blocks_it(env: Env) -> None:
    """F5 with unconfirmed segments: a dialog lists them; Enter goes to the first."""
    env.desk.confirm(SLUG, [1, 2, 3], author="rania")
    env.desk.set_status(SLUG, StoryStatus.REVIEW, author="rania")
    messages: list[Message] = []
    app = make_app(env, author="omar", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, QaGateScreen)
        assert dialog.problems == ["segments not confirmed: 4-35"] and dialog.goto == 4
        refused = [m for m in messages if isinstance(m, EditorScreen.Refused)]
        assert refused and "segments not confirmed: 4-35" in refused[0].reason
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and app.screen.current == 4
        # Export is gated too, and its dialog says the status is part of it.
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, QaGateScreen)
        assert app.screen.problems[0] == "the story is review, not approved or published"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and app.screen.current == 4
    assert env.desk.store.load_story(SLUG).status == StoryStatus.REVIEW


@synchronous
async def test_a_workflow_refusal_is_a_notice_not_the_gate(env: Env) -> None:
    """An illegal move (approve a new story) says why, without the QA dialog."""
    messages: list[Message] = []
    app = make_app(env, author="omar", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        refused = [m for m in messages if isinstance(m, EditorScreen.Refused)]
        assert refused[0].action == "start a correction"
        assert "only a published story can be corrected" in refused[0].reason


@synchronous
async def test_a_correction_with_a_note_makes_the_story_editable(env: Env) -> None:
    """F12 on a published story asks for a note, records it, and unlocks the English."""
    publish(env)
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        editor = app.screen.query_one(EnglishEditor)
        assert editor.read_only
        assert "F12: correct" in str(app.screen.query_one("#status").render())

        # An empty note is refused by the core, with its reason.
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, CorrectionScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        refused = [m for m in messages if isinstance(m, EditorScreen.Refused)]
        assert refused and "needs a note" in refused[-1].reason

        await pilot.press("f12")
        await pilot.pause()
        app.screen.query_one(Input).value = "the toll was 12, not 21"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert not editor.read_only
        editor.focus()
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "y", "ctrl+down")
        await pilot.pause()

    story = env.desk.store.load_story(SLUG)
    assert story.status == StoryStatus.CORRECTING
    assert story.segment(1).text.endswith(" y")
    revisions = env.desk.store.revisions(story.id or 0)
    opened = [
        (r.author, r.after, r.note)
        for r in revisions
        if r.kind == RevisionKind.CORRECTION and r.segment_n is None
    ]
    assert opened == [("rania", "correcting", "the toll was 12, not 21")]
    # An edit during a correction is recorded as one.
    last = revisions[-1]
    assert (last.author, last.kind, last.segment_n) == ("rania", RevisionKind.CORRECTION, 1)
    moved = [m.status for m in messages if isinstance(m, EditorScreen.StatusMoved)]
    assert moved[-1] == StoryStatus.CORRECTING


# -- the theme ------------------------------------------------------------------------


@synchronous
async def test_theme_from_the_config_and_switched_with_f10(env: Env) -> None:
    """`[tui] theme = "light"` starts light; F10 switches, even while typing."""
    config_path(env.home).write_text('[tui]\ntheme = "light"\n', encoding="utf-8")
    app = make_app(Env(env.home), author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"
        assert isinstance(app.focused, EnglishEditor)
        await pilot.press("f10")
        assert app.theme == "textual-dark"
        await pilot.press("f10")
        assert app.theme == "textual-light"
    assert make_app(env, author="rania").bench.env.config.tui_theme == "dark"


# -- the story list -------------------------------------------------------------------------


@synchronous
async def test_story_list_filters_by_status_and_sorts(env: Env) -> None:
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
async def test_segment_columns_fit_the_terminal(env: Env) -> None:
    """At 80 columns the English and Arabic columns shrink so no row runs off the edge
    (which would hide the Arabic's first words); a wide terminal gets the full widths."""
    found: dict[tuple[int, int], tuple[int, int, int]] = {}
    for size in ((80, 24), (160, 40)):
        app = make_app(env, author="rania", slug=SLUG)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            table = app.screen.query_one(SegmentTable)
            total = sum(c.get_render_width(table) for c in table.columns.values())
            found[size] = (table.english_width, table.arabic_width, total)
    english, arabic, total = found[(80, 24)]
    assert total <= 80 and english < 52 and arabic < 40
    assert found[(160, 40)][:2] == (52, 40)
