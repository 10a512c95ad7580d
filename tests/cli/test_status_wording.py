"""`desk status` says where the story now stands in plain English."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import DeskCli


def test_each_move_reads_as_a_sentence(desk: DeskCli, tmp_path: Path) -> None:
    """Every status reads naturally: "solo is now in review", not "solo is now review"."""
    (tmp_path / "a.ar.md").write_text("# عنوان\n\nجملة.\n", encoding="utf-8")
    desk("import", str(tmp_path / "a.ar.md"), "--slug", "solo", "--no-mt", "--as", "bob")
    desk("edit", "solo", "1", "--text", "Headline", "--as", "bob")
    desk("edit", "solo", "2", "--text", "A sentence.", "--as", "bob")
    desk("confirm", "solo", "--all", "--as", "bob")
    said = [
        desk("status", "solo", state, *note, "--as", "bob").output.strip()
        for state, *note in (
            ("review",),
            ("translating",),
            ("review",),
            ("approved",),
            ("published",),
            ("correcting", "--note", "A name was misspelt."),
        )
    ]
    assert said == [
        "solo is now in review",
        "solo is now in translation",
        "solo is now in review",
        "solo is now approved",
        "solo is now published",
        "solo is now open for correction",
    ]
