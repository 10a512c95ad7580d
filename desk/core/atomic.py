"""Writing a file whole or not at all: a temporary file in its folder, fsync, rename."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from desk.core.errors import InputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in its folder, fsync and rename.

    A reader sees the old file or the new one, never a part. An existing file keeps
    its permissions; a new one gets the usual ones (0666 less the umask), as any
    other program would make it, so a CMS or web server reading exports can.
    """
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
