"""A glossary folder as changes see it: the lock that serialises them, and the names of
the files an entry may be written to.

Every change (add, edit, remove, import, the workbench's glossary panel) holds an
exclusive lock on the folder's `.desk-glossary.lock` from before it reads the glossary
for its checks (a duplicate id, a known canonical) until its atomic write is done, so two
desks adding at once can neither overwrite each other's entry nor both add one id to two
files. Readers take no lock: every write is a rename, so they see the old file or the new.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desk.core.errors import InputError, UnavailableError

LOCK_NAME = ".desk-glossary.lock"
"""The lock file in a glossary folder (hidden, not a `.toml`: never read as a glossary)."""
SUFFIX = ".toml"


@contextmanager
def folder_lock(folder: Path, wait_ms: int, *, create: bool = False) -> Iterator[None]:
    """Hold the glossary folder's exclusive lock while the block runs.

    Waits up to `wait_ms` for another desk's change, then UnavailableError. A folder that
    does not exist is made first when `create` (an add makes its file), else there is
    nothing in it to change and no lock is taken. A lock file that cannot be opened (a
    read-only folder) is an InputError: the change could not be written there either.
    """
    if not folder.is_dir():
        if not create:
            yield
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"{folder}: cannot make the glossary folder ({exc.strerror})"
            ) from None
    fd = _open_lock(folder / LOCK_NAME)
    try:
        _acquire(fd, folder, wait_ms)
        yield
    finally:
        os.close(fd)  # closing the only descriptor releases the lock


def _open_lock(path: Path) -> int:
    """A descriptor of the lock file, made if missing (never through a symbolic link)."""
    flags = os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | flags, 0o666)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM) and path.is_file():
            try:  # a lock file made earlier in a folder now read-only: flock needs no write
                return os.open(path, os.O_RDONLY | flags)
            except OSError:
                pass
        raise InputError(
            f"{path.parent}: cannot lock the glossary folder to change it "
            f"({LOCK_NAME}: {exc.strerror}); nothing written"
        ) from None


def _acquire(fd: int, folder: Path, wait_ms: int) -> None:
    """Take the exclusive lock on `fd`, polling until `wait_ms` have passed."""
    deadline = time.monotonic() + wait_ms / 1000
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise UnavailableError(
                    f"{folder}: another desk is changing the glossary (still locked after "
                    f"{wait_ms / 1000:g} s; $DESK_BUSY_TIMEOUT_MS sets the wait); nothing written"
                ) from None
            time.sleep(0.01)
        except OSError as exc:
            raise InputError(
                f"{folder}: cannot lock the glossary folder to change it ({exc.strerror}); "
                "nothing written"
            ) from None


MAX_FILE_NAME_BYTES = 255
"""The longest file name the usual file systems (ext4, XFS, APFS, NTFS) hold."""


def file_name(value: str, option: str) -> str:
    """The glossary file `value` names: a bare name directly in the glossary folder.

    `people.toml` is itself; `people` (no dot) gets `.toml`. A path (any separator, `..`),
    a hidden name, another suffix (only `*.toml` files are read) or a control character
    is refused, naming `option` and the value.
    """
    name = value.strip()
    problem = ""
    if not name:
        problem = "is empty"
    elif "/" in name or "\\" in name or (os.altsep and os.altsep in name):
        problem = "is a path; give a file name in the glossary folder, e.g. people.toml"
    elif name.startswith("."):
        problem = "is a hidden name or a path (.., .); give e.g. people.toml"
    elif any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        problem = "holds a control or invisible character"
    elif "." not in name:
        name += SUFFIX
    elif not name.endswith(SUFFIX):
        problem = "is not a .toml file (desk reads only *.toml in the glossary folder)"
    if not problem and len(name.encode("utf-8", "surrogateescape")) > MAX_FILE_NAME_BYTES:
        problem = f"is longer than a file name may be ({MAX_FILE_NAME_BYTES} bytes)"
    if problem:
        raise InputError(f"{option} {value!r} {problem}")
    return name
