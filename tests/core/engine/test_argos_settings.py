"""Argos's own settings as desk finds them: the environment, then Argos's settings.json,
then Argos's default, checked against argostranslate itself (run in a subprocess with the
same environment, since importing it creates folders)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk.core.engine.argos_settings import (
    argos_packages_location,
    settings_file,
    settings_problem,
)
from desk.core.engine.index import DEFAULT_INDEX, index_url
from desk.core.errors import InputError


def argos_sees(env: dict[str, str]) -> tuple[Path, str]:
    """argostranslate's package folder and index URL, read in a fresh process with `env`."""
    code = (
        "import json, argostranslate.settings as s; "
        "print(json.dumps([str(s.package_data_dir), s.package_index]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    folder, index = json.loads(done.stdout.splitlines()[-1])
    return Path(folder), index


def write_settings(settings: dict[str, object] | str) -> Path:
    """Argos's settings.json where the test's environment puts it."""
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = settings if isinstance(settings, str) else json.dumps(settings)
    path.write_text(text, encoding="utf-8")
    return path


def test_settings_file_is_where_argos_reads_it(tmp_path: Path) -> None:
    """$XDG_CONFIG_HOME/argos-translate/settings.json, as the test environment sets it."""
    assert settings_file() == tmp_path / "xdg-config" / "argos-translate" / "settings.json"


@pytest.mark.parametrize(
    ("in_env", "in_file", "chosen"),
    [
        (None, None, "default"),
        (None, "from-file", "file"),
        ("from-env", None, "env"),
        ("from-env", "from-file", "env"),
    ],
)
def test_the_package_folder_in_argos_precedence(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    in_env: str | None,
    in_file: str | None,
    chosen: str,
) -> None:
    """The environment, then settings.json's ARGOS_PACKAGES_DIR, then the XDG default: the
    folder argostranslate itself uses, and desk says which one chose it."""
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    if in_file is not None:
        path = write_settings({"ARGOS_PACKAGES_DIR": str(tmp_path / in_file)})
    if in_env is not None:
        monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / in_env))
    folder, source = argos_packages_location()
    expected = {
        "default": (tmp_path / "xdg-data" / "argos-translate" / "packages", ""),
        "file": (tmp_path / in_file, str(path)) if in_file else None,
        "env": (tmp_path / str(in_env), "$ARGOS_PACKAGES_DIR"),
    }[chosen]
    assert (folder, source) == expected
    assert argos_sees(dict(os.environ))[0] == folder


def test_without_xdg_config_home_the_file_is_under_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No $XDG_CONFIG_HOME: ~/.config/argos-translate/settings.json, as Argos reads it."""
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    write_settings({"ARGOS_PACKAGES_DIR": str(tmp_path / "elsewhere")})
    assert settings_file() == tmp_path / "user-home" / ".config" / "argos-translate/settings.json"
    assert argos_packages_location()[0] == tmp_path / "elsewhere"
    assert argos_sees(dict(os.environ))[0] == tmp_path / "elsewhere"


def test_under_a_snap_the_snap_user_data_stands_for_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a snap, argostranslate puts ~ at $SNAP_USER_DATA; so does desk."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name)
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("SNAP", str(tmp_path / "snap"))
    monkeypatch.setenv("SNAP_USER_DATA", str(tmp_path / "snap-data"))
    default = tmp_path / "snap-data" / ".local" / "share" / "argos-translate" / "packages"
    assert argos_packages_location() == (default, "")
    assert argos_sees(dict(os.environ))[0] == default
    write_settings({"ARGOS_PACKAGES_DIR": str(tmp_path / "snapped")})
    assert settings_file().is_relative_to(tmp_path / "snap-data")
    assert argos_packages_location()[0] == tmp_path / "snapped"


def test_the_index_in_argos_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ARGOS_PACKAGE_INDEX: the environment, then settings.json, then Argos's own index."""
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    assert index_url() == DEFAULT_INDEX
    write_settings({"ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/mirror/"})
    assert index_url() == "http://127.0.0.1:9/mirror/"
    assert argos_sees(dict(os.environ))[1] == index_url()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/env")
    assert index_url() == "http://127.0.0.1:9/env/"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object of settings"),
        ('{"ARGOS_PACKAGES_DIR": 7}', "ARGOS_PACKAGES_DIR is not a string"),
        ("\udcff", "not valid JSON"),
    ],
)
def test_a_settings_file_desk_cannot_use_falls_back_to_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, why: str
) -> None:
    """A broken settings.json: the default folder (as Argos does for bad JSON), and the
    reason said for `desk engine list`; the index, which it may name, is refused."""
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    path = settings_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    default = tmp_path / "xdg-data" / "argos-translate" / "packages"
    assert argos_packages_location() == (default, "")
    assert str(path) in settings_problem() and why in settings_problem()
    if "string" not in why:
        with pytest.raises(InputError, match=why):
            index_url()
    if text == "{not json":
        assert argos_sees(dict(os.environ))[0] == default  # Argos too, after a message


def test_a_home_that_does_not_exist_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """`~nobody/…` in settings.json: InputError naming the file and the key."""
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    path = write_settings({"ARGOS_PACKAGES_DIR": "~no-such-user-desk/packages"})
    with pytest.raises(InputError, match="cannot find that home folder") as caught:
        argos_packages_location()
    assert str(path) in str(caught.value) and "ARGOS_PACKAGES_DIR" in str(caught.value)
