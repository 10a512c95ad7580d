"""The concordance: the whole translation memory searched for a word or phrase, Arabic or
English, its units listed in context (Arabic, English, where each came from).

The search runs in a worker on a store connection of its own, a moment after the typing
stops; a result for a text no longer in the box is dropped. Enter hands the chosen unit's
English back to the editor (the sentence holding the words, for an English search).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from desk.app import memory
from desk.core.errors import DeskError
from desk.core.tm.match import Unit
from desk.tui.arabic import display_arabic_texts, display_mixed_text, has_arabic
from desk.tui.context import Workbench
from desk.tui.sentences import sentence_spans
from desk.tui.visible import printable, visible_text

DEBOUNCE_SECONDS = 0.3
"""Quiet after the last key before the memory is searched."""
LIMIT = 50
"""Units listed at most."""
FOUND_STYLE = "bold underline"
"""How the words searched for are drawn in a unit's English."""


def _words(query: str) -> re.Pattern[str] | None:
    """The words of an English `query` in a row, any case, anything but letters and digits
    between them (None: it has none)."""
    words = re.findall(r"[^\W_]+", query)
    if not words:
        return None
    return re.compile(r"(?<![^\W_])" + r"[^\w]+".join(map(re.escape, words)) + r"(?![^\W_])", re.I)


def fragment(english: str, query: str) -> str:
    """What Enter copies from a unit's English: for an English `query`, the sentence that
    holds its words; for an Arabic one (or words not found as typed), all of it. A control
    character (ESC...) comes as `�`: it goes into the box, and the box draws what it holds."""
    english = printable(english.strip())
    pattern = None if has_arabic(query) else _words(query)
    found = pattern.search(english) if pattern is not None else None
    if found is None:
        return english
    for start, end in sentence_spans(english):
        if start <= found.start() < end:
            return english[start:end]
    return english


class ConcordanceScreen(ModalScreen[str | None]):
    """Type a word or phrase; the memory's units holding it are listed; Enter copies."""

    HELP_TITLE = "Concordance"
    """What the help screen calls this screen."""

    DEFAULT_CSS = """
    ConcordanceScreen {
        align: center middle;
    }
    #concordance-box {
        width: 95%;
        max-width: 120;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    #concordance-preview.-none {
        display: none;
    }
    #concordance-status {
        color: $text-muted;
    }
    #concordance-units {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", tooltip="Back to the editor, nothing copied."),
        # A modal screen hides the app's keys: its own F1 opens the help.
        Binding("f1", "app.help", "Help", tooltip="List every key of this screen."),
        Binding("down", "move(1)", "Next unit", show=False, tooltip="Mark the next unit."),
        Binding("up", "move(-1)", "Prev unit", show=False, tooltip="Mark the previous unit."),
    ]

    @dataclass
    class Searched(Message):
        """The units holding `query` (`more`: others may exist), or why none (`error`)."""

        query: str
        units: list[Unit] = field(default_factory=list)
        more: bool = False
        error: str = ""

    def __init__(self, workbench: Workbench, selected: str = "") -> None:
        """Search the workbench's memory, starting with `selected` (the English selected)."""
        super().__init__()
        self.workbench = workbench
        self.query_text = " ".join(selected.split())
        self.units: list[Unit] = []
        """The units listed, in order."""
        self.searched = ""
        """The text the list is for."""
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        """The prompt, the box, the Arabic typed (shaped), the status, the units."""
        with Vertical(id="concordance-box"):
            yield Static(
                "Concordance: the whole translation memory, Arabic or English. ↑↓ mark a "
                "unit, Enter copies its English into the box, Esc closes.",
                markup=False,
            )
            yield Input(value=self.query_text, placeholder="a word or phrase", id="concordance-q")
            yield Static(id="concordance-preview", classes="-none")
            yield Static("", id="concordance-status")
            yield OptionList(id="concordance-units")

    def on_mount(self) -> None:
        """Search for the selection straight away."""
        self.query_one(OptionList).can_focus = False  # the box keeps the keys
        self._preview(self.query_text)
        self.start()

    @property
    def arabic_display(self) -> str:
        """How the workbench draws Arabic (`shaped` or `raw`)."""
        return self.workbench.arabic_display

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        """Search again once the typing pauses."""
        self.query_text = event.value
        self._preview(event.value)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self.start)

    def _preview(self, value: str) -> None:
        """Repeat Arabic being typed, shaped, under the box (shaped display only)."""
        preview = self.query_one("#concordance-preview", Static)
        shown = self.arabic_display == "shaped" and has_arabic(value)
        preview.set_class(not shown, "-none")
        if shown:
            preview.update(Text.assemble("Searching for: ", display_mixed_text(value, "shaped")))

    def start(self) -> None:
        """Search for what the box holds (an empty box lists nothing)."""
        self._timer = None
        query = self.query_text.strip()
        if not query:
            self.show_units(self.Searched(""))
            return
        self.status("Searching…")
        self.search(query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="concordance")
    def search(self, query: str) -> None:
        """Look `query` up on a connection of the worker's own; post what was found."""
        try:
            with self.workbench.home.open() as desk:
                units, more = memory.concordance(desk, query, limit=LIMIT)
        except Exception as exc:  # a search failing must not stop the workbench
            reason = str(exc) if isinstance(exc, DeskError) else type(exc).__name__
            self.post_message(self.Searched(query, error=reason))
            return
        self.post_message(self.Searched(query, units, more))

    @on(Searched)
    def _searched(self, event: Searched) -> None:
        """List what was found, unless the box has changed since."""
        if event.query == self.query_text.strip():
            self.show_units(event)

    def show_units(self, event: Searched) -> None:
        """Fill the list with `event`'s units, the first one marked."""
        self.units, self.searched = event.units, event.query
        listing = self.query_one(OptionList)
        listing.clear_options()
        width = max((listing.scrollable_content_region.width or 78) - 2, 20)
        listing.add_options(
            Option(self._unit(u, event.query, width), id=str(i)) for i, u in enumerate(self.units)
        )
        if self.units:
            listing.highlighted = 0
        if event.error:
            self.status(f"Cannot search: {event.error}")
        elif not event.query:
            self.status("Type a word or phrase, Arabic or English.")
        elif not self.units:
            self.status("No unit of the memory holds these words in a row.")
        else:
            more = f" (the first {LIMIT}: type more words to narrow it)" if event.more else ""
            self.status(f"{len(self.units)} unit(s){more}")

    def _unit(self, unit: Unit, query: str, width: int) -> Text:
        """One unit: its Arabic right-aligned, its English (the words found marked), where
        it came from."""
        text = Text()
        for line in display_arabic_texts(printable(unit.source), self.arabic_display, width):
            # No-break spaces: the list's wrapping drops a line's leading plain spaces.
            text.append("\u00a0" * max(0, width - line.cell_len))
            text.append_text(line)
            text.append("\n")
        target = printable(unit.target)
        english = visible_text(target)
        pattern = None if has_arabic(query) else _words(query)
        if pattern is not None and english.plain == target:  # no marker moved the words
            for found in pattern.finditer(target):
                english.stylize(FOUND_STYLE, found.start(), found.end())
        text.append_text(english)
        text.append("\n")
        visible_text(printable(unit.where()), "italic dim", into=text)
        return text

    def status(self, line: str) -> None:
        """One line under the box."""
        self.query_one("#concordance-status", Static).update(Text(line))

    def action_move(self, step: int) -> None:
        """Mark the next (1) or previous (-1) unit."""
        listing = self.query_one(OptionList)
        if not self.units:
            return
        now = listing.highlighted or 0
        listing.highlighted = max(0, min(len(self.units) - 1, now + step))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Copy the marked unit's English (the sentence holding the words) and close."""
        event.stop()
        index = self.query_one(OptionList).highlighted
        if not self.units or index is None or self.searched != self.query_text.strip():
            self.notify("Wait for the units holding these words, then Enter copies one.")
            return
        self.dismiss(fragment(self.units[index].target, self.searched))

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        """A unit clicked: copy it and close."""
        self.dismiss(fragment(self.units[event.option_index].target, self.searched))
