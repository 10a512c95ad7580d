"""Pilot tests of the editor: its panes, saving as one types, a finding's own fix key, and
columns that fit the terminal."""

from __future__ import annotations

import pytest
from textual.message import Message

from desk.app.home import Home
from desk.core.story import RevisionKind
from desk.tui import make_app
from desk.tui.screens.editor import EditorScreen
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.findings_list import FindingsList
from desk.tui.widgets.segment_table import SegmentTable
from tests.helpers.tui import SIZE, SLUG, settle, synchronous


@synchronous
async def test_editor_shows_draft_findings_and_diff(env: Home) -> None:
    """The headline's panes: Arabic, the draft with its origin, findings, the diff."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        assert screen.session.findings is not None and 1 in screen.session.findings
        draft = str(screen.query_one("#draft").render())
        assert "import" in draft and "Latakia" in draft
        findings = str(screen.query_one("#findings").render())
        assert "Lattakia" in findings
        status = str(screen.query_one("#status").render())
        assert "new" in status and "0/35" in status and "rania" in status
        assert "findings" in status and "scanning" not in status


@synchronous
async def test_typing_is_saved_after_a_pause(env: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """A moment after the last key the English is saved, without leaving the segment."""
    monkeypatch.setattr("desk.tui.widgets.english_editor.AUTOSAVE_SECONDS", 0.05)
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        editor = app.screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "x")
        await pilot.pause(0.3)
        assert env.desk.store.load_story(SLUG).segment(1).text.endswith(" x")
        assert any(
            isinstance(m, EnglishEditor.SaveRequested) and m.reason == "timer" for m in messages
        )


@synchronous
async def test_one_key_fixes_one_finding(env: Home) -> None:
    """Shift+F<N> applies only the segment's N-th fixable finding, as one glossary revision."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        findings = str(app.screen.query_one(FindingsList).render())
        assert "1. Latakia → Lattakia" in findings and "[shift+F2]" in findings
        await pilot.press("shift+f2")
        await settle(app)
        text = env.desk.store.load_story(SLUG).segment(1).text
        assert "Latakia countryside" in text and "al-Akrad mountain" in text
        await pilot.press("shift+f1")
        await settle(app)
    text = env.desk.store.load_story(SLUG).segment(1).text
    assert "Lattakia countryside" in text
    fixes = [
        r for r in env.desk.store.revisions(env.desk.store.story_id(SLUG))
        if r.kind == RevisionKind.GLOSSARY
    ]  # fmt: skip
    assert [r.author for r in fixes] == ["rania", "rania"]


@synchronous
async def test_segment_columns_fit_the_terminal(env: Home) -> None:
    """The English and Arabic columns share the width: at 80 columns they shrink so no
    row runs off the edge (which would hide the Arabic's first words); a wide terminal
    gives them all of its width, not a capped share (rows are read for context)."""
    found: dict[tuple[int, int], tuple[int, int, int]] = {}
    for size in ((80, 24), (160, 40)):
        app = make_app(env, author="rania", slug=SLUG)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            table = app.screen.query_one(SegmentTable)
            total = sum(c.get_render_width(table) for c in table.columns.values())
            found[size] = (table.english_width, table.arabic_width, total)
    english, arabic, total = found[(80, 24)]
    assert 80 - 4 <= total <= 80 and english < 52 and arabic < 40
    wide_english, wide_arabic, wide_total = found[(160, 40)]
    assert 160 - 4 <= wide_total <= 160
    assert wide_english > english and wide_arabic > arabic and wide_english > wide_arabic
