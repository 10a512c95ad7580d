"""Shared fixtures: every test gets its own desk home, author and clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.app.home import Home
from tests.helpers.cli import DeskCli
from tests.helpers.stories import import_sample


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Keep the tester's own home, config, user and clock out of every test."""
    home = tmp_path / "desk-home"
    monkeypatch.setenv("DESK_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path / "user-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("DESK_CLOCK", "2015-05-17T06:00:00+00:00")
    # No house glossary unless a test brings one (the repository's own is in the cwd).
    monkeypatch.setenv("DESK_GLOSSARY", str(tmp_path / "no-glossary"))
    monkeypatch.delenv("DESK_USER", raising=False)
    monkeypatch.delenv("DESK_TZ", raising=False)
    yield home


@pytest.fixture
def desk_home(isolated_env: Path) -> Path:
    """The desk home of this test."""
    return isolated_env


@pytest.fixture
def desk() -> DeskCli:
    """A `desk` command runner."""
    return DeskCli()


# A small house glossary for tests that need one (the TUI's, the draft tests).
GLOSSARY = """\
[lattakia]
canonical = "Lattakia"
arabic = ["اللاذقية"]
variants = ["Latakia"]
kind = "place"

[al-akrad]
canonical = "al-Akrad"
arabic = ["جبل الأكراد"]
variants = ["Al-Akrad"]
kind = "place"

[hassakeh]
canonical = "Hassakeh"
arabic = ["الحسكة"]
variants = ["Hasakah", "Al-Hasakah", "al-Hasakah"]
kind = "place"
"""


@pytest.fixture
def glossary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small house glossary in its own folder, named by $DESK_GLOSSARY."""
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "places.toml").write_text(GLOSSARY, encoding="utf-8")
    monkeypatch.setenv("DESK_GLOSSARY", str(folder))
    return folder


@pytest.fixture
def env(desk_home: Path, glossary: Path) -> Home:
    """A desk home holding the Lattakia sample with its pasted draft; the small glossary."""
    env = Home(desk_home)
    import_sample(env, "lattakia-offensive")
    return env
