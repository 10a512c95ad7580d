"""The segment's Arabic source, read-only."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from desk.core.story import Segment


class SourcePane(Static):
    """The segment's Arabic, raw (logical order) and right-aligned; Textual does no bidi."""

    def show(self, seg: Segment) -> None:
        """Show segment `seg`'s Arabic."""
        self.update(Text(seg.source, justify="right"))
