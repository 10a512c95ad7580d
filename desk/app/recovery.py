"""Typed text that could not be saved, kept in the desk home until it is.

When the workbench cannot save a segment (the database locked past its timeout, a full
disk, the terminal closing mid-save), the English is written here, one small JSON file
per story under `recovery/`, and offered back the next time the story is opened. A
recovery file is written atomically; a broken one is set aside, never trusted.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

from desk.core.atomic import write_atomic
from desk.core.store import utc_now

FOLDER = "recovery"


@dataclass(frozen=True)
class Kept:
    """One segment's unsaved English: the text, the version it was typed over, when."""

    n: int
    text: str
    base_version: int
    at: str


def _path(home: Path, slug: str) -> Path:
    """The recovery file of story `slug`."""
    return home / FOLDER / f"{slug}.json"


def kept(home: Path, slug: str) -> dict[int, Kept]:
    """The unsaved English kept for `slug`, by segment ({} when none, or unreadable)."""
    path = _path(home, slug)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            int(n): Kept(int(n), str(v["text"]), int(v["base_version"]), str(v["at"]))
            for n, v in data.items()
        }
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        with contextlib.suppress(OSError):  # set aside for a person to read
            path.replace(path.with_suffix(".broken"))
        return {}


def keep(home: Path, slug: str, n: int, text: str, base_version: int) -> Path:
    """Keep segment `n`'s unsaved English (replacing what was kept for it)."""
    entries = kept(home, slug)
    entries[n] = Kept(n, text, base_version, utc_now())
    return _write(home, slug, entries)


def forget(home: Path, slug: str, n: int) -> None:
    """Drop what was kept for segment `n` (it is saved now)."""
    entries = kept(home, slug)
    if n in entries:
        del entries[n]
        _write(home, slug, entries)


def _write(home: Path, slug: str, entries: dict[int, Kept]) -> Path:
    """Write (or, with nothing left, remove) the story's recovery file."""
    path = _path(home, slug)
    if not entries:
        path.unlink(missing_ok=True)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        str(k.n): {"text": k.text, "base_version": k.base_version, "at": k.at}
        for k in sorted(entries.values(), key=lambda k: k.n)
    }
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return path
