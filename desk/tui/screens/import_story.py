"""The import dialog: a file path and the options of `desk import`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static, Switch

from desk.core.errors import DeskError
from desk.core.importer import ImportOptions
from desk.locations import expand
from desk.tui.context import Workbench
from desk.tui.screens.dialog import FormScreen

FIELDS = (
    ("path", "Arabic file", "samples/lattakia-offensive.ar.md"),
    ("slug", "Slug", "from the file name or front matter"),
    ("outlet", "Outlet", "from the front matter"),
    ("source-url", "Source URL", "https://…"),
    ("date", "Date", "YYYY-MM-DD"),
    ("byline", "Byline", "from the front matter"),
    ("draft", "English draft", "a draft file from elsewhere (else a machine draft)"),
)
"""(id suffix, label, placeholder) of each Input, in order."""


@dataclass(frozen=True)
class Imported:
    """What the dialog imported: the new story, and whether it still wants a machine draft."""

    slug: str
    segments: int
    machine_draft: bool


class ImportScreen(FormScreen[Imported | None]):
    """Asks for a file and the import options; imports through the core, as `desk import`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, workbench: Workbench) -> None:
        """Import into the workbench's desk home, as its author."""
        super().__init__()
        self.workbench = workbench

    def compose(self) -> ComposeResult:
        """A line of explanation, the fields, the switch, the error line, the buttons."""
        with VerticalScroll(id="import-box", classes="form-box"):
            yield Static(
                "Import an Arabic story. Empty fields are taken from the file's front matter. "
                "Enter imports, Esc cancels.",
                id="import-title",
                markup=False,
            )
            for key, label, placeholder in FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(placeholder=placeholder, id=f"import-{key}")
            with Horizontal(classes="form-row"):
                yield Label("No machine draft", classes="form-label")
                yield Switch(value=False, id="import-no-mt")
            yield Static("", id="import-error", classes="form-error", markup=False)
            with Horizontal(id="import-buttons", classes="form-buttons"):
                yield Button("Import", variant="primary", id="import-ok")
                yield Button("Cancel", id="import-cancel")

    def on_mount(self) -> None:
        """Start in the file field, so the path can be typed at once."""
        self.query_one("#import-path", Input).focus()

    def value(self, key: str) -> str | None:
        """The stripped text of one field, None when empty."""
        text = self.query_one(f"#import-{key}", Input).value.strip()
        return text or None

    def options(self) -> ImportOptions:
        """The options as `desk import` builds them from its flags."""
        draft = self.value("draft")
        return ImportOptions(
            slug=self.value("slug"),
            outlet=self.value("outlet"),
            source_url=self.value("source-url"),
            date=self.value("date"),
            byline=self.value("byline"),
            draft=expand(draft, "Draft file") if draft else None,
        )

    def show_error(self, message: str) -> None:
        """Say why nothing was imported."""
        self.query_one("#import-error", Static).update(message)

    def submit(self) -> None:
        """Import, or show the core's refusal and stay open."""
        path = self.value("path")
        if path is None:
            self.show_error("Give the Arabic file to import.")
            self.query_one("#import-path", Input).focus()
            return
        try:
            options = self.options()
            result = self.workbench.desk.import_story(
                expand(path, "Arabic file"), options, author=self.workbench.author
            )
        except (DeskError, OSError) as exc:
            self.show_error(f"Not imported: {exc}")
            return
        no_mt = self.query_one("#import-no-mt", Switch).value
        story = result.story
        self.dismiss(Imported(story.slug, len(story.segments), options.draft is None and not no_mt))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in any field imports."""
        event.stop()
        self.submit()

    @on(Button.Pressed, "#import-ok")
    def _ok(self, event: Button.Pressed) -> None:
        """The Import button."""
        event.stop()
        self.submit()

    @on(Button.Pressed, "#import-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        """The Cancel button."""
        event.stop()
        self.dismiss(None)
