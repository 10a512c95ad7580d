"""The first screen: every story in the desk home."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from desk.tui.backend import Workbench
from desk.tui.screens.editor import EditorScreen
from desk.tui.widgets.story_table import StoryTable


class StoryListScreen(Screen[None]):
    """A table of stories; Enter opens one in the editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the story under the cursor."),
        Binding("r", "reload", "Reload", tooltip="Read the story list again."),
        Binding("q", "app.quit", "Quit", tooltip="Leave the workbench."),
    ]

    def __init__(self, bench: Workbench) -> None:
        """List the stories of `bench`'s desk home."""
        super().__init__()
        self.bench = bench

    def compose(self) -> ComposeResult:
        """Title, table, footer."""
        yield Static(f"desk — stories │ you: {self.bench.author}", id="list-title")
        yield StoryTable(id="stories")
        yield Static("", id="list-empty")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Coming back from the editor shows fresh progress."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the stories again."""
        stories = self.bench.desk.store.list_stories()
        self.query_one(StoryTable).show(stories)
        hint = "" if stories else "No stories yet: import one with `desk import FILE`."
        self.query_one("#list-empty", Static).update(hint)

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
        self.app.push_screen(EditorScreen(self.bench, slug))
