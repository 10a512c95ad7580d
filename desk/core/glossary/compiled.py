"""The compiled glossary: an enforcer kept on disk, so that a command does not parse and
compile a large glossary again while its files are unchanged.

Reading 10,000 entries' TOML and compiling the enforcer takes about a second; reading
the enforcer's compiled parts back takes a few tens of milliseconds. The compiled form
is kept in the desk home's cache folder (`locations.glossary_cache_dir`), one file per
key:

- the key is a sha256 of the glossary files' paths and bytes (content, never sizes or
  modification times: an edit that keeps both is still an edit), of desk's version, of
  this format's number, of the Python that wrote it (`marshal`'s format is Python's),
  and of the source of the modules whose structures it holds: a code change never
  reads a format it did not write;
- a file is `MAGIC`, the sha256 of the payload, then the payload: `Enforcer.state()`
  written with `marshal` (plain tuples, lists, sets, dicts, strings and numbers; no
  pickle, no object of desk's, nothing that runs when read). A file that is missing,
  truncated, corrupt, of another format or another user's, or unreadable is ignored
  and the enforcer is compiled from the files again; a cache folder that cannot be
  written (a read-only home) only means no file is kept;
- files are written whole or not at all (a temporary file renamed over), so processes
  writing the same key at once leave one good file; all but the `KEEP` most recently
  used files are removed after a write, so the folder stays small.

What is cached is made by desk from files it has parsed and checked: a glossary file
that desk refuses (bad TOML, a bad entry) never reaches the cache, and its error is
reported as without one, each time. The cache holds nothing a glossary file does not.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import stat
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from desk import __version__
from desk.core.atomic import write_atomic
from desk.core.errors import InputError
from desk.core.glossary import enforce, fuzzy, model, normalise
from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.model import load_files, read_bytes

FORMAT = 1
"""This module's file format; raised whenever `Enforcer.state()` changes shape."""
MAGIC = b"desk compiled glossary\n"
KEEP = 4
"""Compiled files kept: the glossary in use and a few recent ones (another --glossary
folder, an edit being undone), each about 4 MB at 10,000 entries."""
MAX_BYTES = 1 << 30
"""A compiled file larger than this is no file desk wrote (8 MiB glossary files at most)."""
STALE_TEMPORARY_S = 3600
"""A temporary file this old was left by a process that died while writing."""
SUFFIX = ".bin"


@dataclass(frozen=True)
class GlossaryBytes:
    """The glossary files as read once: their paths, their bytes, and the cache key."""

    paths: tuple[Path, ...]
    data: tuple[bytes, ...]
    key: str
    """Hex sha256 of the paths, the bytes and the code that compiles them."""


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hex sha256 of desk's version, this format, the running Python and the source of
    the modules whose structures a compiled file holds."""
    digest = hashlib.sha256(f"{FORMAT}\n{__version__}\n{sys.version}\n{marshal.version}\n".encode())
    for module in (enforce, fuzzy, normalise, model, sys.modules[__name__]):
        digest.update(f"{module.__name__}\n".encode())
        with suppress(OSError):  # no source beside the code: desk's version stands for it
            digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def read_glossary(paths: Sequence[Path]) -> GlossaryBytes:
    """Read the glossary files once (InputError as `load_files` for one that cannot be
    read) and compute their cache key."""
    data = tuple(read_bytes(path) for path in paths)
    digest = hashlib.sha256(code_digest().encode())
    for path, content in zip(paths, data, strict=True):
        digest.update(f"\n{path}\n{len(content)}\n".encode())
        digest.update(content)
    return GlossaryBytes(tuple(paths), data, digest.hexdigest())


def cached_enforcer(
    files: GlossaryBytes, cache: Path | None, on_compile: Callable[[], None] | None = None
) -> Enforcer:
    """The enforcer of `files`: read from `cache` when a compiled file for their key is
    there and sound, else compiled from the files (InputError for a bad one, as
    `load_files` says it) and kept in `cache` for the next command where it can be.
    `on_compile` is called first when it compiles (seconds at 10,000 entries, where a
    read takes milliseconds)."""
    if cache is not None:
        found = load(cache, files.key)
        if found is not None:
            return found
    if on_compile is not None:
        on_compile()
    enforcer = Enforcer(load_files(files.paths, files.data))
    if cache is not None:
        save(cache, files.key, enforcer)
    return enforcer


def cache_file(cache: Path, key: str) -> Path:
    """Where the compiled form of `key` is kept."""
    return cache / f"{key}{SUFFIX}"


def load(cache: Path, key: str) -> Enforcer | None:
    """The enforcer compiled for `key`, or None when there is no sound file of this
    user's for it (missing, unreadable, truncated, corrupt, another format)."""
    path = cache_file(cache, key)
    data = _read_own_file(path)
    if data is None or not data.startswith(MAGIC):
        return None
    start = len(MAGIC) + 32
    payload = memoryview(data)[start:]
    if len(data) < start or hashlib.sha256(payload).digest() != data[len(MAGIC) : start]:
        return None
    # Reading builds about a hundred thousand containers at 10,000 entries; the cyclic
    # garbage collector would walk them all again and again while they are made (it
    # doubles the time). None of them is garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        enforcer = Enforcer.from_state(marshal.loads(payload))
    except (ValueError, EOFError, TypeError, KeyError, IndexError, AttributeError):
        # not the state this code writes
        return None
    finally:
        if collecting:
            gc.enable()
    with suppress(OSError):  # a read-only home: the order of pruning matters little
        os.utime(path)  # used now: pruned last
    return enforcer


def _read_own_file(path: Path) -> bytes | None:
    """The bytes of `path` if it is a regular file of this user's (not a link, not
    another user's on a shared home), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def save(cache: Path, key: str, enforcer: Enforcer) -> bool:
    """Keep `enforcer` as the compiled form of `key`, then prune the folder; False (and
    nothing said) where the cache folder cannot be made or written."""
    payload = marshal.dumps(enforcer.state())  # type: ignore[arg-type]  # plain data only
    path = cache_file(cache, key)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():  # never written through: the cache holds files desk made
            path.unlink()
        write_atomic(path, MAGIC + hashlib.sha256(payload).digest() + payload)
    except (OSError, InputError):
        return False
    prune(cache)
    return True


def prune(cache: Path, keep: int = KEEP) -> None:
    """Remove all but the `keep` most recently used compiled files, and temporary files
    left by writers that died; what cannot be removed is left."""
    kept: list[tuple[float, Path]] = []
    now = time.time()
    try:
        with os.scandir(cache) as found:
            for item in found:
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                if item.name.endswith(SUFFIX) and not item.name.startswith("."):
                    kept.append((info.st_mtime, Path(item.path)))
                elif item.name.endswith(".tmp") and now - info.st_mtime > STALE_TEMPORARY_S:
                    _remove(Path(item.path))
    except OSError:
        return
    kept.sort(reverse=True)
    for _, path in kept[keep:]:
        _remove(path)


def _remove(path: Path) -> None:
    """Remove a file if it can be (another process may have removed it first)."""
    with suppress(OSError):
        path.unlink()
