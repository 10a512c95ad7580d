"""The house glossary travels with desk: installed from its wheel, run from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers.cli import DeskCli
from tests.helpers.paths import ROOT, SAMPLES

SLUG = "lattakia-offensive"


def fresh_env(tmp_path: Path) -> dict[str, str]:
    """An environment with a fresh desk home and no glossary configured."""
    env = {k: v for k, v in os.environ.items() if k not in ("DESK_GLOSSARY", "PYTHONPATH")}
    env["DESK_HOME"] = str(tmp_path / "home")
    return env


def test_an_installed_desk_applies_its_house_glossary_from_any_folder(tmp_path: Path) -> None:
    """Build desk's wheel, install it apart, run `desk import` from an empty folder with a
    fresh home: the house glossary is copied into the home and applied to the draft."""
    wheels, site, empty = tmp_path / "wheels", tmp_path / "site", tmp_path / "empty"
    empty.mkdir()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = wheels.glob("desk-*.whl")
    shipped = [n for n in zipfile.ZipFile(wheel).namelist() if "data/glossaries/" in n]
    assert {Path(n).name for n in shipped} >= {"places.toml", "people.toml", "organisations.toml"}
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
         str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    env = fresh_env(tmp_path) | {"PYTHONPATH": str(site)}

    def desk(*args: str) -> subprocess.CompletedProcess[str]:
        """Run the installed desk (not the checkout) in the empty folder."""
        return subprocess.run(
            [sys.executable, "-m", "desk", *args], cwd=empty, env=env,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    imported = desk("import", str(SAMPLES / f"{SLUG}.ar.md"), "--as", "rania")
    assert imported.returncode == 0, imported.stderr
    home_glossary = tmp_path / "home" / "glossaries"
    assert f"desk copied its house glossary into {home_glossary}" in imported.stderr
    assert "Applied the glossary's house spellings" in imported.stdout
    log = json.loads(desk("log", SLUG, "--json", "--kind", "glossary").stdout)
    assert log and {r["author"] for r in log} == {"rania"}
    listed = desk("glossary", "list")
    assert f"entries in {home_glossary}" in listed.stderr
    # The code that ran was the installed copy, not the checkout.
    origin = subprocess.run(
        [sys.executable, "-c", "import desk; print(desk.__file__)"], cwd=empty, env=env,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert origin.stdout.strip().startswith(str(site))


def test_the_home_s_glossary_is_the_desk_s_own(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copied once: an edit to it stays (a later run, an upgrade, never copies again)."""
    monkeypatch.delenv("DESK_GLOSSARY")
    monkeypatch.chdir(tmp_path)
    first = desk("glossary", "list")
    assert "desk copied its house glossary" in first.stderr
    desk(
        "glossary", "add", "tel-x", "--canonical", "Tel X", "--arabic", "تل اكس", "--kind", "place"
    )
    again = desk("glossary", "list")
    assert "copied" not in again.stderr and "Tel X" in again.output


def test_without_any_glossary_import_says_so(desk: DeskCli) -> None:
    """An import with no glossary to enforce says so (the fixture points at no folder)."""
    result = desk("import", str(SAMPLES / f"{SLUG}.ar.md"), "--no-mt")
    assert result.stderr.count("No glossary files in") == 1
