"""What the store needs of a database connection: SQLite's `sqlite3.Connection`, or the
shared desk's `PgConnection` (desk/core/store/postgres.py), which reads the same."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol


class Connection(Protocol):
    """A connection the store's SQL runs on (`?` placeholders, rows by name)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any:
        """Run one statement; a cursor with fetchone, fetchall, rowcount, iteration."""

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any:
        """Run one statement per row of parameters."""

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""

    def close(self) -> None:
        """Close the connection."""
