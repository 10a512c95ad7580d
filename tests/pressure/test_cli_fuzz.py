"""Files that lie, fuzzed through the CLI: generated front matter and config files.

Hypothesis writes YAML front matter (the known keys with values of every type, unknown
keys, dates that do not exist, anchors, tags, nesting thousands deep) and `config.toml`
files (every known table and key with values of the wrong type, unknown tables, deep
arrays and inline tables), then runs `desk import` and `desk list` on them in-process.
Each run must succeed or fail with its exit code (docs/reference.md#exit-codes) and one
line on stderr naming the file; no exception may escape (an escaped one is what prints a traceback), and a
failed import stores nothing.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.cli import main
from tests.helpers.stories import SMALL_AR

BODY = SMALL_AR.split("---\n", 2)[2] if SMALL_AR.startswith("---\n") else SMALL_AR
"""The sample story without its own front matter."""

# DESK_STRESS=1 tries ten times as many inputs.
SCALE = 10 if os.environ.get("DESK_STRESS") == "1" else 1

FRONT_KEYS = ["slug", "outlet", "source_url", "date", "byline", "keywords", "standfirst", "credit"]
CONFIG_KEYS = {
    "story": ["credit"],
    "export": ["profile", "folder", "timezone"],
    "glossary": ["folder"],
    "tui": ["arabic_display", "theme", "keys"],
    "desk": ["editors", "self_approve", "spelling"],
}

words = st.sampled_from(
    ["Lattakia", "2015-05-16", "hugo", "jekyll", "UTC", "Asia/Damascus", "rania", "dark",
     "raw", "en-GB", "off", "../..", "/etc", "", " ", "اللاذقية", "\x1b]0;x\x07", "\u202e",
     "ctrl+s", "f2", "next", "-1", "1e999", "NaN"]
)  # fmt: skip
texts = st.one_of(words, st.text(max_size=12))
scalars = st.one_of(
    texts,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from([*FRONT_KEYS, "x"]), inner)
    ),
    max_leaves=12,
)

# Front matter lines YAML reads in odd ways, or cannot read at all.
RAW_FRONT = [
    "date: 2015-02-30", "date: 2015-02-03 25:00:00", "date: 0000-01-01", "date: 9999-12-31",
    "keywords: &a [*a]", "outlet: !!python/object:os.system x", "? [a, b]\n: c",
    "byline: \t tab", "slug: {", "standfirst: |\n  two\n  lines", "outlet: !!binary aGk=",
    "keywords: " + "[" * 3000 + "]" * 3000, "outlet: " + "{a: " * 2000 + "1" + "}" * 2000,
    "date: 2015-05-16T06:00:00+25:00", "credit: null", "source_url: ~", "slug: 1e400",
]  # fmt: skip


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """A YAML front matter block: dumped values, raw odd lines, or both."""
    lines: list[str] = []
    mapping = draw(st.dictionaries(st.sampled_from([*FRONT_KEYS, "colour"]), values, max_size=5))
    if mapping:
        with contextlib.suppress(yaml.YAMLError, ValueError, OverflowError):
            lines.append(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False).rstrip())
    lines += draw(st.lists(st.sampled_from(RAW_FRONT), max_size=2))
    return "\n".join(lines)


def toml_value(value: Any, depth: int = 0) -> str:
    """`value` written as a TOML value (dates as TOML dates, dictionaries inline)."""
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
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v, depth + 1) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(k)} = {toml_value(v, depth + 1)}" for k, v in value.items())
        return "{" + inner + "}"
    return json.dumps(str(value), ensure_ascii=True)


RAW_CONFIG = [
    "a = " + "[" * 3000 + "]" * 3000, "a = " + "{b = " * 1500 + "1" + "}" * 1500,
    "[export\nprofile = 'hugo'", "[[export]]\nprofile = 'hugo'", "x = 'unterminated",
    "[tui.keys]\nquit = ''", "[tui.keys]\nnext = 'ctrl+s'\nprevious = 'ctrl+s'",
    "[desk]\neditors = 'rania'", "[export]\ntimezone = 'Mars/Olympus'",
]  # fmt: skip


@st.composite
def config_files(draw: st.DrawFn) -> str:
    """A config.toml: known tables with values of any type, unknown ones, raw odd text."""
    chunks: list[str] = []
    tables = draw(st.lists(st.sampled_from([*CONFIG_KEYS, "elsewhere"]), max_size=3, unique=True))
    for table in tables:
        keys = CONFIG_KEYS.get(table, ["x"])
        body = draw(st.dictionaries(st.sampled_from([*keys, "unknown"]), values, max_size=3))
        chunks.append(f"[{table}]")
        chunks += [f"{key} = {toml_value(value)}" for key, value in body.items()]
    chunks += draw(st.lists(st.sampled_from(RAW_CONFIG), max_size=1))
    return "\n".join(chunks) + "\n"


@st.composite
def story_files(draw: st.DrawFn) -> str:
    """An Arabic story whose front matter is generated."""
    return f"---\n{draw(front_matter())}\n---\n{BODY}"


def run(args: list[str], home: Path) -> Result:
    """`desk ARGS` in-process with `home` as the desk home; exceptions are caught."""
    env = {"DESK_HOME": str(home), "DESK_USER": "rania", "DESK_GLOSSARY": str(home / "none")}
    return CliRunner().invoke(main, args, env=env, catch_exceptions=True)


def assert_clean(result: Result, codes: set[int], name: str) -> None:
    """The command ended as docs/reference.md#exit-codes says: an allowed exit code, no
    escaped exception, and on failure one line on stderr naming `name`."""
    escaped = result.exception if not isinstance(result.exception, SystemExit) else None
    assert escaped is None, f"{type(escaped).__name__}: {escaped}\n{result.stderr}"
    assert result.exit_code in codes, result.stderr
    assert "Traceback" not in result.output + result.stderr
    if result.exit_code != 0:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert name in result.stderr, result.stderr


def stories_stored(home: Path) -> int:
    """How many stories the home's database holds (0 when there is none yet)."""
    db = home / "desk.sqlite3"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])


FUZZ = settings(
    max_examples=60 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(story=story_files())
def test_generated_front_matter_imports_or_fails_cleanly(story: str) -> None:
    """Any front matter: the import lands, or exits 1 naming the file and stores nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        home, source = Path(tmp) / "home", Path(tmp) / "story.ar.md"
        source.write_text(story, encoding="utf-8", errors="surrogatepass")
        result = run(["import", str(source), "--no-mt"], home)
        assert_clean(result, {0, 1}, "story.ar.md")
        assert stories_stored(home) == (1 if result.exit_code == 0 else 0)


@FUZZ
@given(config=config_files())
def test_generated_config_files_work_or_fail_cleanly(config: str) -> None:
    """Any config.toml: `desk list` and `desk import` work, or exit 1 naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        home, source = Path(tmp) / "home", Path(tmp) / "story.ar.md"
        home.mkdir()
        (home / "config.toml").write_text(config, encoding="utf-8")
        source.write_text(SMALL_AR, encoding="utf-8")
        listed = run(["list"], home)
        assert_clean(listed, {0, 1}, "config.toml")
        imported = run(["import", str(source), "--no-mt"], home)
        assert_clean(imported, {0, 1}, "config.toml")
        assert imported.exit_code == listed.exit_code, (listed.stderr, imported.stderr)
