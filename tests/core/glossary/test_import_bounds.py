"""Glossary import at scale and under attack: bounded memory, capped input, one-line names.

The speed of import is measured in bench/ (`python -m bench --only glossary_import`), never
asserted here; these tests pin what the fast paths must keep (the same ids, the same
bytes, the same entries) and the limits that bound a hostile file.
"""

from __future__ import annotations

import tomllib
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.core.errors import InputError
from desk.core.glossary import files, tabular, tbx, toml_text
from desk.core.glossary.files import IdPool, unique_id
from desk.core.glossary.model import Entry, Kind, load_files

TBX3 = (
    '<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2">\n'
    "<text><body>\n{}</body></text></tbx>"
)


def concept(cid: str, english: str, arabic: str = "حلب") -> str:
    """A conceptEntry with a preferred English term and an Arabic one, on one line."""
    return (
        f'<conceptEntry id="{cid}"><langSec xml:lang="en"><termSec><term>{english}</term>'
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>'
        f'</langSec><langSec xml:lang="ar"><termSec><term>{arabic}</term></termSec>'
        "</langSec></conceptEntry>\n"
    )


def test_elements_outside_concepts_are_not_kept() -> None:
    """200,000 empty elements between two concepts: read in a few MB, not a tree of them.

    The reader built the whole document's tree before looking at it (a 60 MB file of
    empty elements took 4.2 GB); it now keeps one concept at a time.
    """
    filler = "<x/>" * 200_000
    data = TBX3.format(concept("a", "Aleppo") + filler + concept("b", "Homs")).encode()
    tracemalloc.start()
    try:
        entries = tbx.parse_tbx(data, "big.tbx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [e.canonical for e in entries] == ["Aleppo", "Homs"]
    assert peak < 8 * 2**20, f"{peak / 2**20:.0f} MB"


@pytest.mark.parametrize(
    ("limit", "body", "needles"),
    [
        ("MAX_ELEMENTS", "<x/>\n" * 60, ["big.tbx:", "more than 50 XML elements"]),
        (
            "MAX_CONCEPT_ELEMENTS",
            concept("a", "Aleppo").replace("</conceptEntry>", "<x/>" * 60 + "</conceptEntry>"),
            ["big.tbx:3 (entry a)", "more than 50 elements in one concept"],
        ),
        ("MAX_ENTRIES", "".join(concept(f"c{n}", f"Name {n}") for n in range(60)),
         ["big.tbx:53:", "more than 50 entries"]),
    ],
)  # fmt: skip
def test_tbx_past_a_limit_is_refused_with_its_line(
    monkeypatch: pytest.MonkeyPatch, limit: str, body: str, needles: list[str]
) -> None:
    """Too many elements, too many in one concept, too many concepts: one clear error."""
    monkeypatch.setattr(tbx, limit, 50)
    with pytest.raises(InputError) as info:
        tbx.parse_tbx(TBX3.format(body).encode(), "big.tbx")
    for needle in needles:
        assert needle in str(info.value)


def test_table_past_the_row_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSV/TSV of more rows than MAX_ROWS: refused naming the file and line."""
    monkeypatch.setattr(tabular, "MAX_ROWS", 50)
    path = tmp_path / "many.tsv"
    path.write_text("# header\n" + "".join(f"حلب\tName {n}\n" for n in range(60)))
    with pytest.raises(InputError, match=r"many\.tsv:52: more than 50 rows"):
        tabular.read_table(path)


def test_concepts_sharing_an_id_or_a_name_get_the_ids_they_always_got() -> None:
    """Thousands of concepts with one id (or none, one name): x, x-2, x-3... in order."""
    same_id = "".join(concept("x", f"Name {n}") for n in range(3000))
    ids = [e.id for e in tbx.parse_tbx(TBX3.format(same_id).encode(), "ids.tbx")]
    assert ids == ["x"] + [f"x-{n}" for n in range(2, 3001)]
    # Plain rows of 3,000 targets that all make the id tel-tamer (Arabic-Indic digits
    # have no ASCII form).
    digits = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    rows = "".join(f"حلب\tTel Tamer {str(n).translate(digits)}\n" for n in range(3000))
    taken: set[str] = set()
    for entry in tabular.parse_table(rows, "t.tsv", "tsv"):
        assert entry.id == unique_id("tel-tamer", taken)
        taken.add(entry.id)
    assert len(taken) == 3000


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["x", "x-2", "y", "x-3", "y-2"]), max_size=30), st.data())
def test_id_pool_hands_out_what_unique_id_would(preset: list[str], data: st.DataObject) -> None:
    """IdPool.unique is unique_id over the ids taken so far, whatever was taken before."""
    pool, taken = IdPool(preset), set(preset)
    for base in data.draw(st.lists(st.sampled_from(["x", "y", "z"]), max_size=30)):
        got = pool.unique(base)
        assert got == unique_id(base, taken)
        if data.draw(st.booleans()):  # an import may refuse the entry: the id is not taken
            pool.add(got)
            taken.add(got)


def test_a_concept_inside_a_concept_comes_after_it() -> None:
    """Nested concepts (no TBX has them) come out in document order, outer first."""
    inner = concept("inner", "Homs")
    outer = concept("outer", "Aleppo").replace("</conceptEntry>", inner + "</conceptEntry>")
    entries = tbx.parse_tbx(TBX3.format(outer).encode(), "nested.tbx")
    assert [e.id for e in entries] == ["outer", "inner"]


@pytest.mark.parametrize(
    ("english", "arabic", "needles"),
    [
        ("Tel&#10;Tamer", "تل تمر", ["x.tbx:3 (entry tel-tamer)", "canonical", "U+000A"]),
        ("Tel Tamer", "تل&#9;تمر", ["x.tbx:3 (entry tel-tamer)", "arabic", "U+0009"]),
        ("Tel&#x2028;Tamer", "تل تمر", ["x.tbx:3 (entry tel-tamer)", "U+2028"]),
    ],
)
def test_tbx_names_with_a_line_break_or_tab_are_refused(
    english: str, arabic: str, needles: list[str]
) -> None:
    """A term with a line break or tab was imported, then no CSV export could be written."""
    data = TBX3.format(concept("tel-tamer", english, arabic)).encode()
    with pytest.raises(InputError) as info:
        tbx.parse_tbx(data, "x.tbx")
    assert "a name is one line of text" in str(info.value)
    for needle in needles:
        assert needle in str(info.value)


@pytest.mark.parametrize(
    "row", ["حلب\tAle\x1bppo\n", "حلب\tAle\u2028ppo\tnote\n", "ح\x07لب\tAleppo\n"]
)
def test_table_names_with_control_characters_are_refused(row: str) -> None:
    """An escape, a bell or a line separator inside a CSV/TSV cell: refused with its line."""
    with pytest.raises(InputError, match=r"^t\.tsv:2 \(entry ale-?ppo\): .* holds U\+"):
        tabular.parse_table("# header\n" + row, "t.tsv", "tsv")


TEXT = st.text(st.sampled_from(list("aé\"\\\t\n\r\x7f\x00 تل\u2028x-#[]'")), max_size=12)


@settings(max_examples=500, deadline=None)
@given(
    st.from_regex(r"[a-z0-9][a-z0-9_-]{0,5}", fullmatch=True),
    TEXT,
    st.lists(TEXT, max_size=4),
    st.lists(TEXT.map(lambda s: s * 8), max_size=4),
    st.sampled_from(list(Kind)),
    TEXT,
    st.lists(TEXT, max_size=2),
)
def test_tables_written_directly_are_tomlkit_s_and_read_back(
    entry_id: str,
    canonical: str,
    arabic: list[str],
    variants: list[str],
    kind: Kind,
    notes: str,
    only: list[str],
) -> None:
    """A table written without tomlkit has tomlkit's bytes and reads back as the entry."""
    entry = Entry(entry_id, canonical, tuple(arabic), tuple(variants), kind, notes, tuple(only))
    direct = toml_text.render_direct(entry)
    if direct is None:
        return
    assert direct == toml_text.render_toml(entry)
    table = tomllib.loads(direct)[entry_id]
    assert table == {key: value for key, value in files._fields(entry).items() if key in table}
    assert table["canonical"] == canonical and table["arabic"] == arabic


def test_added_entries_escaped_or_not_read_back_with_their_lines(tmp_path: Path) -> None:
    """Entries written directly and through tomlkit, into a file with a comment and no
    final newline: each reads back as given, at the line add_entries returned."""
    path = tmp_path / "x.toml"
    path.write_text('# mine\n[old]\ncanonical = "Old"  # no newline at the end')
    new = [
        Entry("plain", "Tel Tamer", ("تل تمر",), ("Tal Tamr",), Kind.PLACE, "One line."),
        Entry("quoted", 'Abu "the Sheikh"', ("أبو",), notes="Two\nlines with \\ in them."),
        Entry("lines", "Jisr", ("جسر",), notes="Over\ntwo lines"),
    ]
    written = files.add_entries(path, new)
    loaded = {e.id: e for e in load_files([path]).entries}
    assert list(loaded) == ["old", "plain", "quoted", "lines"]
    for entry in written:
        assert loaded[entry.id] == entry
        assert files._fields(entry) == files._fields(next(e for e in new if e.id == entry.id))
