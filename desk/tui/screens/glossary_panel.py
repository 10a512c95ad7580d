"""The glossary panel: the house glossary's entries named in this story, and adding to it.

Entries and variants are written through desk.app.glossary's GlossaryFolder, as
`desk glossary add` and `desk glossary edit --add-variant` are (under the folder's lock),
into the glossary folder the workbench checks against.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from desk.core.errors import DeskError
from desk.core.glossary.files import new_id
from desk.core.glossary.model import Entry, Kind
from desk.core.story import Story
from desk.tui.arabic import DEFAULT_ARABIC_DISPLAY, display_arabic
from desk.tui.context import Workbench
from desk.tui.screens.dialog import FormScreen
from desk.tui.visible import visible_text
from desk.tui.widgets.row_key import cursor_key


def story_entries(workbench: Workbench, story: Story) -> list[Entry]:
    """The glossary entries named in `story`: canonical or a variant in the English, or
    an Arabic form in the Arabic, in glossary order (empty without a glossary)."""
    enforcer = workbench.home.enforcer()
    if enforcer is None:
        return []
    seen: dict[str, Entry] = {}
    for seg in story.segments:
        for entry in enforcer.entries_in(seg.text or seg.draft, seg.source):
            seen.setdefault(entry.id, entry)
    order = {e.id: i for i, e in enumerate(enforcer.entries)}
    return sorted(seen.values(), key=lambda e: order[e.id])


def split_forms(text: str) -> tuple[str, ...]:
    """Arabic forms typed in one field, separated by commas (Arabic or Latin)."""
    return tuple(f.strip() for f in re.split(r"[,،]", text) if f.strip())


class EntryTable(DataTable[str]):
    """Glossary entries: id, canonical, Arabic forms, variants, kind."""

    def __init__(self, *, arabic_display: str = DEFAULT_ARABIC_DISPLAY, id: str | None = None):
        """A table drawing the Arabic forms in `arabic_display` mode (`shaped` or `raw`)."""
        super().__init__(id=id)
        self.arabic_display = arabic_display

    def on_mount(self) -> None:
        """Set up the columns."""
        self.cursor_type = "row"
        self.zebra_stripes = True
        for label, key in (
            ("Id", "id"),
            ("Canonical", "canonical"),
            ("Arabic", "arabic"),
            ("Variants", "variants"),
            ("Kind", "kind"),
        ):
            self.add_column(label, key=key)

    def show(self, entries: list[Entry]) -> None:
        """Replace the rows with `entries`, keeping the cursor on the same entry."""
        keep = self.selected_id
        self.clear()
        for e in entries:
            # The forms as one right-to-left line: the first form drawn rightmost.
            arabic = display_arabic("، ".join(e.arabic), self.arabic_display)
            self.add_row(
                e.id, e.canonical, arabic, ", ".join(e.variants), e.kind.value, key=e.id
            )  # fmt: skip
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep))

    @property
    def selected_id(self) -> str | None:
        """The id of the entry under the cursor, if any."""
        return cursor_key(self)


class AddEntryScreen(FormScreen[Entry | None]):
    """A new entry from the selected English: id, canonical, Arabic forms, kind."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, workbench: Workbench, text: str) -> None:
        """Add `text` (the selection) to the workbench's glossary folder."""
        super().__init__()
        self.workbench = workbench
        self.text = text

    def compose(self) -> ComposeResult:
        """The fields, prefilled from the selection, the error line, the buttons."""
        taken = {e.id for e in self.workbench.home.glossary().load().entries}
        with VerticalScroll(id="entry-box", classes="form-box"):
            yield Static(
                "Add a glossary entry (written like `desk glossary add`). Enter adds, Esc cancels.",
                markup=False,
            )
            for key, label, value, placeholder in (
                ("id", "Id", new_id(self.text, taken), "lowercase, e.g. lattakia"),
                ("canonical", "Canonical", self.text, "the house spelling"),
                ("arabic", "Arabic", "", "Arabic forms, separated by commas"),
            ):
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(value=value, placeholder=placeholder, id=f"entry-{key}")
            with Horizontal(classes="form-row"):
                yield Label("Kind", classes="form-label")
                yield Select(
                    [(k.value, k.value) for k in Kind],
                    value=Kind.OTHER.value,
                    allow_blank=False,
                    id="entry-kind",
                )
            yield Static("", id="entry-error", classes="form-error", markup=False)
            with Horizontal(id="entry-buttons", classes="form-buttons"):
                yield Button("Add", variant="primary", id="entry-ok")
                yield Button("Cancel", id="entry-cancel")

    def submit(self) -> None:
        """Write the entry into the file for its kind, or show the core's refusal."""
        kind = str(self.query_one("#entry-kind", Select).value)
        entry = Entry(
            id=self.query_one("#entry-id", Input).value.strip(),
            canonical=self.query_one("#entry-canonical", Input).value.strip(),
            arabic=split_forms(self.query_one("#entry-arabic", Input).value),
            kind=Kind(kind),
        )
        g = self.workbench.home.glossary()
        try:
            written = g.add(entry)
        except (DeskError, OSError) as exc:
            self.query_one("#entry-error", Static).update(f"Not added: {exc}")
            return
        self.dismiss(written)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a field adds."""
        event.stop()
        self.submit()

    @on(Button.Pressed, "#entry-ok")
    def _ok(self, event: Button.Pressed) -> None:
        """The Add button."""
        event.stop()
        self.submit()

    @on(Button.Pressed, "#entry-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        """The Cancel button."""
        event.stop()
        self.dismiss(None)


class GlossaryPanelScreen(Screen[bool]):
    """The story's glossary entries; dismisses with whether the glossary was changed."""

    HELP_TITLE = "Glossary"
    """What the help screen calls this screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_entry", "Add entry", tooltip="Add the selected English as a new entry."),
        Binding(
            "v",
            "add_variant",
            "Add variant",
            tooltip="Add the selected English as a variant of the entry under the cursor.",
        ),
        Binding("r", "reload", "Reload", tooltip="Read the glossary files again."),
        Binding("escape", "back", "Editor", tooltip="Back to the editor."),
    ]

    def __init__(self, workbench: Workbench, story: Story, selected: str) -> None:
        """The entries of `story`; `selected` is the English selected in the editor."""
        super().__init__()
        self.workbench = workbench
        self.story = story
        self.selected = " ".join(selected.split())
        self.changed = False
        """Whether an entry or variant was written (the editor then re-checks the story)."""
        self.entries: list[Entry] | None = None
        """The entries shown (None while they are being found)."""

    def compose(self) -> ComposeResult:
        """Title, the selection, the entries, the error line, footer."""
        yield Static(
            f"Glossary — entries in {self.story.slug} │ {self.workbench.home.glossary().folder}",
            id="glossary-title",
            markup=False,
        )
        if self.selected:
            hint = f"Selected: “{self.selected}”  (a: add as an entry, v: add as a variant)"
        else:
            hint = "Select English in the editor (Shift+arrows) to add it as an entry or variant."
        # A selection holding a hidden control shows it (desk.tui.visible): it would be
        # written to the glossary with the entry.
        yield Static(visible_text(hint), id="glossary-selection")
        yield EntryTable(arabic_display=self.workbench.arabic_display, id="glossary-entries")
        yield Static("", id="glossary-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Find the entries in a worker (the glossary may take a moment to load)."""
        self.query_one(EntryTable).focus()
        self.find_entries()

    @work(thread=True, exclusive=True, exit_on_error=False, group="glossary-panel")
    def find_entries(self) -> None:
        """Load the glossary and find its entries in the story."""
        entries = story_entries(self.workbench, self.story)
        self.app.call_from_thread(self.show_entries, entries)

    def show_entries(self, entries: list[Entry]) -> None:
        """Fill the table."""
        self.entries = entries
        self.query_one(EntryTable).show(entries)
        if not entries:
            self.say("No glossary entry is named in this story.")

    def say(self, message: str) -> None:
        """One line under the table (refusals, hints)."""
        self.query_one("#glossary-error", Static).update(message)

    def glossary_changed(self, message: str) -> None:
        """After a write: read the glossary again and say what was done."""
        self.changed = True
        self.workbench.home.reload_glossary()
        self.say("")
        self.notify(message)
        self.find_entries()

    def action_reload(self) -> None:
        """Read the glossary files again."""
        self.workbench.home.reload_glossary()
        self.find_entries()

    def action_back(self) -> None:
        """Back to the editor."""
        self.dismiss(self.changed)

    def action_add_entry(self) -> None:
        """Ask for a new entry from the selection."""
        if not self.selected:
            self.say("Nothing is selected in the English: select the name first.")
            return

        def added(entry: Entry | None) -> None:
            if entry is not None:
                self.glossary_changed(f"Added {entry.id} ({entry.canonical}) to {entry.source}")

        self.app.push_screen(AddEntryScreen(self.workbench, self.selected), added)

    def action_add_variant(self) -> None:
        """Add the selection as a variant of the entry under the cursor."""
        if not self.selected:
            self.say("Nothing is selected in the English: select the spelling first.")
            return
        entry_id = self.query_one(EntryTable).selected_id
        if entry_id is None:
            self.say("No entry under the cursor to add the variant to.")
            return
        g = self.workbench.home.glossary()
        try:
            entry = g.add_variant(entry_id, self.selected)
        except (DeskError, OSError) as exc:
            self.say(f"Not added: {exc}")
            return
        self.glossary_changed(
            f"Added {self.selected!r} as a variant of {entry.id} in {entry.source}"
        )
