"""The segment's Arabic source, read-only."""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from desk.core.story import Segment
from desk.tui.arabic import DEFAULT_ARABIC_DISPLAY, display_arabic_texts


class SourcePane(Static):
    """The segment's Arabic, right-aligned, drawn as the `arabic_display` setting says.

    Textual does no bidi: in `shaped` mode each line is joined and reordered here (after
    wrapping, so the sentence starts on the first line); in `raw` mode the terminal does it.
    Bidi controls and zero-width characters are drawn as markers (desk.tui.visible).
    """

    # The editor's copy is drawn in $text (desk.tcss `#source`); the history's inherits.
    DEFAULT_CSS = """
    SourcePane {
        padding: 0 1;
        text-align: right;
    }
    """

    def __init__(self, *, arabic_display: str = DEFAULT_ARABIC_DISPLAY, id: str | None = None):
        """A pane drawing Arabic in `arabic_display` mode (`shaped` or `raw`)."""
        super().__init__(id=id)
        self.arabic_display = arabic_display
        self.source = ""
        """The Arabic shown, in logical order as stored."""

    def show(self, seg: Segment) -> None:
        """Show segment `seg`'s Arabic."""
        self.source = seg.source
        self._draw()

    def on_resize(self, event: Resize) -> None:
        """Re-wrap the shaped lines to the new width."""
        self._draw()

    @property
    def lines(self) -> list[str]:
        """The lines as drawn (visual order in `shaped` mode)."""
        return [line.plain for line in self.texts]

    @property
    def texts(self) -> list[Text]:
        """The lines as drawn, their markers styled."""
        width = self.content_size.width or 78
        return display_arabic_texts(self.source, self.arabic_display, width)

    def _draw(self) -> None:
        """Put the lines on screen, right-aligned."""
        self.update(Text("\n", justify="right").join(self.texts))
