"""Hostile and broken input, fuzzed: imports either work or fail cleanly, never worse.

Hypothesis builds source files from news sentences mixed with bidi controls (U+202E and
friends), zero-width characters, NUL bytes, invalid UTF-8, CRLF, a BOM, very long lines
and mixed scripts, and slugs and export folders with `..`, `/` and absolute paths. Every
`desk import` must succeed or exit non-zero with one line naming the file or option; no
traceback, no hang, nothing written outside the desk home and the export folder, and the
store stays whole.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.cli import main
from tests.helpers.stories import SMALL_AR

# DESK_STRESS=1 tries ten times as many inputs.
SCALE = 10 if os.environ.get("DESK_STRESS") == "1" else 1

HOSTILE = [
    "\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060",
    "\x00", "\r\n", "\r", "\t", "\x1b[31m", "«", "»", "“", "\"", "#", "---", "<script>",
    "{{ .Title }}", "{% raw %}", "..", "/", "\\", "٣٫٥", "١٥.٥.٢٠١٥", "Lattakia", "اللاذقية",
]  # fmt: skip
SENTENCES = [line for line in SMALL_AR.splitlines() if line.strip()]

pieces = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(SENTENCES), st.text(max_size=40))
documents = st.lists(pieces, min_size=1, max_size=30).map("".join)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1-bytes", "cut"])
slugs = st.one_of(
    st.none(),
    st.sampled_from(["../escape", "/etc/passwd", "a/b", "..", "ok-slug", "UPPER", "x" * 200]),
    st.text(max_size=20),
)


def encode(text: str, how: str) -> bytes:
    """The document as bytes, sometimes broken on purpose."""
    if how == "latin-1-bytes":
        return text.encode("utf-8", "surrogatepass") + b"\xff\xfe\x80"
    if how == "cut":
        data = text.encode("utf-8", "surrogatepass")
        return data[: max(1, len(data) - 1)]
    return text.encode(how, "surrogatepass")


def files_outside(folder: Path, home: Path) -> set[Path]:
    """Every file below `folder` but not below `home`, in one walk.

    (Two walks subtracted would race with SQLite's -shm and -wal files, which come and
    go inside the home as connections open and close.)
    """
    return {p for p in folder.rglob("*") if home not in p.parents and p.is_file()}


@settings(
    max_examples=150 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=documents, how=encodings, slug=slugs)
def test_hostile_imports_fail_cleanly_or_work(
    tmp_path: Path, desk_home: Path, text: str, how: str, slug: str | None
) -> None:
    """An import works, or says why in one line with a non-zero exit; nothing else."""
    source = tmp_path / "hostile.ar.md"
    source.write_bytes(encode(text, how))
    outside_before = files_outside(tmp_path, desk_home)
    args = ["import", str(source), "--no-mt"] + (["--slug", slug] if slug is not None else [])
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    if result.exit_code != 0:
        assert result.exit_code in (1, 2, 4), (result.exit_code, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().count("\n") <= 1 or result.exit_code == 2
    # Nothing written outside the desk home (the source itself was written by the test).
    assert files_outside(tmp_path, desk_home) == outside_before
    database = desk_home / "desk.sqlite3"
    if database.exists():
        with sqlite3.connect(database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    folder=st.sampled_from(
        ["../outside", "a/../../b", "nested/dir", "exports", "\x00bad", "s.ar.md", "ABS"]
    )
)
def test_export_folders_stay_where_they_are_told(folder: str) -> None:
    """`--out` with `..`, an absolute path, a file or a NUL: a clean error, or the file
    exactly in that folder (the test's own tree; nothing is written anywhere else)."""
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as top:
        cwd = str(Path(top) / "work")
        Path(cwd).mkdir()
        if folder == "ABS":
            folder = str(Path(top) / "absolute" / "out")
        home = Path(cwd) / "home"
        env = {"DESK_HOME": str(home), "DESK_CLOCK": "2015-05-17T06:00:00+00:00"}
        source = Path(cwd) / "s.ar.md"
        source.write_text("# عنوان\n\nنص الخبر.\n", encoding="utf-8")
        for args in (
            ["import", str(source), "--no-mt", "--slug", "s"],
            ["edit", "s", "1", "--text", "Headline"],
            ["edit", "s", "2", "--text", "Body."],
            ["confirm", "s", "--all"],
            ["status", "s", "review"],
            # Another person approves: the one who wrote the English may not (roles).
            ["status", "s", "approved", "--as", "editor"],
        ):
            assert runner.invoke(main, args, env=env).exit_code == 0
        result = runner.invoke(main, ["export", "s", "--out", str(Path(cwd) / folder)], env=env)
        if result.exit_code == 0:
            written = Path(result.output.split("Wrote ", 1)[1].strip())
            assert written.name == "s.md"
            assert written.parent.resolve() == (Path(cwd) / folder).resolve()
            assert written.resolve().is_relative_to(Path(top).resolve())
        else:
            assert result.exit_code in (1, 2) and "Traceback" not in result.stderr
