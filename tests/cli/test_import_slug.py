"""The slug `desk import` makes: from the draft's English headline as the glossary's listed
spellings write it, else from the Arabic; a slug the person gives is kept as given."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli import DeskCli, clear_gate

ARABIC = """\
---
date: 2015-03-08
---

# قصف على ريف اللاذقية

قصفت الطائرات قرى في ريف اللاذقية.
"""

ENGLISH = """\
# Shelling on the Latakia countryside

Aircraft shelled villages in the Latakia countryside.
"""

FIXED = "shelling-on-the-lattakia-countryside"


def write_story(folder: Path) -> tuple[Path, Path]:
    """The Arabic source (no slug in its front matter) and its pasted English draft."""
    source, draft = folder / "shelling.ar.md", folder / "shelling.draft.en.md"
    source.write_text(ARABIC, encoding="utf-8")
    draft.write_text(ENGLISH, encoding="utf-8")
    return source, draft


def slugs(desk: DeskCli) -> list[str]:
    """The slugs `desk list --json` shows."""
    return [story["slug"] for story in json.loads(desk("list", "--json").output)]


def test_the_slug_has_the_house_spelling_and_so_has_the_export_file(
    desk: DeskCli, tmp_path: Path, glossary: Path
) -> None:
    """A draft headline saying "Latakia" gives a slug saying "lattakia"; the headline
    itself waits for the glossary's fix, and the exported file is named by the slug."""
    source, draft = write_story(tmp_path)
    result = desk("import", str(source), "--draft", str(draft), "--no-mt", "--as", "rania")
    assert f"Imported {FIXED}: 2 segments" in result.output
    assert slugs(desk) == [FIXED]
    shown = json.loads(desk("show", FIXED, "--json").output)
    assert shown["segments"][0]["text"] == "Shelling on the Latakia countryside"

    desk("confirm", FIXED, "--all", "--as", "rania")
    clear_gate(desk, FIXED, "rania")
    desk("status", FIXED, "review", "--as", "rania")
    desk("status", FIXED, "approved", "--as", "rania")
    out = tmp_path / "cms"
    desk("export", FIXED, "--out", str(out), "--as", "rania")
    assert [p.name for p in out.iterdir()] == [f"{FIXED}.md"]
    exported = (out / f"{FIXED}.md").read_text(encoding="utf-8")
    assert f"\nslug: {FIXED}\n" in exported


def test_a_slug_given_is_kept_as_given(desk: DeskCli, tmp_path: Path, glossary: Path) -> None:
    """--slug, or slug: in the front matter, is the slug, misspelt or not."""
    source, draft = write_story(tmp_path)
    desk("import", str(source), "--draft", str(draft), "--no-mt", "--slug", "latakia-raid")
    front = tmp_path / "front.ar.md"
    front.write_text(ARABIC.replace("date:", "slug: latakia-villages\ndate:"), encoding="utf-8")
    desk("import", str(front), "--draft", str(draft), "--no-mt")
    assert sorted(slugs(desk)) == ["latakia-raid", "latakia-villages"]


def test_without_an_english_headline_the_slug_comes_from_the_arabic(
    desk: DeskCli, tmp_path: Path, glossary: Path
) -> None:
    """No draft and no machine draft: the Arabic headline, romanised, makes the slug."""
    source, _ = write_story(tmp_path)
    result = desk("import", str(source), "--no-mt", "--as", "rania")
    assert slugs(desk) == ["qsf-la-ryf-alladhqya"]
    assert "Imported qsf-la-ryf-alladhqya: 2 segments" in result.output


def test_a_glossary_that_cannot_be_read_leaves_the_spelling_and_says_so(
    desk: DeskCli, tmp_path: Path, glossary: Path
) -> None:
    """A broken glossary file does not stop the import: the slug keeps the headline's
    spelling, and a note says why."""
    (glossary / "places.toml").write_text("[lattakia\n", encoding="utf-8")
    source, draft = write_story(tmp_path)
    result = desk("import", str(source), "--draft", str(draft), "--no-mt", "--as", "rania")
    assert slugs(desk) == ["shelling-on-the-latakia-countryside"]
    assert "note: the slug keeps the headline's own spellings: " in result.stderr
    assert "places.toml" in result.stderr
