"""The import both front ends share (the workbench's dialog calls it as `desk import`
does): a slug not given gets the glossary's listed spellings of the English headline."""

from __future__ import annotations

from pathlib import Path

from desk.app.home import Home
from desk.core.importer import ImportOptions
from tests.helpers.stories import KINDS_AR, KINDS_EN


def test_the_homes_desk_makes_the_slug_with_the_house_spelling(
    desk_home: Path, glossary: Path, tmp_path: Path
) -> None:
    """Home's desk knows the house glossary: "Shelling on Latakia" gives shelling-on-lattakia;
    the same import with no glossary keeps the draft's spelling."""
    source, draft = tmp_path / "k.ar.md", tmp_path / "k.en.md"
    source.write_text(KINDS_AR, encoding="utf-8")
    draft.write_text(KINDS_EN, encoding="utf-8")
    home = Home(desk_home)
    result = home.desk.import_story(source, ImportOptions(draft=draft), author="rania")
    assert result.story.slug == "shelling-on-lattakia"
    assert home.desk.store.load_story("shelling-on-lattakia").segment(1).text == (
        "Shelling on Latakia"
    )
    (glossary / "places.toml").unlink()
    again = Home(desk_home).desk.import_story(source, ImportOptions(draft=draft), author="rania")
    assert again.story.slug == "shelling-on-latakia"
