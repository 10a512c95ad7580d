"""The workflow through the CLI: statuses, confirmation, freezing and corrections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import DeskCli
from tests.helpers.stories import write_small

pytestmark = pytest.mark.both_backends


@pytest.fixture
def story(desk: DeskCli, tmp_path: Path) -> str:
    """The small Douma story, imported with its draft by `tr`."""
    source, draft = write_small(tmp_path / "in")
    desk("import", str(source), "--draft", str(draft), "--as", "tr")
    return "douma-raids"


def show(desk: DeskCli, slug: str) -> dict[str, object]:
    """The story as `desk show --json` gives it."""
    data: dict[str, object] = json.loads(desk("show", slug, "--json").output)
    return data


def test_import_segments_and_aligns_the_draft(desk: DeskCli, story: str) -> None:
    """Headline, subheading and sentences are segments; the draft lands sentence by sentence."""
    data = show(desk, story)
    segments = data["segments"]
    assert isinstance(segments, list)
    assert [s["role"] for s in segments] == [
        "headline",
        "body",
        "body",
        "subheading",
        "body",
        "body",
    ]
    assert segments[2]["source"] == "وقُتل ستة مدنيين على الأقل، بحسب ناشطين."
    assert segments[2]["text"] == "At least six civilians were killed, according to activists."
    assert segments[4]["text"] == (
        "The Syrian Observatory for Human Rights said the shelling continued until the evening;"
    )
    assert all(s["engine"] == "import" and s["status"] == "draft" for s in segments)
    assert data["status"] == "new" and data["outlet"] == "Enab Baladi"


def test_first_edit_starts_translating_and_is_logged(desk: DeskCli, story: str) -> None:
    """An edit moves a new story to translating; both are in the log with the author."""
    desk("edit", story, "1", "--text", "Regime raids on Douma in eastern Ghouta", "--as", "rania")
    log = json.loads(desk("log", story, "--json").output)
    last_two = [(r["kind"], r["author"], r["segment"], r["after"]) for r in log[-2:]]
    assert last_two == [
        ("edit", "rania", 1, "Regime raids on Douma in eastern Ghouta"),
        ("status", "rania", None, "translating"),
    ]
    assert show(desk, story)["status"] == "translating"


def test_edit_reads_standard_input(desk: DeskCli, story: str) -> None:
    """Without --text the English comes from standard input."""
    desk("edit", story, "2", input="Regime aircraft struck Douma.\n")
    segments = show(desk, story)["segments"]
    assert isinstance(segments, list)
    assert segments[1]["text"] == "Regime aircraft struck Douma."
    assert segments[1]["status"] == "edited"


def test_illegal_moves_say_what_is_allowed(desk: DeskCli, story: str) -> None:
    """Skipping a step is refused with exit code 4 and the allowed moves."""
    result = desk("status", story, "approved", ok=False)
    assert result.exit_code == 4
    assert "cannot move a new story to approved" in result.stderr
    assert "it can go to translating" in result.stderr
    result = desk("publish", story, ok=False)
    assert result.exit_code == 4 and "approved" in result.stderr


def test_approval_needs_every_segment_confirmed(desk: DeskCli, story: str) -> None:
    """The QA gate names the unconfirmed segments; --force passes it and is logged."""
    desk("confirm", story, "1-3", "--as", "tr")
    desk("status", story, "review", "--as", "tr")
    result = desk("status", story, "approved", "--as", "ed", ok=False)
    assert result.exit_code == 4
    assert "segments not confirmed: 4-6" in result.stderr
    desk("status", story, "approved", "--as", "ed", "--force")
    log = json.loads(desk("log", story, "--json", "--by", "ed").output)
    assert "forced past the QA gate: segments not confirmed: 4-6" in log[-1]["note"]


def test_published_story_is_frozen_until_corrected(desk: DeskCli, story: str) -> None:
    """Editing or confirming a published story is refused; a correction reopens it."""
    desk("confirm", story, "--all", "--as", "tr")
    desk("status", story, "review", "--as", "tr")
    desk("status", story, "approved", "--as", "ed")
    desk("publish", story, "--as", "ed")
    result = desk("edit", story, "2", "--text", "Changed.", "--as", "ed", ok=False)
    assert result.exit_code == 4 and "published and frozen" in result.stderr
    assert "desk correct" in result.stderr
    assert desk("confirm", story, "2", ok=False).exit_code == 4
    assert desk("status", story, "translating", ok=False).exit_code == 4

    assert desk("correct", story, "--note", "  ", ok=False).exit_code == 1
    desk("correct", story, "--note", "An earlier version misspelt Douma.", "--as", "ed")
    desk("edit", story, "2", "--text", "Regime aircraft struck the city of Douma.", "--as", "ed")
    # A correction's edit is its own sign-off: the segment stays confirmed, and says so.
    result = desk("confirm", story, "2", "--as", "ed")
    assert result.output.strip() == "Confirmed 0 segment(s); already confirmed: 2"
    desk("publish", story, "--as", "ed")
    data = show(desk, story)
    assert data["status"] == "published"
    log = json.loads(desk("log", story, "--json").output)
    kinds = [(r["kind"], r["before"], r["after"]) for r in log if r["segment"] in (None, 2)][-3:]
    assert kinds == [
        ("correction", "published", "correcting"),
        ("correction", "Regime aircraft launched raids on the city of Duma.",
         "Regime aircraft struck the city of Douma."),
        ("status", "correcting", "published"),
    ]  # fmt: skip


def test_confirm_needs_numbers_or_all(desk: DeskCli, story: str) -> None:
    """`desk confirm SLUG` alone is a usage error; a bad range names itself."""
    assert desk("confirm", story, ok=False).exit_code == 1
    result = desk("confirm", story, "2-x", ok=False)
    assert result.exit_code == 1 and "'2-x'" in result.stderr


def test_stale_version_is_a_conflict(desk: DeskCli, story: str) -> None:
    """A save expecting an old version reports a conflict naming the other author."""
    desk("edit", story, "2", "--text", "First version.", "--as", "rania")
    result = desk(
        "edit", story, "2", "--text", "Second.", "--expect-version", "1", "--as", "omar", ok=False
    )
    assert result.exit_code == 5
    assert "changed by rania" in result.stderr and "First version." in result.stderr


def test_delete_only_a_new_story(desk: DeskCli, story: str, tmp_path: Path) -> None:
    """A `new` story can be deleted: gone from every command, slug free again, the log kept;
    a story someone has worked on is refused."""
    result = desk("delete", story, "--yes", "--as", "ed")
    assert result.output.strip() == f"Deleted {story}"
    assert desk("show", story, ok=False).exit_code == 3
    assert story not in desk("list").output
    assert desk("delete", story, "--yes", ok=False).exit_code == 3
    source, _ = write_small(tmp_path / "again")
    desk("import", str(source), "--no-mt", "--slug", story)
    # The new story has a log of its own; the deleted one's stays in the database.
    assert [r["kind"] for r in json.loads(desk("log", story, "--json").output)] == ["import"]
    desk("edit", story, "1", "--text", "Worked on.", "--as", "tr")
    refused = desk("delete", story, "--yes", ok=False)
    assert refused.exit_code == 4 and "only a story still `new`" in refused.stderr
