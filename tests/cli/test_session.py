"""A whole desk session on a sample, as the acceptance list describes it, with golden exports."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers.cli import DeskCli
from tests.helpers.paths import GOLDEN, SAMPLES

pytestmark = pytest.mark.both_backends

SLUG = "lattakia-offensive"
UPDATE = os.environ.get("DESK_UPDATE_GOLDEN") == "1"


def check_golden(produced: Path, name: str) -> None:
    """The produced file equals the golden one byte for byte (DESK_UPDATE_GOLDEN=1 rewrites)."""
    golden = GOLDEN / name
    if UPDATE:
        golden.write_bytes(produced.read_bytes())
    assert produced.read_bytes() == golden.read_bytes(), f"{produced} differs from {golden}"


def run_session(desk: DeskCli) -> None:
    """Import with a draft, edit as two people, confirm, approve, publish."""
    desk(
        "import",
        str(SAMPLES / f"{SLUG}.ar.md"),
        "--draft",
        str(SAMPLES / f"{SLUG}.draft.en.md"),
        "--as",
        "tr",
    )
    desk(
        "edit", SLUG, "1", "--as", "tr", "--text",
        "Fears of sectarian killings in the Lattakia countryside as regime forces close in "
        "on al-Akrad mountain",
    )  # fmt: skip
    desk(
        "edit", SLUG, "2", "--as", "tr", "--text",
        "Regime forces, backed by National Defence militias and allied sectarian groups, "
        "launched a surprise offensive at dawn on Friday, 6 March 2015, on opposition positions "
        "in the northern Lattakia countryside, breaching the first line of defence on al-Akrad "
        "mountain.",
    )  # fmt: skip
    desk("confirm", SLUG, "1-2", "--as", "tr")
    desk("status", SLUG, "review", "--as", "tr")
    desk(
        "edit", SLUG, "2", "--as", "ed", "--text",
        "Regime forces, backed by National Defence militias and allied sectarian groups, "
        "launched a surprise offensive at dawn on Friday, 6 March, on opposition positions "
        "in the northern Lattakia countryside, breaching the first line of defence on al-Akrad "
        "mountain.",
    )  # fmt: skip
    desk("edit", SLUG, "9", "--as", "ed", input=(
        "The Coalition's Secretary General Mohammed Yahya urged the international community "
        "and the coalition states to protect civilians on the coast urgently.\n"
    ))  # fmt: skip
    desk("confirm", SLUG, "--all", "--as", "ed")
    # The QA gate holds the story for the year the editor took out; the editor decides.
    held = desk("status", SLUG, "approved", "--as", "ed", ok=False)
    assert held.exit_code == 4 and "numbers missing or changed in segment 2" in held.stderr
    desk("dismiss", SLUG, "2", "1", "--as", "ed",
         "--reason", "The year is in the dateline; the desk writes 6 March.")  # fmt: skip
    desk("status", SLUG, "approved", "--as", "ed")
    desk("publish", SLUG, "--as", "ed")


@pytest.mark.parametrize("profile", ["hugo", "jekyll"])
def test_session_export_matches_golden(desk: DeskCli, tmp_path: Path, profile: str) -> None:
    """The exported Markdown of the session equals the golden file for each profile."""
    run_session(desk)
    out = tmp_path / "site"
    result = desk("export", SLUG, "--profile", profile, "--out", str(out), "--tz", "Asia/Damascus")
    written = Path(result.output.strip().removeprefix("Wrote "))
    assert written.parent == out
    check_golden(written, f"{SLUG}.{profile}.md")
    # Exporting again gives the same bytes.
    desk("export", SLUG, "--profile", profile, "--out", str(out), "--tz", "Asia/Damascus")
    check_golden(written, f"{SLUG}.{profile}.md")


def test_session_log_diff_and_stats(desk: DeskCli) -> None:
    """The log names every step's author; diffs and stats cover draft to published."""
    run_session(desk)
    log = json.loads(desk("log", SLUG, "--json").output)
    story_moves = [(r["kind"], r["author"], r["after"]) for r in log if r["segment"] is None]
    assert story_moves == [
        ("import", "tr", "new"),
        ("status", "tr", "translating"),
        ("status", "tr", "review"),
        ("status", "ed", "approved"),
        ("status", "ed", "published"),
    ]
    edits = [(r["author"], r["segment"]) for r in log if r["kind"] == "edit"]
    assert edits == [("tr", 1), ("tr", 2), ("ed", 2), ("ed", 9)]
    text_log = desk("log", SLUG).output
    assert "ed" in text_log and "approved" in text_log

    diff = json.loads(desk("diff", SLUG, "--from", "mt", "--to", "published", "--json").output)
    assert [d["segment"] for d in diff] == [1, 2, 9]
    assert any("Lattakia" in op["after"] and "Latakia" in op["before"] for op in diff[0]["diff"])
    plain = desk("diff", SLUG, "--from", "mt", "--to", "published").output
    assert "[-Latakia-] {+the Lattakia+}" in plain or "{+Lattakia" in plain
    assert "\x1b[" not in plain  # plain when not a terminal

    by_ed = json.loads(desk("diff", SLUG, "--by", "ed", "--json").output)
    assert [(c["author"], c["segment"]) for c in by_ed] == [("ed", 2), ("ed", 9)]
    assert "6 March 2015" in by_ed[0]["before"] and "6 March," in by_ed[0]["after"]
    by_tr = json.loads(desk("diff", SLUG, "--by", "tr", "--from", "draft", "--to", "review",
                            "--json").output)  # fmt: skip
    assert [c["segment"] for c in by_tr] == [1, 2]

    review_to_now = json.loads(desk("diff", SLUG, "--from", "review", "--json").output)
    assert [d["segment"] for d in review_to_now] == [2, 9]

    stats = json.loads(desk("stats", SLUG, "--to", "published", "--json").output)
    assert stats["segments_edited"] == 3 and stats["segments_total"] == 35
    per_segment = {s["n"]: s for s in stats["segments"]}
    assert per_segment[3]["distance"] == 0.0 and per_segment[1]["distance"] > 0.3
    assert 0 < stats["post_edit_distance"] < 1
    assert stats["authors"]["ed"]["segments"] == [2, 9]
    assert stats["authors"]["tr"]["revisions"]["edit"] == 2
    text = desk("stats", SLUG).output
    assert "Post-edit distance draft → now" in text and "Segments edited: 3/35" in text


def test_correction_is_exported_with_its_note(desk: DeskCli, tmp_path: Path) -> None:
    """Correct, edit, publish again: the export carries the note and the corrected text."""
    run_session(desk)
    refused = desk("edit", SLUG, "3", "--text", "Changed.", "--as", "ed", ok=False)
    assert refused.exit_code == 4
    note = "An earlier version gave the wrong date for the offensive."
    desk("correct", SLUG, "--note", note, "--as", "ed")
    assert desk("export", SLUG, ok=False).exit_code == 4  # mid-correction: not exportable
    desk("edit", SLUG, "2", "--as", "ed", "--text",
         "Regime forces launched a surprise offensive at dawn on Friday, 6 March 2015.")  # fmt: skip
    desk("publish", SLUG, "--as", "ed")
    out = tmp_path / "site"
    desk("export", SLUG, "--out", str(out), "--tz", "Asia/Damascus")
    written = out / f"{SLUG}.md"
    check_golden(written, f"{SLUG}.corrected.hugo.md")
    content = written.read_text(encoding="utf-8")
    assert f"**Correction (2015-05-17):** {note}" in content
    assert "on Friday, 6 March 2015." in content
    diff = json.loads(desk("diff", SLUG, "--from", "published:1", "--to", "published",
                           "--json").output)  # fmt: skip
    assert [d["segment"] for d in diff] == [2]


def test_export_gate_and_force_is_logged(desk: DeskCli, tmp_path: Path) -> None:
    """Export of an unfinished story is refused naming why; --force is logged with its author."""
    desk("import", str(SAMPLES / f"{SLUG}.ar.md"), "--no-mt", "--as", "tr")
    result = desk("export", SLUG, ok=False)
    assert result.exit_code == 4
    assert "the story is new, not approved or published" in result.stderr
    assert "segments with no English: 1-35" in result.stderr
    desk("export", SLUG, "--force", "--as", "chief", "--out", str(tmp_path))
    log = json.loads(desk("log", SLUG, "--json", "--by", "chief").output)
    assert len(log) == 1 and "export forced past the QA gate" in log[0]["note"]
    assert (tmp_path / f"{SLUG}.md").exists()


def test_diff_of_one_segment(desk: DeskCli) -> None:
    """--segment limits a diff to one segment; a number out of range is refused."""
    run_session(desk)
    diff = json.loads(desk("diff", SLUG, "--segment", "2", "--json").output)
    assert [d["segment"] for d in diff] == [2]
    assert json.loads(desk("diff", SLUG, "--segment", "3", "--json").output) == []
    by_ed = json.loads(desk("diff", SLUG, "--segment", "9", "--by", "ed", "--json").output)
    assert [c["segment"] for c in by_ed] == [9]
    assert desk("diff", SLUG, "--segment", "36", ok=False).exit_code == 3
