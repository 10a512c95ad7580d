"""Search in story: a small dialog whose Enter jumps to the next segment containing the text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from desk.core.glossary.normalise import normalise_arabic
from desk.core.story import Segment


def matches(segment: Segment, query: str) -> bool:
    """Whether the segment's English or Arabic contains `query`.

    English is compared case-insensitively, Arabic without diacritics, tatweel or the
    alef, hamza, ta marbuta and ya variants (`normalise_arabic`).
    """
    query = query.strip()
    if not query:
        return False
    if query.casefold() in segment.text.casefold():
        return True
    return normalise_arabic(query) in normalise_arabic(segment.source)


def next_match(segments: Iterable[Segment], current: int, query: str) -> int | None:
    """The first matching segment after `current`, wrapping round to `current` itself."""
    ordered = sorted(segments, key=lambda s: s.n)
    later = [s for s in ordered if s.n > current]
    earlier = [s for s in ordered if s.n <= current]
    for seg in later + earlier:
        if matches(seg, query):
            return seg.n
    return None


class SearchScreen(ModalScreen[None]):
    """Type a word (English or Arabic); each Enter goes to the next segment holding it."""

    # Kept beside the class (not in desk.tcss) so the dialog is self-contained.
    DEFAULT_CSS = """
    SearchScreen {
        align: center bottom;
    }
    #search-box {
        width: 90%;
        max-width: 100;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
        margin-bottom: 3;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close search"),
    ]

    def __init__(self, query: str, find: Callable[[str], bool]) -> None:
        """Start with `query`; `find(text)` moves the editor and says whether it found one."""
        super().__init__()
        self.query_text = query
        self.find = find

    def compose(self) -> ComposeResult:
        """A one-line prompt."""
        with Vertical(id="search-box"):
            yield Label("Search the English and the Arabic (Enter: next match, Esc: close)")
            yield Input(value=self.query_text, placeholder="text to find", id="search-input")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Jump to the next match; the dialog stays open for the one after."""
        self.query_text = event.value
        if event.value.strip():
            self.find(event.value)
