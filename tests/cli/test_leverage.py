"""Pre-translation at import and the memory's leverage in `desk stats`, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import DeskCli
from tests.helpers.paths import SAMPLES

pytestmark = pytest.mark.both_backends

SLUG = "lattakia-offensive"


def test_an_import_is_pretranslated_from_the_memory_and_stats_say_so(
    desk: DeskCli, tmp_path: Path
) -> None:
    desk("engine", "use", "none")
    source = SAMPLES / f"{SLUG}.ar.md"
    desk("import", str(source), "--draft", str(SAMPLES / f"{SLUG}.draft.en.md"), "--as", "tr")
    desk("confirm", SLUG, "2-5", "--as", "tr")
    shown = json.loads(desk("show", SLUG, "--json").output)["segments"]
    confirmed = {s["source"]: s["text"] for s in shown if s["status"] == "confirmed"}
    assert len(confirmed) == 4

    # The same report again, later (another slug): its confirmed sentences come back.
    again = tmp_path / "again.ar.md"
    again.write_text(source.read_text("utf-8").replace(f"slug: {SLUG}", "slug: again"), "utf-8")
    out = desk("import", str(again), "--as", "tr").output
    assert "again" in out
    segments = json.loads(desk("show", "again", "--json").output)["segments"]
    filled = {s["n"]: s for s in segments if s["text"]}
    assert {s["source"] for s in filled.values()} == set(confirmed)
    assert all(s["text"] == confirmed[s["source"]] for s in filled.values())
    assert all(s["engine"] == "tm" and s["status"] == "draft" for s in filled.values())

    stats = json.loads(desk("stats", "again", "--json").output)["leverage"]
    assert stats["exact"]["segments"] == 4 and stats["exact"]["words"] > 0
    assert stats["scratch"]["segments"] == len(segments) - 4
    assert stats["engine"] == stats["fuzzy"] == stats["repaired"] == {"words": 0, "segments": 0}
    text = desk("stats", "again").output
    assert "TM LEVERAGE" in text
    line = next(x for x in text.splitlines() if x.startswith("exact matches"))
    assert line.split()[-1] == "4"
