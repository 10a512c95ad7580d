"""The first screen: every story in the desk home."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from desk.core.engine.base import Draft, Engine
from desk.core.errors import DeskError, NotFoundError
from desk.core.glossary.stories import check_story
from desk.core.store import StorySummary
from desk.core.story import StoryStatus
from desk.tui.context import Workbench
from desk.tui.screens.confirm_delete import ConfirmDeleteScreen
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.import_story import Imported, ImportScreen
from desk.tui.widgets.story_table import StoryTable

SORTS = {
    "updated": "last update",
    "slug": "slug",
    "status": "status",
}
"""The list's orders (the store gives the most recently updated first)."""

STATUS_ORDER = list(StoryStatus)


def sort_stories(stories: list[StorySummary], order: str) -> list[StorySummary]:
    """`stories` (newest first) in `order`, a key of SORTS."""
    if order == "slug":
        return sorted(stories, key=lambda s: s.slug)
    if order == "status":  # stable: newest first within a status
        return sorted(stories, key=lambda s: STATUS_ORDER.index(s.status))
    return stories


SHOWN = 500
"""Stories the list holds: the most recently updated (an archive may hold 100,000;
`desk search` and `desk list --limit 0` reach the rest)."""


class StoryListScreen(Screen[None]):
    """A table of stories; Enter opens one in the editor."""

    HELP_TITLE = "Stories"
    """What the help screen calls this screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the story under the cursor."),
        Binding("i", "import", "Import", tooltip="Import an Arabic file, with the import options."),
        Binding("d", "delete", "Delete", tooltip="Delete the story under the cursor (only new)."),
        Binding("r", "reload", "Reload", tooltip="Read the story list again."),
        Binding("f", "cycle_filter", "Filter", tooltip="Show only one status, in turn, or all."),
        Binding("o", "cycle_sort", "Sort", tooltip="Sort by last update, slug or status."),
        Binding("q", "app.quit", "Quit", tooltip="Leave the workbench."),
    ]

    def __init__(self, workbench: Workbench) -> None:
        """List the stories of the workbench's desk home."""
        super().__init__()
        self.workbench = workbench
        self.status_filter: StoryStatus | None = None
        """Show only stories of this status (None: all)."""
        self.order = "updated"
        """How the list is sorted: a key of SORTS."""

    def compose(self) -> ComposeResult:
        """Title, table, footer."""
        yield Static(
            f"desk — stories │ you: {self.workbench.author}", id="list-title", markup=False
        )
        yield StoryTable(id="stories")
        yield Static("", id="list-empty")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Coming back from the editor shows fresh progress."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the stories again."""
        store = self.workbench.desk.store
        stories = store.list_stories(self.status_filter, limit=SHOWN)
        self.query_one(StoryTable).show(sort_stories(stories, self.order))
        title = f"desk — stories │ you: {self.workbench.author}"
        if self.status_filter is not None:
            title += f" │ only {self.status_filter.value}"
        if len(stories) == SHOWN:
            title += f" │ newest {SHOWN} of {store.count_stories(self.status_filter):,}"
        if self.order != "updated":
            title += f" │ by {SORTS[self.order]}"
        self.query_one("#list-title", Static).update(title)
        if stories:
            hint = ""
        elif self.status_filter is not None:
            hint = f"No {self.status_filter.value} stories (f shows the next status)."
        else:
            hint = "No stories yet: press i to import one (or `desk import FILE`)."
        self.query_one("#list-empty", Static).update(hint)
        self.count_findings([s.slug for s in stories])

    @dataclass
    class FindingsCounted(Message):
        """Open glossary findings per story, counted by the worker."""

        counts: dict[str, int]

    @work(thread=True, exclusive=True, exit_on_error=False, group="findings")
    def count_findings(self, slugs: list[str]) -> None:
        """Count each story's glossary findings off the UI thread (own store connection)."""
        home = self.workbench.home
        enforcer = home.enforcer()
        if enforcer is None:
            self.post_message(self.FindingsCounted(dict.fromkeys(slugs, 0)))
            return
        counts = {}
        with home.open() as desk:
            for slug in slugs:
                try:
                    story = desk.store.load_story(slug)
                except NotFoundError:  # deleted meanwhile
                    continue
                counts[slug] = sum(len(r.findings) for r in check_story(story, enforcer))
        self.post_message(self.FindingsCounted(counts))

    @on(FindingsCounted)
    def _findings_counted(self, event: FindingsCounted) -> None:
        """Show the counts."""
        self.query_one(StoryTable).show_findings(event.counts)

    def action_cycle_filter(self) -> None:
        """All → new → translating → … → correcting → all."""
        order: list[StoryStatus | None] = [None, *StoryStatus]
        self.status_filter = order[(order.index(self.status_filter) + 1) % len(order)]
        self.action_reload()

    def action_cycle_sort(self) -> None:
        """Last update → slug → status → last update."""
        keys = list(SORTS)
        self.order = keys[(keys.index(self.order) + 1) % len(keys)]
        self.action_reload()

    def action_open(self) -> None:
        """Open the story under the cursor."""
        slug = self.query_one(StoryTable).selected_slug
        if slug is not None:
            self.open_story(slug)

    @on(StoryTable.OpenRequested)
    def _open_requested(self, event: StoryTable.OpenRequested) -> None:
        """The table asked to open a story."""
        self.open_story(event.slug)

    def open_story(self, slug: str) -> None:
        """Push the editor on `slug`."""
        self.app.push_screen(EditorScreen(self.workbench, slug))

    # -- delete -----------------------------------------------------------------

    def action_delete(self) -> None:
        """Ask, then delete the story under the cursor; only a `new` story can go."""
        slug = self.query_one(StoryTable).selected_slug
        if slug is None:
            return
        story = self.workbench.desk.store.load_story(slug)
        if story.status != StoryStatus.NEW:
            self.notify(
                f"{slug} is {story.status.value}: only a story still new can be deleted.",
                severity="warning",
            )
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.workbench.desk.delete_story(slug, author=self.workbench.author)
            except DeskError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"Deleted {slug}.")
            self.action_reload()

        self.app.push_screen(ConfirmDeleteScreen(slug, story.headline_en), answered)

    # -- import -----------------------------------------------------------------

    def action_import(self) -> None:
        """Ask for a file and the options; import it; draft it in a worker if it wants one."""
        self.app.push_screen(ImportScreen(self.workbench), self.imported)

    def imported(self, done: Imported | None) -> None:
        """Show and select the new story, then start its machine draft."""
        if done is None:
            return
        self.status_filter = None
        self.action_reload()
        self.query_one(StoryTable).select(done.slug)
        self.notify(f"Imported {done.slug}: {done.segments} segments.")
        if done.machine_draft:
            self.draft(done.slug)

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft")
    def draft(self, slug: str) -> None:
        """Machine-draft `slug` as `desk import` does, with the glossary's listed spellings.

        The worker opens its own store on the same desk home (an SQLite connection
        belongs to the thread that opened it) and reports progress by notifications.
        """
        home, author = self.workbench.home, self.workbench.author
        progress = {"done": 0, "total": 0, "step": 1}

        def say(message: str, severity: str = "information") -> None:
            self.app.call_from_thread(self.notify, message, severity=severity)

        def started(engine: Engine, total: int) -> None:
            progress.update(total=total, step=max(1, total // 4))
            say(f"Drafting {slug} with {engine.describe()}…")

        def advance(draft: Draft) -> None:
            progress["done"] += 1
            done, total = progress["done"], progress["total"]
            if done % progress["step"] == 0 and done < total:
                say(f"Drafting {slug}: {done}/{total} segments")
                self.app.call_from_thread(self.action_reload)

        try:
            with home.open() as desk:
                report = home.draft(
                    slug, author=author, desk=desk, skip_none=True, on_notice=say,
                    on_start=started, on_draft=advance,
                )  # fmt: skip
            if report is None:
                say(f"{slug}: the desk's engine is `none`, no machine draft.")
                return
            fixed = len(report.glossary_fixed)
            say(
                f"Drafted {len(report.drafted)} segment(s) of {slug}"
                + (f"; house spellings applied in {fixed}." if fixed else ".")
            )
        except Exception as exc:
            say(f"Drafting {slug} failed: {exc}", "error")
            raise
        finally:
            self.app.call_from_thread(self.action_reload)
