"""Values past what desk can hold: huge numbers and ranges, engine settings, home folders
that do not exist, a clock at the end of the calendar, a config that is a pipe, empty or
overlong input. Each is one line and an exit code, in bounded time and memory, with
nothing changed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desk.cli import main
from tests.cli.test_bad_input import assert_clean_failure
from tests.helpers.cli import DeskCli
from tests.helpers.stories import write_small

HUGE = "9" * 25
"""Past SQLite's 64-bit integers (and so past any count, version or segment)."""


@pytest.fixture
def story(desk: DeskCli, tmp_path: Path) -> str:
    """The small six-segment story, with its pasted draft."""
    source, draft = write_small(tmp_path)
    desk("import", str(source), "--draft", str(draft))
    return "douma-raids"


@pytest.mark.parametrize(
    ("numbers", "code", "needle"),
    [
        ("2-3000000000", 3, "segment 2-3000000000 is out of range"),
        (f"1-{HUGE}", 3, "out of range"),
        (HUGE, 3, "out of range"),
        ("5-1", 1, "'5-1' runs backwards; write it 1-5"),
    ],
)
def test_a_segment_range_past_any_story_is_refused_at_once(
    desk: DeskCli, story: str, numbers: str, code: int, needle: str
) -> None:
    """`1-3000000000` was a list of three billion numbers (24 GB before it was killed);
    a number past SQLite's integers was an OverflowError traceback."""
    before = desk("show", story).output
    for command in (("confirm", story, numbers), ("draft", story, "--segments", numbers)):
        assert_clean_failure(desk(*command, ok=False), code, needle)
    assert desk("show", story).output == before


def test_ranges_are_joined_not_repeated(desk: DeskCli, story: str) -> None:
    """Overlapping ranges confirm each segment once; leading zeros are only zeros."""
    result = desk("confirm", story, "1-3", "2-4,4", "0000000000000003", "--as", "rania")
    assert "Confirmed 4 segment(s): 1-4" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--limit", HUGE),
        ("search", "Douma", "--limit", HUGE),
        ("edit", "douma-raids", "2", "--text", "x", "--expect-version", HUGE),
        ("edit", "douma-raids", HUGE, "--text", "x"),
        ("diff", "douma-raids", "--segment", HUGE),
        ("draft", "douma-raids", "--beam", "5000"),
        ("draft", "douma-raids", "--beam", "0"),
        ("draft", "douma-raids", "--threads", "-1"),
        ("draft", "douma-raids", "--threads", HUGE),
        ("draft", "douma-raids", "--batch-tokens", HUGE),
    ],
)
def test_numbers_out_of_bounds_are_usage_errors(
    desk: DeskCli, story: str, args: tuple[str, ...]
) -> None:
    """Each was an OverflowError or CTranslate2 TypeError traceback (the draft ones after
    installing the model), or a minute and 1.9 GB for a beam of 5,000."""
    result = desk(*args, ok=False)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "is not in the range" in result.stderr


@pytest.mark.parametrize(
    ("where", "value", "needle"),
    [
        ("config", '[export]\nfolder = "~no-such-user-desk/x"\n', "[export] folder"),
        ("config", '[glossary]\nfolder = "~no-such-user-desk/g"\n', "[glossary] folder"),
        ("DESK_GLOSSARY", "~no-such-user-desk/g", "$DESK_GLOSSARY"),
        ("ARGOS_PACKAGES_DIR", "~no-such-user-desk/p", "$ARGOS_PACKAGES_DIR"),
    ],
)
def test_a_home_folder_that_does_not_exist_is_named(
    desk: DeskCli,
    story: str,
    desk_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    value: str,
    needle: str,
) -> None:
    """`~user` for a user this machine does not have was a RuntimeError traceback."""
    if where == "config":
        (desk_home / "config.toml").write_text(value, encoding="utf-8")
        monkeypatch.delenv("DESK_GLOSSARY")  # it would take the config's place
    else:
        monkeypatch.setenv(where, value)
    command = ("engine", "list") if where == "ARGOS_PACKAGES_DIR" else ("glossary", "list")
    if "export" in value:
        command = ("export", story, "--force", "--as", "omar")
    result = desk(*command, ok=False)
    assert_clean_failure(result, 1, needle, "cannot find that home folder")


def test_a_clock_at_the_end_of_the_calendar_is_refused(
    desk: DeskCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$DESK_CLOCK near year 9999 was an OverflowError at the first reading; near year 1
    it wrote times that read back as damage."""
    for moment in ("9999-12-31T23:59:59", "0002-01-01T00:00:00+14:00", "0001-01-01T00:00:00"):
        monkeypatch.setenv("DESK_CLOCK", moment)
        assert_clean_failure(desk("list", ok=False), 1, "DESK_CLOCK", "end of the calendar")


def test_a_config_that_is_a_pipe_fails_at_once(desk_home: Path) -> None:
    """A FIFO named config.toml made every command wait forever for a writer."""
    desk_home.mkdir(parents=True)
    os.mkfifo(desk_home / "config.toml")
    done = subprocess.run(
        [sys.executable, "-m", "desk", "list"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stderr
    assert "config.toml: the config is not a regular file" in done.stderr


def test_empty_standard_input_keeps_the_english(desk: DeskCli, story: str) -> None:
    """`echo -n | desk edit` emptied the segment; now it is refused and `--text ''` is
    the way to clear one on purpose."""
    before = desk("show", story).output
    result = desk.runner.invoke(main, ["edit", story, "2"], input=b" \n")
    assert_clean_failure(result, 1, "standard input is empty", "--text ''")
    assert desk("show", story).output == before


@pytest.mark.parametrize(("name", "needle"), [("", "empty"), ("x" * 201, "201 characters")])
def test_an_author_name_must_be_a_name(desk: DeskCli, story: str, name: str, needle: str) -> None:
    """`--as ''` fell back to the login name, and a 100,000-character name was stored on
    every revision."""
    result = desk("edit", story, "2", "--text", "x", "--as", name, ok=False)
    assert_clean_failure(result, 1, "--as", needle)


def test_json_escapes_the_controls_a_terminal_acts_on(desk: DeskCli, story: str) -> None:
    """--json escaped ESC but printed C1 controls (U+009B, a CSI) and U+2028 raw; the
    JSON still reads back as the text."""
    text = "A\x9b31mB\x85C\u2028D"
    desk("edit", story, "2", "--text", text, "--as", "rania")
    printed = desk("show", story, "--json").output
    assert not any(c in printed for c in "\x9b\x85\u2028")
    assert "\\u009b" in printed
    assert text in json.dumps(json.loads(printed), ensure_ascii=False)


def test_an_import_prints_at_most_fifty_alignment_notes(desk: DeskCli, tmp_path: Path) -> None:
    """A draft that splits every sentence printed a note per sentence (200,000 lines for a
    long enough story); the first 50 are shown and the rest counted."""
    source, draft = tmp_path / "s.ar.md", tmp_path / "s.en.md"
    sentences = range(80)
    source.write_text("# عنوان الخبر\n\n" + " ".join(
        f"قال المرصد إن القصف استمر في المدينة رقم {i}." for i in sentences) + "\n",
        encoding="utf-8")  # fmt: skip
    draft.write_text("# The headline\n\n" + " ".join(
        f"The Observatory said. The shelling went on in town {i}." for i in sentences) + "\n",
        encoding="utf-8")  # fmt: skip
    result = desk("import", str(source), "--draft", str(draft))
    assert result.stderr.count("  note: ") == 50
    assert "... and 30 more notes on how the draft lines up" in result.stderr


def test_import_names_empty_standard_input(desk: DeskCli, tmp_path: Path) -> None:
    """`desk import -` with nothing piped in says standard input is empty (it once said
    "-: no such source file", as if a file named - were missing)."""
    source, _ = write_small(tmp_path)
    for args in (("-",), (str(source), "--draft", "-")):
        result = desk("import", *args, "--no-mt", ok=False)
        assert_clean_failure(result, 1, "standard input: the file is empty")


@pytest.mark.parametrize(
    ("command", "needle"),
    [
        (("correct", "douma-raids", "--note", "Fixed \x1b]0;x\x07 the name"), "control, bidi"),
        (("correct", "douma-raids", "--note", "x" * 1001), "at most 1,000 characters"),
        (("status", "douma-raids", "translating", "--note", "a\x9bb"), "control, bidi"),
    ],
)
def test_a_note_is_a_line_of_text(
    desk: DeskCli, story: str, command: tuple[str, ...], needle: str
) -> None:
    """A correction note (published with the story) and a status note (logged) took an
    ESC and 100,000 characters; they are held to a dismissal reason's rules."""
    before = desk("log", story).output
    assert_clean_failure(desk(*command, "--as", "omar", ok=False), 1, needle)
    assert desk("log", story).output == before


def test_a_path_too_long_for_the_file_system_is_one_line(desk: DeskCli, story: str) -> None:
    """A path past PATH_MAX was an OSError traceback from db backup, export and glossary
    export; any file system refusal no check foresaw is now one line naming the file."""
    deep = "c/" * 3000
    for args in (
        ("db", "backup", deep + "x"),
        ("glossary", "export", deep + "x.tsv"),
        ("export", story, "--force", "--as", "omar", "--out", deep),
    ):
        result = desk(*args, ok=False)
        assert_clean_failure(result, 1, "File name too long")
        assert len(result.stderr) < 400


def test_a_damaged_segment_text_stops_the_audit_as_damage(
    desk: DeskCli, story: str, desk_home: Path, glossary: Path
) -> None:
    """A segment's text that reads back as bytes was a TypeError traceback from the
    glossary audit, while every other command called it damage."""
    with sqlite3.connect(desk_home / "desk.sqlite3") as conn:
        conn.execute("UPDATE segments SET text = x'414243' WHERE n = 3")
    assert_clean_failure(desk("glossary", "audit", ok=False), 6, "is damaged", "segment")
