"""Glossary entries and reading them from the house files (`glossaries/*.toml`).

A glossary file is TOML with one table per entry, named by the entry's id:

    [lattakia]
    canonical = "Lattakia"
    arabic = ["اللاذقية"]
    variants = ["Latakia", "Latakiya"]
    kind = "place"
    notes = "Coastal governorate and its capital."
    only_with_arabic = []   # optional scope: applies only when the Arabic has one of these
    not_variants = []       # optional: look-alikes that are other names, never suggested

Ids are unique across all the files that load together; a duplicate id, a missing
canonical or an unknown kind is an error naming the file, the line and the entry.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Any

from desk.core.errors import InputError

MAX_FILE_BYTES = 8 * 1024 * 1024
# \Z, not $: "$" also matches before a final newline, and ["x\n"] is a TOML key.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")
MAX_NAME_CHARS = 200
"""The longest canonical, variant or Arabic form: a longer one is no name, and matching
compares every run of a name's words (a name of thousands of words would hang it)."""
FIELDS = ("canonical", "arabic", "variants", "kind", "notes", "only_with_arabic", "not_variants")


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
    not_variants: tuple[str, ...] = ()
    """Spellings that look like this name but are other names (Sarmin beside al-Surman,
    the TV channel Al Mayadeen beside the city Mayadin): never suggested as it."""
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


# The tokens of a TOML text that tomllib has accepted: strings (multi-line ones may hold
# lines that look like headers), comments, newlines, brackets, and runs of anything else.
_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]++|\\.|""?(?!"))*+"{3,5}'
    r"|'''(?:[^']++|''?(?!'))*+'{3,5}"
    r'|"(?:[^"\\\n]++|\\.)*+"'
    r"|'[^'\n]*+')"
    r"|(?P<comment>#[^\n]*+)"
    r"|(?P<newline>\n)"
    r"|(?P<bracket>[\[\]{}])"
    r"|(?P<other>[^\n\"'#\[\]{}]++|.)",
    re.DOTALL,
)


def _key_text(token: str) -> str:
    """The first part of a key as TOML reads it: bare, "basic" (escapes) or 'literal'."""
    if token.startswith('"'):
        return str(tomllib.loads(f"k = {token}")["k"])
    if token.startswith("'"):
        return token[1:-1]
    return re.split(r"[.=]", token.strip(), maxsplit=1)[0].strip()


def _header_lines(text: str) -> dict[str, int]:
    """The line (1-based) where each top-level key of a valid TOML text is first written.

    That is its `[id]`, `[id.sub]` or `[[id]]` header, or `id = ...` before the first
    table. Lines are counted as TOML counts them (a U+2028 or NEL is no line break), and
    strings and comments are skipped whole: a line inside one is never a header.
    """
    lines: dict[str, int] = {}
    line, depth, in_tables = 1, 0, False
    mode = "statement"  # or "header" (after its "["), "rest" (of the header line), "value"
    for m in _TOKEN.finditer(text):
        kind, token = m.lastgroup, m.group()
        if kind == "newline":
            line += 1
            if mode in ("header", "rest") or depth == 0:
                mode = "statement"
            continue
        if kind == "comment" or (kind == "other" and token.isspace()):
            continue
        if mode == "statement" and token == "[":
            mode, in_tables = "header", True
        elif mode == "header" and token != "[":
            lines.setdefault(_key_text(token), line)  # [id...] or [[id...]]
            mode = "rest"
        elif mode == "statement":
            if not in_tables:
                lines.setdefault(_key_text(token), line)  # id = ... before any table
            mode = "value"
        if mode == "value" and kind == "bracket":
            depth += 1 if token in "[{" else -1
        if kind == "string":
            line += token.count("\n")
    return lines


def _shown(value: Any) -> str:
    """A value for a message: a string quoted (cut short when long), else its TOML type."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:40]) + "..."
    types: list[tuple[type, str]] = [
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a float"),
        (datetime, "a date-time"),
        (date, "a date"),
        (time, "a time"),
        (list, "an array"),
        (dict, "a table"),
    ]
    return next((name for t, name in types if isinstance(value, t)), type(value).__name__)


def _strings(value: Any, what: str, where: str) -> tuple[str, ...]:
    """A list of non-empty strings, stripped; InputError otherwise."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f"{where}: {what} must be a list of strings, not {_shown(value)}")
    wrong = next((v for v in value if not isinstance(v, str)), None)
    if wrong is not None:
        raise InputError(f"{where}: {what} must be a list of strings; it holds {_shown(wrong)}")
    names = tuple(v.strip() for v in value if v.strip())
    for name in names:
        _check_length(name, what, where)
    return names


def _check_length(name: str, what: str, where: str) -> None:
    """InputError if a name is longer than MAX_NAME_CHARS, or if it holds a line break, a
    tab or another control character: every name (canonical, Arabic form, variant,
    not_variants, only_with_arabic) is one line of text, on a screen and in a CSV/TSV
    cell, and an escape sequence in one would act on a terminal that shows it."""
    if len(name) > MAX_NAME_CHARS:
        raise InputError(
            f"{where}: {what} {_shown(name)} is {len(name)} characters long "
            f"(a name has at most {MAX_NAME_CHARS})"
        )
    if bad := CONTROL.search(name):
        raise InputError(
            f"{where}: {what} {_shown(name)} holds U+{ord(bad.group()):04X} (a line break, "
            "tab or control character); a name is one line of text"
        )


def _check_notes(notes: str, where: str) -> None:
    """InputError if the notes hold a control character other than a tab or line break."""
    if bad := NOTES_CONTROL.search(notes):
        raise InputError(
            f"{where}: notes {_shown(notes)} hold U+{ord(bad.group()):04X} (a control "
            "character); notes may hold tabs and line breaks, no other controls"
        )


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""What a name may not hold: C0 and C1 controls (tab, CR, LF, ESC, NEL among them), DEL,
and the Unicode line and paragraph separators."""
NOTES_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
"""What notes may not hold: C0 controls but tab, LF and CR; DEL; C1 controls but NEL
(ESC among the refused: it would act on a terminal showing the notes)."""


_FIELD_SET = frozenset(FIELDS)
_KIND_VALUES = frozenset(k.value for k in Kind)
_KIND_CHOICES = ", ".join(k.value for k in Kind)


def parse_entry(entry_id: str, table: Any, source: str = "", line: int = 0) -> Entry:
    """One entry from its TOML table; InputError naming the file, line and entry."""
    place = f"{source}:{line}" if line else source
    if not ID_PATTERN.match(entry_id):
        # Quoted and cut short: a bad id may hold newlines or characters a terminal acts on.
        raise InputError(
            f"{place + ': ' if place else ''}entry {_shown(entry_id)}: the id must be "
            "lowercase letters, digits, - or _ (e.g. lattakia)"
        )
    where = f"{place} (entry {entry_id})" if place else f"entry {entry_id}"
    if not isinstance(table, dict):
        raise InputError(f"{where}: an entry must be a table ([{entry_id}]), not {_shown(table)}")
    unknown = sorted(set(table) - _FIELD_SET)
    if unknown:
        names = ", ".join(_shown(key) for key in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise InputError(f"{where}: unknown field(s) {names}{more}")
    canonical = table.get("canonical")
    if canonical is not None and not isinstance(canonical, str):
        raise InputError(f"{where}: canonical must be a string, not {_shown(canonical)}")
    if canonical is None or not canonical.strip():
        raise InputError(f"{where}: canonical is missing or empty")
    _check_length(canonical.strip(), "canonical", where)
    kind_text = table.get("kind", Kind.OTHER.value)
    choices = _KIND_CHOICES
    if not isinstance(kind_text, str):
        raise InputError(f"{where}: kind must be one of {choices}, not {_shown(kind_text)}")
    if kind_text not in _KIND_VALUES:
        raise InputError(f"{where}: kind {_shown(kind_text)} is not one of {choices}")
    kind = Kind(kind_text)
    notes = table.get("notes", "")
    if not isinstance(notes, str):
        raise InputError(f"{where}: notes must be a string, not {_shown(notes)}")
    _check_notes(notes.strip(), where)
    return Entry(
        id=entry_id,
        canonical=canonical.strip(),
        arabic=_strings(table.get("arabic", []), "arabic", where),
        variants=_strings(table.get("variants", []), "variants", where),
        kind=kind,
        notes=notes.strip(),
        only_with_arabic=_strings(table.get("only_with_arabic", []), "only_with_arabic", where),
        not_variants=_strings(table.get("not_variants", []), "not_variants", where),
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
    return decode_text(path, read_limited(path, MAX_FILE_BYTES))


def read_bytes(path: Path) -> bytes:
    """A glossary file's bytes; InputError if missing, unreadable or too large."""
    return read_limited(path, MAX_FILE_BYTES)


def decode_text(path: Path, data: bytes) -> str:
    """The text of a glossary file's bytes; InputError naming the line if not UTF-8."""
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
    except RecursionError:
        # tomllib reads nested arrays and inline tables recursively.
        raise InputError(f"{source}: not valid TOML (arrays or tables nested too deeply)") from None
    lines = _header_lines(text)
    return [parse_entry(key, value, source, lines.get(key, 0)) for key, value in data.items()]


def load_files(paths: Sequence[Path], data: Sequence[bytes] | None = None) -> Glossary:
    """Entries of several files together; a duplicate id across them is an error.

    `data`, where given, is the files' bytes as read already (`data[i]` is `paths[i]`'s).
    """
    glossary = Glossary(files=list(paths))
    seen: dict[str, Entry] = {}
    digest = hashlib.sha256()
    for i, path in enumerate(paths):
        text = read_text(path) if data is None else decode_text(path, data[i])
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
