"""The story list's table: one row per story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable

from desk.core.store import StorySummary
from desk.tui.visible import cut, visible_text
from desk.tui.widgets.row_key import cursor_key


class StoryTable(DataTable[str | Text]):
    """Stories with status, progress, last editor and time of the last change."""

    @dataclass
    class OpenRequested(Message):
        """The person chose a story to open."""

        slug: str

    def on_mount(self) -> None:
        """Set up the columns."""
        self.cursor_type = "row"
        self.zebra_stripes = True
        # The headline comes last: on a narrow terminal it is the column that gets cut.
        for label, key in (
            ("Slug", "slug"),
            ("Status", "status"),
            ("Done", "progress"),
            ("Findings", "findings"),
            ("Last editor", "author"),
            ("Updated", "updated"),
            ("Headline", "headline"),
        ):
            self.add_column(label, key=key)

    def show(self, stories: Sequence[StorySummary]) -> None:
        """Replace the rows with `stories`, keeping the cursor on the same slug."""
        keep = self.selected_slug
        self.clear()
        for s in stories:
            # The headline's invisible characters show as markers (desk.tui.visible).
            arabic = not s.headline_en
            headline = cut(s.headline_en or s.headline_ar, 60, arabic=arabic)
            self.add_row(
                s.slug,
                s.status.value,
                f"{s.confirmed}/{s.segments}",
                "…",
                s.last_author,
                s.updated_at[:16].replace("T", " "),
                visible_text(headline, arabic=arabic),
                key=s.slug,
            )
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep))

    def show_findings(self, counts: dict[str, int]) -> None:
        """Fill the Findings column (open glossary findings per story) once counted."""
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
