"""The editor's table of segments: number, status, English, and the Arabic right-aligned.

Each row shows its segment's English and Arabic in full, wrapped in their columns (up to
ROW_LINES lines), so the sentences around the one being edited can be read as context.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import accumulate

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from desk.core.story import Segment, Story
from desk.tui.arabic import DEFAULT_ARABIC_DISPLAY, display_arabic_texts
from desk.tui.visible import cut, visible_text
from desk.tui.widgets.row_key import cursor_number

ENGLISH_WIDTH = 52
ARABIC_WIDTH = 40
FIRST_ROWS = 40
"""Rows added before the first frame; a longer story's others right after it."""
ROWS_PER_STEP = 20
"""The rows added after the first frame are added this many at a time, each step after
a frame: keys and the glossary scan's findings are handled between steps."""
ROW_LINES = 6
"""The most lines a row takes; a longer segment ends in `…` (it is in full below)."""
NUMBER_WIDTH = 7  # "123 !12": segment number and findings count
STATUS_WIDTH = 9  # "confirmed"
# Columns "#" and "Status" and the padding of four cells.
FIXED_WIDTH = NUMBER_WIDTH + STATUS_WIDTH + 8


def _cut(text: str, width: int, *, arabic: bool = False) -> str:
    """One line of at most `width` characters as drawn (a marker counts its length)."""
    return cut(text, width, arabic=arabic)


class SegmentTable(DataTable[str | Text]):
    """One row per segment; the row under the cursor is the segment being edited."""

    @dataclass
    class SegmentHighlighted(Message):
        """The cursor moved to segment `n`."""

        n: int

    def __init__(self, *, arabic_display: str = DEFAULT_ARABIC_DISPLAY, id: str | None = None):
        """A table drawing the Arabic column in `arabic_display` mode (`shaped` or `raw`)."""
        super().__init__(id=id)
        self.arabic_display = arabic_display
        self.english_width = ENGLISH_WIDTH
        self.arabic_width = ARABIC_WIDTH
        self._shown: tuple[Story, dict[int, int]] | None = None
        self._only: set[int] | None = None
        """The segments shown (None: all)."""
        self._fill = 0
        """Counts the fills: rows added after a frame belong to the latest one only."""
        self._wanted: int | None = None
        """The segment to put the cursor on once its row is added."""
        self._arabic: dict[tuple[str, str, int], list[Text]] = {}
        """Drawn Arabic by (source, mode, width): shaping is the costly part of a row."""
        self.leases: dict[int, str] = {}
        """Segments someone else is typing in (a shared desk): their name shows as the
        row's status."""

    def on_mount(self) -> None:
        """Set up the columns."""
        self.cursor_type = "row"
        # Fixed widths: an auto width would follow whatever the rows held when it was
        # computed (before or after the glossary scan added its counts).
        self.add_column("#", key="n", width=NUMBER_WIDTH)
        self.add_column("Status", key="status", width=STATUS_WIDTH)
        self.add_column("English", key="english", width=ENGLISH_WIDTH)
        self.add_column("Arabic", key="arabic", width=ARABIC_WIDTH)
        # Before the first layout the table is as wide as the screen (desk.tcss): rows
        # filled now are drawn at the widths the first resize keeps, not filled again.
        self._fit(self.screen.size.width or self.app.size.width)

    def on_resize(self) -> None:
        """Share the width between English and Arabic so both fit without scrolling.

        A row that runs off the right edge would hide the Arabic's first words (its
        right end), so the columns shrink with the terminal (never below 20 and 16).
        """
        if self._fit(self.size.width) and self._shown is not None:
            self.show(*self._shown)
        self.refresh()

    def _fit(self, width: int) -> bool:
        """Set the English and Arabic columns' widths for a table `width` cells wide;
        whether they changed."""
        # The vertical scrollbar takes its columns from the table's width.
        room = max(36, width - self.styles.scrollbar_size_vertical - FIXED_WIDTH)
        english = max(20, room * 56 // 100)
        arabic = max(16, room - english)
        if (english, arabic) == (self.english_width, self.arabic_width):
            return False
        self.english_width, self.arabic_width = english, arabic
        for key, column_width in (("english", english), ("arabic", arabic)):
            column = self.columns[ColumnKey(key)]
            column.width = column_width
            column.auto_width = False
        return True

    def show(
        self,
        story: Story,
        findings: dict[int, int],
        only: Collection[int] | None = None,
        current: int | None = None,
    ) -> None:
        """Fill the table with the story's segments (`findings`: segment → count), or
        only those numbered in `only` (the editor's segment filter), the cursor on
        segment `current` (else on the segment it was on).

        Filling the table moves DataTable's cursor (to the first row, then back); those
        moves are not the person's, so they post no SegmentHighlighted: the editor would
        otherwise open the first row's segment and come back, a new visit each time.
        """
        if only is None and self._shown is not None and self._shown[0].slug == story.slug:
            only = self._only
        if current is None:
            current = cursor_number(self)
        self._shown = (story, findings)
        self._only = None if only is None else set(only)
        row = self.cursor_row
        numbers = [s.n for s in story.segments if self._only is None or s.n in self._only]
        with self.prevent(DataTable.RowHighlighted):
            self.clear()
            # A long story's first rows first: the rest follow right after the first frame.
            self._fill += 1
            self._add_rows(numbers[:FIRST_ROWS])
            if numbers[FIRST_ROWS:]:
                self.call_after_refresh(self._add_rest, self._fill, numbers[FIRST_ROWS:])
            if current in numbers:
                self.go_to(current)
            elif self.row_count:
                self.move_cursor(row=min(row, self.row_count - 1))

    def _add_rows(self, numbers: Sequence[int]) -> None:
        """Add the rows of segments `numbers`, in order, at the end."""
        assert self._shown is not None
        story, findings = self._shown
        by_n = {seg.n: seg for seg in story.segments}
        for n in numbers:
            cells = self._cells(by_n[n], findings.get(n, 0))
            self.add_row(*cells, key=str(n), height=_height(cells))

    def _add_rest(self, fill: int, numbers: Sequence[int]) -> None:
        """The rows left after the first ones (unless the table was filled again since),
        ROWS_PER_STEP at a time, then the cursor on the segment asked for meanwhile."""
        if fill != self._fill:
            return
        with self.prevent(DataTable.RowHighlighted):
            self._add_rows(numbers[:ROWS_PER_STEP])
            if numbers[ROWS_PER_STEP:]:
                self.call_after_refresh(self._add_rest, fill, numbers[ROWS_PER_STEP:])
            elif self._wanted is not None:
                self.go_to(self._wanted)

    def show_counts(self, counts: dict[int, int]) -> None:
        """Show new findings counts (segment → count) in the rows' first cell; the rows
        are not drawn again (a row still to be added takes its count when it is)."""
        if self._shown is None:
            return
        shown = self._shown[1]
        for n, count in counts.items():
            if shown.get(n, 0) == count:
                continue
            shown[n] = count
            if RowKey(str(n)) in self.rows:
                self.update_cell(str(n), "n", f"{n} !{count}" if count else str(n))

    def first_screen(self, current: int, lines: int) -> list[int]:
        """The segments whose rows can be on screen, the current one first: those in the
        table's view once it is laid out; before that (the editor opening), the rows a
        view of `lines` lines scrolled to show `current` would hold. Rows still to be
        added count as one line each (they may be more: then a few more are named)."""
        numbers = [*self.shown_numbers, *self._pending()]
        if current not in numbers:
            return numbers[:lines]
        heights = [
            self.rows[RowKey(str(n))].height if RowKey(str(n)) in self.rows else 1 for n in numbers
        ]
        tops = [0, *accumulate(heights)][:-1]
        at = numbers.index(current)
        if self.size.height:
            top, view = round(self.scroll_y), self.size.height
        else:  # as DataTable scrolls to the cursor: no further than needed
            view = max(1, lines)
            bottom = tops[at] + heights[at]
            top = max(0, bottom - view)
        rows = zip(numbers, tops, heights, strict=True)
        seen = [n for n, y, h in rows if y < top + view and y + h > top]
        return [current, *(n for n in seen if n != current)]

    def _pending(self) -> list[int]:
        """Segments shown whose rows are still to be added (after the first frame)."""
        if self._shown is None:
            return []
        added = {int(str(key.value)) for key in self.rows}
        return [
            s.n
            for s in self._shown[0].segments
            if s.n not in added and (self._only is None or s.n in self._only)
        ]

    def update_segment(self, seg: Segment, findings: int) -> None:
        """Refresh one row after a change."""
        if self._shown is not None:
            story, counts = self._shown
            story.segments[:] = [seg if s.n == seg.n else s for s in story.segments]
            counts[seg.n] = findings
        cells = self._cells(seg, findings)
        n, status, english, arabic = cells
        row = str(seg.n)
        if RowKey(row) not in self.rows:
            return  # filtered out
        if self._shown is not None and self.rows[RowKey(row)].height != _height(cells):
            self.show(*self._shown)  # the row grew or shrank: lay the table out again
            return
        self.update_cell(row, "n", n)
        self.update_cell(row, "status", status)
        self.update_cell(row, "english", english)
        self.update_cell(row, "arabic", arabic)

    def _cells(self, seg: Segment, findings: int) -> tuple[str, str, Text, Text]:
        """The row's cells: the English wrapped to its column, the Arabic wrapped in
        logical order and then drawn right-aligned line by line (at most ROW_LINES each).

        Bidi controls and zero-width characters show as markers in both (desk.tui.visible).
        """
        key = (seg.source, self.arabic_display, self.arabic_width)
        if key not in self._arabic:
            self._arabic[key] = display_arabic_texts(*key)
        lines = self._arabic[key]
        if len(lines) > ROW_LINES:
            lines = [*lines[: ROW_LINES - 1], Text("…")]
        arabic = Text("\n", justify="right").join(lines)
        arabic.justify, arabic.no_wrap = "right", True
        mark = f" !{findings}" if findings else ""
        holder = self.leases.get(seg.n)
        status = f"✎ {holder}" if holder else seg.status.value
        return (f"{seg.n}{mark}", status, self._english(seg.text), arabic)

    def _english(self, text: str) -> Text:
        """The English wrapped to its column, cut with `…` after ROW_LINES lines."""
        lines = wrap(" ".join(text.split()), self.english_width) or [""]
        if len(lines) > ROW_LINES:
            lines = [
                *lines[: ROW_LINES - 1],
                _cut(" ".join(lines[ROW_LINES - 1 :]), self.english_width),
            ]
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, line in enumerate(lines):
            if i:
                out.append("\n")
            visible_text(line, into=out)
        return out

    def go_to(self, n: int) -> None:
        """Put the cursor on segment `n` (nowhere if the filter hides it; when its row is
        still to come, once it is added)."""
        if RowKey(str(n)) in self.rows:
            self._wanted = None
            self.move_cursor(row=self.get_row_index(str(n)))
        else:
            self._wanted = n

    @property
    def shown_numbers(self) -> list[int]:
        """The segments in the table, in order."""
        return [int(str(key.value)) for key in self.rows]

    @property
    def current(self) -> int | None:
        """The segment number under the cursor."""
        return cursor_number(self)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Tell the screen which segment is now current."""
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.SegmentHighlighted(int(event.row_key.value)))


def _height(cells: tuple[str, str, Text, Text]) -> int:
    """A row's height: the lines of its longer text."""
    return max(1, cells[2].plain.count("\n") + 1, cells[3].plain.count("\n") + 1)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters, broken at spaces (a longer word is
    cut where it must be)."""
    return textwrap.wrap(text, width, break_on_hyphens=False) if width > 0 else [text]
