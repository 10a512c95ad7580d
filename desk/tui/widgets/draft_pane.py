"""The machine draft of a segment, read-only, with its engine and model."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from desk.core.story import Segment
from desk.tui.visible import visible_text


class DraftPane(Static):
    """The machine draft as first written, with the engine and model that wrote it."""

    DEFAULT_CSS = """
    DraftPane {
        padding: 0 1;
        color: $text-muted;
    }
    """

    def show(self, seg: Segment) -> None:
        """Show segment `seg`'s draft and where it came from."""
        origin = " · ".join(p for p in (seg.engine, seg.model) if p) or "no draft"
        text = Text()
        text.append(f"Draft ({origin}): ", style="bold")
        visible_text(seg.draft or "—", into=text)
        self.update(text)
