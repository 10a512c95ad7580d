"""Glossary entries and reading them from the house files (`glossaries/*.toml`).

A glossary file is TOML with one table per entry, named by the entry's id:

    [lattakia]
    canonical = "Lattakia"
    arabic = ["اللاذقية"]
    variants = ["Latakia", "Latakiya"]
    kind = "place"
    notes = "Coastal governorate and its capital."
    only_with_arabic = []   # optional scope: applies only when the Arabic has one of these

Ids are unique across all the files that load together; a duplicate id, a missing
canonical or an unknown kind is an error naming the file, the line and the entry.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from desk.core.errors import InputError

MAX_FILE_BYTES = 8 * 1024 * 1024
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
FIELDS = ("canonical", "arabic", "variants", "kind", "notes", "only_with_arabic")


class Kind(StrEnum):
    """What an entry names."""

    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"
    OTHER = "other"


@dataclass(frozen=True)
class Entry:
    """One name: its house spelling, its Arabic forms and the spellings to replace."""

    id: str
    """Unique across the loaded files; the TOML table name."""
    canonical: str
    """The house spelling, e.g. "Lattakia"."""
    arabic: tuple[str, ...] = ()
    """Arabic forms of the name as sources write it."""
    variants: tuple[str, ...] = ()
    """Known wrong spellings, replaced by `canonical`."""
    kind: Kind = Kind.OTHER
    """Person, place, organisation or other."""
    notes: str = ""
    """Free text for the desk."""
    only_with_arabic: tuple[str, ...] = ()
    """Scope: when not empty, the entry applies only where the Arabic has one of these."""
    source: str = ""
    """The file the entry came from (display only)."""
    line: int = 0
    """The line of its table header in that file (display only)."""

    def where(self) -> str:
        """`file:line (entry id)`, for messages."""
        place = f"{self.source}:{self.line}" if self.source else "<glossary>"
        return f"{place} (entry {self.id})"


@dataclass
class Glossary:
    """Entries from one or more files, in file order then entry order."""

    entries: list[Entry] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    version: str = ""
    """Short sha256 of the files' names and bytes: which glossary a fix came from."""

    def by_id(self, entry_id: str) -> Entry | None:
        """The entry with this id, if any."""
        return next((e for e in self.entries if e.id == entry_id), None)


def _header_lines(text: str) -> dict[str, int]:
    """Line number (1-based) of each `[id]` table header in a TOML text."""
    lines: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"\s*\[\s*(?:\"([^\"]+)\"|'([^']+)'|([A-Za-z0-9_-]+))\s*\]\s*(#.*)?$", line)
        if m:
            lines.setdefault(m.group(1) or m.group(2) or m.group(3), n)
    return lines


def _strings(value: Any, what: str, where: str) -> tuple[str, ...]:
    """A list of non-empty strings, stripped; InputError otherwise."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: {what} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def parse_entry(entry_id: str, table: Any, source: str = "", line: int = 0) -> Entry:
    """One entry from its TOML table; InputError naming the file, line and entry."""
    where = f"{source}:{line} (entry {entry_id})" if source else f"entry {entry_id}"
    if not ID_PATTERN.match(entry_id):
        raise InputError(
            f"{where}: the id must be lowercase letters, digits, - or _ (e.g. lattakia)"
        )
    if not isinstance(table, dict):
        raise InputError(f"{where}: an entry must be a table ([{entry_id}])")
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(unknown)}")
    canonical = table.get("canonical")
    if not isinstance(canonical, str) or not canonical.strip():
        raise InputError(f"{where}: canonical is missing or empty")
    kind_text = table.get("kind", Kind.OTHER.value)
    try:
        kind = Kind(kind_text)
    except ValueError:
        choices = ", ".join(k.value for k in Kind)
        raise InputError(f"{where}: kind {kind_text!r} is not one of {choices}") from None
    notes = table.get("notes", "")
    if not isinstance(notes, str):
        raise InputError(f"{where}: notes must be a string")
    return Entry(
        id=entry_id,
        canonical=canonical.strip(),
        arabic=_strings(table.get("arabic", []), "arabic", where),
        variants=_strings(table.get("variants", []), "variants", where),
        kind=kind,
        notes=notes.strip(),
        only_with_arabic=_strings(table.get("only_with_arabic", []), "only_with_arabic", where),
        source=source,
        line=line,
    )


def read_limited(path: Path, limit: int) -> bytes:
    """A file's bytes; InputError if it is missing, unreadable or over `limit` bytes."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > limit:
        raise InputError(f"{path}: larger than {limit // (1024 * 1024)} MiB")
    return data


def read_text(path: Path) -> str:
    """A glossary file's text; InputError if missing, too large or not UTF-8."""
    data = read_limited(path, MAX_FILE_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 (byte {exc.start})") from None


def parse_file(text: str, source: str) -> list[Entry]:
    """The entries of one glossary file's text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: not valid TOML ({exc})") from None
    lines = _header_lines(text)
    return [parse_entry(key, value, source, lines.get(key, 0)) for key, value in data.items()]


def load_files(paths: Sequence[Path]) -> Glossary:
    """Entries of several files together; a duplicate id across them is an error."""
    glossary = Glossary(files=list(paths))
    seen: dict[str, Entry] = {}
    digest = hashlib.sha256()
    for path in paths:
        text = read_text(path)
        digest.update(f"{path.name}\n{len(text)}\n{text}".encode())
        for entry in parse_file(text, str(path)):
            if entry.id in seen:
                raise InputError(f"{entry.where()}: duplicate id, also at {seen[entry.id].where()}")
            seen[entry.id] = entry
            glossary.entries.append(entry)
    if paths:
        glossary.version = f"{digest.hexdigest()[:12]} ({len(glossary.entries)} entries)"
    return glossary


def glossary_files(folder: Path) -> list[Path]:
    """The `*.toml` files of a glossary folder, sorted by name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def load_folder(folder: Path) -> Glossary:
    """Every glossary file in `folder`, loaded together."""
    return load_files(glossary_files(folder))


def from_entries(entries: Iterable[Entry]) -> Glossary:
    """A glossary from entries made in code (tests, imports)."""
    return Glossary(entries=list(entries))
