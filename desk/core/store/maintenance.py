"""`desk db`: check the database file and back it up, on a read-only connection.

Neither writes to the database, so both are safe on a damaged one, on a read-only
mount and while another desk writes (a backup is one consistent snapshot).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from desk.core.errors import DamagedError, InputError, RefusedError, UnavailableError
from desk.core.store.migrations import MIGRATIONS, applied, known_upto
from desk.core.store.opening import connect, damaged, failure, is_damage, is_full

MAX_PROBLEMS = 100
"""At most this many problems are listed (SQLite's own default for integrity_check)."""


@dataclass(frozen=True)
class Checked:
    """What `desk db check` found: the problems (none: sound) and the schema's state."""

    problems: list[str]
    schema: str


def check(path: Path, *, busy_timeout_ms: int) -> Checked:
    """Run SQLite's integrity and foreign-key checks on the database at `path`."""
    try:
        conn, _ = connect(path, busy_timeout_ms, read_only=True)
    except DamagedError as exc:
        return Checked([exc.what], "unreadable")
    problems: list[str] = []
    schema = ""
    try:
        try:
            schema = describe_schema(applied(conn))
            rows = conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
            problems += [str(row[0]) for row in rows if str(row[0]) != "ok"]
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchmany(
                MAX_PROBLEMS
            ):
                problems.append(f"{table} row {rowid} refers to a missing {parent} row")
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            error = failure(exc, path)
            if not isinstance(error, DamagedError):
                raise error from None
            problems.append(error.what)
    finally:
        conn.close()
    return Checked(problems[:MAX_PROBLEMS], schema)


def describe_schema(done: list[str]) -> str:
    """The schema's state in words: current, older (missing migrations) or newer."""
    known = [m.name for m in MIGRATIONS]
    unknown = [name for name in done if name not in known]
    if unknown:
        return f"made by a newer desk: migration {unknown[0]!r} unknown; {known_upto()}"
    missing = [name for name in known if name not in done]
    if missing:
        return f"made by an older desk: desk applies {len(missing)} migration(s) at next use"
    return f"up to date ({known[-1]})"


def backup(path: Path, target: Path, *, force: bool, busy_timeout_ms: int) -> int:
    """Copy the database at `path` to a new file `target` with SQLite's online backup
    (one consistent snapshot, the WAL folded in); returns the bytes written.

    Written to a temporary file beside `target`, then renamed: `target` is whole or
    untouched. An existing `target` is replaced only with `force`, and only when it is
    a regular file; a symbolic link, folder, device or FIFO is never replaced.
    """
    _refuse_target(path, target, force)
    source, _ = connect(path, busy_timeout_ms, read_only=True)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".backup", dir=target.parent)
    except OSError as exc:
        source.close()
        raise _unwritable(target, exc) from None
    os.close(fd)
    temporary = Path(name)
    try:
        copy = sqlite3.connect(temporary, isolation_level=None)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            copy.close()
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        _place(temporary, target, force)
    except sqlite3.Error as exc:
        if is_damage(exc):
            raise damaged(path, str(exc)) from None
        if is_full(exc, target.parent):
            raise _full(target, str(exc)) from None
        raise UnavailableError(f"cannot back up {path} to {target}: {exc}") from None
    except OSError as exc:
        raise _unwritable(target, exc) from None
    finally:
        source.close()
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    _sync_folder(target.parent)
    return target.stat().st_size


def _unwritable(target: Path, exc: OSError) -> InputError:
    """The backup file cannot be written: a full disk said as such, else the reason."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _full(target, exc.strerror or str(exc))
    return InputError(f"cannot write the backup {target}: {exc.strerror or exc}")


def _full(target: Path, why: str) -> InputError:
    """A backup that met a full disk: the target's, not the database's, trouble."""
    return InputError(
        f"cannot write the backup {target}: the disk is full ({why}); nothing was written "
        "and the desk database is unchanged; make room or name a file on another disk"
    )


def _refuse_target(path: Path, target: Path, force: bool) -> None:
    """Refuse a target that is not a new (or, with `force`, an existing regular) file,
    or that is the database or one of SQLite's files beside it."""
    if str(target) == "-":
        raise InputError("a backup is an SQLite file: name a file, not - (standard output)")
    if not target.parent.is_dir():
        raise InputError(f"{target}: there is no folder {target.parent} to write the backup in")
    _refuse_own_files(path, target)
    try:
        found = target.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"{target}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(found.st_mode):
        raise InputError(
            f"{target} is a symbolic link: desk does not replace it; name the file itself"
        )
    if not stat.S_ISREG(found.st_mode):
        kind = "a folder" if stat.S_ISDIR(found.st_mode) else "a device, FIFO or socket"
        raise InputError(f"{target} is {kind}, not a file: a backup is written to a file")
    if not force:
        raise RefusedError(f"{target} exists: --force replaces it")


_OWN_SUFFIXES = ("", "-wal", "-shm", "-journal")
"""The database file, and the files SQLite keeps beside it."""


def _refuse_own_files(path: Path, target: Path) -> None:
    """Refuse the database, or its -wal, -shm or -journal, as a target: by resolved path
    (through symbolic links) and, where both exist, by file identity (hard links).
    Replacing one under a desk that has the database open loses acknowledged edits."""
    where = Path(os.path.realpath(target))
    # SQLite names its -wal, -shm and -journal after the database's resolved path: where
    # desk.sqlite3 is a symbolic link, they sit beside the file it points to.
    real = Path(os.path.realpath(path))
    for base, suffix in ((b, s) for b in dict.fromkeys((path, real)) for s in _OWN_SUFFIXES):
        own = base.with_name(base.name + suffix)
        try:
            same = where == Path(os.path.realpath(own)) or os.path.samefile(own, target)
        except OSError:  # one of them does not exist (or cannot be looked at)
            same = False
        if same:
            what = (
                "the desk database itself" if not suffix else f"the desk database's {suffix} file"
            )
            raise InputError(f"{target} is {what} ({own}): name another file")


def _place(temporary: Path, target: Path, force: bool) -> None:
    """Move the finished copy to `target`: replacing it with `force`, else never (a file
    that appeared meanwhile is refused, not overwritten)."""
    if force:
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target)  # fails if `target` exists, atomically
    except FileExistsError:
        raise RefusedError(f"{target} exists: --force replaces it") from None
    except OSError:  # a file system without hard links
        if target.exists() or target.is_symlink():
            raise RefusedError(f"{target} exists: --force replaces it") from None
        os.replace(temporary, target)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (where the platform allows syncing a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
