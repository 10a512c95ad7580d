"""`desk db copy`: move a desk between SQLite and PostgreSQL, and prove the copy whole.

A desk's record is five tables: stories, segments, the revision log, the desk's
settings and the translation memory's units. They are read from one consistent
snapshot of the source and written to the target in one transaction with their ids, so
every revision still points at its story and segment; the indexes (search, spellings,
the memory's) are rebuilt by the target.
Before that transaction commits, the target's rows are read back: the counts and a
SHA-256 over every row must equal the source's, or nothing is kept. Leases (who is
typing where) are not part of the record and stay behind.

A PostgreSQL target must be an empty database (desk migrates it); an SQLite target is a
new file, written under a temporary name beside it and renamed when proven.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.core.errors import InputError, RefusedError
from desk.core.fulltext import document
from desk.core.store.connection import Connection
from desk.core.store.memory import reindex
from desk.core.store.postgres import PgConnection
from desk.core.store.rows import SEGMENT_COLUMNS, STORY_COLUMNS
from desk.core.store.store import Store

TABLES: dict[str, tuple[str, ...]] = {
    "stories": STORY_COLUMNS,
    "segments": SEGMENT_COLUMNS,
    "revisions": (
        "id", "story_id", "segment_id", "author", "at", "kind", "before", "after", "note",
        "visit",
    ),
    "settings": ("key", "value", "updated_at", "updated_by"),
    "tm_units": (
        "id", "segment_id", "story_id", "segment_n", "origin", "source", "target", "key",
        "key_hash", "context", "author", "created_at", "updated_at", "published", "story",
        "props",
    ),
}  # fmt: skip
"""The tables that make a desk's record, in the order they are copied, and their columns."""

ORDER = {
    "stories": "id", "segments": "id", "revisions": "id", "settings": "key", "tm_units": "id",
}  # fmt: skip
BATCH = 1000
"""Rows read and written at a time: memory stays flat however large the desk."""


@dataclass(frozen=True)
class Copied:
    """What a copy moved: rows per table and the SHA-256 over all of them."""

    counts: dict[str, int]
    digest: str


def fingerprint(store: Store) -> Copied:
    """The counts and SHA-256 of a desk's record, read in one snapshot."""
    with _snapshot(store.conn):
        return _digest(store.conn)


def copy(source: Store, target: Path | str, *, busy_timeout_ms: int) -> Copied:
    """Copy the desk in `source` to `target` (an empty PostgreSQL database's URL, or a
    new SQLite file); returns what was copied, proven equal on both sides."""
    if isinstance(target, Path):
        return _copy_to_file(source, target, busy_timeout_ms)
    into = Store(target, busy_timeout_ms=busy_timeout_ms, migrate_schema=True)
    try:
        return _copy_into(source, into)
    finally:
        into.close()


def _copy_to_file(source: Store, target: Path, busy_timeout_ms: int) -> Copied:
    """`copy` into a new SQLite file: built under a temporary name, renamed when proven."""
    if str(target) == "-":
        raise InputError("a copy is a database: name a new file, not - (standard output)")
    if not target.parent.is_dir():
        raise InputError(f"{target}: there is no folder {target.parent} to write the copy in")
    if os.path.lexists(target):
        raise RefusedError(f"{target} exists: a copy goes into a new file (or an empty database)")
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    partial.unlink()
    try:
        into = Store(partial, busy_timeout_ms=busy_timeout_ms)
        try:
            copied = _copy_into(source, into)
        finally:
            into.close()
        if os.path.lexists(target):
            raise RefusedError(f"{target} appeared while desk copied: nothing replaced")
        os.rename(partial, target)
    finally:
        for leftover in (partial, *(Path(f"{partial}{s}") for s in ("-wal", "-shm", "-journal"))):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return copied


def _copy_into(source: Store, into: Store) -> Copied:
    """Copy every table of `source` into the freshly migrated, empty `into`, and prove it."""
    with _snapshot(source.conn), into.write() as conn:
        for table in TABLES:  # under the write lock: two copies at once cannot both pass
            if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
                raise RefusedError(
                    f"{into.where} already holds a desk ({table} has rows): a copy goes "
                    "into an empty database; desk changed nothing in it"
                )
        hasher = hashlib.sha256()
        counts: dict[str, int] = {}
        for table, columns in TABLES.items():
            counts[table] = 0
            insert = _insert_sql(into, table, columns)
            for rows in _batches(source.conn, table, columns):
                for row in rows:
                    _hash_row(hasher, table, row)
                conn.executemany(insert, [_params(into, table, row) for row in rows])
                counts[table] += len(rows)
        reindex(conn)
        if into.dialect == "postgresql":
            for table in ("stories", "segments", "revisions", "tm_units"):
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE(MAX(id), 0) + 1, false) FROM {table}"
                )
        copied = Copied(counts, hasher.hexdigest())
        check = _digest(conn)
        if check != copied:
            raise RefusedError(
                f"the copy in {into.where} does not match {source.where} (counts "
                f"{check.counts} against {copied.counts}): nothing was kept"
            )
    return copied


def _insert_sql(into: Store, table: str, columns: tuple[str, ...]) -> str:
    """The INSERT for one table (on PostgreSQL, segments also get their search document)."""
    names = list(columns)
    values = ["?"] * len(columns)
    if into.dialect == "postgresql" and table == "segments":
        names.append("search")
        values.append("?::tsvector")
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(values)})"


def _params(into: Store, table: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """One row's parameters for `_insert_sql` (InputError for a NUL character, which
    PostgreSQL cannot store: the row is named, nothing is kept)."""
    if into.dialect == "postgresql" and any(isinstance(v, str) and "\x00" in v for v in row):
        column = next(
            c for c, v in zip(TABLES[table], row, strict=True) if isinstance(v, str) and "\x00" in v
        )
        raise InputError(
            f"{table} row {row[0]}: {column} holds a NUL character (U+0000), which "
            "PostgreSQL cannot store; change it in the SQLite desk first; nothing was copied"
        )
    if into.dialect == "postgresql" and table == "segments":
        columns = TABLES["segments"]
        source, text, draft = (row[columns.index(c)] for c in ("source", "text", "draft"))
        return (*row, document(source, text or draft))
    return tuple(row)


def _digest(conn: Connection) -> Copied:
    """Counts and SHA-256 of the four tables as `conn` sees them."""
    hasher = hashlib.sha256()
    counts: dict[str, int] = {}
    for table, columns in TABLES.items():
        counts[table] = 0
        for rows in _batches(conn, table, columns):
            for row in rows:
                _hash_row(hasher, table, row)
            counts[table] += len(rows)
    return Copied(counts, hasher.hexdigest())


def _hash_row(hasher: Any, table: str, row: tuple[Any, ...]) -> None:
    """Feed one row, with its table's name, to the hash (the same for both stores)."""
    line = json.dumps([table, *row], ensure_ascii=False, separators=(",", ":"))
    hasher.update(line.encode("utf-8", "surrogatepass") + b"\n")


def _batches(
    conn: Connection, table: str, columns: tuple[str, ...]
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of `table` in a fixed order, BATCH at a time (streamed, not all loaded)."""
    sql = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {ORDER[table]}"
    if isinstance(conn, PgConnection):
        yield from conn.stream(sql, BATCH)
        return
    cursor = conn.execute(sql)
    while rows := cursor.fetchmany(BATCH):
        yield [tuple(r) for r in rows]


@contextlib.contextmanager
def _snapshot(conn: Connection) -> Iterator[None]:
    """Read everything inside in one consistent snapshot of the database."""
    if isinstance(conn, PgConnection):
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    else:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
