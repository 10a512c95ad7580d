"""desk's TBX and another tool's reader: translate-toolkit reads desk's TBX v2 (every
entry, term, language and field desk writes), and desk reads what translate-toolkit
writes. translate-toolkit is a real client here: OmegaT 3.6 and Weblate read TBX the
same way (v2 only), which is why desk writes v2 at all."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from translate.storage import tbx as ttbx

from desk.core.errors import InputError
from desk.core.glossary import tbx, tbx_export
from desk.core.glossary.model import Entry, Kind, load_files, parse_entry
from tests.helpers.glossary import values
from tests.helpers.paths import FIXTURES

HOUSE = FIXTURES / "glossary" / "house.toml"
NS = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def house() -> list[Entry]:
    """The hand-written house glossary, plus entries with the awkward parts: an id that
    starts with a digit, a carriage return and markup characters in notes, no variants."""
    return [
        *load_files([HOUSE]).entries,
        parse_entry(
            "3rd-corps",
            {
                "canonical": "Third Corps",
                "arabic": ["الفيلق الثالث"],
                "kind": "organisation",
                "notes": "Line one\r\nline <two> & 'three'",
                "only_with_arabic": ["الفيلق"],
            },
        ),
    ]


def read_with_toolkit(data: bytes) -> ttbx.tbxfile:
    """A TBX document as translate-toolkit reads it, English to Arabic."""
    return ttbx.tbxfile.parsestring(data, sourcelanguage="en", targetlanguage="ar")


def test_translate_toolkit_reads_every_field_of_desks_v2() -> None:
    """Each entry is one unit: its id, the English terms in order with their statuses
    (canonical preferred, variants deprecated), the Arabic terms in order, the kind as
    subjectField, the notes and only_with_arabic forms as notes."""
    entries = house()
    store = read_with_toolkit(tbx_export.to_tbx_bytes(entries, version=2))
    assert len(store.units) == len(entries)
    for entry, unit in zip(entries, store.units, strict=True):
        assert unit.getid().removeprefix("_") == entry.id
        english = unit.get_source_terms()
        assert [(t.text, t.administrative_status) for t in english] == [
            (entry.canonical, "preferredTerm-admn-sts"),
            *[(v, "deprecatedTerm-admn-sts") for v in entry.variants],
        ]
        assert [t.deprecated for t in english] == [False] + [True] * len(entry.variants)
        assert [t.text for t in unit.get_target_terms()] == list(entry.arabic)
        assert unit.source == entry.canonical
        assert unit.target == (entry.arabic[0] if entry.arabic else None)
        notes = unit.get_common_notes(source=True)
        assert [(n.category, n.text) for n in notes if n.category] == [
            ("subjectField", str(entry.kind))
        ]
        expected = [entry.notes] if entry.notes else []
        expected += [f"only_with_arabic: {form}" for form in entry.only_with_arabic]
        assert [n.text for n in notes if not n.category] == expected
        assert unit.istranslated() == bool(entry.arabic)
        assert not unit.isobsolete()


def test_translate_toolkit_sees_the_two_languages_and_the_ids() -> None:
    """The file's language is English; every unit has an `en` and (with Arabic forms) an
    `ar` section; ids that start with a digit carry the underscore XML needs."""
    store = read_with_toolkit(tbx_export.to_tbx_bytes(house(), version=2))
    root = store.document.getroot()
    assert root.tag == "martif" and root.get(XML_LANG) == "en"
    langs = [[node.get(XML_LANG) for node in unit.getlanguageNodes()] for unit in store.units]
    assert langs == [["en", "ar"]] * 6 + [["en"], ["en", "ar"]]
    assert [u.getid() for u in store.units][3] == "_4th-division"
    assert store.units[-1].getid() == "_3rd-corps"


def test_translate_toolkit_refuses_v3_which_is_why_v2_exists() -> None:
    """translate-toolkit 3.20 has no TBX v3 reader: it stops at the `<tbx>` root. When this
    fails, it has learnt v3: read desk's v3 with it as the v2 tests above do."""
    with pytest.raises(AssertionError):
        read_with_toolkit(tbx_export.to_tbx_bytes(house(), version=3))


def test_desk_reads_what_translate_toolkit_writes() -> None:
    """A glossary made with translate-toolkit's own API (as Weblate makes its TBX
    downloads): several English and Arabic terms, a definition, a translator's note; a
    unit without an id. The first English term is the house spelling (no statuses are
    written), the other is kept as an admitted spelling, not as a variant to replace."""
    store = ttbx.tbxfile(sourcelanguage="en", targetlanguage="ar")
    lattakia = store.addsourceunit("Lattakia")
    lattakia.setid("lattakia")
    lattakia.set_source_terms(["Lattakia", "Latakia"])
    lattakia.set_target_terms(["اللاذقية", "اللادقية"])
    lattakia.set_common_note("Coastal governorate and its capital.", source=True)
    lattakia.addnote("Not the wires' spelling.", origin="translator")
    tel_tamer = store.addsourceunit("Tel Tamer")
    tel_tamer.settarget("تل تمر")
    data = bytes(store)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif')
    got = [values(e) for e in tbx.parse_tbx(data, "weblate.tbx")]
    assert got == [
        (
            "lattakia",
            "Lattakia",
            ("اللاذقية", "اللادقية"),
            (),
            Kind.OTHER,
            "Coastal governorate and its capital.\nNot the wires' spelling.\nAdmitted: Latakia",
            (),
        ),
        ("tel-tamer", "Tel Tamer", ("تل تمر",), (), Kind.OTHER, "", ()),
    ]


def test_desks_v2_edited_and_saved_by_translate_toolkit_reads_back() -> None:
    """desk's v2 file loaded, saved unchanged, then edited by translate-toolkit (an Arabic
    form added, as a reviewer in Weblate would): desk reads every entry back as it wrote
    it, and the one edit, and nothing else, shows."""
    entries = house()
    store = read_with_toolkit(tbx_export.to_tbx_bytes(entries, version=2))
    saved = bytes(store)
    assert [values(e) for e in tbx.parse_tbx(saved, "saved.tbx")] == [values(e) for e in entries]
    hassakeh = store.units[1]
    hassakeh.set_target_terms([t.text for t in hassakeh.get_target_terms()] + ["الحسكه"])
    back = tbx.parse_tbx(bytes(store), "edited.tbx")
    assert back[1].arabic == ("الحسكة", "الحسكه")
    assert [values(e) for i, e in enumerate(back) if i != 1] == [
        values(e) for i, e in enumerate(entries) if i != 1
    ]


@pytest.mark.parametrize("version", [2, 3])
def test_both_versions_round_trip_through_desk(version: int, tmp_path: Path) -> None:
    """desk reads its own v2 and v3 back exactly, from a file written whole."""
    path = tmp_path / "house.tbx"
    tbx_export.write_tbx(house(), path, version)
    assert [values(e) for e in tbx.read_tbx(path)] == [values(e) for e in house()]


def test_v2_is_tbx_basic_martif() -> None:
    """v2: a `martif` of type TBX-Basic-V1, no namespace, no DOCTYPE to fetch, the
    TBX-Basic XCS named in the header, termEntry/langSet/tig; deterministic bytes."""
    data = tbx_export.to_tbx_bytes(house(), version=2)
    assert data == tbx_export.to_tbx_bytes(house(), version=2)
    assert b"<!DOCTYPE" not in data and b"xml-model" not in data and b"xmlns=" not in data
    root = SafeET.fromstring(data)
    assert root.tag == "martif" and root.attrib["type"] == "TBX-Basic-V1"
    assert root.findtext("martifHeader/encodingDesc/p[@type='XCSURI']") == "TBXBasicXCSV02.xcs"
    first = root.find("text/body/termEntry")
    assert first is not None and first.attrib["id"] == "lattakia"
    assert [child.tag for child in first] == ["descrip", "note", "langSet", "langSet"]
    assert [tig.findtext("term") for tig in first.iter("tig")] == [
        "Lattakia", "Latakia", "Latakiya", "اللاذقية", "اللادقية",
    ]  # fmt: skip


def test_v3_names_the_schemas_the_tbx_project_publishes() -> None:
    """The xml-model instructions point at the core RNG in LTAC-Global/TBX_Core_RNG (the
    integrated TBX-Basic RNG was deleted in 2023) and the dialect's Schematron."""
    data = tbx_export.to_tbx_bytes(house()).decode("utf-8")
    models = re.findall(r'<\?xml-model href="([^"]+)"', data)
    assert models == [
        "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng",
        "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch",
    ]
    assert "TBX-Basic_integrated" not in data
    root = SafeET.fromstring(data.encode("utf-8"))
    assert root.tag == f"{NS}tbx" and root.attrib["type"] == "TBX-Basic"


def test_an_unknown_version_is_refused() -> None:
    """Only 2 and 3 are TBX versions desk writes."""
    with pytest.raises(InputError, match="TBX version 4"):
        tbx_export.to_tbx_bytes(house(), version=4)


def test_other_languages_are_counted_not_read() -> None:
    """Sections in languages desk does not read are left out of the entries, and counted
    per language (in how many concepts) for a caller that asks: the v2 fixture's French,
    the v3 one's German, translate-toolkit's `xx` for a language it was not told."""
    for name, expected in [("tbx-v2.tbx", {"fr": 1}), ("tbx-v3-dca.tbx", {"de": 1})]:
        languages: Counter[str] = Counter()
        entries = tbx.read_tbx(FIXTURES / "glossary" / name, languages)
        assert languages == expected
        assert entries == tbx.read_tbx(FIXTURES / "glossary" / name)
    store = ttbx.tbxfile(sourcelanguage="en")
    store.addsourceunit("Afrin").settarget("عفرين")
    store.addsourceunit("Tel Tamer").settarget("تل تمر")
    languages = Counter()
    got = tbx.parse_tbx(bytes(store), "csv2tbx.tbx")
    assert [(e.canonical, e.arabic) for e in got] == [("Afrin", ()), ("Tel Tamer", ())]
    tbx.read_tbx_stream(io.BytesIO(bytes(store)), "csv2tbx.tbx", languages)
    assert languages == {"xx": 2}
