"""The first screen: every story in the desk home."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import DescendantBlur, DescendantFocus
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from desk.core.engine.base import Draft, Engine
from desk.core.errors import DeskError
from desk.core.glossary.normalise import normalise_arabic
from desk.core.store import StorySummary
from desk.core.store.findings import (
    WRITE_WAIT_MS,
    StoredCount,
    count_stale,
    fresh_counts,
    save_counts,
    stored_counts,
)
from desk.core.store.live import Change
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


def search_key(text: str) -> str:
    """`text` as the search compares it: Arabic folded as the glossary folds it (marks
    dropped, alef, hamza, ta marbuta and ya forms unified), case folded, spaces single."""
    return " ".join(normalise_arabic(text).casefold().split())


def matching(stories: list[StorySummary], query: str) -> list[StorySummary]:
    """The stories whose slug, English headline or Arabic headline holds `query`."""
    wanted = search_key(query)
    if not wanted:
        return stories
    return [
        s
        for s in stories
        if any(wanted in search_key(text) for text in (s.slug, s.headline_en, s.headline_ar))
    ]


SHOWN = 500
"""Stories the list holds: the most recently updated (an archive may hold 100,000;
`desk search` and `desk list --limit 0` reach the rest)."""


class StoryListScreen(Screen[None]):
    """A table of stories, narrowed by status and by a search box; Enter opens one."""

    DEFAULT_CSS = """
    StoryListScreen #list-search-bar {
        height: 1;
    }
    StoryListScreen #list-search {
        width: 1fr;
    }
    StoryListScreen #list-count {
        width: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """

    HELP_TITLE = "Stories"
    """What the help screen calls this screen."""

    AUTO_FOCUS = "StoryTable"
    """The list has the keys first; `/` goes to the search box."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the story under the cursor."),
        Binding("i", "import", "Import", tooltip="Import an Arabic file, with the import options."),
        Binding("d", "delete", "Delete", tooltip="Delete the story under the cursor (only new)."),
        Binding("r", "reload", "Reload", tooltip="Read the story list again."),
        Binding(
            "slash,ctrl+f",
            "search",
            "Search",
            tooltip="Type to list only the stories whose slug or headline (English or "
            "Arabic) holds the text; Enter goes to the list.",
        ),
        Binding(
            "escape",
            "clear_search",
            "Clear search",
            tooltip="Empty the search box and go back to the list (shown while searching).",
        ),
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
        self.loaded: list[StorySummary] = []
        """The stories read from the store (status filter applied), before the search."""

    def compose(self) -> ComposeResult:
        """Title, search box, table, footer."""
        yield Static(self.title_text(), id="list-title", markup=False)
        with Horizontal(id="list-search-bar"):
            yield Input(
                placeholder="/ search slug or headline (English or Arabic)",
                id="list-search", compact=True,
            )  # fmt: skip
            yield Static("", id="list-count", markup=False)
        yield StoryTable(arabic_display=self.workbench.arabic_display, id="stories")
        yield Static("", id="list-empty", markup=False)
        yield Footer()

    @property
    def search_text(self) -> str:
        """What the search box holds."""
        return self.query_one("#list-search", Input).value

    def title_text(self, total: int | None = None) -> str:
        """The title line: the status shown, how many of `total`, the order, who is working."""
        title = "desk — stories"
        if self.status_filter is not None:
            title += f" │ only {self.status_filter.value}"
        if total is not None:
            title += f" │ newest {SHOWN} of {total:,}"
        if self.order != "updated":
            title += f" │ by {SORTS[self.order]}"
        title += f" │ you: {self.workbench.author}"
        if self.workbench.login_name:
            title += " (login name; use --as NAME or DESK_USER)"
        return title

    def on_screen_resume(self) -> None:
        """Coming back from the editor shows fresh progress, the cursor on the story
        just left (the list re-sorts by last update)."""
        self.action_reload()
        table = self.query_one(StoryTable)
        left = self.workbench.last_story
        if left is not None and left in table.rows:
            table.move_cursor(row=table.get_row_index(left))

    def others_changed(self, changes: list[Change]) -> None:
        """Someone on the shared desk changed a story: read the list again."""
        if any(change.what == "revision" for change in changes):
            with contextlib.suppress(DeskError):
                self.action_reload()

    def action_reload(self) -> None:
        """Read the stories again."""
        store = self.workbench.desk.store
        self.loaded = store.list_stories(self.status_filter, limit=SHOWN)
        total = store.count_stories(self.status_filter) if len(self.loaded) == SHOWN else None
        stored = stored_counts(store, [s.slug for s in self.loaded])
        self.query_one("#list-title", Static).update(self.title_text(total))
        self.show_list()
        # The counts still good for the glossary the workbench has read show at once;
        # the worker reads the glossary again (it may have changed) and counts the rest.
        known = self.workbench.home.enforcer_if_loaded()
        if known is not None:
            self.query_one(StoryTable).show_findings(fresh_counts(stored, known.version))
        self.count_findings(stored)

    def show_list(self) -> None:
        """Show the loaded stories that the search box matches, in order, and say how many."""
        query = self.search_text.strip()
        shown = matching(self.loaded, query)
        self.query_one(StoryTable).show(sort_stories(shown, self.order))
        of = f"{len(shown)} of " if query else ""
        noun = "story" if len(self.loaded) == 1 else "stories"
        self.query_one("#list-count", Static).update(f"{of}{len(self.loaded)} {noun}")
        status = f"{self.status_filter.value} " if self.status_filter is not None else ""
        if shown:
            hint = ""
        elif query:
            hint = f"No {status}stories match “{query}” (Esc clears the search"
            hint += "; f shows the next status)." if status else ")."
        elif self.status_filter is not None:
            hint = f"No {status}stories (f shows the next status)."
        else:
            hint = "No stories yet: press i to import one (or `desk import FILE`)."
        self.query_one("#list-empty", Static).update(hint)

    @on(Input.Changed, "#list-search")
    def _search_changed(self) -> None:
        """Each keystroke in the search box narrows the list again (no store read)."""
        self.show_list()
        self.refresh_bindings()

    @on(DescendantFocus)
    @on(DescendantBlur)
    def _focus_moved(self) -> None:
        """The footer offers Esc only while there is a search to leave."""
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc is live (and in the footer) only in the search box or with a search typed."""
        if action == "clear_search":
            # Asked before the box is composed, or after it is gone: nothing to clear.
            box = next(iter(self.query("#list-search").results(Input)), None)
            return box is not None and (bool(box.value) or box.has_focus)
        return True

    @on(Input.Submitted, "#list-search")
    def _search_submitted(self) -> None:
        """Enter in the search box goes to the list, on the first match."""
        self.query_one(StoryTable).focus()

    def action_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#list-search", Input).focus()

    def action_clear_search(self) -> None:
        """Empty the search box; the list has the keys again."""
        self.query_one("#list-search", Input).value = ""
        self.query_one(StoryTable).focus()
        self.show_list()

    @dataclass
    class FindingsCounted(Message):
        """Open glossary findings per story, counted by the worker."""

        counts: dict[str, int]

    @work(thread=True, exclusive=True, exit_on_error=False, group="findings")
    def count_findings(self, stored: dict[str, StoredCount]) -> None:
        """Show each story's glossary findings: the stored count where it holds for the
        story and the glossary as they are, else counted again off the UI thread (own
        store connection) and stored for the next reload."""
        enforcer = self.workbench.home.enforcer()
        if enforcer is None:
            self.post_message(self.FindingsCounted(dict.fromkeys(stored, 0)))
            return
        fresh = fresh_counts(stored, enforcer.version)
        if fresh:
            self.post_message(self.FindingsCounted(fresh))
        stale = {slug: c for slug, c in stored.items() if slug not in fresh}
        if not stale:
            return
        with self.workbench.home.open() as desk:
            counts = count_stale(desk.store, stale, enforcer)
            self.post_message(self.FindingsCounted(counts))
            # Not kept (busy, read-only): shown all the same, counted again next time.
            save_counts(
                desk.store,
                [(stale[slug], n) for slug, n in counts.items()],
                enforcer.version,
                wait_ms=WRITE_WAIT_MS,
            )

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
        self.query_one("#list-search", Input).value = ""
        self.action_reload()
        self.query_one(StoryTable).select(done.slug)
        self.notify(f"Imported {done.slug}: {done.segments} segments.")
        if done.machine_draft:
            self.draft(done.slug)

    def editing(self, slug: str) -> bool:
        """Whether an editor has story `slug` open."""
        return any(
            isinstance(screen, EditorScreen) and screen.session.slug == slug
            for screen in self.app.screen_stack
        )

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
            # The slug made from the Arabic comes from the drafted English headline,
            # unless the story is open in an editor (its slug must not move under it).
            if not self.app.call_from_thread(self.editing, slug):
                with home.open() as desk:
                    named = desk.name_from_draft(slug, author=author)
                if named != slug:
                    say(f"{slug} is now {named} (from the drafted English headline).")
        except Exception as exc:
            say(f"Drafting {slug} failed: {exc}", "error")
            raise
        finally:
            self.app.call_from_thread(self.action_reload)
