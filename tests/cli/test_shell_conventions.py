"""desk fits the shell around it (issue 16): `-h` is help, colour follows --color,
--no-color and $NO_COLOR, `-` reads standard input, and a command's data is alone on
stdout (every message on stderr). The config's place and slug completion have their own
files (test_shell_config.py, test_shell_completion.py)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from desk.cli import main
from desk.commands import output, workbench
from desk.core.importer import MAX_IMPORT_BYTES
from desk.core.story import SegmentStatus, StoryStatus
from tests.helpers.cli import DeskCli
from tests.helpers.stories import SMALL_AR, SMALL_EN, write_small

SGR = re.compile(r"\x1b\[[0-9;]*m")
"""A colour or style sequence."""


def run(
    *args: str,
    color: bool = False,
    env: Mapping[str, str | None] | None = None,
    input: str | bytes | None = None,
) -> Result:
    """Run desk in-process; `color=True` is a terminal that shows colour, False a pipe."""
    return CliRunner().invoke(
        main, list(args), prog_name="desk", color=color, env=env, input=input,
        catch_exceptions=False,
    )  # fmt: skip


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group under `group`, as the words that name it."""
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))


def one_clean_error(result: Result, code: int, *needles: str) -> None:
    """Exit `code`, one line on stderr holding each needle, no traceback."""
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


# -- -h -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [(), *command_paths(main)], ids=lambda p: " ".join(("desk", *p)))
def test_dash_h_is_help_on_every_command(path: tuple[str, ...]) -> None:
    """`desk -h`, `desk CMD -h` and `desk GROUP CMD -h` print what --help prints."""
    short = run(*path, "-h")
    assert (short.exit_code, short.stdout) == (0, run(*path, "--help").stdout)
    assert short.stdout.startswith(f"Usage: desk {' '.join(path)}".rstrip())
    assert "-h, --help" in short.stdout


# -- colour -----------------------------------------------------------------------------


@pytest.fixture
def translating(desk: DeskCli, tmp_path: Path) -> str:
    """A story in translation (a status shown in yellow), without a machine draft."""
    source, _ = write_small(tmp_path)
    desk("import", str(source), "--no-mt", "--as", "rania")
    desk("status", "douma-raids", "translating", "--as", "rania")
    return "douma-raids"


def test_a_terminal_gets_colour(translating: str) -> None:
    """On a terminal that shows colour, the status words of `desk list` are coloured (the
    list padded them and so fell back to white, whatever the status)."""
    listed = run("list", color=True).stdout
    assert "\x1b[33mtranslating" in listed
    assert "\x1b[37m" not in listed


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        (("list",), {"NO_COLOR": "1"}, False),
        (("list",), {"NO_COLOR": ""}, True),  # no-color.org: an empty NO_COLOR is unset
        (("--no-color", "list"), {}, False),
        (("list", "--no-color"), {}, False),
        (("--color", "list"), {"NO_COLOR": "1"}, True),  # the flag outranks the variable
        (("--no-color", "list", "--color"), {}, True),  # the command's own flag is last
    ],
)
def test_no_color_and_the_colour_flags(
    translating: str, args: tuple[str, ...], env: dict[str, str], coloured: bool
) -> None:
    """$NO_COLOR (set and not empty) and --no-color take the colour away on a terminal;
    --color gives it back; the flags work before and after the command's name."""
    printed = run(*args, color=True, env=env)
    assert printed.exit_code == 0, printed.stderr
    assert bool(SGR.search(printed.stdout)) is coloured, repr(printed.stdout)


def test_color_forces_colour_through_a_pipe(translating: str) -> None:
    """A pipe gets plain text, unless --color asks for colour (`desk --color show | less -R`)."""
    assert not SGR.search(run("show", translating).stdout)
    assert SGR.search(run("--color", "show", translating).stdout)
    assert SGR.search(run("show", translating, "--color").stdout)


@pytest.mark.parametrize("word", [s.value for s in (*StoryStatus, *SegmentStatus)])
def test_status_words_are_readable_on_light_and_dark_themes(word: str) -> None:
    """No status is white or a bright colour (lost on a light background); padded or
    not, a status gets its own style; `new` stays in the terminal's own text colour."""
    padded = output.status(f"{word:12}")
    codes = set(re.findall(r"\x1b\[([0-9;]*)m", padded))
    assert not any(re.search(r"(^|;)(37|9[0-7])(;|$)", code) for code in codes), codes
    assert codes == set(re.findall(r"\x1b\[([0-9;]*)m", output.status(word)))
    assert SGR.sub("", padded) == f"{word:12}"
    assert bool(codes) is (word != "new")


def test_published_is_green_and_bold() -> None:
    """`published` stands out from `approved` without white or a bright colour."""
    assert output.status("published") == click.style("published", fg="green", bold=True)
    assert output.status("approved") == click.style("approved", fg="green")


def test_the_workbench_hears_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """`desk --no-color` reaches the workbench: Textual's switch is $NO_COLOR."""
    # workbench.run sets $NO_COLOR in this process: setenv first, so that monkeypatch
    # records the variable as it was and puts it back (delenv of an absent one does not).
    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.delenv("NO_COLOR")
    seen: list[str | None] = []

    class FakeApp:
        def run(self) -> None:
            seen.append(os.environ.get("NO_COLOR"))

    monkeypatch.setattr(workbench, "has_terminal", lambda: True)
    monkeypatch.setattr("desk.tui.make_app", lambda *args, **kwargs: FakeApp())
    assert run().exit_code == 0
    assert run("--no-color").exit_code == 0
    assert seen == [None, "1"]


# -- `-` is standard input --------------------------------------------------------------


def import_revision(desk: DeskCli, slug: str) -> dict[str, Any]:
    """The story's import revision."""
    revisions = json.loads(desk("log", slug, "--json").stdout)
    return next(r for r in revisions if r["kind"] == "import" and r["segment"] is None)


def test_import_reads_the_story_from_standard_input(desk: DeskCli, tmp_path: Path) -> None:
    """`desk import -` imports what is piped in as a file of it would be, recorded as
    coming from `stdin`."""
    imported = desk("import", "-", "--no-mt", "--as", "rania", input=SMALL_AR)
    assert imported.stdout == "Imported douma-raids: 6 segments\n"
    story = json.loads(desk("show", "douma-raids", "--json").stdout)
    source, _ = write_small(tmp_path)
    desk("import", str(source), "--no-mt", "--slug", "from-a-file", "--as", "rania")
    again = json.loads(desk("show", "from-a-file", "--json").stdout)
    assert [s["source"] for s in story["segments"]] == [s["source"] for s in again["segments"]]
    assert story["outlet"] == "Enab Baladi"  # the front matter came through the pipe
    assert import_revision(desk, "douma-raids")["note"] == "imported stdin, 6 segments"


def test_import_reads_the_draft_from_standard_input(desk: DeskCli, tmp_path: Path) -> None:
    """`--draft -` takes the pasted English draft from standard input."""
    source, _ = write_small(tmp_path)
    imported = desk("import", str(source), "--draft", "-", "--as", "rania", input=SMALL_EN)
    assert "6 with a draft from stdin" in imported.stdout
    story = json.loads(desk("show", "douma-raids", "--json").stdout)
    assert story["segments"][0]["draft"] == "Regime raids on Duma in Eastern Ghouta"
    assert import_revision(desk, "douma-raids")["note"].endswith("draft stdin")


@pytest.mark.parametrize(
    ("args", "piped", "needles"),
    [
        (("-", "--draft", "-"), SMALL_AR, ("standard input can carry the story or its draft",)),
        (("-",), "", ("standard input: the file is empty",)),
        (("-",), b"# \xd8\xba\xff\n", ("standard input: line 1: not UTF-8",)),
        (("-",), "# عنوان\n\0\n", ("standard input: line 2: binary data",)),
        (("-",), b"#" * (MAX_IMPORT_BYTES + 1), ("standard input: over the import limit",)),
    ],
    ids=["both", "empty", "not-utf8", "binary", "huge"],
)
def test_bad_standard_input_is_named_and_stores_nothing(
    desk: DeskCli, args: tuple[str, ...], piped: str | bytes, needles: tuple[str, ...]
) -> None:
    """What is wrong with piped input names standard input (never the temporary copy
    desk reads it from), exits 1 without a traceback, and stores nothing."""
    result = run("import", *args, "--no-mt", input=piped)
    one_clean_error(result, 1, *needles)
    assert "desk-import-" not in result.stderr
    assert json.loads(desk("list", "--json").stdout) == []


# -- data alone on stdout ---------------------------------------------------------------


def test_nothing_found_is_said_on_stderr_and_stdout_stays_empty(
    desk: DeskCli, tmp_path: Path
) -> None:
    """A script reading stdout gets the data and nothing else: no stories, no hits, no
    revisions, no differences and an empty memory are an empty stdout and a line on
    stderr for the person."""
    for args, message in (
        (("list",), "No stories yet"),
        (("search", "xylophone"), "Nothing found for 'xylophone'"),
        (("tm", "stats"), "The memory is empty"),
        (("tm", "search", "xylophone"), "Nothing in the memory"),
    ):
        result = desk(*args)
        assert (result.stdout, message in result.stderr) == ("", True), args
    source, draft = write_small(tmp_path)
    desk("import", str(source), "--draft", str(draft), "--as", "rania")
    for args, message in (
        (("list", "--status", "review"), "No story is in review."),
        (("log", "douma-raids", "--by", "nobody"), "No revisions match."),
        (("diff", "douma-raids"), "No differences."),
        (("diff", "douma-raids", "--by", "nobody"), "No changes by nobody"),
        (("tm", "matches", "douma-raids", "1"), "No match of 70% or more"),
    ):
        result = desk(*args)
        assert (result.stdout, message in result.stderr) == ("", True), args


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--limit", "1"),
        ("show", "douma-raids"),
        ("search", "Duma", "--limit", "1"),
        ("log", "douma-raids"),
        ("diff", "douma-raids"),
        ("stats", "douma-raids"),
        ("tm", "stats"),
        ("tm", "search", "Duma", "--limit", "1"),
        ("db", "status"),
    ],
    ids=" ".join,
)
def test_json_output_is_alone_on_stdout(
    desk: DeskCli, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """With --json, stdout parses as JSON even where the text output adds a hint (more
    stories than --limit, more hits than shown): hints go to stderr or nowhere."""
    source, draft = write_small(tmp_path)
    desk("import", str(source), "--draft", str(draft), "--as", "rania")
    desk("import", str(source), "--draft", str(draft), "--slug", "douma-again", "--as", "rania")
    desk("edit", "douma-raids", "2", "--text", "Regime aircraft struck Duma.", "--as", "rania")
    desk("confirm", "douma-raids", "--all", "--as", "rania")
    json.loads(desk(*args, "--json").stdout)


def test_tm_export_to_stdout_is_the_tmx_alone(desk: DeskCli, tmp_path: Path) -> None:
    """`desk tm export -`: stdout is the TMX document; the count goes to stderr."""
    source, draft = write_small(tmp_path)
    desk("import", str(source), "--draft", str(draft), "--as", "rania")
    desk("confirm", "douma-raids", "--all", "--as", "rania")
    exported = desk("tm", "export", "-")
    assert exported.stdout.startswith("<?xml")
    assert exported.stdout.rstrip().endswith("</tmx>")
    assert "Wrote 6 units to standard output" in exported.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["glossary", "--help"]])
def test_help_and_version_on_a_full_disk_say_so_in_one_line(args: list[str]) -> None:
    """`desk --help > /dev/full`: help and --version print before any command runs; a
    write that fails there is one error line and exit 1, not a traceback."""
    import subprocess
    import sys

    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-m", "desk", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: No space left on device"
