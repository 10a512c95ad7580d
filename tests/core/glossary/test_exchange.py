"""TBX and CSV/TSV: desk's exports read back exactly; other tools' files; bad files refused."""

from __future__ import annotations

import csv
import re
import tempfile
import time
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.core.errors import InputError
from desk.core.glossary import tabular, tbx, tbx_export
from desk.core.glossary.model import Entry, Kind, load_files, parse_entry
from tests.helpers.glossary import values
from tests.helpers.paths import FIXTURES

GLOSSARY = FIXTURES / "glossary"
HOUSE = GLOSSARY / "house.toml"
NS = "{urn:iso:std:iso:30042:ed-2}"


def house() -> list[Entry]:
    """The entries of the hand-written house glossary (TOML)."""
    return load_files([HOUSE]).entries


def test_tbx_round_trip_keeps_every_entry(tmp_path: Path) -> None:
    """TOML entries -> TBX -> entries: ids, spellings, forms, kind, notes, scope."""
    path = tmp_path / "house.tbx"
    tbx_export.write_tbx(house(), path)
    back = tbx.read_tbx(path)
    assert [values(e) for e in back] == [values(e) for e in house()]
    assert all(e.source == str(path) and e.line > 0 for e in back)


def test_tbx_export_is_tbx_basic_v3(tmp_path: Path) -> None:
    """Root, dialect, statuses, Arabic langSec, kind; the same entries give the same bytes."""
    data = tbx_export.to_tbx_bytes(house())
    assert data == tbx_export.to_tbx_bytes(house())
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model ')
    root = SafeET.fromstring(data)
    assert root.tag == f"{NS}tbx"
    assert root.attrib["type"] == "TBX-Basic" and root.attrib["style"] == "dca"
    concepts = root.findall(f".//{NS}conceptEntry")
    assert [c.attrib["id"] for c in concepts][:4] == [
        "lattakia",
        "hassakeh",
        "abu-humam-al-shami",
        "_4th-division",
    ]
    lattakia = concepts[0]
    assert lattakia.findtext(f"{NS}descrip[@type='subjectField']") == "place"
    english, arabic = lattakia.findall(f"{NS}langSec")
    assert english.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "en"
    assert [
        (sec.findtext(f"{NS}term"), sec.findtext(f"{NS}termNote[@type='administrativeStatus']"))
        for sec in english.findall(f"{NS}termSec")
    ] == [
        ("Lattakia", "preferredTerm-admn-sts"),
        ("Latakia", "deprecatedTerm-admn-sts"),
        ("Latakiya", "deprecatedTerm-admn-sts"),
    ]
    assert arabic.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "ar"
    assert [t.text for t in arabic.iter(f"{NS}term")] == ["اللاذقية", "اللادقية"]
    un = concepts[-1]
    assert len(un.findall(f"{NS}langSec")) == 1  # no Arabic forms, no ar section
    assert b"\n        <langSec" in data  # indented


@pytest.mark.parametrize("name", ["house.csv", "house.tsv", "house.tab", "house.txt"])
def test_table_round_trip_keeps_every_entry(tmp_path: Path, name: str) -> None:
    """TOML entries -> CSV/TSV (desk's extended comment) -> entries, exactly."""
    path = tmp_path / name
    tabular.write_table(house(), path)
    back = tabular.read_table(path)
    assert [values(e) for e in back] == [values(e) for e in house()]


def test_table_layout_is_omegats(tmp_path: Path) -> None:
    """One line per Arabic form, three columns, comments as OmegaT reads them."""
    path = tmp_path / "house.txt"
    tabular.write_table(house(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 3 for row in rows)
    assert rows[0] == [
        "اللاذقية",
        "Lattakia",
        'id=lattakia; kind=place; variants=Latakia|Latakiya; notes=Coastal governorate and its capital.\\nNot "Latakia".',
    ]
    assert rows[1][:2] == ["اللادقية", "Lattakia"]
    assert ["", "UN", "id=un; kind=other; variants=U.N."] in rows
    sdf = next(row for row in rows if row[1] == "Syrian Democratic Forces")
    assert sdf[2] == (
        'id=sdf; kind=organisation; notes=Kurdish-led\\; "SDF" \\| a=b \\\\ <x & y>\\t(tab) on second reference'
    )


def test_plain_table_export(tmp_path: Path) -> None:
    """extended=False: short comments for OmegaT users; variants and Arabic-less entries go."""
    path = tmp_path / "house.csv"
    tabular.write_table(house(), path, extended=False)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[:2] == [
        'اللاذقية,Lattakia,"[place] Coastal governorate and its capital. Not ""Latakia""."',
        'اللادقية,Lattakia,"[place] Coastal governorate and its capital. Not ""Latakia""."',
    ]
    assert "حلب,Aleppo,\n" in text
    back = {e.canonical: e for e in tabular.read_table(path)}
    assert "UN" not in back
    lattakia = back["Lattakia"]
    assert lattakia.id == "lattakia" and lattakia.kind == Kind.PLACE and not lattakia.variants
    assert lattakia.arabic == ("اللاذقية", "اللادقية")
    assert lattakia.notes == 'Coastal governorate and its capital. Not "Latakia".'


def test_tbx_v2_from_another_tool() -> None:
    """TBX 2008: tig and ntig, a DOCTYPE (never read), old `lang`, French ignored."""
    got = [values(e) for e in tbx.read_tbx(GLOSSARY / "tbx-v2.tbx")]
    assert got == [
        (
            "eid-lattakia",
            "Lattakia",
            ("اللاذقية",),
            ("Latakia", "Latakiya"),
            Kind.PLACE,
            "Coastal governorate and its capital.",
            (),
        ),
        (
            "c2",
            "Hassakeh",
            ("الحسكة",),
            ("Hasakah",),
            Kind.OTHER,
            "Governorate in the north-east.",
            (),
        ),
        (
            "abu-humam-al-shami",
            "Abu Humam al-Shami",
            ("أبو همام الشامي",),
            ("Abu Hammam al-Shami",),
            Kind.PERSON,
            "Admitted: Abu Humam",
            (),
        ),
    ]


def test_tbx_v3_dca_from_another_tool() -> None:
    """TBX-Basic DCA with transactions, admin data, part of speech, a German section."""
    got = [values(e) for e in tbx.read_tbx(GLOSSARY / "tbx-v3-dca.tbx")]
    assert got == [
        (
            "c001",
            "Idleb",
            ("إدلب",),
            ("Idlib",),
            Kind.OTHER,
            "The wires' spelling.\nSubject field: Geography",
            (),
        ),
        (
            "tel-tamer",
            "Tel Tamer",
            ("تل تمر", "تل تامر"),
            ("Tal Tamr", "Tell Tamer"),
            Kind.PLACE,
            "Town on the Khabur river.",
            (),
        ),
    ]


def test_tbx_v3_dct_from_another_tool() -> None:
    """TBX-Basic DCT: module elements, TBX-Min status values, an id starting with `_`."""
    entries = tbx.read_tbx(GLOSSARY / "tbx-v3-dct.tbx")
    assert [values(e) for e in entries] == [
        (
            "sdf",
            "Syrian Democratic Forces",
            ("قوات سوريا الديمقراطية", "قسد"),
            ("Syrian Democratic Force",),
            Kind.ORGANISATION,
            "Kurdish-led alliance in the north-east.\nAdmitted: SDF",
            (),
        ),
        (
            "4th-division",
            "Fourth Division",
            ("الفرقة الرابعة",),
            ("4th Armoured Division",),
            Kind.ORGANISATION,
            "Elite army unit.",
            (),
        ),
    ]
    assert [e.line for e in entries] == [11, 44]


def test_plain_omegat_tsv() -> None:
    """Rows grouped by target, comments and blank lines skipped, `[place]` read as kind."""
    entries = tabular.read_table(GLOSSARY / "omegat.tsv")
    assert [values(e) for e in entries] == [
        ("lattakia", "Lattakia", ("اللاذقية", "اللادقية"), (), Kind.OTHER, "coastal city", ()),
        ("hassakeh", "Hassakeh", ("الحسكة",), (), Kind.OTHER, "", ()),
        ("tel-tamer", "Tel Tamer", ("تل تمر",), (), Kind.PLACE, "town on the Khabur", ()),
        (
            "abu-humam-al-shami",
            "Abu Humam al-Shami",
            ("أبو همام الشامي",),
            (),
            Kind.OTHER,
            "former commander",
            (),
        ),
    ]
    assert [e.line for e in entries] == [4, 6, 7, 9]


def test_plain_omegat_csv() -> None:
    """OmegaT's CSV: quoted commas and quotes, CRLF, a `#` line, an empty comment."""
    entries = tabular.read_table(GLOSSARY / "omegat.csv")
    assert [values(e) for e in entries] == [
        ("idleb", "Idleb", ("إدلب",), (), Kind.OTHER, "city and governorate, north-west", ()),
        (
            "syrian-democratic-forces",
            "Syrian Democratic Forces",
            ("قوات سوريا الديمقراطية", "قسد"),
            (),
            Kind.OTHER,
            'known as "SDF"',
            (),
        ),
        ("aleppo", "Aleppo", ("حلب",), (), Kind.OTHER, "", ()),
    ]


def test_generated_ids_do_not_collide(tmp_path: Path) -> None:
    """Plain rows get ids from the target, never one an extended row already uses."""
    path = tmp_path / "mixed.tsv"
    path.write_text("حلب\tAleppo\tid=aleppo; kind=place\nحلب الشهباء\tAleppo!\n", encoding="utf-8")
    assert [e.id for e in tabular.read_table(path)] == ["aleppo", "aleppo-2"]


@pytest.mark.parametrize(
    ("name", "needles"),
    [
        ("billion-laughs.tbx", ["billion-laughs.tbx:3:", "entities"]),
        ("external-entity.tbx", ["external-entity.tbx:3:", "entities"]),
        ("parameter-entity.tbx", ["parameter-entity.tbx:3:", "entities"]),
        ("malformed.tbx", ["malformed.tbx:9:", "not well-formed"]),
    ],
)
def test_hostile_and_broken_tbx_fixtures(name: str, needles: list[str]) -> None:
    """Entity declarations are refused, never expanded; broken XML names its line."""
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        tbx.read_tbx(GLOSSARY / name)
    assert time.monotonic() - started < 5
    for needle in needles:
        assert needle in str(info.value)


TBX3 = '<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>{}</body></text></tbx>'


def concept(*terms: tuple[str, str, str], cid: str = "x") -> str:
    """A conceptEntry with (lang, term, status) term sections."""
    secs = "".join(
        f'<langSec xml:lang="{lang}"><termSec><term>{term}</term>'
        f'<termNote type="administrativeStatus">{status}</termNote></termSec></langSec>'
        for lang, term, status in terms
    )
    return f'<conceptEntry id="{cid}">{secs}</conceptEntry>'


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", ["bad.tbx:1:", "not well-formed"]),
        (b"", ["bad.tbx:1:", "not well-formed"]),
        (b'<?xml version="1.0"?>\n<html><body/></html>', ["bad.tbx:2:", "not a TBX file"]),
        (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<martif>\n<text>caf\xe9</text></martif>',
            ["bad.tbx:3:", "not well-formed"],
        ),
        (
            TBX3.format(concept(("ar", "حلب", ""), cid="aleppo")).encode(),
            ["bad.tbx:1", "entry aleppo", "no English term"],
        ),
        (
            TBX3.format(concept(("en", "Halab", "deprecatedTerm-admn-sts"), cid="aleppo")).encode(),
            ["bad.tbx:1", "entry aleppo", "only deprecated"],
        ),
        (b"<tbx>" + b"<a>" * 200 + b"</a>" * 200 + b"</tbx>", ["bad.tbx:1", "nested too deeply"]),
        (b'<tbx xmlns:x="urn:x"><y:z/></tbx>', ["bad.tbx:1:", "not well-formed"]),
    ],
)
def test_bad_tbx(tmp_path: Path, content: bytes, needles: list[str]) -> None:
    """Every bad file: InputError naming the file and the line (or entry), nothing else."""
    path = tmp_path / "bad.tbx"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        tbx.read_tbx(path)
    for needle in needles:
        assert needle in str(info.value)


def test_an_external_dtd_is_never_read(tmp_path: Path) -> None:
    """A DOCTYPE naming a DTD: the DTD is not opened; entities it would define are refused."""
    (tmp_path / "evil.dtd").write_text('<!ENTITY x SYSTEM "file:///etc/passwd">\nnot a DTD at all')
    body = TBX3.format(concept(("en", "Idleb", "preferredTerm-admn-sts")))
    path = tmp_path / "plain.tbx"
    path.write_text(f'<!DOCTYPE tbx SYSTEM "evil.dtd">\n{body}', encoding="utf-8")
    assert [e.canonical for e in tbx.read_tbx(path)] == ["Idleb"]
    path.write_text(f'<!DOCTYPE tbx SYSTEM "evil.dtd">\n{body.replace("Idleb", "&x;")}')
    with pytest.raises(InputError, match=r"plain\.tbx:2: refers to the entity &x;"):
        tbx.read_tbx(path)


def test_missing_and_oversized_tbx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing file and one over the limit are refused before parsing."""
    with pytest.raises(InputError, match=r"nothing\.tbx: no such file"):
        tbx.read_tbx(tmp_path / "nothing.tbx")
    monkeypatch.setattr(tbx, "MAX_TBX_BYTES", 100)
    path = tmp_path / "big.tbx"
    path.write_bytes(TBX3.format(concept(("en", "Idleb", ""))).encode())
    with pytest.raises(InputError, match=r"big\.tbx: larger than"):
        tbx.read_tbx(path)


def test_tbx_ids_are_cleaned_and_unique() -> None:
    """Ids that are not entry ids are cleaned or made from the canonical; no two alike."""
    body = "".join(
        concept(("en", name, "preferredTerm-admn-sts"), cid=cid)
        for cid, name in [
            ("Concept 7", "Daraa"),
            ("concept-7", "Deir ez-Zor"),
            ("---", "Tel Abyad"),
        ]
    )
    ids = [e.id for e in tbx.parse_tbx(TBX3.format(body).encode(), "ids.tbx")]
    assert ids == ["concept-7", "concept-7-2", "tel-abyad"]


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("latin1.csv", "حلب,Aleppo\n".encode() + b"Hom\xe9,Homs\n", ["latin1.csv:2", "not UTF-8"]),
        ("one.tsv", "حلب\tAleppo\nحمص\n", ["one.tsv:2:", "found 1"]),
        ("four.tsv", "حلب\tAleppo\tx\ty\n", ["four.tsv:1:", "found 4"]),
        ("four.csv", "حلب,Aleppo,x,y\n", ["four.csv:1:", "found 4"]),
        ("nosource.csv", "# c\n,Aleppo,city\n", ["nosource.csv:2:", "source"]),
        ("notarget.tsv", "حلب\t \n", ["notarget.tsv:1:", "target"]),
        ("quote.csv", 'حلب,"Aleppo\n', ["quote.csv:1:", "not valid CSV"]),
        ("key.tsv", "حلب\tAleppo\tid=aleppo; colour=red\n", ["key.tsv:1:", "'colour'"]),
        ("escape.tsv", "حلب\tAleppo\tid=aleppo; notes=a\\qb\n", ["escape.tsv:1:", "escape"]),
        ("badid.tsv", "حلب\tAleppo\tid=Al Eppo\n", ["badid.tsv:1:", "not a valid entry id"]),
        ("kind.tsv", "حلب\tAleppo\tid=aleppo; kind=city\n", ["kind.tsv:1", "aleppo", "'city'"]),
        (
            "differ.tsv",
            "حلب\tAleppo\tid=aleppo; kind=place\nحلب الشهباء\tAleppo\tid=aleppo; kind=other\n",
            ["differ.tsv:2:", "line 1"],
        ),
        ("twice.tsv", "حلب\tAleppo\tid=aleppo; id=halab\n", ["twice.tsv:1:", "twice"]),
    ],
)
def test_bad_tables(tmp_path: Path, name: str, content: str | bytes, needles: list[str]) -> None:
    """Each bad CSV/TSV: InputError with file:line, nothing else."""
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(InputError) as info:
        tabular.read_table(path)
    for needle in needles:
        assert needle in str(info.value)


def test_table_format_from_extension(tmp_path: Path) -> None:
    """An extension that is neither CSV nor TSV needs the format given."""
    path = tmp_path / "names.dat"
    with pytest.raises(InputError, match=r"names\.dat"):
        tabular.write_table(house(), path)
    tabular.write_table(house(), path, "tsv")
    assert len(tabular.read_table(path, "tsv")) == len(house())
    with pytest.raises(InputError, match="xlsx"):
        tabular.read_table(path, "xlsx")


def test_exports_refuse_what_the_format_cannot_hold(tmp_path: Path) -> None:
    """A tab in a column, a leading #, a character XML cannot carry: InputError, no file."""
    for entry, fmt in [
        (Entry("x", "Tel\tTamer"), "tsv"),
        (Entry("x", "Tel Tamer", ("#تل",)), "csv"),
    ]:
        with pytest.raises(InputError, match="entry x"):
            tabular.write_table([entry], tmp_path / f"x.{fmt}")
    with pytest.raises(InputError, match="U\\+0001"):
        tbx_export.write_tbx([Entry("x", "Tel Tamer", notes="bell\x01")], tmp_path / "x.tbx")
    assert list(tmp_path.iterdir()) == []


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    """A spreadsheet opening the CSV export runs no formula: a cell starting with =, +,
    - or @ gets a leading apostrophe; reading the file back gives the entry exactly, and
    a name that starts with an apostrophe ('Ayn) is left as it is."""
    entries = [
        Entry("x", "'Ayn al-Arab", arabic=("@عين", "-عرب"), notes='=HYPERLINK("http://x")'),
        Entry("y", "+Tel Tamer", arabic=("تل تمر",), notes="'=cmd|' /C calc'!A0"),
    ]
    path = tmp_path / "x.csv"
    tabular.write_table(entries, path)
    cells = [c for row in csv.reader(path.read_text("utf-8").splitlines()) for c in row]
    assert cells and not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert "'Ayn al-Arab" in cells and "'@عين" in cells and "'+Tel Tamer" in cells
    assert [values(e) for e in tabular.read_table(path)] == [values(e) for e in entries]


TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=("Cs", "Cc")),
        st.sampled_from(list("\n\t\r\"\\#;|=,<>&\x85\u2028'+-@")),
    ),
    max_size=25,
)
COLUMN = TEXT.filter(
    lambda s: not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", s) and not s.strip().startswith("#")
)
"""A name (canonical, Arabic form, variant...): one line, no control characters."""
NOTES = TEXT.filter(lambda s: not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]", s))
"""Notes: tabs and line breaks, no other control characters."""


@st.composite
def glossaries(draw: st.DrawFn) -> list[Entry]:
    """A few valid entries with unique ids, as the glossary would read them back."""
    ids = draw(
        st.lists(
            st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True), max_size=4, unique=True
        )
    )
    return [
        parse_entry(
            entry_id,
            {
                "canonical": draw(COLUMN.filter(str.strip)),
                "arabic": draw(st.lists(COLUMN, max_size=3)),
                "variants": draw(st.lists(COLUMN, max_size=3)),
                "kind": draw(st.sampled_from([k.value for k in Kind])),
                "notes": draw(NOTES),
                "only_with_arabic": draw(st.lists(COLUMN, max_size=2)),
            },
        )
        for entry_id in ids
    ]


@settings(max_examples=60, deadline=None)
@given(entries=glossaries())
def test_any_glossary_round_trips(entries: list[Entry]) -> None:
    """Whatever the entries hold, TBX, CSV and TSV give every one back exactly."""
    want = [values(e) for e in entries]
    assert [values(e) for e in tbx.parse_tbx(tbx_export.to_tbx_bytes(entries), "x.tbx")] == want
    with tempfile.TemporaryDirectory() as folder:
        for name in ("x.csv", "x.tsv"):
            path = Path(folder) / name
            tabular.write_table(entries, path)
            assert [values(e) for e in tabular.read_table(path)] == want
