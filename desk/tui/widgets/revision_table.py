"""The history view's timeline: one row per revision, oldest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable

from desk.core.history import is_text_revision
from desk.core.store import Revision
from desk.tui.visible import cut, visible_text
from desk.tui.widgets.row_key import cursor_number

SUMMARY_WIDTH = 48


def summary(rev: Revision) -> Text:
    """One line saying what the revision did (invisible characters as markers)."""
    if is_text_revision(rev):
        text = " ".join(rev.after.split()) or "(empty)"
    else:
        text = f"{rev.before} → {rev.after}" if rev.before != rev.after else rev.after
        note = " ".join(rev.note.split())
        text = f"{text}: {note}" if note else text
    return visible_text(cut(text, SUMMARY_WIDTH))


class RevisionTable(DataTable[str | Text]):
    """Revision number, time, author, kind, segment and a summary of the change."""

    @dataclass
    class RevisionHighlighted(Message):
        """The cursor moved to revision `revision_id`."""

        revision_id: int

    def on_mount(self) -> None:
        """Set up the columns."""
        self.cursor_type = "row"
        self.zebra_stripes = True
        for label, key in (
            ("Rev", "id"),
            ("When (UTC)", "at"),
            ("Author", "author"),
            ("Kind", "kind"),
            ("Seg", "segment"),
            ("Change", "change"),
        ):
            self.add_column(label, key=key)

    def show(self, revisions: Sequence[Revision]) -> None:
        """Replace the rows with `revisions`, keeping the cursor on the same one if shown."""
        keep = self.selected_id
        self.clear()
        for rev in revisions:
            self.add_row(
                f"r{rev.id}",
                rev.at[:16].replace("T", " "),
                rev.author,
                rev.kind.value,
                "—" if rev.segment_n is None else str(rev.segment_n),
                summary(rev),
                key=str(rev.id),
            )
        if keep is not None and str(keep) in self.rows:
            self.move_cursor(row=self.get_row_index(str(keep)))
        elif self.row_count:
            self.move_cursor(row=self.row_count - 1)

    @property
    def selected_id(self) -> int | None:
        """The revision under the cursor, if any."""
        return cursor_number(self)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Tell the screen which revision is selected."""
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.RevisionHighlighted(int(event.row_key.value)))
