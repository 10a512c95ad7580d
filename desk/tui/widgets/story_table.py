"""The story list's table: one row per story, the headline given the width that is left."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.message import Message
from textual.widgets import DataTable

from desk.core.store import StorySummary
from desk.tui.arabic import DEFAULT_ARABIC_DISPLAY, display_arabic_texts
from desk.tui.visible import cut, visible_text
from desk.tui.widgets.row_key import cursor_key

SLUG_WIDTH = 20
"""The most of a slug shown (a slug made from a headline runs to 60 characters); the
headline beside it says the rest."""

AUTHOR_WIDTH = 11
"""The most of the last editor's name shown."""

HEADLINE_MIN = 30
"""The headline never gets less: on a narrow terminal the columns after it run off to
the right (→ scrolls to them) rather than the headline shrinking to nothing."""

COLUMNS = (
    ("Slug", "slug"),
    ("Headline", "headline"),
    ("Status", "status"),
    ("Done", "progress"),
    ("Findings", "findings"),
    ("Last editor", "author"),
    ("Updated", "updated"),
)
"""(label, key) of each column, left to right: the headline second, so it starts on
screen at any width."""


def column_widths(stories: Sequence[StorySummary], width: int) -> dict[str, int]:
    """Each column's content width for `stories` in a table `width` cells wide (padding
    and scrollbar included): every column narrow, the headline the rest (HEADLINE_MIN
    at least)."""
    longest = {
        "slug": max((len(s.slug) for s in stories), default=0),
        "status": max((len(s.status.value) for s in stories), default=0),
        "progress": max((len(f"{s.confirmed}/{s.segments}") for s in stories), default=0),
        "author": max((len(s.last_author) for s in stories), default=0),
        "updated": len("2015-05-17 06:00"),
    }
    caps = {"slug": SLUG_WIDTH, "author": AUTHOR_WIDTH}
    widths = {
        key: max(len(label), min(longest.get(key, 0), caps.get(key, longest.get(key, 0))))
        for label, key in COLUMNS
        if key != "headline"
    }
    # Each column has a cell of padding on either side; the vertical scrollbar takes 2.
    left = width - 2 - 2 * len(COLUMNS) - sum(widths.values())
    widths["headline"] = max(HEADLINE_MIN, left)
    return widths


class StoryTable(DataTable[str | Text]):
    """Stories with their headline, status, progress, last editor and last change."""

    @dataclass
    class OpenRequested(Message):
        """The person chose a story to open."""

        slug: str

    def __init__(self, *, arabic_display: str = DEFAULT_ARABIC_DISPLAY, id: str | None = None):
        """An empty table (an Arabic headline drawn in `arabic_display` mode); `show`
        fills it."""
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.arabic_display = arabic_display
        self.stories: list[StorySummary] = []
        """The stories shown, in order."""
        self.findings: dict[str, int] = {}
        """Open glossary findings per slug, once counted (kept across `show`)."""
        self.laid_out_for = -1
        """The width the columns were last sized for."""

    def show(self, stories: Sequence[StorySummary]) -> None:
        """Replace the rows with `stories`, keeping the cursor on the same slug."""
        keep = self.selected_slug
        self.stories = list(stories)
        self.laid_out_for = self.size.width
        widths = column_widths(self.stories, self.size.width)
        self.clear(columns=True)
        for label, key in COLUMNS:
            self.add_column(label, key=key, width=widths[key])
        for s in self.stories:
            self.add_row(
                cut(s.slug, widths["slug"]),
                self._headline(s, widths["headline"]),
                s.status.value,
                f"{s.confirmed}/{s.segments}",
                str(self.findings[s.slug]) if s.slug in self.findings else "…",
                cut(s.last_author, widths["author"]),
                s.updated_at[:16].replace("T", " "),
                key=s.slug,
            )
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep))

    def _headline(self, story: StorySummary, width: int) -> Text:
        """The English headline cut to `width`, else the Arabic one drawn as the editor
        draws Arabic (shaped, right to left), its first line, "…" where it goes on.
        Invisible characters show as markers (desk.tui.visible)."""
        if story.headline_en:
            return visible_text(cut(story.headline_en, width))
        lines = display_arabic_texts(story.headline_ar, self.arabic_display, max(8, width - 1))
        if not lines:
            return Text()
        return Text("…") + lines[0] if len(lines) > 1 else lines[0]

    def on_resize(self, event: events.Resize) -> None:
        """A new width gives the headline a new share of it."""
        if event.size.width != self.laid_out_for:
            self.show(self.stories)

    def show_findings(self, counts: dict[str, int]) -> None:
        """Fill the Findings column (open glossary findings per story) once counted."""
        self.findings.update(counts)
        for slug, count in counts.items():
            if slug in self.rows:
                self.update_cell(slug, "findings", str(count))

    def select(self, slug: str) -> None:
        """Put the cursor on `slug`'s row, if it is listed."""
        if slug in self.rows:
            self.move_cursor(row=self.get_row_index(slug))

    @property
    def selected_slug(self) -> str | None:
        """The slug under the cursor, if any."""
        return cursor_key(self)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row opens that story."""
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.OpenRequested(event.row_key.value))
