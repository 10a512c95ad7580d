"""The key of the row under a DataTable's cursor (every table here keys its rows)."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


def cursor_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor; None for an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def cursor_number(table: DataTable[Any]) -> int | None:
    """The row key under the cursor as a number (segment or revision numbers)."""
    key = cursor_key(table)
    return int(key) if key is not None else None
