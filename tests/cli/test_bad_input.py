"""Bad input: a one-line message naming the file or argument, an exit code, nothing written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk.cli import main
from desk.core.importer import MAX_IMPORT_BYTES
from tests.helpers.cli import DeskCli
from tests.helpers.stories import SMALL_AR, SMALL_EN, write_small


def story_count(home: Path) -> int:
    """How many stories the desk home's database holds (0 if there is none)."""
    db = home / "desk.sqlite3"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])


def assert_clean_failure(result: object, code: int, *needles: str) -> None:
    """Exit code as expected, one line on stderr containing each needle, no traceback."""
    exit_code = getattr(result, "exit_code", None)
    stderr = str(getattr(result, "stderr", ""))
    assert exit_code == code, stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    for needle in needles:
        assert needle in stderr, stderr


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("missing.md", None, ["missing.md", "no such source file"]),
        (
            "latin1.md",
            "# عنوان\n\nنص".encode() + b"\n\xe9t\xe9\n",
            ["latin1.md", "line 4", "not UTF-8"],
        ),
        ("empty.md", b"", ["empty.md", "empty"]),
        ("blank.md", b"  \n\n\t\n", ["blank.md", "empty"]),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["image.png", "binary data"]),
        ("huge.md", b"x" * (MAX_IMPORT_BYTES + 1), ["huge.md", "over the import limit"]),
        (
            "bad-front.md",
            b"---\noutlet: [unclosed\n---\n# h\n",
            ["bad-front.md", "invalid front matter"],
        ),
        ("odd-key.md", b"---\ncolour: red\n---\n# h\n", ["odd-key.md", "line 2", "'colour'"]),
        ("bad-slug.md", b"---\nslug: Lattakia\n---\n# h\n", ["bad-slug.md", "'slug'", "not valid"]),
        ("open-front.md", b"---\noutlet: x\n# h\n", ["open-front.md", "never closed"]),
        ("bad-date.md", b"---\ndate: 16/05/2015\n---\n# h\n", ["bad-date.md", "16/05/2015"]),
        ("feb-30.md", b"---\ndate: 2015-02-30\n---\n# h\n", ["feb-30.md", "line 2", "day"]),
        (
            "hour-25.md",
            b"---\ndate: 2015-02-03 25:00:00\n---\n# h\n",
            ["hour-25.md", "line 2", "hour"],
        ),
        (
            "deep-list.md",
            b"---\nbyline: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n# h\n",
            ["deep-list.md", "nested too deeply"],
        ),
        (
            "deep-map.md",
            b"---\nkeywords: " + b"{a: " * 3000 + b"b" + b"}" * 3000 + b"\n---\n# h\n",
            ["deep-map.md", "nested too deeply"],
        ),
    ],
)
def test_bad_source_files(
    desk: DeskCli,
    desk_home: Path,
    tmp_path: Path,
    name: str,
    content: bytes | None,
    needles: list[str],
) -> None:
    """Each kind of unusable source file is refused with a message naming it; no story made."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = desk("import", str(path), ok=False)
    assert_clean_failure(result, 1, *needles)
    assert story_count(desk_home) == 0


def test_twenty_megabyte_file_is_refused_quickly(
    desk: DeskCli, desk_home: Path, tmp_path: Path
) -> None:
    """A 20 MB file is refused by its size, before it is read."""
    path = tmp_path / "archive-dump.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    result = desk("import", str(path), ok=False)
    assert_clean_failure(result, 1, "archive-dump.txt", "20.0 MiB", "2 MiB")
    assert story_count(desk_home) == 0


def test_draft_that_cannot_be_aligned(desk: DeskCli, desk_home: Path, tmp_path: Path) -> None:
    """A draft missing a paragraph is refused, saying where; nothing is stored."""
    source, draft = write_small(tmp_path)
    lines = SMALL_EN.split("\n\n")
    draft.write_text("\n\n".join(lines[:1] + lines[2:]), encoding="utf-8")
    result = desk("import", str(source), "--draft", str(draft), ok=False)
    assert_clean_failure(result, 1, "douma.draft.en.md", "cannot align", "paragraph")
    assert "line" in result.stderr
    assert story_count(desk_home) == 0


def test_bad_draft_file_is_named(desk: DeskCli, desk_home: Path, tmp_path: Path) -> None:
    """A missing or non-UTF-8 draft is refused with the draft's name."""
    source, draft = write_small(tmp_path)
    result = desk("import", str(source), "--draft", str(tmp_path / "nope.en.md"), ok=False)
    assert_clean_failure(result, 1, "nope.en.md", "no such draft file")
    draft.write_bytes(b"# Title\n\n\xff\xfe broken\n")
    result = desk("import", str(source), "--draft", str(draft), ok=False)
    assert_clean_failure(result, 1, "douma.draft.en.md", "not UTF-8")
    assert story_count(desk_home) == 0


def test_duplicate_slug_is_refused(desk: DeskCli, desk_home: Path, tmp_path: Path) -> None:
    """Importing a second story under a taken slug is refused; the first is untouched."""
    source, _ = write_small(tmp_path)
    desk("import", str(source), "--no-mt")
    result = desk("import", str(source), "--no-mt", ok=False)
    assert_clean_failure(result, 4, "douma-raids", "already exists")
    assert story_count(desk_home) == 1


@pytest.mark.parametrize("slug", ["../etc", "a/b", "/abs", "Upper", "two--hyphens", "x" * 81, ""])
def test_invalid_slug_is_refused(desk: DeskCli, desk_home: Path, tmp_path: Path, slug: str) -> None:
    """Slugs that could escape a folder or break a URL are refused."""
    source, _ = write_small(tmp_path)
    result = desk("import", str(source), "--no-mt", "--slug", slug, ok=False)
    if slug == "":
        # An empty --slug falls back to the front matter's slug.
        assert result.exit_code == 0
        return
    assert_clean_failure(result, 1, "slug", "not valid")
    assert story_count(desk_home) == 0


def test_unknown_slug(desk: DeskCli) -> None:
    """Every command that takes a slug names an unknown one with exit code 3."""
    for args in (
        ["show", "no-such"],
        ["edit", "no-such", "1", "--text", "x"],
        ["confirm", "no-such", "--all"],
        ["status", "no-such", "review"],
        ["log", "no-such"],
        ["diff", "no-such"],
        ["stats", "no-such"],
        ["publish", "no-such"],
        ["correct", "no-such", "--note", "x"],
        ["export", "no-such"],
    ):
        result = desk(*args, ok=False)
        assert_clean_failure(result, 3, "no story with slug 'no-such'")


def test_segment_out_of_range(desk: DeskCli, tmp_path: Path) -> None:
    """A segment number outside the story names the valid range; nothing changes."""
    source, draft = write_small(tmp_path)
    desk("import", str(source), "--draft", str(draft))
    for n in ("0", "7", "99"):
        result = desk("edit", "douma-raids", n, "--text", "x", ok=False)
        assert_clean_failure(result, 3, f"segment {n} is out of range", "1-6")
    result = desk("confirm", "douma-raids", "5-9", ok=False)
    assert_clean_failure(result, 3, "out of range")
    assert "(empty)" not in desk("show", "douma-raids").output
    assert "confirmed" not in desk("show", "douma-raids").output.split("\n", 1)[1]


def test_english_piped_that_is_not_utf8_or_too_big(desk: DeskCli, tmp_path: Path) -> None:
    """English piped to `desk edit` that is not UTF-8, or over the limit, is refused in
    one line naming standard input; the segment keeps its text."""
    source, draft = write_small(tmp_path)
    desk("import", str(source), "--draft", str(draft))
    before = desk("show", "douma-raids").output
    cases = [
        ("Regime \xff\xfe forces".encode("latin-1"), "not UTF-8 text (byte 8)"),
        (b"x" * (MAX_IMPORT_BYTES + 1), "over the limit"),
    ]
    for data, needle in cases:
        result = desk.runner.invoke(main, ["edit", "douma-raids", "2"], input=data)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert_clean_failure(result, 1, "standard input", needle)
    assert desk("show", "douma-raids").output == before


def test_illegal_status_move(desk: DeskCli, tmp_path: Path) -> None:
    """An illegal move is refused with what is allowed."""
    source, _ = write_small(tmp_path)
    desk("import", str(source), "--no-mt")
    result = desk("status", "douma-raids", "published", ok=False)
    assert_clean_failure(result, 4, "cannot move a new story to published", "translating")
    result = desk("correct", "douma-raids", "--note", "x", ok=False)
    assert_clean_failure(result, 4, "only a published story can be corrected")


def test_unknown_diff_point(desk: DeskCli, tmp_path: Path) -> None:
    """A diff point that names nothing says which points exist."""
    source, _ = write_small(tmp_path)
    desk("import", str(source), "--no-mt")
    result = desk("diff", "douma-raids", "--from", "yesterday", ok=False)
    assert_clean_failure(result, 1, "unknown point 'yesterday'", "draft")
    result = desk("diff", "douma-raids", "--to", "published", ok=False)
    assert_clean_failure(result, 3, "never been published")
    result = desk("diff", "douma-raids", "--to", "r999", ok=False)
    assert_clean_failure(result, 3, "no revision 999")


def test_malformed_config_is_named(desk: DeskCli, desk_home: Path, tmp_path: Path) -> None:
    """A broken config.toml is named with its line; the import does not happen."""
    desk_home.mkdir(parents=True)
    (desk_home / "config.toml").write_text("[export]\nprofile = hugo\n", encoding="utf-8")
    source, _ = write_small(tmp_path)
    result = desk("import", str(source), ok=False)
    assert_clean_failure(result, 1, "config.toml", "line 2")
    assert story_count(desk_home) == 0


@pytest.mark.parametrize(
    "content", ["a = " + "[" * 3000 + "]" * 3000, "a = " + "{b = " * 3000 + "1" + "}" * 3000]
)
def test_a_config_nested_thousands_deep_is_named(
    desk: DeskCli, desk_home: Path, content: str
) -> None:
    """A config.toml nested thousands deep is a one-line error naming it, not a traceback."""
    desk_home.mkdir(parents=True)
    (desk_home / "config.toml").write_text(content + "\n", encoding="utf-8")
    result = desk("list", ok=False)
    assert_clean_failure(result, 1, "config.toml", "nested too deeply")


def test_small_story_text_is_what_the_tests_expect() -> None:
    """Guard: the shared small story has its front matter and six segments' worth of text."""
    assert SMALL_AR.startswith("---\nslug: douma-raids")
    assert SMALL_EN.count("\n\n") == SMALL_AR.split("---\n", 2)[2].strip().count("\n\n")


def test_arguments_and_environment_that_are_not_utf8(
    desk: DeskCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes that are not UTF-8 in an argument or in $DESK_USER (Python holds them as
    lone surrogates) are a usage error naming which, not an encoding traceback."""
    result = desk("show", "\udcff", ok=False)
    assert_clean_failure(result, 2, "argument 2", "not UTF-8")
    monkeypatch.setenv("DESK_USER", "r\udcffa")
    result = desk("list", ok=False)
    assert_clean_failure(result, 2, "$DESK_USER", "not UTF-8")
