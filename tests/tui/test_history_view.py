"""The history view: the timeline, a revision's diff, filters by author, story diffs, stats."""

from __future__ import annotations

from typing import Any

from desk.app.home import Home
from desk.core.story import RevisionKind
from desk.tui import make_app
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.history_view import HistoryScreen
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.history_detail import HistoryDetail
from desk.tui.widgets.revision_table import RevisionTable
from desk.tui.widgets.source_pane import SourcePane
from tests.helpers.tui import SIZE, SLUG, publish, settle, synchronous


def detail_text(app: Any) -> str:
    """What the history view's lower pane shows."""
    return str(app.screen.query_one(HistoryDetail).render())


@synchronous
async def test_history_shows_the_timeline_diffs_filters_and_stats(env: Home) -> None:
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
async def test_history_of_this_segment_and_after_publication(env: Home) -> None:
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
        # The two edits, and five segments whose listed spellings the editor fixed.
        assert "Draft → published: 7 segment(s) differ" in detail_text(app)
