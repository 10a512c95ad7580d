"""The TOML text of glossary entries: a new entry's table as desk writes it, and one
entry's own lines found, changed or removed in a file's text (`files` checks and writes
the result).

A table's lines run from its `[id]` header to its last key; blank and comment lines after
that belong to the next entry. Where a file's layout is not one the line edits recognise,
`edit_whole` and `remove_whole` edit it through tomlkit as a whole.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import tomlkit
from tomlkit.items import Array

from desk.core.glossary.model import Entry, Kind

_HEADER_LINE = re.compile(
    r"[ \t]*\[[ \t]*(?:\"([a-z0-9_-]+)\"|'([a-z0-9_-]+)'|([A-Za-z0-9_-]+))[ \t]*\]"
    r"[ \t]*(?:#[^\n]*)?\r?\n?"
)
_GAP_LINE = re.compile(r"[ \t]*(?:#[^\n]*)?\r?\n?")
_BLANK_LINE = re.compile(r"[ \t]*\r?\n?")
_INLINE_ARRAY_MAX = 90


def _string(value: str) -> Any:
    """A TOML string item; multi-line notes stay readable as a multi-line string.

    A carriage return keeps the one-line form with escapes: TOML readers turn a CRLF
    inside a multi-line string into LF, so the note would not read back as written.
    """
    return tomlkit.string(value, multiline="\n" in value and "\r" not in value)


def _array(values: Sequence[str]) -> Array:
    """A TOML array of strings, one per line when it would make a long line."""
    array = tomlkit.array()
    array.extend(values)
    if len(array.as_string()) > _INLINE_ARRAY_MAX:
        array.multiline(True)
    return array


# A string TOML writes as it is between quotes ("..."), and a multi-line one ("""...""").
_PLAIN = re.compile(r'[^\x00-\x1f\x7f"\\]*')
_PLAIN_LINES = re.compile(r'[^\x00-\x09\x0b-\x1f\x7f"\\]*')


def _quoted(value: str, *, lines: bool = False) -> str | None:
    """`value` as tomlkit writes it (multi-line when `lines` and it has a line break, as
    `_string` asks), where no escape is needed; else None."""
    if _PLAIN.fullmatch(value):
        return f'"{value}"'
    if lines and "\n" in value and not value.startswith("\n") and _PLAIN_LINES.fullmatch(value):
        return f'"""{value}"""'
    return None


def _quoted_array(values: Sequence[str]) -> str | None:
    """A list of strings as `_array` writes it, where no item needs an escape; else None."""
    if not all(_PLAIN.fullmatch(v) for v in values):
        return None
    items = [f'"{v}"' for v in values]
    inline = "[" + ", ".join(items) + "]"
    if len(inline) <= _INLINE_ARRAY_MAX:
        return inline
    return "[\n" + "".join(f"    {item},\n" for item in items) + "]"


def render_direct(entry: Entry) -> str | None:
    """The TOML text tomlkit would write for a new entry's table (`render_toml`), where
    no value needs an escape; else None. Such a table reads back as written by its
    construction: an id is a bare key, and a string between quotes that holds no quote,
    backslash or control character (a line break aside, between triple quotes, not
    first) is read as it is. tomlkit takes about a third of a millisecond an entry:
    half a minute for an import of 100,000."""
    fields: list[tuple[str, str | None]] = [
        ("canonical", _quoted(entry.canonical)),
        ("arabic", _quoted_array(entry.arabic)),
        ("variants", _quoted_array(entry.variants)),
        ("kind", _quoted(str(entry.kind))),
    ]
    if entry.notes:
        fields.append(("notes", _quoted(entry.notes, lines=True)))
    if entry.only_with_arabic:
        fields.append(("only_with_arabic", _quoted_array(entry.only_with_arabic)))
    if entry.not_variants:
        fields.append(("not_variants", _quoted_array(entry.not_variants)))
    if any(value is None for _, value in fields):
        return None
    return f"[{entry.id}]\n" + "".join(f"{key} = {value}\n" for key, value in fields)


def render_toml(entry: Entry) -> str:
    """The TOML text of a new entry's table, written by tomlkit."""
    table = tomlkit.table()
    table["canonical"] = entry.canonical
    table["arabic"] = _array(entry.arabic)
    table["variants"] = _array(entry.variants)
    table["kind"] = str(entry.kind)
    if entry.notes:
        table["notes"] = _string(entry.notes)
    if entry.only_with_arabic:
        table["only_with_arabic"] = _array(entry.only_with_arabic)
    if entry.not_variants:
        table["not_variants"] = _array(entry.not_variants)
    doc = tomlkit.document()
    doc.add(entry.id, table)
    return doc.as_string()


def _set_list(table: Any, key: str, values: list[str]) -> None:
    """Set a list field, editing the existing array in place when only items come or go."""
    current = table.get(key)
    if isinstance(current, Array):
        old = [str(v) for v in current]
        if old == values:
            return
        kept = [v for v in old if v in values]
        if kept == values[: len(kept)]:
            for i in reversed(range(len(old))):
                if old[i] not in values:
                    del current[i]
            current.extend(values[len(kept) :])
            return
    table[key] = _array(values)


_DEFAULTS: dict[str, Any] = {"arabic": [], "variants": [], "kind": str(Kind.OTHER), "notes": ""}
_DROP_WHEN_EMPTY = ("notes", "only_with_arabic", "not_variants")


def _apply(table: Any, fields: dict[str, Any]) -> None:
    """Change a tomlkit table to hold `fields`, touching only the keys that differ."""
    for key, value in fields.items():
        if key not in table:
            if value and value != _DEFAULTS.get(key):
                table[key] = _array(value) if isinstance(value, list) else _string(value)
        elif key in _DROP_WHEN_EMPTY and not value:
            del table[key]
        elif isinstance(value, list):
            _set_list(table, key, value)
        elif str(table[key]).strip() != value:
            table[key] = _string(value)


def _lines(text: str) -> list[str]:
    """The lines of a text, each with its newline."""
    return re.findall(r"[^\n]*\n|[^\n]+\Z", text)


@dataclass(frozen=True)
class _Region:
    """Where one `[id]` table sits: header line, first line after its keys, next header."""

    start: int
    own_end: int
    end: int


def _regions(lines: list[str], data: dict[str, Any]) -> dict[str, _Region] | None:
    """Each table's lines, or None where the header lines are not the tables of `data`."""
    headers: list[tuple[int, str]] = []
    for n, line in enumerate(lines):
        m = _HEADER_LINE.fullmatch(line)
        if m:
            headers.append((n, m.group(1) or m.group(2) or m.group(3)))
    keys = [key for _, key in headers]
    found = set(keys)
    if len(found) != len(keys) or keys != [k for k in data if k in found]:
        return None
    regions: dict[str, _Region] = {}
    for i, (start, key) in enumerate(headers):
        end = headers[i + 1][0] if i + 1 < len(headers) else len(lines)
        own_end = end
        while own_end > start + 1 and _GAP_LINE.fullmatch(lines[own_end - 1]):
            own_end -= 1
        regions[key] = _Region(start, own_end, end)
    return regions


def _own_region(lines: list[str], entry_id: str) -> tuple[_Region, dict[str, _Region]] | None:
    """The entry's region, if its own lines parse on their own to the same table.

    A line that only looks like a header (inside a multi-line string) fails this check
    and sends the edit to tomlkit instead.
    """
    whole = tomllib.loads("".join(lines))
    regions = _regions(lines, whole)
    if regions is None or entry_id not in regions:
        return None
    r = regions[entry_id]
    try:
        own = tomllib.loads("".join(lines[r.start : r.own_end]))
    except tomllib.TOMLDecodeError:
        return None
    return (r, regions) if own == {entry_id: whole[entry_id]} else None


def edit_lines(text: str, entry_id: str, fields: dict[str, Any]) -> str | None:
    """Edit the entry's own lines only; None if the layout is not one this understands."""
    lines = _lines(text)
    found = _own_region(lines, entry_id)
    if found is None:
        return None
    r = found[0]
    own = tomlkit.parse("".join(lines[r.start : r.own_end]))
    _apply(own[entry_id], fields)
    return "".join(lines[: r.start]) + own.as_string() + "".join(lines[r.own_end :])


def edit_whole(text: str, entry_id: str, fields: dict[str, Any]) -> str:
    """Edit the entry through tomlkit on the whole document."""
    doc = tomlkit.parse(text)
    _apply(doc[entry_id], fields)
    return doc.as_string()


def remove_lines(text: str, entry_id: str) -> str | None:
    """Drop the entry's lines and the comment block directly above its header."""
    lines = _lines(text)
    found = _own_region(lines, entry_id)
    if found is None:
        return None
    r, regions = found
    order = sorted(regions.values(), key=lambda r: r.start)
    index = order.index(r)
    if index:
        gap_start = order[index - 1].own_end
    else:
        gap_start = r.start
        while gap_start > 0 and _GAP_LINE.fullmatch(lines[gap_start - 1]):
            gap_start -= 1
    above = r.start
    while above > gap_start and not _BLANK_LINE.fullmatch(lines[above - 1]):
        above -= 1
    if index == 0 and above == 0:
        above = r.start  # a comment block at the very top is the file's own header
    tail = lines[r.own_end : r.end]
    rest = lines[gap_start:above]
    if any(not _BLANK_LINE.fullmatch(line) for line in tail):
        # The next entry's comment block stays, with one run of blank lines before it.
        if _BLANK_LINE.fullmatch(tail[0]):
            while rest and _BLANK_LINE.fullmatch(rest[-1]):
                rest.pop()
        rest += tail
    elif r.end == len(lines):
        while rest and _BLANK_LINE.fullmatch(rest[-1]):
            rest.pop()
    return "".join(lines[:gap_start] + rest + lines[r.end :])


def remove_whole(text: str, entry_id: str) -> str:
    """Drop the entry through tomlkit on the whole document."""
    doc = tomlkit.parse(text)
    del doc[entry_id]
    return doc.as_string()
