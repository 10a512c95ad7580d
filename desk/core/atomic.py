"""Writing a file whole or not at all: a temporary file in its folder, fsync, rename."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from desk.core.errors import InputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in its folder, fsync and rename.

    A reader sees the old file or the new one, never a part. An existing file keeps
    its permissions; a new one gets the usual ones (0666 less the umask), as any
    other program would make it, so a CMS or web server reading exports can.

    A symbolic link is written through: the file it points to gets the data, the link
    stays. A device (/dev/stdout, a terminal, /dev/null) or a named pipe is written to
    as it is, never replaced by a regular file; a pipe nobody reads is an error at
    once, not a wait.
    """
    try:
        kind = os.stat(path).st_mode  # through any link (/dev/stdout → a pipe, a tty)
    except OSError:
        kind = None
    if kind is not None and not stat.S_ISREG(kind) and not stat.S_ISDIR(kind):
        _write_through(path, data)
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode: int | None = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise


def _write_through(path: Path, data: bytes) -> None:
    """Write `data` into a device or named pipe at `path` (no temporary file: there is
    nothing to rename over)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise InputError(f"{path}: a named pipe that nothing reads") from None
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
