"""Moving like a translator moves: back where you left off, go to N, filters, focus, stable
finding numbers, one undo per visit, help in the palette, spelling beside the findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.app.home import Home
from desk.core.importer import ImportOptions
from desk.core.story import RevisionKind
from desk.tui import make_app
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.segment_jump import LineScreen
from desk.tui.widgets.english_editor import AUTOSAVE_SECONDS, EnglishEditor
from desk.tui.widgets.row_key import cursor_number
from desk.tui.widgets.segment_table import SegmentTable
from desk.tui.widgets.spelling_notice import SpellingNotice
from tests.helpers.cli import DeskCli
from tests.helpers.paths import GLOSSARIES
from tests.helpers.tui import SIZE, SLUG, error_text, settle, synchronous


def editor_screen(app: object) -> EditorScreen:
    """The editor on top."""
    from textual.app import App

    assert isinstance(app, App) and isinstance(app.screen, EditorScreen)
    return app.screen


@synchronous
async def test_reopening_a_story_returns_to_the_segment_left(env: Home) -> None:
    """Esc at segment 4, then open the story again: segment 4, not 1; someone else still
    starts at 1; a quit remembers too."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down", "escape")
        await pilot.pause()
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = editor_screen(app)
        assert screen.session.current == 4
        assert screen.query_one(SegmentTable).current == 4
        await pilot.press("ctrl+down", "ctrl+q")
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE):
        await settle(app)
        assert editor_screen(app).session.current == 5
    app = make_app(env, author="omar", slug=SLUG)
    async with app.run_test(size=SIZE):
        await settle(app)
        assert editor_screen(app).session.current == 1


@synchronous
async def test_go_to_segment_by_number(env: Home) -> None:
    """Ctrl+J asks for a number: a wrong one is refused in the dialog, a right one goes
    there with the English box focused."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("ctrl+j")
        assert isinstance(app.screen, LineScreen)
        await pilot.press("9", "9", "9", "enter")
        assert isinstance(app.screen, LineScreen)
        assert "no 999" in error_text(app.screen, "#line-error")
        await pilot.press("backspace", "backspace", "backspace", "1", "2", "enter")
        await pilot.pause()
        screen = editor_screen(app)
        assert screen.session.current == 12
        assert screen.query_one(SegmentTable).current == 12
        assert isinstance(app.focused, EnglishEditor)
        await pilot.press("x")
        assert screen.query_one(EnglishEditor).text.startswith("x")


@synchronous
async def test_focus_returns_to_the_english_box(env: Home) -> None:
    """Enter on a row of the table opens it for typing; after Ctrl+S a typed letter lands
    in the next segment's English."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = editor_screen(app)
        table = screen.query_one(SegmentTable)
        table.focus()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert screen.session.current == 3
        assert isinstance(app.focused, EnglishEditor)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.session.current == 4
        await pilot.press("home", "Z")
        assert screen.query_one(EnglishEditor).text.startswith("Z")


@synchronous
async def test_filters_show_only_the_segments_asked_for(env: Home) -> None:
    """F7: unconfirmed, with findings, a word, then all; moves keep to the segments shown."""
    env.desk.confirm(SLUG, [2, 3], author="rania")
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = editor_screen(app)
        table = screen.query_one(SegmentTable)
        total = len(screen.session.story.segments)
        await pilot.press("f7", "u", "enter")
        await pilot.pause()
        assert 2 not in table.shown_numbers and 3 not in table.shown_numbers
        assert len(table.shown_numbers) == total - 2
        await pilot.press("ctrl+down")  # from 1 over the confirmed 2 and 3
        assert screen.session.current == 4
        await pilot.press("f7", "ctrl+u", "f", "enter")
        await pilot.pause()
        with_findings = sorted(screen.session.findings or {})
        assert table.shown_numbers == with_findings and len(with_findings) < total
        assert screen.session.current in with_findings
        await pilot.press("f7", "ctrl+u", *"Observatory", "enter")
        await pilot.pause()
        holding = [s.n for s in screen.session.story.segments if "Observatory" in s.text]
        assert table.shown_numbers == holding and holding
        assert "showing segments containing" in str(screen.query_one("#status").render())
        await pilot.press("f7", "ctrl+u", "a", "enter")
        await pilot.pause()
        assert len(table.shown_numbers) == total


@synchronous
async def test_a_filter_keeps_you_where_you_are_and_moves_keep_to_it(env: Home) -> None:
    """Under a word filter, a fix that takes the word out of the current segment leaves
    you on it (it goes from the table once you move on); Ctrl+N keeps to the filter,
    with the table's cursor on the segment open; a filter that would show nothing is
    not applied."""
    env.desk.edit(SLUG, 5, "Latakia was shelled.", author="rania")
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = editor_screen(app)
        table = screen.query_one(SegmentTable)
        await pilot.press("f7", *"Latakia", "enter", "ctrl+j", "5", "enter")
        await pilot.pause()
        assert screen.session.current == 5 and 5 in table.shown_numbers
        assert len(table.shown_numbers) > 1
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert screen.session.segment(5).text == "Lattakia was shelled."
        assert screen.session.current == 5 and 5 in table.shown_numbers
        assert cursor_number(table) == 5
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert screen.session.current > 5 and 5 not in table.shown_numbers
        assert cursor_number(table) == screen.session.current
        await pilot.press("f7", "ctrl+u", *"Observatory", "enter")
        await pilot.pause()
        holding = table.shown_numbers
        for _ in range(3):
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert screen.session.current in holding
            assert cursor_number(table) == screen.session.current
        await pilot.press("f7", "ctrl+u", *"zzzqx", "enter")
        await pilot.pause()
        assert table.shown_numbers == holding
        assert screen.session.filter.word == "Observatory"


@synchronous
async def test_finding_numbers_hold_after_a_fix(env: Home) -> None:
    """Three findings numbered 1-3 on a segment gone to (not the first one, which the
    table's refill used to open and leave again); Shift+F1 fixes the first, and
    Shift+F3 still fixes the one shown as 3 (not nothing, as when the list renumbered)."""
    env.desk.edit(SLUG, 5, "Latakia, Hasakah and Al-Akrad were shelled.", author="rania")
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        screen = editor_screen(app)
        await pilot.press("ctrl+j", "5", "enter")
        await pilot.pause()
        assert screen.session.current == 5
        shown = screen.session.numbered()
        assert shown is not None
        assert [(n, f.found) for n, f in shown if n is not None] == [
            (1, "Latakia"),
            (2, "Hasakah"),
            (3, "Al-Akrad"),
        ]
        await pilot.press("shift+f1")
        await pilot.pause()
        assert screen.session.segment(5).text == "Lattakia, Hasakah and Al-Akrad were shelled."
        await pilot.press("shift+f3")
        await pilot.pause()
        assert screen.session.segment(5).text == "Lattakia, Hasakah and al-Akrad were shelled."
        left = screen.session.numbered()
        assert left is not None
        assert [(n, f.found) for n, f in left if n is not None] == [(2, "Hasakah")]
        await pilot.press("ctrl+down", "ctrl+up")  # a new visit numbers afresh
        again = screen.session.numbered()
        assert again is not None and [n for n, _ in again if n is not None] == [1]


@synchronous
async def test_one_undo_takes_back_a_whole_visit(env: Home) -> None:
    """Typing saved twice by the autosave in one visit is two revisions in the log, and
    one undo puts back the English from before the visit."""
    original = env.desk.store.load_story(SLUG).segment(2).text
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("ctrl+down")
        screen = editor_screen(app)
        editor = screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "Y", "A", "l")
        await pilot.pause(AUTOSAVE_SECONDS + 0.5)
        await pilot.press("space", "J", "a", "z")
        await pilot.pause(AUTOSAVE_SECONDS + 0.5)
        story = env.desk.store.load_story(SLUG)
        assert story.segment(2).text == original + " YAl Jaz"
        await pilot.press("ctrl+underscore")
        await pilot.pause()
        assert editor.text == original
    story = env.desk.store.load_story(SLUG)
    assert story.segment(2).text == original
    edits = [r for r in env.desk.store.revisions(story.id or 0) if r.kind == RevisionKind.EDIT]
    assert [(r.before, r.after) for r in edits] == [
        (original, original + " YAl"),
        (original + " YAl", original + " YAl Jaz"),
        (original + " YAl Jaz", original),
    ]
    assert edits[0].visit == edits[1].visit != edits[2].visit
    # `desk log` shows the visit as one line, the undo as another.
    lines = DeskCli()("log", SLUG, "--kind", "edit").output.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("(2 saves in one visit)") and f"r{edits[1].id} " in lines[0]


@synchronous
async def test_the_palette_and_footer_offer_help_and_every_key(env: Home) -> None:
    """Ctrl+P finds "help", "go to", "filter", "publish"; the footer shows F1 at 80x24;
    the help lists Ctrl+Q."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for name in ("Help", "Go to", "Filter", "Publish", "Review", "Export", "Confirm+next"):
            assert any(t.startswith(f"{name} (") for t in titles), name
        footer_keys: list[str] = []
        for _ in range(50):  # the footer lays its keys out after the first frames
            await pilot.pause(0.05)
            footer_keys = [k.description for k in app.screen.query("FooterKey") if k.region.width]
            if footer_keys:
                break
        assert "Help" in footer_keys
        assert "Help" in footer_keys[:4]
        await pilot.press("f1")
        await pilot.pause()
        help_text = str(app.screen.query_one("#help-text").render())
        assert "Quit" in help_text and "^q" in help_text.replace("ctrl+q", "^q")
        await pilot.press("escape")
        command = next(c for c in app.get_system_commands(app.screen) if c.title.startswith("Go"))
        await command.callback()
        await pilot.pause()
        assert isinstance(app.screen, LineScreen)


@synchronous
async def test_spelling_flags_a_misspelt_word_and_never_a_house_name(
    env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the house glossary, a saved English with "civilans" shows it under the
    findings; Hassakeh, Abu Humam al-Shami, Lattakia (house names) are not flagged, nor
    "Latakia's", whose name a glossary finding already corrects."""
    monkeypatch.setenv("DESK_GLOSSARY", str(GLOSSARIES))
    env.desk.edit(
        SLUG, 3, "Abu Humam al-Shami said civilans fled Hassakeh, Lattakia and Latakia's hills.",
        author="rania",
    )  # fmt: skip
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("ctrl+j", "3", "enter")
        await settle(app)
        screen = editor_screen(app)
        notice = str(screen.query_one(SpellingNotice).render())
        assert "civilans" in notice
        for name in ("Hassakeh", "Humam", "Shami", "Lattakia", "Abu", "Latakia"):
            assert name not in notice
        assert screen.session.spelling.words[3] == ["civilans", "Latakia's"]
        assert screen.session.misspelt(3) == ["civilans"]


@synchronous
async def test_a_long_story_reopens_far_down(desk_home: Path, glossary: Path) -> None:
    """A 120-segment story (its rows past the first 40 added after the first frame):
    left at segment 100, it reopens there, with the table's cursor on row 100."""
    from bench.tui import make_story, sentence_pairs

    scratch = desk_home.parent / "scratch"
    scratch.mkdir(parents=True)
    make_story(scratch, "long-story", 120, sentence_pairs(scratch / "home"))
    env = Home(desk_home)
    env.desk.import_story(
        scratch / "long-story.ar.md",
        ImportOptions(draft=scratch / "long-story.draft.en.md"),
        author="rania",
    )
    app = make_app(env, author="rania", slug="long-story")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("ctrl+j", "1", "0", "0", "enter", "escape")
        await pilot.pause()
    app = make_app(env, author="rania", slug="long-story")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = editor_screen(app)
        assert screen.session.current == 100
        table = screen.query_one(SegmentTable)
        assert len(table.shown_numbers) == 120
        assert table.current == 100
