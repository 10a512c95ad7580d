"""The slug `desk import` makes: from the draft's English headline as the glossary's listed
spellings write it, else from the Arabic; a slug the person gives is kept as given."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli import DeskCli, clear_gate
from tests.helpers.paths import SAMPLES

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


def test_a_machine_drafted_import_takes_its_slug_from_the_drafted_headline(
    desk: DeskCli, tmp_path: Path, glossary: Path
) -> None:
    """No pasted draft: the import makes the slug from the Arabic, the demo engine drafts
    the headline (house spellings applied), and the story is renamed from it, logged;
    a story someone has edited, or a slug given, is never renamed."""
    source = tmp_path / "lattakia.ar.md"
    text = (SAMPLES / "lattakia-offensive.ar.md").read_text(encoding="utf-8")
    source.write_text(text.replace("slug: lattakia-offensive\n", ""), encoding="utf-8")
    out = desk("import", str(source), "--as", "rania").output
    assert "Imported qlq-mn-" in out
    [slug] = slugs(desk)
    assert slug.startswith("concern-of-sectarian-violations-in-lattakia")
    assert f"Slug: {slug} (from the drafted English headline)" in out
    log = desk("log", slug).output
    assert "renamed " + slug in log
    # A slug given in the front matter stays.
    desk("import", str(SAMPLES / "lattakia-offensive.ar.md"), "--as", "rania")
    assert "lattakia-offensive" in slugs(desk)


def test_a_story_worked_on_keeps_its_slug(desk: DeskCli, tmp_path: Path, glossary: Path) -> None:
    """The rename is only for a fresh import: after an edit, the slug stays."""
    from desk.app.home import Home

    source = tmp_path / "shelling.ar.md"
    source.write_text(ARABIC, encoding="utf-8")
    desk("import", str(source), "--no-mt", "--as", "rania")
    [slug] = slugs(desk)
    home = Home.at(None)
    home.desk.edit(slug, 1, "Shelling on the Lattakia countryside", author="rania")
    assert home.desk.name_from_draft(slug, author="rania") == slug
    assert slugs(desk) == [slug]
