"""Editing glossary TOML files in place: comments and order survive, bad edits never land."""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.core.errors import InputError
from desk.core.glossary import files
from desk.core.glossary.model import Entry, Kind, load_files, parse_entry
from tests.helpers.glossary import values
from tests.helpers.paths import FIXTURES

HOUSE = FIXTURES / "glossary" / "house.toml"
HEADER = re.compile(r"^\[\s*\"?([a-z0-9_-]+)\"?\s*\]", re.MULTILINE)


@pytest.fixture
def house(tmp_path: Path) -> Path:
    """A copy of the hand-written house glossary (comments, odd order, mixed quoting)."""
    path = tmp_path / "glossaries" / "house.toml"
    path.parent.mkdir()
    shutil.copy(HOUSE, path)
    return path


def chunks(text: str) -> dict[str, str]:
    """The text cut at each `[id]` header: `""` is what comes before the first one."""
    starts = [(m.start(), m.group(1)) for m in HEADER.finditer(text)]
    bounds = [*(s for s, _ in starts), len(text)]
    out = {"": text[: bounds[0]]}
    for (start, key), end in zip(starts, bounds[1:], strict=True):
        out[key] = text[start:end]
    return out


def assert_only_changed(before: str, after: str, entry_id: str) -> None:
    """Every part of the file but the entry's own is byte-for-byte the same."""
    old, new = chunks(before), chunks(after)
    assert list(old) == list(new)
    for key in old:
        if key != entry_id:
            assert new[key] == old[key], key


def test_edit_changes_only_the_entry_lines(house: Path) -> None:
    """New variants, a new field: the rest of the file, comments included, is untouched."""
    before = house.read_text()
    entry = files.edit_entry(
        house,
        "hassakeh",
        variants=["Hasakah", "al-Hasakah", "Hassake"],
        notes="Governorate in the north-east.",
    )
    after = house.read_text()
    assert_only_changed(before, after, "hassakeh")
    assert chunks(after)["hassakeh"] == (
        "[hassakeh]\n"
        "arabic = ['الحسكة']\n"
        "canonical = 'Hassakeh'\n"
        'variants = ["Hasakah", "al-Hasakah", "Hassake"]\n'
        'kind = "place"\n'
        'notes = "Governorate in the north-east."\n'
        "\n"
        "# Person names: keep the kunya as written by the group.\n"
    )
    assert entry.variants == ("Hasakah", "al-Hasakah", "Hassake")
    assert entry.source == str(house) and entry.line == 17


def test_multiline_array_keeps_its_comments(house: Path) -> None:
    """Adding and removing a variant edits the array in place, comments and all."""
    before = house.read_text()
    files.add_variant(house, "lattakia", "Ladhiqiya")
    files.remove_variant(house, "lattakia", "Latakiya")
    after = house.read_text()
    assert_only_changed(before, after, "lattakia")
    assert before.replace('  "Latakiya",\n', '  "Ladhiqiya",\n') == after


def test_canonical_kind_and_scope(house: Path) -> None:
    """Scalars change in place; an emptied optional field goes away with its line."""
    before = house.read_text()
    files.edit_entry(house, "4th-division", canonical="4th Division", kind=Kind.OTHER)
    files.edit_entry(house, "abu-humam-al-shami", only_with_arabic=[])
    after = house.read_text()
    assert after == (
        before.replace(
            'canonical = "Fourth Division"\nkind = "organisation"',
            'canonical = "4th Division"\nkind = "other"',
        ).replace('only_with_arabic = ["الشامي"]   # "al-Shami" alone is too common\n', "")
    )
    glossary = load_files([house])
    entry = glossary.by_id("4th-division")
    assert entry is not None and entry.kind == Kind.OTHER and entry.canonical == "4th Division"


def test_single_string_becomes_a_list(house: Path) -> None:
    """`arabic = "حلب"` is one form; adding a second writes a list."""
    entry = files.add_arabic(house, "aleppo", "حلب الشهباء")
    assert entry.arabic == ("حلب", "حلب الشهباء")
    assert 'arabic = ["حلب", "حلب الشهباء"]\n' in house.read_text()
    entry = files.remove_arabic(house, "aleppo", "حلب")
    assert entry.arabic == ("حلب الشهباء",)


def test_replace_entry_and_no_op(house: Path) -> None:
    """replace_entry writes all fields; an edit that changes nothing does not write."""
    old = load_files([house]).by_id("sdf")
    assert old is not None
    before = house.read_bytes()
    mtime = house.stat().st_mtime_ns
    files.replace_entry(house, old)
    assert house.read_bytes() == before and house.stat().st_mtime_ns == mtime
    new = Entry("sdf", "SDF", ("قسد",), ("S.D.F.",), Kind.ORGANISATION, "Short form.")
    written = files.replace_entry(house, new)
    assert values(written) == values(new)
    assert_only_changed(before.decode(), house.read_text(), "sdf")


def test_remove_takes_the_comment_above_and_keeps_the_next_ones(house: Path) -> None:
    """The comment block directly above an entry goes with it; the next entry's stays."""
    before = house.read_text()
    removed = files.remove_entry(house, "abu-humam-al-shami")
    assert removed.canonical == "Abu Humam al-Shami"
    after = house.read_text()
    block = before[before.index("# Person names") : before.index('["4th-division"]')]
    assert after == before.replace(block, "")
    files.remove_entry(house, "hassakeh")
    assert "# Person names" not in house.read_text()
    files.remove_entry(house, "un")
    text = house.read_text()
    assert text.endswith('arabic = "حلب"\n\n# end of file\n')
    assert "# No Arabic form yet" not in text
    files.remove_entry(house, "lattakia")
    text = house.read_text()
    assert text.startswith("# House glossary for the tests")  # the file's header stays
    assert [e.id for e in load_files([house]).entries] == ["4th-division", "sdf", "aleppo"]


def test_remove_keeps_the_comment_of_the_entry_below(house: Path) -> None:
    """Removing hassakeh leaves the comment that describes the entry after it."""
    before = house.read_text()
    files.remove_entry(house, "hassakeh")
    after = house.read_text()
    start = before.index("\n[hassakeh]")
    end = before.index("\n# Person names")
    assert after == before[:start] + before[end:]


def test_add_appends_and_keeps_the_file(house: Path) -> None:
    """The old bytes are a prefix of the new; the entry reads back as given."""
    before = house.read_text()
    entry = Entry("tel-tamer", " Tel Tamer ", ("تل تمر",), ("Tal Tamr",), Kind.PLACE, "Town.")
    written = files.add_entry(house, entry)
    after = house.read_text()
    assert after.startswith(before + "\n[tel-tamer]\n")
    assert (
        written.canonical == "Tel Tamer" and written.line == after.count("\n", 0, len(before)) + 2
    )
    assert values(load_files([house]).entries[-1]) == values(written)


def test_add_creates_a_file_with_a_header(tmp_path: Path) -> None:
    """A missing file (and folder) is created, starting with the header comment."""
    path = tmp_path / "new" / "people.toml"
    files.add_entry(path, Entry("abu-humam", "Abu Humam", kind=Kind.PERSON))
    text = path.read_text()
    assert text.startswith(files.HEADER)
    assert text.endswith(
        '[abu-humam]\ncanonical = "Abu Humam"\narabic = []\nvariants = []\nkind = "person"\n'
    )
    assert stat.S_IMODE(path.stat().st_mode) & 0o044  # not the 0600 of a bare temp file


def test_add_entries_is_all_or_nothing(house: Path) -> None:
    """One bad entry in a batch: nothing is written."""
    before = house.read_bytes()
    good = Entry("tel-tamer", "Tel Tamer")
    with pytest.raises(InputError, match="Bad Id"):
        files.add_entries(house, [good, Entry("Bad Id", "Bad")])
    with pytest.raises(InputError, match="twice"):
        files.add_entries(house, [good, good])
    assert house.read_bytes() == before
    assert files.add_entries(house, []) == []
    assert [e.id for e in files.add_entries(house, [good, Entry("idleb", "Idleb")])] == [
        "tel-tamer",
        "idleb",
    ]


def test_duplicate_ids_are_refused(house: Path, tmp_path: Path) -> None:
    """An id in the same file or in the other loaded files: InputError naming it."""
    before = house.read_bytes()
    with pytest.raises(InputError) as info:
        files.add_entry(house, Entry("lattakia", "Latakia"))
    assert "house.toml" in str(info.value) and "lattakia" in str(info.value)
    other = tmp_path / "glossaries" / "people.toml"
    with pytest.raises(InputError) as info:
        files.add_entry(other, Entry("sdf", "SDF"), load_files([house]).entries)
    assert f"{house}:37 (entry sdf)" in str(info.value)
    assert not other.exists()
    assert house.read_bytes() == before


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        ({"kind": "planet"}, ["house.toml:17", "hassakeh", "planet"]),
        ({"canonical": "  "}, ["house.toml:17", "hassakeh", "canonical"]),
        ({"variants": ["ok", 3]}, ["house.toml:17", "hassakeh", "variants"]),
    ],
)
def test_failed_edit_leaves_the_file_byte_identical(
    house: Path, change: dict[str, object], needles: list[str]
) -> None:
    """A value the glossary cannot hold: InputError naming file and entry, nothing written."""
    before = house.read_bytes()
    with pytest.raises(InputError) as info:
        files.edit_entry(house, "hassakeh", **change)  # type: ignore[arg-type]
    for needle in needles:
        assert needle in str(info.value)
    assert house.read_bytes() == before


def test_refused_conveniences(house: Path) -> None:
    """Adding what is there or removing what is not is refused, file untouched."""
    before = house.read_bytes()
    for call, arg in [
        (files.add_variant, "Latakia"),
        (files.add_variant, "Lattakia"),
        (files.remove_variant, "Latakiyya"),
        (files.add_arabic, "اللاذقية"),
        (files.remove_arabic, "حلب"),
    ]:
        with pytest.raises(InputError, match="lattakia"):
            call(house, "lattakia", arg)
    assert house.read_bytes() == before


def test_unknown_id(house: Path) -> None:
    """Edit, remove or find an id the file does not have: InputError naming both."""
    before = house.read_bytes()
    calls: list[Callable[[], Entry]] = [
        lambda: files.edit_entry(house, "damascus", canonical="Damascus"),
        lambda: files.remove_entry(house, "damascus"),
        lambda: files.add_variant(house, "damascus", "Dimashq"),
    ]
    for call in calls:
        with pytest.raises(InputError) as info:
            call()
        assert "house.toml" in str(info.value) and "damascus" in str(info.value)
    with pytest.raises(InputError, match="damascus"):
        files.find_entry_file([house], "damascus")
    assert house.read_bytes() == before


def test_find_entry_file(house: Path, tmp_path: Path) -> None:
    """The file that holds the id, among several."""
    people = tmp_path / "glossaries" / "people.toml"
    files.add_entry(people, Entry("abu-humam", "Abu Humam"))
    assert files.find_entry_file([people, house], "sdf") == house
    assert files.find_entry_file([people, house], "abu-humam") == people


def test_a_failed_write_changes_nothing(house: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rename fails: InputError, old bytes in place, no temporary file left."""
    before = house.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError, match="cannot write"):
        files.add_variant(house, "lattakia", "Ladhiqiya")
    assert house.read_bytes() == before
    assert sorted(p.name for p in house.parent.iterdir()) == ["house.toml"]


def test_permissions_are_kept(house: Path) -> None:
    """The rename does not turn a 0640 file into the temp file's mode."""
    house.chmod(0o640)
    files.add_variant(house, "lattakia", "Ladhiqiya")
    assert stat.S_IMODE(house.stat().st_mode) == 0o640


def test_a_file_changed_meanwhile_is_not_overwritten(
    house: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone else writes the file between read and write: refuse, keep their change."""
    check = files._State._check

    def racing(self: files._State, text: str, expected: dict[str, Entry | None]) -> list[Entry]:
        house.write_text(house.read_text() + "# someone else\n")
        return check(self, text, expected)

    monkeypatch.setattr(files._State, "_check", racing)
    with pytest.raises(InputError, match="changed on disk"):
        files.add_variant(house, "lattakia", "Ladhiqiya")
    assert house.read_text().endswith("# someone else\n")
    assert "Ladhiqiya" not in house.read_text()


def test_a_broken_file_is_not_edited(house: Path) -> None:
    """A file that does not load is refused as it is, naming the problem."""
    house.write_text(house.read_text() + "\n[bad]\nkind = 'place'\n")
    before = house.read_bytes()
    with pytest.raises(InputError, match="canonical is missing"):
        files.add_variant(house, "lattakia", "Ladhiqiya")
    assert house.read_bytes() == before


def test_unusual_layouts_are_edited_through_tomlkit(tmp_path: Path) -> None:
    """Inline-table entries, and a multi-line string holding a header-like line."""
    path = tmp_path / "odd.toml"
    path.write_text(
        '# odd\nidleb = { canonical = "Idleb", arabic = ["إدلب"] }  # inline\n\n'
        '[aleppo]\ncanonical = "Aleppo"\nnotes = """\n[idleb]\nis not a header"""\n'
        "\n[daraa]\ncanonical = 'Daraa'\n"
    )
    files.add_variant(path, "idleb", "Idlib")
    files.edit_entry(path, "aleppo", kind="place")
    files.add_variant(path, "daraa", "Deraa")
    text = path.read_text()
    assert text.startswith("# odd\nidleb = {")
    assert "# inline" in text and "is not a header" in text
    got = {e.id: e for e in load_files([path]).entries}
    assert got["idleb"].variants == ("Idlib",)
    assert got["aleppo"].kind == Kind.PLACE and got["aleppo"].notes == "[idleb]\nis not a header"
    assert got["daraa"].variants == ("Deraa",)
    files.remove_entry(path, "idleb")
    files.remove_entry(path, "aleppo")
    assert [e.id for e in load_files([path]).entries] == ["daraa"]


TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from(list("\n\t\r\"'\\#[]=;|\x85\u2028")),
    ),
    max_size=30,
)
NAME = TEXT.filter(lambda s: not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", s))
"""A name (canonical, Arabic form, variant...): one line, no control characters."""
NOTES = TEXT.filter(lambda s: not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]", s))
"""Notes: tabs and line breaks, no other control characters."""


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    """A valid entry, as the glossary would read it back (values stripped)."""
    table = {
        "canonical": draw(NAME.filter(str.strip)),
        "arabic": draw(st.lists(NAME, max_size=3)),
        "variants": draw(st.lists(NAME, max_size=3)),
        "kind": draw(st.sampled_from([k.value for k in Kind])),
        "notes": draw(NOTES),
        "only_with_arabic": draw(st.lists(NAME, max_size=2)),
    }
    return parse_entry(draw(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True)), table)


@settings(max_examples=60, deadline=None)
@given(first=entries(), second=entries())
def test_any_entry_round_trips_through_the_file(first: Entry, second: Entry) -> None:
    """Whatever text an entry holds, adding then editing it reads back exactly."""
    with tempfile.TemporaryDirectory() as folder:
        check_round_trip(Path(folder) / "generated.toml", first, second)


def check_round_trip(path: Path, first: Entry, second: Entry) -> None:
    """Add `first`, then edit it into `second`; both read back exactly."""
    files.add_entry(path, first)
    assert [values(e) for e in load_files([path]).entries] == [values(first)]
    edited = files.edit_entry(
        path,
        first.id,
        canonical=second.canonical,
        arabic=second.arabic,
        variants=second.variants,
        kind=second.kind,
        notes=second.notes,
        only_with_arabic=second.only_with_arabic,
    )
    assert values(edited)[1:] == values(second)[1:]
    assert [values(e)[1:] for e in load_files([path]).entries] == [values(second)[1:]]
