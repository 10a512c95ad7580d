"""Shell completion (issue 16): click's `_DESK_COMPLETE` protocol completes commands and
options, and a SLUG argument completes to the desk's own story slugs."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from desk.cli import main
from desk.commands.common import complete_slug
from tests.helpers.cli import DeskCli
from tests.helpers.paths import FIXTURES
from tests.helpers.stories import write_small

SLUGS = ("douma-raids", "douma-shelling", "tel-tamer")

OTHER_FILES = {("export",)}
"""Commands whose SLUG belongs to another part of issue 16 (export): each takes
`shell_complete=complete_slug` there, and leaves this set."""


def complete(line: str, shell: str = "bash") -> Result:
    """What desk answers a shell asking to complete the last word of `line` (a trailing
    space: a new, empty word)."""
    words = line.split()
    index = len(words) if line.endswith(" ") else len(words) - 1
    # bash and zsh send the index of the word being completed, fish the word itself.
    word = words[index] if index < len(words) else ""
    env = {
        "_DESK_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": word if shell == "fish" else str(index),
    }
    return CliRunner().invoke(main, [], prog_name="desk", env=env, catch_exceptions=False)


def offered(line: str) -> list[str]:
    """The values bash would offer for the last word of `line`."""
    result = complete(line)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return [row.split(",", 1)[1] for row in result.stdout.splitlines() if row]


@pytest.fixture
def stories(desk: DeskCli, tmp_path: Path) -> tuple[str, ...]:
    """Three stories (no machine draft), one of them in translation."""
    source, _ = write_small(tmp_path)
    for slug in SLUGS:
        desk("import", str(source), "--no-mt", "--slug", slug, "--as", "rania")
    desk("status", "douma-shelling", "translating", "--as", "rania")
    return SLUGS


def test_a_slug_completes_to_the_desks_stories(stories: tuple[str, ...]) -> None:
    """`desk show dou<Tab>` offers the two Douma stories; an empty word offers all."""
    assert offered("desk show dou") == ["douma-raids", "douma-shelling"]
    assert offered("desk log ") == list(SLUGS)
    assert offered("desk tm matches t") == ["tel-tamer"]
    assert offered("desk --no-color open tel") == ["tel-tamer"]


def test_zsh_and_fish_see_status_and_headline(stories: tuple[str, ...]) -> None:
    """zsh and fish show each slug's status and headline beside it."""
    zsh = complete("desk show douma-s", "zsh").stdout.splitlines()
    assert zsh[:2] == ["plain", "douma-shelling"]
    assert zsh[2] == "translating · غارات للنظام على دوما في الغوطة الشرقية"
    fish = complete("desk diff douma-s", "fish").stdout
    assert fish == "plain,douma-shelling\ttranslating · غارات للنظام على دوما في الغوطة الشرقية\n"


def test_deleted_stories_and_other_words_are_not_offered(
    desk: DeskCli, stories: tuple[str, ...]
) -> None:
    """A deleted story is gone from completion; so are slugs after the slug (a segment
    number) and for prefixes no slug can have (capitals, underscores)."""
    desk("delete", "tel-tamer", "--yes", "--as", "omar")
    assert offered("desk show ") == ["douma-raids", "douma-shelling"]
    assert offered("desk edit douma-raids ") == []
    assert offered("desk show Dou") == []
    assert offered("desk show douma_") == []


def test_home_option_is_heard(desk: DeskCli, stories: tuple[str, ...], tmp_path: Path) -> None:
    """`desk --home DIR show <Tab>` completes from that home's stories."""
    other = tmp_path / "other-home"
    source, _ = write_small(tmp_path / "other")
    desk("--home", str(other), "import", str(source), "--no-mt", "--as", "rania")
    assert offered(f"desk --home {other} show ") == ["douma-raids"]


def test_completion_never_creates_or_breaks_a_desk(desk_home: Path) -> None:
    """Tab in a desk that does not exist yet offers nothing and creates nothing; in one
    whose database is not a database, nothing either, without a traceback."""
    assert offered("desk show ") == []
    assert not desk_home.exists()
    desk_home.mkdir()
    (desk_home / "desk.sqlite3").write_bytes(b"not a database" * 100)
    assert offered("desk show ") == []
    assert offered("desk sh") == ["show"]  # commands still complete


def test_every_slug_argument_completes_slugs() -> None:
    """Every SLUG argument of desk's commands completes with complete_slug."""
    lacking: set[tuple[str, ...]] = set()

    def walk(group: click.Group, path: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                walk(command, (*path, name))
            for param in command.params:
                if (
                    isinstance(param, click.Argument)
                    and param.name == "slug"
                    and param._custom_shell_complete is not complete_slug
                ):
                    lacking.add((*path, name))

    walk(main, ())
    assert lacking <= OTHER_FILES, lacking - OTHER_FILES


def test_tab_never_upgrades_an_old_database(desk_home: Path) -> None:
    """A database an older desk made is not migrated by a Tab (a large archive's upgrade
    takes minutes): nothing is offered, and the file is as it was until a command runs."""
    desk_home.mkdir()
    database = desk_home / "desk.sqlite3"
    shutil.copy(FIXTURES / "schema-001.sqlite", database)
    before = database.read_bytes()
    assert offered("desk show ") == []
    assert database.read_bytes() == before
    assert not (desk_home / "desk.sqlite3-wal").exists()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_scripts(shell: str) -> None:
    """`_DESK_COMPLETE={shell}_source desk` prints the script the docs tell people to
    source: it calls desk back through _DESK_COMPLETE."""
    env = {"_DESK_COMPLETE": f"{shell}_source"}
    result = CliRunner().invoke(main, [], prog_name="desk", env=env, catch_exceptions=False)
    assert result.exit_code == 0
    assert f"_DESK_COMPLETE={shell}_complete" in result.stdout.replace('"', "")
