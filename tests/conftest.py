"""Shared fixtures: every test gets its own desk home, author and clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from desk.app.home import Home
from desk.cli import main
from desk.core.importer import ImportOptions

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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


class Desk:
    """Runs `desk` commands in-process, as a person would type them."""

    def __init__(self) -> None:
        """A runner that keeps stderr apart from stdout."""
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, ok: bool = True) -> Result:
        """Run one command; with ok=True, fail the test on a non-zero exit."""
        result = self.runner.invoke(main, list(args), input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, f"desk {' '.join(args)}: {result.output}{result.stderr}"
        return result


@pytest.fixture
def desk() -> Desk:
    """A `desk` command runner."""
    return Desk()


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


def import_sample(env: Home, slug: str) -> None:
    """Import a bundled sample with its pasted draft through the core (no model runs)."""
    env.desk.import_story(
        SAMPLES / f"{slug}.ar.md",
        ImportOptions(draft=SAMPLES / f"{slug}.draft.en.md"),
        author="importer",
    )


@pytest.fixture
def env(desk_home: Path, glossary: Path) -> Home:
    """A desk home holding the Lattakia sample with its pasted draft; the small glossary."""
    env = Home(desk_home)
    import_sample(env, "lattakia-offensive")
    return env
