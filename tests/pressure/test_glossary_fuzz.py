"""Glossary files malformed in every field: read, linted and checked without a traceback.

Each generated glossary breaks one thing: one field of one entry (a wrong type, an
empty, blank or hostile string, Latin in `arabic`, Arabic in `canonical`, an unknown
kind), the entry id, an unknown key, the entry itself (a top-level value, an array of
tables), or the whole file (cut short, stray bytes, invalid UTF-8, NUL). Files come with
and without a BOM and CRLF line ends, among entries whose notes hold lines that only
look like headers. Most examples are loaded in-process (`load_files`, then lint and
enforcement); a few go through the real CLI in a subprocess.

Either the glossary loads, or the error is desk's own InputError: one printable line
naming the file, the entry's line and the field at fault. Nothing is ever rewritten.
DESK_STRESS=1 runs ten times as many examples.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desk.core.errors import InputError
from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.lint import (
    ARABIC_IN_ENGLISH,
    HIDDEN_CHARACTER,
    NOT_ARABIC,
    SPACES,
    lint,
)
from desk.core.glossary.model import (
    FIELDS,
    MAX_FILE_BYTES,
    MAX_NAME_CHARS,
    Entry,
    Glossary,
    load_files,
    parse_file,
)
from desk.core.glossary.normalise import arabic_words
from tests.helpers.paths import ROOT, SAMPLES

STRESS = os.environ.get("DESK_STRESS") == "1"
SCALE = 10 if STRESS else 1
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
VALID_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
TARGET = "target-entry"
"""The id of the entry that is broken, unless the id is what is broken."""
# One sentence of the sample story, with its Arabic: enforcement runs on it.
ENGLISH = "Regime forces shelled Latakia and al-Akrad mountain on Friday, SOHR said."
ARABIC = "قصفت قوات النظام اللاذقية وجبل الأكراد يوم الجمعة، بحسب المرصد."


# TOML text ------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A field written as its own `[id.field]` table, or as `[[id.field]]` array of tables."""

    rows: tuple[dict[str, Any], ...]
    array: bool


def toml_string(text: str) -> str:
    """A TOML basic string holding `text` exactly (control characters escaped)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, quoted otherwise."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def toml_value(value: Any) -> str:
    """A TOML value (inline: arrays and inline tables) for a Python value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {value!r}")


# Broken values --------------------------------------------------------------------

HIDDEN = [
    "\u202e",  # right-to-left override
    "\u202d",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",  # Arabic letter mark
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
]
"""Bidi controls and zero-width characters: invisible, but they change what a name matches."""
CONTROLS = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\n", "\r", "\t", "\x0b", "\x0c", "\x85"]
SEPARATORS = ["\u2028", "\u2029", "\u00a0", "\u3000"]

LATIN = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzAZ -'"), min_size=1, max_size=14)
ARABIC_TEXT = st.text(
    st.characters(min_codepoint=0x621, max_codepoint=0x64A) | st.just(" "),
    min_size=1,
    max_size=12,
)
WHITESPACE = st.text(st.sampled_from(" \t\n\r\u00a0\u3000\u2003\u2028"), min_size=1, max_size=5)
SPLICED = st.builds(
    lambda head, odd, tail: head + odd + tail,
    LATIN | ARABIC_TEXT,
    st.sampled_from(HIDDEN + CONTROLS + SEPARATORS),
    LATIN | ARABIC_TEXT | st.just(""),
)
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
LONG = st.builds(
    lambda piece, n: piece * n,
    st.sampled_from(["a", "Lattakia ", "اللاذقية ", "\u202e", " ", "x\x00"]),
    st.integers(1_000, 30_000),
)
STRINGS = st.one_of(
    st.just(""), WHITESPACE, LATIN, ARABIC_TEXT, SPLICED, ANY_TEXT, LONG, st.sampled_from(HIDDEN)
)
SCALARS = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    st.booleans(),
    st.datetimes(timezones=st.none() | st.just(UTC)),
    st.dates(),
    st.times(),
)
KEYS = st.one_of(LATIN, ANY_TEXT, st.sampled_from(["", " ", "Canonical", "variant", "arabic "]))
NESTED = st.recursive(
    SCALARS | STRINGS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)
ROWS = st.dictionaries(KEYS, SCALARS | STRINGS, max_size=3)
SECTIONS = st.builds(
    lambda rows, array: Section(tuple(rows), array),
    st.lists(ROWS, min_size=1, max_size=2),
    st.booleans(),
).map(lambda s: s if s.array else Section(s.rows[:1], False))
VALUES = st.one_of(
    SCALARS,
    STRINGS,
    st.lists(STRINGS, max_size=4),  # a list of strings: right for the list fields
    st.lists(SCALARS | STRINGS, max_size=4),
    NESTED,
    SECTIONS,
)
BAD_IDS = st.one_of(
    st.sampled_from(
        ["", "Lattakia", "lat takia", "-lattakia", "_x", "x\n", "x.y", "é", "x\u202e", "\u200bx"]
    ),
    st.sampled_from(["x\x00", "x\r\n", "0", "a-", "a_", "9-9", "x" * 5000, "idleb\u2028"]),
    ANY_TEXT,
).filter(lambda key: not key.startswith("filler"))
EXTRA_KEYS = KEYS.filter(lambda key: key not in FIELDS)


def loads(value: Any) -> Any:
    """The value as the TOML reader gives it back (sections become tables, lists of tables)."""
    if isinstance(value, Section):
        return list(value.rows) if value.array else dict(value.rows[0])
    return value


def refusal(name: str, value: Any) -> str | None:
    """What an error about field `name` holding `value` must name; None if it is valid.

    The format of glossaries/README.md: canonical a non-blank string; kind one of four
    words; notes a string; arabic, variants and only_with_arabic a list of strings (or
    one string). A name (canonical, variant, Arabic form, not_variants, only_with_arabic)
    has at most MAX_NAME_CHARS and is one line: no C0 or C1 control character (tab, CR, LF,
    ESC, NEL among them), DEL, U+2028 or U+2029 once its ends are stripped (each is a cell
    of a CSV/TSV export, and one line on a screen). Notes may hold tabs and line breaks
    (LF, CR, NEL), no other C0 or C1 control, nor DEL.
    """
    value = loads(value)
    names: list[str] = []
    if name == "canonical":
        ok = isinstance(value, str) and bool(value.strip())
        names = [value] if ok else []
    elif name == "kind":
        ok = isinstance(value, str) and value in {"person", "place", "organisation", "other"}
    elif name == "notes":
        ok = isinstance(value, str) and not any(
            (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) and ch not in "\t\n\r\x85"
            for ch in value.strip()
        )
    else:
        ok = isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
        names = ([value] if isinstance(value, str) else value) if ok else []
    too_long = any(len(n.strip()) > MAX_NAME_CHARS for n in names)
    not_one_line = any(
        ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029"
        for n in names
        for ch in n.strip()
    )
    return None if ok and not too_long and not not_one_line else name


# Whole files ----------------------------------------------------------------------

FILLER_NOTES = [
    '""',
    '"""\nA note over lines.\n[{target}]\n  [[{target}]]\ncanonical = "Not This"\n"""',
    "'''\n[{target}]\nLiteral, with \\ and \" inside.\n'''",
    '"One line with \\"\\"\\" and \'\'\' inside"',
    '"Separators \u2028 and \u2029 and a next line \x85 inside one line"',
    '"""Quotes "" just before the end"""""',
    "'''Literal \"\"\" with basic quotes'''",
]
"""Notes of the entries around the broken one, as TOML text: lines that look like headers
inside strings, and characters other readers count as line breaks."""
HEADERS = ["[{key}]", "[ {key} ]   # the entry", '["{key}"]', "['{key}']"]


@dataclass(frozen=True)
class Case:
    """Glossary files with one thing wrong, and what loading them must say."""

    files: dict[str, bytes]
    """File name -> bytes, written into one glossary folder."""
    culprit: str
    """The file at fault."""
    line: int
    """The line the error must give (the broken entry's header); 0: not checked."""
    names: str | None
    """What the error must name (a field, `id`, `table`, an unknown key quoted); None: it
    must load; "?": corrupted bytes, whose error must only be clear and give its line."""
    entry_id: str
    """The broken entry's id."""


def filler(n: int, target: str, notes: str, header: str, comment: bool) -> str:
    """A valid entry whose notes and comments hold text that only looks like structure."""
    fake = target if re.fullmatch(r"[A-Za-z0-9_-]+", target) else "fake"
    text = header.format(key=f"filler-{n}") + "\n"
    text += f'canonical = "Filler {chr(ord("A") + n)}"\narabic = ["عين"]\nkind = "place"\n'
    text += "notes = " + notes.replace("{target}", fake) + "\n"
    if comment:
        text += f"# A comment with \"\"\" and ''' and [{fake}] in it\n"
    return text + "\n"


@st.composite
def fillers(draw: st.DrawFn, start: int, target: str) -> list[str]:
    """Zero to two valid entries."""
    count = draw(st.integers(0, 2))
    return [
        filler(
            start + i,
            target,
            draw(st.sampled_from(FILLER_NOTES)),
            draw(st.sampled_from(HEADERS)),
            draw(st.booleans()),
        )
        for i in range(count)
    ]


def target_fields() -> dict[str, Any]:
    """A valid entry's fields; one of them is then broken."""
    return {
        "canonical": "Target Name",
        "arabic": ["هدف"],
        "variants": ["Targget Name"],
        "kind": "person",
        "notes": "The entry under test.",
        "only_with_arabic": [],
        "not_variants": [],
    }


def render_entry(key: str, fields: dict[str, Any], header: str) -> str:
    """An entry's table: its header, its keys, then any field written as a section."""
    lines = [header.format(key=toml_key(key))]
    sections: list[str] = []
    for name, value in fields.items():
        if not isinstance(value, Section):
            lines.append(f"{toml_key(name)} = {toml_value(value)}")
            continue
        for row in value.rows:
            path = f"{toml_key(key)}.{toml_key(name)}"
            sections.append(f"[[{path}]]" if value.array else f"[{path}]")
            sections.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in row.items())
    return "\n".join(lines + sections) + "\n\n"


@st.composite
def broken_entries(draw: st.DrawFn, valid: bool = False) -> Case:
    """A glossary file with one entry broken in one field, its id, or its whole table.

    With `valid`, nothing is broken (the file corrupted_files then damages).
    """
    hows = ["field", "field", "field", "missing", "extra", "id", "entry"]
    how = "none" if valid else draw(st.sampled_from(hows))
    key, fields, names = TARGET, target_fields(), None
    header = draw(st.sampled_from(["[{key}]", "[ {key} ]  # x", "[{key}]\t"]))
    style = "table"
    if how == "field":
        name = draw(st.sampled_from(FIELDS))
        fields[name] = draw(VALUES)
        names = refusal(name, fields[name])
    elif how == "missing":
        name = draw(st.sampled_from(FIELDS))
        del fields[name]
        names = "canonical" if name == "canonical" else None
    elif how == "extra":
        extra = draw(EXTRA_KEYS)
        fields[extra] = draw(VALUES)
        names = repr(extra)
    elif how == "none":
        pass
    elif how == "id":
        key = draw(BAD_IDS)
        names = None if VALID_ID.fullmatch(key) else "id"
    else:
        style = draw(st.sampled_from(["top-level", "array-of-tables"]))
        names = "table"
    before = draw(fillers(0, key))
    after = draw(fillers(len(before), key))
    top = ""
    if draw(st.booleans()):
        top = "# desk glossary under test\n\n"
    if style == "top-level":
        # A key = value before any table: an entry that is not a table.
        value = draw(SCALARS | STRINGS | st.lists(STRINGS, max_size=2))
        top += f"{toml_key(key)} = {toml_value(value)}\n\n"
        line = top.count("\n") - 1
        body = top + "".join(before + after)
    else:
        if style == "array-of-tables":
            header = "[[{key}]]"
        prefix = top + "".join(before)
        line = prefix.count("\n") + 1
        body = prefix + render_entry(key, fields, header) + "".join(after)
    if draw(st.booleans()):
        body = body.replace("\n", "\r\n")
    data = body.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return Case({"broken.toml": data}, "broken.toml", line, names, key)


BYTES = [b"\x00", b"\xff", b"\xef\xbb\xbf", b"\r", b"\n", b"[", b"]", b'"', b"'", b"=", b"\xd8"]


@st.composite
def corrupted_files(draw: st.DrawFn) -> Case:
    """A valid file (beside another valid one) cut short, or with bytes put in or taken out."""
    good = draw(broken_entries(valid=True))
    data = bytearray(good.files["broken.toml"])
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "insert", "delete"]))
        if action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from(BYTES) | st.binary(min_size=1, max_size=3))
        elif at < len(data):
            del data[at]
    other = filler(9, "other", '"A second file."', "[{key}]", False).encode()
    return Case({"a-other.toml": other, "broken.toml": bytes(data)}, "broken.toml", 0, "?", "")


# Checking -------------------------------------------------------------------------


@contextmanager
def glossary_folder(case: Case) -> Iterator[tuple[Path, list[Path]]]:
    """A fresh folder holding the case's files: (folder, files sorted by name)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "glossary"
        folder.mkdir()
        for name, data in case.files.items():
            (folder / name).write_bytes(data)
        yield folder, sorted(folder / name for name in case.files)


def assert_clear(message: str, paths: list[Path]) -> None:
    """One printable line (nothing a terminal would act on) naming one of the files."""
    assert any(str(p) in message for p in paths), message
    assert message.isprintable(), f"not one printable line: {message!r}"
    assert len(message) < 400 + sum(len(str(p)) for p in paths), f"too long: {message[:500]!r}"


def names_word(message: str, word: str) -> bool:
    """`word` appears in the message on its own (`arabic` is not `only_with_arabic`)."""
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", message) is not None


def hidden(text: str) -> bool:
    """Whether a name holds a control (but tab, CR, LF), format or line-separator character."""
    odd = {"Cc", "Cf", "Zl", "Zp"}
    return any(unicodedata.category(ch) in odd and ch not in "\t\r\n" for ch in text)


def has_arabic_letters(text: str) -> bool:
    """Whether a text holds a letter of the Arabic script."""
    return any(ch.isalpha() and "ARABIC" in unicodedata.name(ch, "") for ch in text)


def codes_due(entry: Entry) -> set[str]:
    """The lint codes an entry's own text calls for: a glossary that loads may still be wrong.

    Invisible characters in any name, Arabic letters in the English ones, none in the
    Arabic ones, tabs and line breaks inside the English ones.
    """
    due: set[str] = set()
    for text in [entry.canonical, *entry.variants]:
        if hidden(text):
            due.add(HIDDEN_CHARACTER)
        if has_arabic_letters(text):
            due.add(ARABIC_IN_ENGLISH)
        if re.search(r"[\t\r\n]", text):
            due.add(SPACES)
    for text in [*entry.arabic, *entry.only_with_arabic]:
        if hidden(text):
            due.add(HIDDEN_CHARACTER)
        if not arabic_words(text):
            due.add(NOT_ARABIC)
    return due


def expected_error(case: Case, paths: list[Path]) -> str | None:
    """For corrupted bytes: the start of the error a reader must give, None if it is valid."""
    culprit = next(p for p in paths if p.name == case.culprit)
    data = culprit.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "not UTF-8"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "not valid TOML"
    return None


def load_and_check(case: Case, paths: list[Path]) -> Glossary | InputError:
    """Load the files as desk does and check the outcome against the case."""
    culprit = next(p for p in paths if p.name == case.culprit)
    try:
        glossary = load_files(paths)
    except InputError as exc:
        message = str(exc)
        unknown_key = case.names is not None and case.names[:1] in {"'", '"'}
        event(f"refused: {'unknown key' if unknown_key else case.names}")
        assert_clear(message, paths)
        assert str(culprit) in message, message
        assert case.names is not None, f"a valid file was refused: {message}"
        if case.names == "?":
            want = expected_error(case, paths)
            if want is not None:
                assert want in message
                assert re.search(r":\d+:|line \d+|end of document", message), message
        else:
            assert names_word(message, case.names), f"{case.names} not named: {message}"
            if case.line:
                at = rf"{re.escape(str(culprit))}:{case.line}\b"
                assert re.search(at, message), f"not line {case.line}: {message}"
        return exc
    assert case.names in (None, "?"), f"accepted, but {case.names} is wrong"
    if case.names == "?":
        assert expected_error(case, paths) is None
    event("loaded")
    check_accepted(glossary, case)
    return glossary


def check_accepted(glossary: Glossary, case: Case) -> None:
    """A glossary that loads: lines right, lint and enforcement run, lint reports what is due.

    Each entry's line is its header's; the broken entry's text gets the lint codes it
    calls for (a value can be a valid string and still be wrong).
    """
    for each in glossary.entries:
        text = Path(each.source).read_bytes().decode("utf-8-sig").split("\n")
        assert each.id in text[each.line - 1], f"line {each.line} is not {each.id}'s header"
    problems = lint(glossary)
    for problem in problems:
        assert f"{problem.where}: {problem.code}: {problem.message}".isprintable(), problem
    entry = glossary.by_id(case.entry_id)
    if entry is not None:
        found = {p.code for p in problems if p.entry_id == entry.id}
        assert codes_due(entry) <= found, f"lint missed {codes_due(entry) - found}: {entry}"
    enforcer = Enforcer(glossary)
    enforcer.check(ENGLISH, ARABIC)
    if entry is not None:
        enforcer.check(" and ".join([entry.canonical, *entry.variants[:3]]), ARABIC)


def snapshot(paths: list[Path]) -> dict[Path, bytes]:
    """The bytes of each file."""
    return {p: p.read_bytes() for p in paths}


def run_desk(home: Path, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m desk ARGS` in a subprocess, with its own desk home and glossary folder."""
    env = dict(os.environ, DESK_HOME=str(home), DESK_GLOSSARY=str(folder))
    return subprocess.run(
        [sys.executable, "-m", "desk", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
        check=False,
    )


def check_cli(case: Case) -> None:
    """`desk glossary lint` and `check` agree with the in-process load; files stay as they were."""
    with glossary_folder(case) as (folder, paths):
        before = snapshot(paths)
        outcome = load_and_check(case, paths)
        home = folder.parent / "home"
        lint_run = run_desk(home, folder, "glossary", "lint")
        check_run = run_desk(
            home,
            folder,
            "glossary",
            "check",
            str(SAMPLES / "lattakia-offensive.draft.en.md"),
            "--source",
            str(SAMPLES / "lattakia-offensive.ar.md"),
        )
        for run in (lint_run, check_run):
            assert "Traceback" not in run.stdout + run.stderr, run.stderr
        if isinstance(outcome, InputError):
            assert (lint_run.returncode, check_run.returncode) == (1, 2)
            for run in (lint_run, check_run):
                assert run.stderr == f"Error: {outcome}\n"
        else:
            assert lint_run.returncode in (0, 1), lint_run.stderr
            assert check_run.returncode in (0, 1), check_run.stderr
            assert f"{len(outcome.entries)} entries in {len(paths)} file(s)" in lint_run.stderr
            if lint_run.returncode == 1:
                assert all(line.startswith(str(folder)) for line in lint_run.stdout.splitlines())
        assert snapshot(paths) == before, "a glossary file was rewritten"


# The fuzz tests -------------------------------------------------------------------


@settings(FUZZ, max_examples=2000 * SCALE)
@given(case=broken_entries())
def test_a_broken_field_is_named_or_the_entry_loads(case: Case) -> None:
    """Every field, the id and the table itself: InputError naming file, line and field."""
    with glossary_folder(case) as (_, paths):
        before = snapshot(paths)
        load_and_check(case, paths)
        assert snapshot(paths) == before


@settings(FUZZ, max_examples=1000 * SCALE)
@given(case=corrupted_files())
def test_corrupted_bytes_are_refused_with_the_file_named(case: Case) -> None:
    """Cut, stray and invalid bytes: a TOML or UTF-8 error with its line, or a clean load."""
    with glossary_folder(case) as (_, paths):
        before = snapshot(paths)
        load_and_check(case, paths)
        assert snapshot(paths) == before


@settings(FUZZ, max_examples=30 * SCALE)
@given(case=broken_entries() | corrupted_files())
def test_the_cli_reports_broken_files_without_a_traceback(case: Case) -> None:
    """`desk glossary lint` and `check`: the loader's message on stderr, exit 1 or 2."""
    check_cli(case)


# Whole files, one by one -----------------------------------------------------------

GOOD = '[lattakia]\ncanonical = "Lattakia"\narabic = ["اللاذقية"]\nkind = "place"\n'


def load_error(tmp_path: Path, files: dict[str, bytes]) -> str:
    """The InputError loading these files gives (asserted clear: one line naming a file)."""
    folder = tmp_path / "glossary"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    paths = sorted(folder / name for name in files)
    with pytest.raises(InputError) as raised:
        load_files(paths)
    assert_clear(str(raised.value), paths)
    return str(raised.value)


WHOLE_FILES: list[tuple[str, bytes, str | None]] = [
    ("invalid TOML", b'[x\ncanonical = "X"\n', r"x\.toml: not valid TOML .*line 1"),
    ("invalid UTF-8", GOOD.encode() + b'[y]\ncanonical = "\xff"\n', r"x\.toml:6: not UTF-8"),
    ("UTF-16", GOOD.encode("utf-16"), r"x\.toml:1: not UTF-8"),
    ("BOM", b"\xef\xbb\xbf" + GOOD.encode(), None),
    ("BOM and CRLF", b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode(), None),
    ("lone CR", GOOD.replace("\n", "\r").encode(), r"not valid TOML"),
    ("BOM inside", GOOD.encode() + b"\xef\xbb\xbf[y]\n", r"not valid TOML .*line 5"),
    ("NUL byte", GOOD.encode() + b"\x00\n", r"not valid TOML .*line 5"),
    ("NUL in a string", GOOD.replace("Lattakia", "Latt\x00akia").encode(), r"not valid TOML"),
    ("top-level value", b'title = "House glossary"\n\n' + GOOD.encode(), r"x\.toml:1 .*table"),
    ("top-level array", b'names = ["a"]\n\n' + GOOD.encode(), r"x\.toml:1 .*table"),
    ("array of tables", b'[[lattakia]]\ncanonical = "Lattakia"\n', r"x\.toml:1 .*table"),
    ("dotted header", GOOD.encode() + b"\n[lattakia.extra]\nx = 1\n", r":1 .*'extra'"),
    ("empty", b"", None),
    ("comments only", b"# nothing yet\n\n   \n", None),
    ("deep arrays", b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n", r"nested too deeply"),
    ("deep tables", b"x = " + b"{a = " * 3000 + b"1" + b"}" * 3000 + b"\n", r"nested too deeply"),
    ("over 8 MiB", b"# " + b"x" * MAX_FILE_BYTES + b"\n", r"x\.toml: larger than 8 MiB"),
]


@pytest.mark.parametrize(
    ("data", "expected"), [case[1:] for case in WHOLE_FILES], ids=[c[0] for c in WHOLE_FILES]
)
def test_whole_file_breakage(tmp_path: Path, data: bytes, expected: str | None) -> None:
    """Each way a whole file can be broken: a clear error with its line, or a clean load."""
    if expected is None:
        path = tmp_path / "x.toml"
        path.write_bytes(data)
        glossary = load_files([path])
        assert [e.id for e in glossary.entries] == (["lattakia"] if b"[lattakia]" in data else [])
        assert all(e.line == 1 for e in glossary.entries)
    else:
        assert re.search(expected, load_error(tmp_path, {"x.toml": data})), expected


def test_duplicate_ids_across_files_name_both(tmp_path: Path) -> None:
    """The same id in two files: both files and lines are named."""
    message = load_error(
        tmp_path, {"a.toml": GOOD.encode(), "b.toml": b"# second\n\n" + GOOD.encode()}
    )
    assert re.search(r"b\.toml:3 \(entry lattakia\): duplicate id, also at .*a\.toml:1", message)


def test_enormous_values_load_lint_and_enforce(tmp_path: Path) -> None:
    """Values under the limits: names of 200 characters, 20,000 variants, 5 MiB of notes."""
    variants = ", ".join(f'"Lattakiya {n}"' for n in range(20_000))
    path = tmp_path / "x.toml"
    path.write_text(
        f'[big]\ncanonical = "{"L" * MAX_NAME_CHARS}"\narabic = ["{"ل" * MAX_NAME_CHARS}"]\n'
        f'variants = [{variants}]\nnotes = "{"n" * 5 * 2**20}"\n',
        encoding="utf-8",
    )
    glossary = load_files([path])
    assert len(glossary.entries[0].variants) == 20_000
    assert not [p for p in lint(glossary) if p.code != "variant-repeated"]
    Enforcer(glossary).check(ENGLISH, ARABIC)


def test_hidden_characters_in_names_are_linted(tmp_path: Path) -> None:
    """A right-to-left override or zero-width space in a name loads, and lint reports it
    (a control character such as NUL is refused when the file is read)."""
    path = tmp_path / "x.toml"
    path.write_text(
        '[lattakia]\ncanonical = "Latt\u202eakia"\narabic = ["اللاذ\u200bقية"]\n'
        'variants = ["Lata\u2066kia", "Latakiya\\u2060"]\n',
        encoding="utf-8",
    )
    messages = [p.message for p in lint(load_files([path])) if p.code == HIDDEN_CHARACTER]
    assert len(messages) == 4
    assert "(U+202E)" in messages[0] and "(U+2066)" in messages[1]
    assert "(U+2060)" in messages[2] and "(U+200B)" in messages[3]
    assert all(m.isprintable() for m in messages)


def test_arabic_in_english_and_latin_in_arabic_are_linted() -> None:
    """Swapped scripts load (they are strings) but lint reports them."""
    text = '[x]\ncanonical = "اللاذقية"\narabic = ["Lattakia"]\nvariants = ["Latakia ﻻ"]\n'
    problems = lint(Glossary(entries=parse_file(text, "x.toml")))
    assert [p.code for p in problems] == [ARABIC_IN_ENGLISH, ARABIC_IN_ENGLISH, NOT_ARABIC]


CLI_FILES = [
    ("invalid TOML", {"x.toml": b'[x\ncanonical = "X"\n'}, 1),
    ("invalid UTF-8", {"x.toml": b'[x]\ncanonical = "\xff"\n'}, 1),
    ("NUL byte", {"x.toml": GOOD.encode() + b"\x00"}, 1),
    ("top-level value", {"x.toml": b"version = 2\n"}, 1),
    ("duplicate ids", {"a.toml": GOOD.encode(), "x.toml": GOOD.encode()}, 1),
    ("deep arrays", {"x.toml": b"x = " + b"[" * 5000 + b"]" * 5000}, 1),
    ("empty", {"x.toml": b""}, 0),
    ("BOM and CRLF", {"x.toml": b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()}, 0),
    ("bidi in a name", {"x.toml": GOOD.replace("Lattakia", "Latt\u202eakia").encode()}, 1),
    ("4,000-word name", {"x.toml": GOOD.replace("Lattakia", "Lattakia " * 4000).encode()}, 1),
]


@pytest.mark.parametrize(
    ("files", "code"), [case[1:] for case in CLI_FILES], ids=[c[0] for c in CLI_FILES]
)
def test_whole_file_breakage_through_the_cli(
    tmp_path: Path, files: dict[str, bytes], code: int
) -> None:
    """`desk glossary lint`: exit 0 or 1, the file named on stderr or stdout, nothing rewritten."""
    folder = tmp_path / "glossary"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    paths = sorted(folder.iterdir())
    before = snapshot(paths)
    run = run_desk(tmp_path / "home", folder, "glossary", "lint")
    assert run.returncode == code, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    if code:
        report = run.stderr if run.stderr.startswith("Error: ") else run.stdout
        assert str(folder / "x.toml") in report
    assert snapshot(paths) == before


# Regressions: each a bug the fuzzing found --------------------------------------------


def test_an_id_ending_in_a_newline_is_refused() -> None:
    """["lattakia\\n"] passed the id check: `$` matches before a final newline."""
    with pytest.raises(InputError, match=r"x\.toml:1: entry 'lattakia\\n': the id must be"):
        parse_file('["lattakia\\n"]\ncanonical = "Lattakia"\n', "x.toml")


def test_deep_nesting_is_an_input_error_not_a_recursion_error() -> None:
    """tomllib recursed until RecursionError, which came out as a traceback."""
    with pytest.raises(InputError, match="nested too deeply"):
        parse_file("x = " + "[" * 5000 + "]" * 5000, "x.toml")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # U+2028 and NEL are line breaks to str.splitlines, not to TOML (a name may not
        # hold them: they are in the notes).
        ('[a]\ncanonical = "A"\nnotes = "A\u2028B\x85C"\n\n[x]\nkind = 5\n', 5),
        # A line inside a multi-line string only looks like a header.
        ('[a]\ncanonical = "A"\nnotes = """\n[x]\n"""\n\n[x]\nkind = 5\n', 7),
        ("[a]\ncanonical = 'A'\nnotes = '''\n[x]\n'''\n# [x] \"\"\"\n[x]\nkind = 5\n", 7),
        # Quoted headers with escapes, and the forms that have no [id] header.
        ('# top\n["\\u0078"]\nkind = 5\n', 2),
        ("# top\nx = 5\n", 2),
        ('# top\nx.canonical = "X"\nx.kind = 5\n', 2),
        ("# top\n[[x]]\ncanonical = 'X'\n", 2),
        ("# top\n[x.sub]\ncanonical = 'X'\n", 2),
    ],
)
def test_errors_give_the_entry_s_own_line(text: str, line: int) -> None:
    """The line was wrong (or 0) after separators, in strings, and for headerless entries."""
    with pytest.raises(InputError, match=rf"^x\.toml:{line} \(entry x\)"):
        parse_file(text, "x.toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('["\\u001b[2J"]\ncanonical = "X"\n', "entry '\\x1b[2J': the id must be"),
        ('["x\\u202e"]\ncanonical = "X"\n', "entry 'x\\u202e': the id must be"),
        ('[x]\ncanonical = "X"\n"\\u001b]0;hi\\u0007" = 1\n', "unknown field(s) '\\x1b]0;hi\\x07'"),
        (f'[x]\ncanonical = "X"\nkind = "{"p" * 5000}"\n', "kind 'pppppppppppppppppppp"),
        ('[x]\ncanonical = "X"\nkind = [[1, 2], [3]]\n', "kind must be one of"),
    ],
)
def test_messages_quote_hostile_text_and_stay_short(text: str, expected: str) -> None:
    """Ids, keys and kinds went into messages raw (escape sequences, bidi) and whole."""
    with pytest.raises(InputError) as raised:
        parse_file(text, "x.toml")
    message = str(raised.value)
    assert expected in message and message.isprintable() and len(message) < 200, message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", "canonical must be a string, not an integer"),
        ("1979-05-27T07:32:00Z", "canonical must be a string, not a date-time"),
        ("['Lattakia']", "canonical must be a string, not an array"),
        ("{ text = 'Lattakia' }", "canonical must be a string, not a table"),
    ],
)
def test_a_canonical_of_the_wrong_type_says_so(value: str, expected: str) -> None:
    """It said "canonical is missing or empty" for any value that was not a string."""
    with pytest.raises(InputError, match=re.escape(f"x.toml:1 (entry x): {expected}")):
        parse_file(f"[x]\ncanonical = {value}\n", "x.toml")


@pytest.mark.parametrize("field", ["canonical", "variants", "arabic", "only_with_arabic"])
def test_a_name_of_thousands_of_words_is_refused_not_hung_on(field: str) -> None:
    """A 4,000-word name is refused: it loaded, and then building the matcher hung.

    Enforcement compares every run of a canonical's words (cubic in its words) and looks
    up runs as long as the longest variant; names now stop at 200 characters.
    """
    text = "[x]\n" + "".join(
        f"{key} = {toml_value(value)}\n"
        for key, value in {"canonical": "X", field: "Lattakia " * 4000}.items()
    )
    with pytest.raises(InputError, match=rf"x\.toml:1 \(entry x\): {field} .* is 35999 char"):
        parse_file(text, "x.toml")
