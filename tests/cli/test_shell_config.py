"""Where the config lives (issue 16): the default desk home's config.toml is in the XDG
config dir ($XDG_CONFIG_HOME/desk), and one an older desk left in the data dir is moved
there, once, saying so; a home named by --home or $DESK_HOME keeps its config inside."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from desk.core.config import move_config
from desk.locations import config_path, default_home, user_config_path
from tests.helpers.cli import DeskCli
from tests.helpers.stories import write_small

CREDIT = "Translated by the XDG desk"
CONFIG = f'[story]\ncredit = "{CREDIT}"\n'


@pytest.fixture
def default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No --home, no $DESK_HOME: the default home, in this test's $XDG_DATA_HOME."""
    monkeypatch.delenv("DESK_HOME")
    home = default_home()
    assert home == tmp_path / "xdg-data" / "desk"
    return home


def credit_of_an_import(desk: DeskCli, tmp_path: Path, *home: str) -> str:
    """Import a story (`home`: e.g. --home DIR) and say the credit line it was given."""
    source, _ = write_small(tmp_path / "story")
    desk(*home, "import", str(source), "--no-mt", "--as", "rania")
    story = json.loads(desk(*home, "show", "douma-raids", "--json").stdout)
    return str(story["credit"])


def test_the_default_home_reads_its_config_from_the_xdg_config_dir(
    desk: DeskCli, default: Path, tmp_path: Path
) -> None:
    """$XDG_CONFIG_HOME/desk/config.toml is the default home's config."""
    new = tmp_path / "xdg-config" / "desk" / "config.toml"
    assert user_config_path() == new == config_path(default)
    new.parent.mkdir(parents=True)
    new.write_text(CONFIG, encoding="utf-8")
    assert credit_of_an_import(desk, tmp_path) == CREDIT
    new.write_text("[nonsense]\nkey = 1\n", encoding="utf-8")
    refused = desk("list", ok=False)
    assert refused.exit_code == 1 and str(new) in refused.stderr


@pytest.mark.parametrize("named_by", ["DESK_HOME", "--home"])
def test_a_named_home_keeps_its_config_inside(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named_by: str
) -> None:
    """A home named by $DESK_HOME or --home reads HOME/config.toml, never the user's
    XDG one (a test's, a second desk's or a copy's settings stay with it)."""
    home = tmp_path / "named-home"
    home.mkdir()
    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    xdg = tmp_path / "xdg-config" / "desk" / "config.toml"
    xdg.parent.mkdir(parents=True)
    xdg.write_text("this is not TOML", encoding="utf-8")
    args: tuple[str, ...] = ()
    if named_by == "DESK_HOME":
        monkeypatch.setenv("DESK_HOME", str(home))
    else:
        monkeypatch.delenv("DESK_HOME")
        args = ("--home", str(home))
    assert credit_of_an_import(desk, tmp_path, *args) == CREDIT
    assert (home / "config.toml").read_text(encoding="utf-8") == CONFIG  # not moved


def test_an_old_config_in_the_data_dir_is_moved_once_with_a_message(
    desk: DeskCli, default: Path, tmp_path: Path
) -> None:
    """An older desk's data-dir config.toml moves to the config dir on the next command,
    with its permissions (it may hold a database password); the move is said once, on
    stderr, and the settings hold throughout."""
    old = default / "config.toml"
    new = tmp_path / "xdg-config" / "desk" / "config.toml"
    default.mkdir(parents=True)
    old.write_text(CONFIG, encoding="utf-8")
    old.chmod(0o600)
    assert config_path(default) == old  # read where it is until it moves
    first = desk("list")
    assert f"desk moved its config from {old} to {new}" in first.stderr
    assert first.stdout == ""
    assert not os.path.lexists(old)
    assert new.read_text(encoding="utf-8") == CONFIG
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert "moved" not in desk("list").stderr
    assert credit_of_an_import(desk, tmp_path) == CREDIT


def test_a_symlinked_old_config_moves_as_a_link(
    desk: DeskCli, default: Path, tmp_path: Path
) -> None:
    """A config that is a relative link into a dotfiles folder moves as a link to the same
    file: the dotfiles keep the only copy."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "desk.toml").write_text(CONFIG, encoding="utf-8")
    default.mkdir(parents=True)
    old = default / "config.toml"
    old.symlink_to(os.path.relpath(dotfiles / "desk.toml", default))
    desk("list")
    new = user_config_path()
    assert new.is_symlink() and new.resolve() == (dotfiles / "desk.toml").resolve()
    assert not os.path.lexists(old)
    assert credit_of_an_import(desk, tmp_path) == CREDIT


def test_an_old_config_that_cannot_move_is_still_read(
    desk: DeskCli, default: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the config dir cannot be made ($XDG_CONFIG_HOME is a file here), desk says
    why, keeps reading the old file, and moves nothing."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocked))
    default.mkdir(parents=True)
    old = default / "config.toml"
    old.write_text(CONFIG, encoding="utf-8")
    result = desk("list")
    assert f"desk reads its config from {old}: it could not move it" in result.stderr
    assert old.read_text(encoding="utf-8") == CONFIG
    assert credit_of_an_import(desk, tmp_path) == CREDIT


def test_a_config_in_both_places_reads_the_new_one(
    desk: DeskCli, default: Path, tmp_path: Path
) -> None:
    """Once the config dir has one, the data dir's is neither read nor touched."""
    default.mkdir(parents=True)
    (default / "config.toml").write_text("this is not TOML", encoding="utf-8")
    new = user_config_path()
    new.parent.mkdir(parents=True)
    new.write_text(CONFIG, encoding="utf-8")
    assert desk("list").stderr.count("moved") == 0
    assert (default / "config.toml").read_text(encoding="utf-8") == "this is not TOML"
    assert credit_of_an_import(desk, tmp_path) == CREDIT


def test_an_old_config_that_is_no_file_stays_to_be_named(
    desk: DeskCli, default: Path, tmp_path: Path
) -> None:
    """A folder where the old config.toml would be is not moved: the command refuses it
    by name, as before, in one line."""
    (default / "config.toml").mkdir(parents=True)
    refused = desk("list", ok=False)
    assert refused.exit_code == 1
    assert refused.stderr.strip().splitlines() == [
        f"Error: {default / 'config.toml'}: the config is not a regular file"
    ]
    assert not os.path.lexists(user_config_path())


def test_move_config_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy that fails part-way (a full disk) removes what it wrote, so the whole old
    file is still the one read; onto an existing file nothing moves."""
    old, new = tmp_path / "old.toml", tmp_path / "config" / "config.toml"
    old.write_text(CONFIG, encoding="utf-8")
    new.parent.mkdir()
    new.write_text("mine", encoding="utf-8")
    assert move_config(old, new) is None
    assert (old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8")) == (CONFIG, "mine")
    new.unlink()

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("desk.core.config.os.fsync", full)
    message = move_config(old, new)
    assert message == (
        f"desk reads its config from {old}: it could not move it to {new}, where desk now "
        "keeps it (No space left on device); move it there yourself"
    )
    assert not os.path.lexists(new)
    assert old.read_text(encoding="utf-8") == CONFIG
