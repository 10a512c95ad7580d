"""`desk export` from the shell: standard output carries the export and nothing else."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import DeskCli, clear_gate
from tests.helpers.stories import write_small

SLUG = "douma-raids"


def publish_small(desk: DeskCli, folder: Path) -> None:
    """Import the small story with its draft and take it through the gate to published."""
    source, draft = write_small(folder)
    desk("import", str(source), "--draft", str(draft), "--as", "tr")
    desk("confirm", SLUG, "--all", "--as", "tr")
    desk("status", SLUG, "review", "--as", "tr")
    clear_gate(desk, SLUG, "ed")
    desk("confirm", SLUG, "--all", "--as", "ed")
    desk("status", SLUG, "approved", "--as", "ed")
    desk("publish", SLUG, "--as", "ed")


def test_messages_go_to_stderr_and_data_alone_to_stdout(desk: DeskCli, tmp_path: Path) -> None:
    """Writing a file says so on stderr, leaving stdout empty; --stdout prints the same
    bytes the file holds, and nothing else, so `desk export SLUG --stdout > x.md` is whole."""
    publish_small(desk, tmp_path / "stories")
    out = tmp_path / "site"
    written = desk("export", SLUG, "--profile", "jekyll", "--out", str(out), "--as", "ed")
    [path] = list(out.iterdir())
    assert written.stdout == "" and written.stderr == f"Wrote {path}\n"

    piped = desk("export", SLUG, "--profile", "jekyll", "--stdout", "--as", "ed")
    assert piped.stderr == "" and piped.stdout == path.read_text(encoding="utf-8")
    assert piped.stdout.startswith("---\nlayout: post\n")
