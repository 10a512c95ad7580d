"""Opening the SQLite file as it is (writable, read-only or on a read-only mount), and
what a failing SQLite call means for the person at the desk.

A read-only file or folder is opened with SQLite's `mode=ro`; reading a WAL database
then needs its `-shm` file, which SQLite makes beside it when the folder is writable or
finds there. On a read-only mount there is no such file once the last writer closed
cleanly, and the file is opened `immutable=1`: safe there because nothing can write
through that mount. A `-wal` file still holding changes is never skipped that way.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from desk.core.errors import DamagedError, DeskError, NotFoundError, UnavailableError

# SQLite's primary result codes (https://sqlite.org/rescode.html), as Python reports them.
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def read_only_reason(path: Path) -> str:
    """Why desk cannot write the database at `path` (or its folder, which holds the WAL
    files): a read-only mount or a read-only file or folder; empty when it can."""
    here = path if path.exists() else path.parent
    try:
        if os.statvfs(here).f_flag & os.ST_RDONLY:
            return "it is on a read-only mount"
    except OSError:
        return ""
    file = path.exists() and not os.access(path, os.W_OK)
    folder = path.exists() and not os.access(path.parent, os.W_OK | os.X_OK)
    if file and folder:
        return "the file and its folder are read-only"
    if file or folder:
        return "the file is read-only" if file else "its folder is read-only"
    return ""


def connect(
    path: Path, busy_timeout_ms: int, *, read_only: bool = False
) -> tuple[sqlite3.Connection, str]:
    """A connection to `path` and why it is read-only (empty: it is writable).

    A missing file is created (its folder too), unless `read_only` asks for a connection
    that cannot write (NotFoundError then). Raises UnavailableError when the file can be
    neither created nor read, DamagedError when it is damaged.
    """
    try:
        return _connect(path, busy_timeout_ms, read_only)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise failure(exc, path) from None


def _connect(path: Path, busy_timeout_ms: int, read_only: bool) -> tuple[sqlite3.Connection, str]:
    """`connect`, letting SQLite's errors through."""
    if read_only and not path.is_file():
        raise NotFoundError(f"no desk database at {path}")
    reason = read_only_reason(path) if path.exists() else ""
    if read_only and not reason:
        reason = "desk opened it read-only"
    if not reason:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UnavailableError(
                f"cannot create the desk database {path}: {exc.strerror or exc}"
            ) from None
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            return _configure(conn, busy_timeout_ms), ""
        except sqlite3.Error:
            conn.close()
            raise
    uri = path.resolve().as_uri()
    try:
        return _open(f"{uri}?mode=ro", busy_timeout_ms), reason
    except sqlite3.OperationalError as exc:
        if _code(exc) not in (_CANTOPEN, _READONLY):
            raise
    # SQLite cannot make the -shm file it needs to read a WAL database.
    wal = path.with_name(path.name + "-wal")
    if "mount" not in reason:
        raise UnavailableError(
            f"cannot read the desk database {path}: {reason} and SQLite needs to make "
            f"{path.name}-shm beside it; make the folder writable"
        )
    if wal.exists() and wal.stat().st_size > 0:
        raise UnavailableError(
            f"cannot read the desk database {path}: {reason} and {wal.name} holds changes "
            "not yet folded into it; mount it writable once (any desk command folds them in)"
        )
    return _open(f"{uri}?immutable=1", busy_timeout_ms), reason


def _open(uri: str, busy_timeout_ms: int) -> sqlite3.Connection:
    """A configured read-only connection to `uri`, proven able to read."""
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        _configure(conn, busy_timeout_ms)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection, busy_timeout_ms: int) -> sqlite3.Connection:
    """Rows by name, the busy timeout, foreign keys, WAL-safe syncing."""
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _code(exc: sqlite3.Error) -> int | None:
    """SQLite's primary result code for `exc` (None: raised by Python's sqlite3 itself)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(exc: sqlite3.Error) -> bool:
    """Whether `exc` says the file itself is damaged (not busy, read-only or full)."""
    code = _code(exc)
    if code in (_CORRUPT, _NOTADB):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        # Python's own: a text cell whose bytes are not UTF-8 (desk only stores text).
        return code is None and "decode" in str(exc)
    # A constraint or a misuse is desk's refusal or desk's bug, not the file's damage.
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, sqlite3.IntegrityError | sqlite3.ProgrammingError
    )


def failure(exc: sqlite3.Error | UnicodeDecodeError, path: Path) -> DeskError:
    """What a failed SQLite call on the desk database at `path` means, as desk says it
    (all exit 6, "the database is unavailable" in docs/reference.md#exit-codes).

    A UnicodeDecodeError is Python failing to read SQLite's own message: the schema's
    text is damaged (e.g. "malformed database schema" quoting bytes that are not UTF-8).
    """
    if isinstance(exc, UnicodeDecodeError):
        return damaged(path, bytes(exc.object).decode("utf-8", "replace"))
    code = _code(exc)
    if is_damage(exc):
        return damaged(path, str(exc))
    if code in (_BUSY, _LOCKED):
        return UnavailableError(
            f"the desk database {path} is unavailable: another desk holds its lock past the "
            f"busy timeout ({exc}); try again"
        )
    if code == _READONLY:
        why = read_only_reason(path) or "SQLite opened it read-only"
        return UnavailableError(
            f"the desk database {path} is read-only ({why}): this command changes it; "
            "reading commands still work"
        )
    if is_full(exc, path.parent):
        return UnavailableError(
            f"the desk database {path} is unavailable: the disk is full ({exc}); "
            "nothing of this command was saved"
        )
    return UnavailableError(f"the desk database {path} is unavailable ({exc})")


def is_full(exc: sqlite3.Error, folder: Path) -> bool:
    """Whether `exc` is a full disk, where the file SQLite was writing is in `folder`:
    SQLite reports a full disk met while growing its shared-memory file as an I/O error,
    so an I/O error on a disk with (next to) no room left counts too."""
    code = _code(exc)
    if code == _FULL:
        return True
    if code != _IOERR:
        return False
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def damaged(path: Path | str, what: str) -> DamagedError:
    """The one message for a damaged database: what was found, and what to do."""
    error = DamagedError(
        f"the desk database {path} is damaged ({what}); desk writes nothing more to it: "
        "`desk db check` lists the damage, `desk db backup FILE` copies what can be read; "
        "restore your last backup"
    )
    error.what = what
    return error
