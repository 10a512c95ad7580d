"""OmegaT's own glossary: written only under a name OmegaT reads, tab-separated, UTF-8
that no encoding guess can miss, and read back by desk."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.core.errors import InputError
from desk.core.glossary import tabular
from desk.core.glossary.model import Entry, Kind, load_files
from tests.helpers.paths import FIXTURES

HOUSE = FIXTURES / "glossary" / "house.toml"


def house() -> list[Entry]:
    """The entries of the hand-written house glossary (TOML)."""
    return load_files([HOUSE]).entries


@pytest.mark.parametrize("name", ["house.tsv", "house.csv", "house.tbx", "house", "house.txt.bak"])
def test_a_name_omegat_ignores_is_refused(tmp_path: Path, name: str) -> None:
    """OmegaT reads glossaries ending .utf8, .txt or .tab (and .csv, .tbx in their own
    layouts): any other name would sit in its glossary folder unread. Nothing is written."""
    with pytest.raises(InputError, match=r"OmegaT ignores.*\.utf8, \.txt, \.tab") as raised:
        tabular.write_omegat(house(), tmp_path / name)
    assert name in str(raised.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("name", "bom"), [("g.utf8", False), ("g.txt", True), ("G.TAB", True)])
def test_the_names_omegat_reads(tmp_path: Path, name: str, bom: bool) -> None:
    """.utf8 is always UTF-8 to OmegaT; .txt and .tab are read in the encoding OmegaT
    detects, else the system's, so they start with a byte-order mark that settles it."""
    path = tmp_path / name
    tabular.write_omegat(house(), path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# desk glossary") == bom
    assert data.startswith(b"# desk glossary") == (not bom)


def test_the_layout_is_omegats_plain_one(tmp_path: Path) -> None:
    """A comment line, then per Arabic form: Arabic, English, `[kind] notes` on one line
    (the notes' line breaks and tabs made spaces); variants are not OmegaT's to know, and
    an entry without an Arabic form has no source term to match, so it is left out."""
    path = tmp_path / "house.utf8"
    tabular.write_omegat(house(), path)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith("#") and lines[-1] == ""
    rows = [line.split("\t") for line in lines[1:-1]]
    assert rows[:3] == [
        ["اللاذقية", "Lattakia", '[place] Coastal governorate and its capital. Not "Latakia".'],
        ["اللادقية", "Lattakia", '[place] Coastal governorate and its capital. Not "Latakia".'],
        ["الحسكة", "Hassakeh", "[place]"],
    ]
    assert rows[6][:2] == ["قسد", "Syrian Democratic Forces"]
    assert "(tab) on second reference" in rows[6][2] and len(rows[6]) == 3
    assert ["حلب", "Aleppo"] in rows  # kind other: no comment, no trailing tab
    assert not [row for row in rows if row[1] == "UN"]
    assert len(rows) == sum(len(e.arabic) for e in house())


def test_desk_reads_its_omegat_glossary_back(tmp_path: Path) -> None:
    """What OmegaT gets, desk imports: one entry per English name, its Arabic forms in
    order, kind from `[kind]`, the notes (on one line)."""
    for name in ("house.txt", "house.utf8"):
        path = tmp_path / name
        tabular.write_omegat(house(), path)
        back = {e.canonical: e for e in tabular.read_table(path)}
        assert set(back) == {e.canonical for e in house() if e.arabic}
        lattakia = back["Lattakia"]
        assert lattakia.arabic == ("اللاذقية", "اللادقية") and lattakia.kind == Kind.PLACE
        assert lattakia.notes == 'Coastal governorate and its capital. Not "Latakia".'
        assert back["Fourth Division"].kind == Kind.ORGANISATION
        assert back["Aleppo"].kind == Kind.OTHER and back["Aleppo"].notes == ""


def test_to_standard_output_there_is_no_mark() -> None:
    """The bytes for a pipe carry no byte-order mark unless asked for."""
    assert tabular.to_omegat_bytes(house()).startswith(b"# desk glossary")
    assert tabular.to_omegat_bytes(house(), bom=True).startswith(b"\xef\xbb\xbf#")
