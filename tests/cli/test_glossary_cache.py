"""Glossary commands and the compiled glossary kept in the desk home: `desk glossary
check` reads it back instead of parsing TOML, and a bad file is still named exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.app.home import Home
from desk.core.glossary import model
from desk.locations import glossary_cache_dir
from tests.helpers.cli import DeskCli

SLUG = "lattakia-offensive"


def test_check_reads_the_compiled_glossary_back(
    desk: DeskCli, env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first check compiles and keeps the glossary; the next parses no TOML and
    reports the same findings, exit code and all."""
    first = desk("glossary", "check", SLUG, ok=False)
    assert first.exit_code == 1 and "Latakia → Lattakia" in first.stdout
    assert len(list(glossary_cache_dir(env.path).glob("*.bin"))) == 1

    def parse_file(text: str, source: str) -> list[model.Entry]:
        raise AssertionError(f"{source} was parsed")

    monkeypatch.setattr(model, "parse_file", parse_file)
    again = desk("glossary", "check", SLUG, ok=False)
    assert (again.exit_code, again.stdout, again.stderr) == (
        first.exit_code,
        first.stdout,
        first.stderr,
    )
    assert desk("qa", SLUG, ok=False).exit_code == 1  # the gate's glossary check too


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[x]\narabic = ['\xd8\xb3']\n", "x.toml:1 (entry x): canonical is missing"),
        (b"[x]\ncanonical = '\xff'\n", "x.toml:2: not UTF-8"),
        (b"[lattakia]\ncanonical = 'Lattakia'\n", "duplicate id"),
    ],
)
def test_a_bad_file_after_a_cached_check_is_named_as_before(
    desk: DeskCli, env: Home, glossary: Path, content: bytes, expected: str
) -> None:
    """With the good glossary compiled and cached, a bad file added makes `check` fail
    with the one line naming file and line that it gives without a cache."""
    desk("glossary", "check", SLUG, ok=False)
    (glossary / "x.toml").write_bytes(content)
    cached = desk("glossary", "check", SLUG, ok=False)
    for path in glossary_cache_dir(env.path).iterdir():
        path.unlink()
    plain = desk("glossary", "check", SLUG, ok=False)
    assert cached.exit_code == plain.exit_code == 2
    assert cached.stderr == plain.stderr
    assert expected in cached.stderr and cached.stderr.count("\n") == 1
    assert "Traceback" not in cached.stderr
