"""Editing glossary files in place: comments, blank lines and entry order are kept.

Every change is made on the text, checked by parsing the result with `model.parse_file`
(the edited entry must read back as asked, every other entry unchanged), then written
atomically: a temporary file in the same folder, fsync, rename. On any error nothing on
disk changes. New entries are appended as tables that read back as written by their
construction, or are parsed back on their own (`add_entries`), so that an import of
100,000 entries does not pay for parsing its result again.

Edits are made on the entry's own lines. A table's lines run from its `[id]` header to
its last key; blank and comment lines after that belong to the next entry (a comment
block directly above a header describes that entry), so adding a key to one entry never
lands below the next entry's comment, and removing an entry removes the comment block
directly above it but keeps the next entry's. Files laid out in ways this does not
recognise (entries as inline tables at the top) are edited through tomlkit as a whole.
The TOML text itself (rendering a table, finding and editing its lines) is toml_text.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desk.core.atomic import write_atomic
from desk.core.errors import InputError
from desk.core.glossary.model import Entry, Kind, parse_entry, parse_file, read_text
from desk.core.glossary.toml_text import (
    edit_lines,
    edit_whole,
    remove_lines,
    remove_whole,
    render_direct,
    render_toml,
)

HEADER = (
    "# desk glossary: one table per name (see `desk glossary add --help`).\n"
    "# Fields: canonical, arabic, variants, kind (person, place, organisation, other),\n"
    "# notes, only_with_arabic.\n"
)
"""The comment a new glossary file starts with."""


def unique_id(base: str, taken: Container[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not in `taken`."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def id_base(text: str) -> str:
    """The id a name gives before it is made unique ("Tel Tamer" -> tel-tamer)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:60].strip("-") or "entry"


def new_id(text: str, taken: Container[str] = ()) -> str:
    """An entry id made from a name ("Tel Tamer" -> tel-tamer), unique among `taken`."""
    return unique_id(id_base(text), taken)


class IdPool:
    """The ids an import has taken so far; hands out the ids `unique_id` would, each in
    constant time however many entries share a base (ten thousand concepts all called
    `x`, or all named "Tel Tamer", no longer try x, x-2, ... x-10000 each)."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        """A pool holding `taken`."""
        self.taken = set(taken)
        self._next: dict[str, int] = {}

    def __contains__(self, entry_id: object) -> bool:
        """Whether `entry_id` is taken."""
        return entry_id in self.taken

    def add(self, entry_id: str) -> None:
        """Mark `entry_id` as taken."""
        self.taken.add(entry_id)

    def unique(self, base: str) -> str:
        """`unique_id(base, taken)`: the first of `base`, `base-2`... not taken (ids are
        only ever added, so the search for a base goes on where it last stopped)."""
        n = self._next.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self._next[base] = n
        return candidate

    def new(self, text: str) -> str:
        """`new_id(text, taken)`."""
        return self.unique(id_base(text))


def find_entry_file(paths: Sequence[Path], entry_id: str) -> Path:
    """The first of `paths` that holds the entry `entry_id`; InputError if none does."""
    for path in paths:
        if any(e.id == entry_id for e in parse_file(read_text(path), str(path))):
            return path
    where = ", ".join(str(p) for p in paths) or "no glossary files"
    raise InputError(f"no glossary entry {entry_id!r} in {where}")


def add_entry(path: Path, entry: Entry, others: Iterable[Entry] = ()) -> Entry:
    """Append `entry` to the file (created with a header comment if missing).

    `others` are the entries of the files loaded with this one: an id already there, or
    in the file itself, is refused.
    """
    return add_entries(path, [entry], others)[0]


def add_entries(
    path: Path, entries: Sequence[Entry], others: Iterable[Entry] = (), *, parsed: bool = False
) -> list[Entry]:
    """Append several entries in one write; nothing is written if any is refused.

    Each entry is first checked and normalised as it will read back (`parse_entry`),
    unless `parsed` says `parse_entry` made them already (the TBX and CSV/TSV readers
    do): checking 100,000 of them again took a second and a half of an import.

    New tables go after the file's text, each after a blank line (the header comment
    first in a new file). A table whose values need no escape is written directly, and
    reads back as written by construction (see `render_direct`); one tomlkit writes is
    parsed back before anything is written, as every other edit is. The file itself is
    not parsed again: it was valid, and tables with new ids after its last line leave
    its own entries as they were (which import of 100,000 entries could not afford).
    """
    if not entries:
        return []
    state = _State.load(path, missing_ok=True)
    known = {e.id: e for e in others}
    known.update({e.id: e for e in state.entries})
    expected: dict[str, Entry] = {}
    for entry in entries:
        clean = replace(entry, source=str(path)) if parsed else _normalise(entry, str(path))
        if clean.id in known or clean.id in expected:
            other = known.get(clean.id)
            also = f" at {other.where()}" if other else " twice in this import"
            raise InputError(f"{path}: entry {clean.id} exists already{also}")
        expected[clean.id] = clean
    # The text is built as a list of parts, joined once: appending to one string and
    # testing it with strip() for each entry copied the whole file each time.
    parts = [state.text]
    if state.text and not state.text.endswith("\n"):
        parts.append("\n")
    lines = "".join(parts).count("\n")
    blank = not state.text.strip()
    written: list[Entry] = []
    to_check: list[str] = []
    for clean in expected.values():
        gap = HEADER + "\n" if blank else "\n"
        blank = False
        lines += gap.count("\n")
        table = render_direct(clean)
        if table is None:
            table = render_toml(clean)
            to_check.append(table)
        written.append(replace(clean, line=lines + 1))
        parts += [gap, table]
        lines += table.count("\n")
    if to_check:
        _check_tables(path, "".join(to_check), expected)
    state.write("".join(parts))
    return written


def _check_tables(path: Path, text: str, expected: dict[str, Entry]) -> None:
    """InputError unless each table of `text` reads back as the entry expected."""
    for got in parse_file(text, str(path)):
        if _fields(got) != _fields(expected[got.id]):
            raise InputError(
                f"{path}: nothing written: entry {got.id} would not read back as written"
            )


def edit_entry(
    path: Path,
    entry_id: str,
    *,
    canonical: str | None = None,
    arabic: Sequence[str] | None = None,
    variants: Sequence[str] | None = None,
    kind: Kind | str | None = None,
    notes: str | None = None,
    only_with_arabic: Sequence[str] | None = None,
) -> Entry:
    """Change some fields of one entry in place; fields not given stay as they are."""
    changes = {
        "canonical": canonical,
        "arabic": arabic,
        "variants": variants,
        "kind": kind,
        "notes": notes,
        "only_with_arabic": only_with_arabic,
    }
    given = {key: value for key, value in changes.items() if value is not None}
    return _edit(_State.load(path), entry_id, given)


def _edit(state: _State, entry_id: str, changes: dict[str, Any]) -> Entry:
    """Write the entry with some fields changed; InputError if a value is not valid."""
    old = state.entry(entry_id)
    table = _fields(old)
    for key, value in changes.items():
        table[key] = list(value) if isinstance(value, list | tuple) else value
    if "kind" in changes:
        table["kind"] = str(changes["kind"])
    return _replace(state, parse_entry(entry_id, table, str(state.path), old.line))


def replace_entry(path: Path, entry: Entry) -> Entry:
    """Make the entry with `entry.id` in the file hold exactly `entry`'s fields."""
    state = _State.load(path)
    state.entry(entry.id)
    return _replace(state, _normalise(entry, str(path)))


def add_variant(path: Path, entry_id: str, variant: str) -> Entry:
    """Add a spelling to replace; refused if it is the canonical or listed already."""
    state = _State.load(path)
    old = state.entry(entry_id)
    if variant.strip() == old.canonical:
        raise InputError(f"{old.where()}: {variant!r} is the canonical spelling, not a variant")
    return _change_list(state, entry_id, "variants", variant, add=True)


def remove_variant(path: Path, entry_id: str, variant: str) -> Entry:
    """Remove a listed variant; refused if the entry does not have it."""
    return _change_list(_State.load(path), entry_id, "variants", variant, add=False)


def add_arabic(path: Path, entry_id: str, form: str) -> Entry:
    """Add an Arabic form; refused if listed already."""
    return _change_list(_State.load(path), entry_id, "arabic", form, add=True)


def remove_arabic(path: Path, entry_id: str, form: str) -> Entry:
    """Remove an Arabic form; refused if the entry does not have it."""
    return _change_list(_State.load(path), entry_id, "arabic", form, add=False)


def _change_list(state: _State, entry_id: str, name: str, value: str, *, add: bool) -> Entry:
    """Add `value` to, or remove it from, the entry's variants or Arabic forms."""
    old = state.entry(entry_id)
    value = value.strip()
    current: tuple[str, ...] = getattr(old, name)
    label = "a variant" if name == "variants" else "an Arabic form"
    if add and value in current:
        raise InputError(f"{old.where()}: {value!r} is {label} already")
    if not add and value not in current:
        raise InputError(f"{old.where()}: {value!r} is not {label} of this entry")
    new = [*current, value] if add else [v for v in current if v != value]
    return _edit(state, entry_id, {name: new})


def remove_entry(path: Path, entry_id: str) -> Entry:
    """Remove one entry (and the comment block directly above it); return what it was."""
    state = _State.load(path)
    old = state.entry(entry_id)
    attempts = [
        lambda: remove_lines(state.text, entry_id),
        lambda: remove_whole(state.text, entry_id),
    ]
    state.commit_first(attempts, {entry_id: None})
    return old


@dataclass
class _State:
    """A glossary file as read before a change: its bytes, text and entries."""

    path: Path
    raw: bytes | None
    text: str
    entries: list[Entry]

    @classmethod
    def load(cls, path: Path, missing_ok: bool = False) -> _State:
        """Read and parse the file; a missing one is empty when `missing_ok`."""
        if missing_ok and not path.exists():
            return cls(path, None, "", [])
        if path.exists() and not path.is_file():  # a FIFO would be a wait under the lock
            raise InputError(f"{path}: not a regular file; a glossary file is a TOML file")
        text = read_text(path)
        raw = path.read_bytes()  # compared again just before writing
        return cls(path, raw, text, parse_file(text, str(path)))

    def entry(self, entry_id: str) -> Entry:
        """The entry `entry_id` of this file; InputError naming the file otherwise."""
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise InputError(f"{self.path}: no entry {entry_id!r}")

    def commit_first(
        self, attempts: Sequence[Callable[[], str | None]], expected: dict[str, Entry | None]
    ) -> dict[str, Entry]:
        """Write the first candidate text that checks out; InputError if none does."""
        problem = "the edit could not be made"
        for attempt in attempts:
            text = attempt()
            if text is None:
                continue
            try:
                entries = self._check(text, expected)
            except InputError as exc:
                problem = str(exc)
                continue
            if text != self.text:
                self.write(text)
            return {e.id: e for e in entries}
        raise InputError(f"{self.path}: nothing written: {problem}")

    def _check(self, text: str, expected: dict[str, Entry | None]) -> list[Entry]:
        """Parse `text`; every entry must be the old one or the expected change."""
        entries = parse_file(text, str(self.path))
        got = {e.id: e for e in entries}
        if len(got) != len(entries):
            raise InputError("an entry would appear twice")
        want: dict[str, Entry] = {e.id: e for e in self.entries}
        for entry_id, value in expected.items():
            if value is None:
                want.pop(entry_id, None)
            else:
                want[entry_id] = value
        if got.keys() != want.keys():
            raise InputError("the edit would change which entries the file holds")
        for entry_id, entry in want.items():
            if _fields(got[entry_id]) != _fields(entry):
                raise InputError(f"entry {entry_id} would not read back as written")
        return entries

    def write(self, text: str) -> None:
        """Write `text` unless the file changed on disk since it was read."""
        try:
            now: bytes | None = self.path.read_bytes()
        except FileNotFoundError:
            now = None
        if now != self.raw:
            raise InputError(f"{self.path}: changed on disk while editing; nothing written")
        write_atomic(self.path, text.encode("utf-8"))


def _fields(entry: Entry) -> dict[str, Any]:
    """An entry as the TOML table fields it is written with."""
    return {
        "canonical": entry.canonical,
        "arabic": list(entry.arabic),
        "variants": list(entry.variants),
        "kind": str(entry.kind),
        "notes": entry.notes,
        "only_with_arabic": list(entry.only_with_arabic),
        "not_variants": list(entry.not_variants),
    }


def _normalise(entry: Entry, source: str) -> Entry:
    """The entry as it will read back (stripped, checked): InputError if it is not valid."""
    return parse_entry(entry.id, _fields(entry), source)


def _replace(state: _State, new: Entry) -> Entry:
    """Write `new` over the entry with its id, trying the line edit first."""
    fields = _fields(new)
    attempts = [
        lambda: edit_lines(state.text, new.id, fields),
        lambda: edit_whole(state.text, new.id, fields),
    ]
    return state.commit_first(attempts, {new.id: new})[new.id]
