"""The history view: a story's revisions as a timeline, their diffs, and post-edit stats."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from desk.core.errors import DeskError
from desk.core.history import author_diffs, fold_visits, story_diff, story_stats
from desk.core.store import Revision
from desk.core.story import Story
from desk.tui.context import Workbench
from desk.tui.widgets.history_detail import HistoryDetail
from desk.tui.widgets.revision_table import RevisionTable
from desk.tui.widgets.source_pane import SourcePane

MODES = {
    "revision": "the selected revision",
    "now": "draft → now",
    "published": "draft → published",
    "stats": "post-edit stats",
}
"""What the lower pane can show, and how the title names it."""


class HistoryScreen(Screen[None]):
    """Every revision of a story, oldest first, filterable by author and by segment."""

    HELP_TITLE = "History"
    """What the help screen calls this screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the editor."),
        Binding("a", "cycle_author", "Author", tooltip="Show one author's revisions, in turn."),
        Binding(
            "g",
            "toggle_segment",
            "Segment",
            tooltip="Only the selected revision's segment, or every segment again.",
        ),
        Binding("v", "mode('revision')", "Revision", tooltip="The selected revision's diff."),
        Binding("n", "mode('now')", "Draft→now", tooltip="Story diff from the draft to now."),
        Binding(
            "p",
            "mode('published')",
            "Draft→published",
            tooltip="Story diff from the draft to the last publication.",
        ),
        Binding("t", "mode('stats')", "Stats", tooltip="Post-edit distance, by story and author."),
    ]

    def __init__(self, workbench: Workbench, slug: str, *, segment: int | None = None) -> None:
        """The history of story `slug`; with `segment`, only that segment's."""
        super().__init__()
        self.workbench = workbench
        self.slug = slug
        self.story: Story = workbench.desk.store.load_story(slug)
        # One row per visit: the autosaves of one visit to a segment read as one change.
        self.revisions: list[Revision] = fold_visits(
            workbench.desk.store.revisions(self.story.id or 0)
        )
        self.segment = segment
        """Show only this segment's revisions (None: the whole story's)."""
        self.author: str | None = None
        """Show only this person's revisions (None: everyone's)."""
        self.mode = "revision"
        """What the lower pane shows: a key of MODES."""

    def compose(self) -> ComposeResult:
        """Title, the segment's Arabic (when filtered to one), timeline, detail, footer."""
        yield Static("", id="history-title", markup=False)
        yield SourcePane(arabic_display=self.workbench.arabic_display, id="history-source")
        yield RevisionTable(id="timeline")
        with VerticalScroll(id="history-detail-box"):
            yield HistoryDetail(id="history-detail")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the timeline and the detail."""
        self.refresh_view()
        self.query_one(RevisionTable).focus()

    # -- what is shown ----------------------------------------------------------

    @property
    def authors(self) -> list[str]:
        """Everyone with a revision in this story, sorted."""
        return sorted({rev.author for rev in self.revisions})

    @property
    def shown(self) -> list[Revision]:
        """The revisions that pass the author and segment filters."""
        return [
            rev
            for rev in self.revisions
            if (self.author is None or rev.author == self.author)
            and (self.segment is None or rev.segment_n == self.segment)
        ]

    def refresh_view(self) -> None:
        """Redraw the title, the Arabic, the timeline and the detail."""
        shown = self.shown
        self.query_one("#history-title", Static).update(
            f"History — {self.slug} │ {len(shown)}/{len(self.revisions)} revision(s)"
            f" │ author: {self.author or 'all'}"
            f" │ segment: {'all' if self.segment is None else self.segment}"
            f" │ showing: {MODES[self.mode]}"
        )
        source = self.query_one(SourcePane)
        source.display = self.segment is not None
        if self.segment is not None:
            source.show(self.story.segment(self.segment))
        self.query_one(RevisionTable).show(shown)
        self.refresh_detail()

    def refresh_detail(self) -> None:
        """Redraw the lower pane for the current mode."""
        detail = self.query_one(HistoryDetail)
        if self.mode == "revision":
            detail.show_revision(self.selected)
        elif self.mode == "stats":
            detail.show_stats(story_stats(self.story, self.revisions), self.segment)
        else:
            self._show_diff(detail, "now" if self.mode == "now" else "published")

    def _show_diff(self, detail: HistoryDetail, end: str) -> None:
        """The draft → `end` diff: the story's, or the filtered author's own revisions."""
        title = f"Draft → {end}"
        try:
            if self.author is not None:
                revs = author_diffs(self.revisions, self.author, "draft", end)
                revs = [d for d in revs if self.segment in (None, d.revision.segment_n)]
                detail.show_author_diffs(f"{title}, by {self.author}", revs)
                return
            diffs = story_diff(self.story, self.revisions, "draft", end)
        except DeskError as exc:
            detail.show_message(title, str(exc))
            return
        detail.show_story_diff(title, [d for d in diffs if self.segment in (None, d.n)])

    @property
    def selected(self) -> Revision | None:
        """The revision under the timeline's cursor."""
        rev_id = self.query_one(RevisionTable).selected_id
        return next((rev for rev in self.revisions if rev.id == rev_id), None)

    @on(RevisionTable.RevisionHighlighted)
    def _highlighted(self, event: RevisionTable.RevisionHighlighted) -> None:
        """The cursor moved: show that revision (in revision mode)."""
        if self.mode == "revision":
            self.refresh_detail()

    # -- actions ----------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the editor."""
        self.app.pop_screen()

    def action_cycle_author(self) -> None:
        """Everyone → each author in turn → everyone."""
        order: list[str | None] = [None, *self.authors]
        self.author = order[(order.index(self.author) + 1) % len(order)]
        self.refresh_view()

    def action_toggle_segment(self) -> None:
        """Filter to the selected revision's segment, or drop the segment filter."""
        if self.segment is not None:
            self.segment = None
        else:
            rev = self.selected
            if rev is None or rev.segment_n is None:
                self.notify("Select a segment's revision first.", severity="warning")
                return
            self.segment = rev.segment_n
        self.refresh_view()

    def action_mode(self, mode: str) -> None:
        """Show `mode` (a key of MODES) in the lower pane."""
        self.mode = mode
        self.refresh_view()
