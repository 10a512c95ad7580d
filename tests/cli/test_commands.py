"""CLI surface: help with examples, `desk list` (paged) and `desk show`, JSON output, exit codes,
authors."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from desk.app.home import Home
from desk.cli import main
from tests.helpers.cli import DeskCli
from tests.helpers.paths import SAMPLES
from tests.helpers.stories import import_sample, write_small

pytestmark = pytest.mark.both_backends

COMMANDS = sorted(main.commands)


def test_every_spine_command_exists() -> None:
    """The commands the desk relies on are all there."""
    expected = {"import", "list", "show", "edit", "confirm", "status", "log", "diff", "stats",
                "publish", "correct", "export"}  # fmt: skip
    assert expected <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(desk: DeskCli, name: str) -> None:
    """`desk CMD --help` explains the command and shows an example invocation of it."""
    result = desk(name, "--help")
    assert "Example:" in result.output
    example = result.output.split("Example:", 1)[1]
    assert f"desk {name}" in example


def test_group_help_lists_commands(desk: DeskCli) -> None:
    """`desk --help` lists every command."""
    output = desk("--help").output
    for name in COMMANDS:
        assert name in output


def test_list_json_and_text(desk: DeskCli, tmp_path: Path) -> None:
    """`desk list` shows progress; --json gives the same facts; --status filters."""
    assert "No stories yet" in desk("list").output
    source, draft = write_small(tmp_path)
    desk("import", str(source), "--draft", str(draft), "--as", "tr")
    desk("confirm", "douma-raids", "1", "2", "--as", "tr")
    rows = json.loads(desk("list", "--json").output)
    assert rows == [
        {
            "slug": "douma-raids",
            "status": "translating",
            "headline_ar": "غارات للنظام على دوما في الغوطة الشرقية",
            "headline_en": "Regime raids on Duma in Eastern Ghouta",
            "segments": 6,
            "confirmed": 2,
            "last_author": "tr",
            "updated_at": rows[0]["updated_at"],
        }
    ]
    assert "2/6" in desk("list").output
    assert json.loads(desk("list", "--status", "review", "--json").output) == []


def test_list_pages(desk: DeskCli, env: Home) -> None:
    """`desk list` shows the newest stories first and says how many it left out."""
    import_sample(env, "hassakeh-water")
    import_sample(env, "idleb-displacement")
    result = desk("list", "--limit", "2")
    lines = result.stdout.splitlines()
    assert len(lines) == 3  # heading + 2
    assert "2 of 3 stories shown" in result.stderr
    assert len(desk("list", "--limit", "0").stdout.splitlines()) == 4
    assert env.desk.store.count_stories() == 3
    page = env.desk.store.list_stories(limit=1, offset=1)
    assert [s.slug for s in page] == [env.desk.store.list_stories()[1].slug]


def test_show_text_is_bilingual(desk: DeskCli, tmp_path: Path) -> None:
    """`desk show` prints each segment's Arabic and English with its status."""
    source, draft = write_small(tmp_path)
    desk("import", str(source), "--draft", str(draft))
    output = desk("show", "douma-raids").output
    assert "[2] body · draft · draft from import (douma.draft.en.md)" in output
    assert "ar: شنت طائرات النظام غارات على مدينة دوما." in output
    assert "en: Regime aircraft launched raids on the city of Duma." in output


def test_author_comes_from_flag_env_or_login(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--as wins over $DESK_USER, which wins over the login name."""
    source, _ = write_small(tmp_path)
    monkeypatch.setenv("DESK_USER", "layla")
    desk("import", str(source), "--no-mt")
    desk("edit", "douma-raids", "1", "--text", "Headline one")
    desk("edit", "douma-raids", "1", "--text", "Headline two", "--as", "omar")
    monkeypatch.delenv("DESK_USER")
    monkeypatch.setattr("getpass.getuser", lambda: "login-name")
    desk("edit", "douma-raids", "1", "--text", "Headline three")
    authors = [r["author"] for r in json.loads(desk("log", "douma-raids", "--json").output)]
    assert authors == ["layla", "layla", "layla", "omar", "login-name"]


def test_import_without_draft_and_options_override_front_matter(
    desk: DeskCli, tmp_path: Path
) -> None:
    """Command-line metadata overrides the front matter; no draft means empty English."""
    source, _ = write_small(tmp_path)
    desk("import", str(source), "--no-mt", "--slug", "douma-2", "--outlet", "Al-Modon",
         "--keywords", "Douma, eastern Ghouta, Syria")  # fmt: skip
    data = json.loads(desk("show", "douma-2", "--json").output)
    assert data["outlet"] == "Al-Modon"
    assert data["keywords"] == ["Douma", "eastern Ghouta", "Syria"]
    assert data["source_date"] == "2015-05-16"
    assert {s["text"] for s in data["segments"]} == {""}


def test_plain_text_import_makes_a_slug_from_the_headline(desk: DeskCli, tmp_path: Path) -> None:
    """A plain-text file: the first line is the headline; the slug is romanised from it."""
    path = tmp_path / "story.txt"
    path.write_text("اشتباكات في ريف إدلب\nقتل ثلاثة مقاتلين. ونزحت عائلات.\n", encoding="utf-8")
    result = desk("import", str(path), "--no-mt")
    assert "Imported ashtbakat-fy-ryf-idlb: 3 segments" in result.output
    data = json.loads(desk("show", "ashtbakat-fy-ryf-idlb", "--json").output)
    assert [s["source"] for s in data["segments"]] == [
        "اشتباكات في ريف إدلب",
        "قتل ثلاثة مقاتلين.",
        "ونزحت عائلات.",
    ]


def test_all_samples_import_with_their_drafts(desk: DeskCli) -> None:
    """Every bundled sample imports with its draft, every segment getting English."""
    sources = sorted(SAMPLES.glob("*.ar.md"))
    assert len(sources) >= 3
    for source in sources:
        draft = source.with_name(source.name.replace(".ar.md", ".draft.en.md"))
        desk("import", str(source), "--draft", str(draft), "--as", "tr")
        slug = source.name.removesuffix(".ar.md")
        data = json.loads(desk("show", slug, "--json").output)
        assert data["segments"], slug
        assert all(s["text"] for s in data["segments"]), slug


def test_version(desk: DeskCli) -> None:
    """`desk --version` prints the version."""
    assert "0.1.0" in desk("--version").output


def test_usage_error_exit_code(desk: DeskCli) -> None:
    """A wrong option is a usage error with exit code 2."""
    result = desk("list", "--no-such-option", ok=False)
    assert result.exit_code == 2
    assert isinstance(main, click.Group)


def test_diff_is_coloured_on_a_terminal_only(desk: DeskCli, tmp_path: Path) -> None:
    """On a terminal deletions are red and insertions green; piped output has markers only."""
    source, draft = write_small(tmp_path)
    desk("import", str(source), "--draft", str(draft))
    desk("edit", "douma-raids", "2", "--text", "Regime aircraft struck the city of Douma.")
    coloured = desk.runner.invoke(main, ["diff", "douma-raids"], color=True).output
    assert "\x1b[31m[-launched raids on-]" in coloured and "\x1b[32m{+struck+}" in coloured
    plain = desk("diff", "douma-raids").output
    assert (
        plain
        == "[2] Regime aircraft [-launched raids on-] {+struck+} the city of [-Duma-] {+Douma+}.\n"
    )


def test_the_workbench_without_a_terminal_is_a_usage_error(desk: DeskCli) -> None:
    """`desk` and `desk open` with no terminal (CI, a pipe) exit 2 with one line, and
    write no escape codes."""
    for args in ((), ("open", "anything")):
        result = desk(*args, ok=False)
        assert result.exit_code == 2
        assert "the workbench needs a terminal" in result.stderr
        assert "\x1b" not in result.output + result.stderr
