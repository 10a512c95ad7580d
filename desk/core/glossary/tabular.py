r"""Glossaries as CSV or TSV in OmegaT's layout: source term, target term, comment.

OmegaT reads `.txt`/`.utf8` (TSV, UTF-8), `.tab` (TSV) and `.csv` glossaries line by line:
a line starting with `#` is a comment, fields are trimmed, the comment column is optional.
desk reads the same way (UTF-8 only, a byte-order mark allowed) but is stricter: a row
needs 2 or 3 columns (empty trailing columns aside) and a non-empty source and target,
else InputError names the file and line. CSV quoting is OmegaT's (`"a, b"`, `""` for a
quote) and, as in OmegaT, a row is one line.

Rows are Arabic form (source) -> house spelling (target). On import, plain OmegaT rows
are grouped by target term into entries: the Arabic forms in row order, the distinct
comments joined as notes, an id made from the target (`Tel Tamer` -> `tel-tamer`), kind
`other` unless the comment starts with `[place]`, `[person]`, `[organisation]` or
`[other]` (what a plain export writes).

Three columns cannot hold variants, so desk's own export (`extended=True`, the default)
puts the rest of the entry in the comment column, in this order, keys with empty values
left out:

    id=lattakia; kind=place; variants=Latakia|Latakiya; only_with_arabic=…; notes=…

Pairs are separated by `;`, list items by `|`; in values `\\`, `\;`, `\|`, `\n`, `\r`,
`\t` stand for a backslash, `;`, `|`, newline, carriage return and tab. A comment that
starts with `id=` is read this way (and must parse); every row of one id carries the same
comment and target. An entry without Arabic forms is one row with an empty source (only
allowed in such a row). Export then import gives back every entry exactly. The plain
export (`extended=False`) is for OmegaT users who want short comments: `[kind] notes`,
no variants, and entries without Arabic forms left out; `write_omegat` writes it, tab-
separated, only under a name OmegaT reads (`.utf8`, `.txt`, `.tab`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.core.atomic import write_atomic
from desk.core.errors import InputError
from desk.core.glossary.files import IdPool
from desk.core.glossary.model import ID_PATTERN, Entry, Kind, parse_entry, read_text

TSV_HEADER = "# desk glossary: Arabic, English, comment; tab-separated, UTF-8\n"
"""The first line of a TSV export (a comment line to OmegaT)."""

MAX_ROWS = 200_000
"""The most rows one file may hold (a file is at most `model.MAX_FILE_BYTES` as well):
twice the largest glossary desk is measured on."""

FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "tsv", ".utf8": "tsv"}
"""The format each file extension means."""

_KEYS = ("id", "kind", "variants", "only_with_arabic", "notes")
_LIST_KEYS = ("variants", "only_with_arabic")
_ESCAPES = {"\\": "\\\\", ";": "\\;", "|": "\\|", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPES = {"\\": "\\", ";": ";", "|": "|", "n": "\n", "r": "\r", "t": "\t"}
_KIND_PREFIX = re.compile(r"\[(person|place|organisation|other)\]\s*")
_BAD_IN_COLUMN = re.compile(r"[\t\r\n]")


def table_format(path: Path, fmt: str | None = None) -> str:
    """`csv` or `tsv`: `fmt` if given, else from the extension; InputError if unknown."""
    if fmt is not None:
        if fmt not in ("csv", "tsv"):
            raise InputError(f"{path}: unknown table format {fmt!r}; use csv or tsv")
        return fmt
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        known = ", ".join(FORMATS)
        raise InputError(f"{path}: cannot tell CSV from TSV by {path.suffix!r}; use {known}")
    return found


def _escape(value: str) -> str:
    """A value for the extended comment column."""
    return "".join(_ESCAPES.get(ch, ch) for ch in value)


def format_comment(entry: Entry) -> str:
    """The extended comment column that carries what three columns cannot."""
    values: dict[str, str] = {
        "id": _escape(entry.id),
        "kind": _escape(str(entry.kind)),
        "variants": "|".join(_escape(v) for v in entry.variants),
        "only_with_arabic": "|".join(_escape(v) for v in entry.only_with_arabic),
        "notes": _escape(entry.notes),
    }
    return "; ".join(f"{key}={values[key]}" for key in _KEYS if values[key])


def parse_comment(comment: str, where: str) -> dict[str, Any]:
    """The fields of an extended comment; InputError naming `where` if it does not parse."""
    pairs: list[list[list[str]]] = [[[]]]  # pairs > `|`-separated parts > characters
    chars = iter(comment)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            if nxt not in _UNESCAPES:
                raise InputError(f"{where}: unknown escape \\{nxt} in the desk comment")
            pairs[-1][-1].append(_UNESCAPES[nxt])
        elif ch == ";":
            pairs.append([[]])
        elif ch == "|":
            pairs[-1].append([])
        else:
            pairs[-1][-1].append(ch)
    fields: dict[str, Any] = {}
    for pair in pairs:
        parts = ["".join(part) for part in pair]
        if len(parts) == 1 and not parts[0].strip():
            continue
        key, sep, first = parts[0].partition("=")
        key = key.strip()
        if not sep or key not in _KEYS:
            raise InputError(f"{where}: {key!r} is not one of {', '.join(_KEYS)} (desk comment)")
        if key in fields:
            raise InputError(f"{where}: {key} given twice in the desk comment")
        values = [first, *parts[1:]]
        if key in _LIST_KEYS:
            fields[key] = [v.strip() for v in values if v.strip()]
        else:
            fields[key] = "|".join(values).strip()
    return fields


def to_table_text(entries: Iterable[Entry], fmt: str, *, extended: bool = True) -> str:
    """The CSV or TSV text of entries (see the module docstring for the layout)."""
    rows: list[list[str]] = []
    for entry in entries:
        for value in (entry.canonical, *entry.arabic):
            if _BAD_IN_COLUMN.search(value):
                raise InputError(f"{entry.where()}: {value!r} has a tab or line break")
        for form in entry.arabic:
            if form.startswith("#"):
                raise InputError(f"{entry.where()}: {form!r} starts with #, read as a comment")
        if extended:
            comment = format_comment(entry)
            rows += [[form, entry.canonical, comment] for form in entry.arabic or ("",)]
        else:
            kind = f"[{entry.kind}]" if entry.kind != Kind.OTHER else ""
            comment = " ".join(filter(None, [kind, " ".join(entry.notes.split())]))
            rows += [[form, entry.canonical, comment] for form in entry.arabic]
    if fmt == "tsv":
        return TSV_HEADER + "".join("\t".join(row).rstrip("\t") + "\n" for row in rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([[defuse(cell) for cell in row] for row in rows])
    return out.getvalue()


FORMULA_START = ("=", "+", "-", "@")
"""What makes a spreadsheet read a CSV cell as a formula (`=HYPERLINK(...)`, `=cmd|...`)."""


def defuse(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that starts a formula, after any
    apostrophes, gets one more `'` in front (so `restore` gives every cell back
    exactly: `'=x` is written `''=x`)."""
    return "'" + cell if _formula(cell) else cell


def _formula(cell: str) -> bool:
    """Whether `cell`, less its leading apostrophes, starts like a formula."""
    return cell.lstrip("'").startswith(FORMULA_START)


def restore(cell: str) -> str:
    """A CSV cell as it was before `defuse` (a cell `'Ayn al-Arab` is left as it is)."""
    return cell[1:] if cell[:1] == "'" and _formula(cell) else cell


def write_table(
    entries: Iterable[Entry], path: Path, fmt: str | None = None, *, extended: bool = True
) -> None:
    """Write entries as CSV or TSV (format from `fmt` or the extension), atomically."""
    text = to_table_text(entries, table_format(path, fmt), extended=extended)
    write_atomic(path, text.encode("utf-8"))


def read_table(path: Path, fmt: str | None = None) -> list[Entry]:
    """The entries of a CSV or TSV glossary (format from `fmt` or the extension)."""
    return parse_table(read_text(path), str(path), table_format(path, fmt))


@dataclass
class _Group:
    """Rows that make one entry."""

    line: int
    target: str
    comment: str
    fields: dict[str, Any]
    arabic: list[str] = field(default_factory=list)
    notes: dict[str, None] = field(default_factory=dict)
    """Distinct comments in row order (a dict: a list tested with `in` was quadratic)."""


def _rows(text: str, source: str, fmt: str) -> Iterable[tuple[int, list[str]]]:
    """(line number, trimmed fields) of each row that is not blank or a # comment."""
    rows = 0
    for n, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        rows += 1
        if rows > MAX_ROWS:
            raise InputError(f"{source}:{n}: more than {MAX_ROWS:,} rows (desk reads at most "
                             f"{MAX_ROWS:,} from one file)")  # fmt: skip
        if fmt == "tsv":
            cells = line.split("\t")
        else:
            try:
                cells = next(csv.reader([line], strict=True))
            except csv.Error as exc:
                raise InputError(f"{source}:{n}: not valid CSV ({exc})") from None
        cells = [c.strip() for c in cells]
        if fmt == "csv":
            cells = [restore(c) for c in cells]
        while len(cells) > 3 and not cells[-1]:
            cells.pop()
        if len(cells) not in (2, 3):
            raise InputError(
                f"{source}:{n}: expected 2 or 3 columns (source, target, comment), "
                f"found {len(cells)}"
            )
        yield n, cells + [""] * (3 - len(cells))


def parse_table(text: str, source: str, fmt: str) -> list[Entry]:
    """Entries from the text of a CSV or TSV glossary; `source` names it in messages."""
    extended: dict[str, _Group] = {}
    plain: dict[str, _Group] = {}
    for n, (arabic, target, comment) in _rows(text, source, fmt):
        where = f"{source}:{n}"
        if not target:
            raise InputError(f"{where}: the target (English) column is empty")
        if comment.startswith("id="):
            fields = parse_comment(comment, where)
            entry_id = str(fields.get("id", ""))
            group = extended.get(entry_id)
            if group is None:
                group = extended[entry_id] = _Group(n, target, comment, fields)
            elif (target, fields) != (group.target, group.fields):
                raise InputError(
                    f"{where}: entry {entry_id} differs from its row at line {group.line}"
                )
        else:
            if not arabic:
                raise InputError(f"{where}: the source (Arabic) column is empty")
            group = plain.setdefault(target, _Group(n, target, "", {}))
            if comment:
                group.notes.setdefault(comment)
        if arabic:
            group.arabic.append(arabic)
    entries = [_extended_entry(g, source) for g in extended.values()]
    taken = IdPool(e.id for e in entries)
    for group in plain.values():
        entry = _plain_entry(group, source, taken.new(group.target))
        taken.add(entry.id)
        entries.append(entry)
    return sorted(entries, key=lambda e: e.line)


def _extended_entry(group: _Group, source: str) -> Entry:
    """An entry from the rows of desk's own export."""
    fields = dict(group.fields)
    entry_id = fields.pop("id", "")
    if not ID_PATTERN.match(entry_id):
        raise InputError(f"{source}:{group.line}: {entry_id!r} is not a valid entry id")
    table = {"canonical": group.target, "arabic": group.arabic, **fields}
    return parse_entry(entry_id, table, source, group.line)


def _plain_entry(group: _Group, source: str, entry_id: str) -> Entry:
    """An entry from plain OmegaT rows with one target term."""
    kind = str(Kind.OTHER)
    notes: dict[str, None] = {}  # in order, each once
    for comment in group.notes:
        m = _KIND_PREFIX.match(comment)
        if m:
            kind = m.group(1) if kind == str(Kind.OTHER) else kind
            comment = comment[m.end() :]
        if comment:
            notes.setdefault(comment)
    arabic = list(dict.fromkeys(group.arabic))
    table = {"canonical": group.target, "arabic": arabic, "kind": kind, "notes": "\n".join(notes)}
    return parse_entry(entry_id, table, source, group.line)


OMEGAT_SUFFIXES = (".utf8", ".txt", ".tab")
"""The names OmegaT reads a tab-separated glossary from: `.utf8` always as UTF-8, `.txt`
and `.tab` in the encoding it detects (else the system's), which a byte-order mark settles.
It ignores any other name in its glossary folder (`house.tsv` among them)."""


def check_omegat_name(path: Path) -> None:
    """InputError unless OmegaT would read a tab-separated glossary named `path`."""
    if path.suffix.lower() not in OMEGAT_SUFFIXES:
        raise InputError(
            f"{path}: OmegaT ignores a glossary named so; it reads tab-separated glossaries "
            f"ending {', '.join(OMEGAT_SUFFIXES)} (e.g. {path.stem or 'glossary'}.utf8)"
        )


def to_omegat_bytes(entries: Iterable[Entry], *, bom: bool = False) -> bytes:
    """Entries as OmegaT's own glossary: one line per Arabic form, tab-separated, UTF-8
    (the plain layout: `[kind] notes` as the comment); `bom` puts a byte-order mark first."""
    text = to_table_text(entries, "tsv", extended=False)
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")


def write_omegat(entries: Iterable[Entry], path: Path) -> None:
    """Write entries as an OmegaT glossary to `path` (a name OmegaT reads), atomically;
    `.txt` and `.tab` get a byte-order mark, so OmegaT never reads them as the system's
    code page (on Windows, Arabic would turn to noise)."""
    check_omegat_name(path)
    write_atomic(path, to_omegat_bytes(entries, bom=path.suffix.lower() != ".utf8"))
