"""`desk tm`: TMX import and export on real sentence pairs, read back by translate-toolkit
and written by it; stats, removal, the concordance and a segment's matches; hostile and
broken files refused with their name and line, nothing stored."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from translate.storage import tmx as tt_tmx

from desk.app.home import Home
from desk.core.tm.text import key
from tests.helpers.cli import DeskCli, clear_gate
from tests.helpers.paths import SAMPLES

pytestmark = pytest.mark.both_backends

SLUG = "lattakia-offensive"
NEWS = [
    tuple(line.split("\t"))
    for line in (SAMPLES / "corpus" / "news.tsv").read_text(encoding="utf-8").splitlines()[1:121]
]


def news_tmx(rows: list[tuple[str, ...]], *, tail: str = "") -> str:
    """A TMX 1.4b of corpus rows as another desk would write it: author, dates, story
    and a note on each unit; `tail` (raw XML) after the last unit."""
    units = []
    for n, (ar, en) in enumerate(rows):
        units.append(
            f'<tu creationid="tr{n % 3}" creationdate="201505{1 + n % 28:02d}T0600{n % 60:02d}Z" '
            f'changedate="20150601T1200{n % 60:02d}Z">'
            f'<prop type="x-desk-story">story-{n // 10}</prop><note>row {n}</note>'
            f'<tuv xml:lang="ar-SY"><seg>{escape(ar)}</seg></tuv>'
            f'<tuv xml:lang="en-GB"><seg>{escape(en)}</seg></tuv></tu>\n'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        '<header creationtool="other-desk" creationtoolversion="2" datatype="plaintext" '
        'segtype="sentence" adminlang="en" srclang="ar" o-tmf="x"/>\n<body>\n'
        + "".join(units) + tail + "</body>\n</tmx>\n"
    )  # fmt: skip


def distinct(rows: list[tuple[str, ...]]) -> list[tuple[str, str]]:
    """The pairs an import keeps: each once, only those with Arabic words."""
    seen: dict[tuple[str, str], None] = {}
    for ar, en in rows:
        if key(ar) and en.strip():
            seen.setdefault((ar.strip(), en.strip()))
    return list(seen)


def stats(desk: DeskCli) -> dict[str, object]:
    """`desk tm stats --json`."""
    return dict(json.loads(desk("tm", "stats", "--json").output))


def test_news_import_search_export_read_back_by_translate_toolkit(
    desk: DeskCli, tmp_path: Path
) -> None:
    """120 corpus pairs: imported once (a second import skips them all), found by the
    concordance in Arabic and English, exported and read back by translate-toolkit with
    every unit, its author, dates and properties."""
    path = tmp_path / "news.tmx"
    path.write_text(news_tmx(NEWS), encoding="utf-8")
    pairs = distinct(NEWS)
    result = desk("tm", "import", str(path))
    assert f"Imported {len(pairs)} units from {path} as tmx:news.tmx" in result.output
    again = json.loads(desk("tm", "import", str(path), "--json").output)
    assert again == {
        "file": str(path), "origin": "tmx:news.tmx", "added": 0, "held": len(NEWS),
        "without_arabic_words": 0, "incomplete": 0,
    }  # fmt: skip
    summary = stats(desk)
    assert summary["origins"] == {"tmx:news.tmx": {"units": len(pairs), "published": 0}}
    assert int(summary["postings"]) > len(pairs)  # type: ignore[call-overload]
    assert "tmx:news.tmx" in desk("tm", "stats").output

    # The concordance: every unit holding the phrase, and only those.
    found = json.loads(desk("tm", "search", "المرصد السوري", "--limit", "500", "--json").output)
    expected = {(ar, en) for ar, en in pairs if "المرصد السوري" in ar}
    assert expected and {(u["source"], u["target"]) for u in found["units"]} == expected
    assert found["more"] is False
    assert all(u["where"].startswith("tmx:news.tmx (story-") for u in found["units"])
    english = desk("tm", "search", "Syrian Observatory", "--limit", "2")
    assert english.output.count("  en: ") == 2 and "Syrian Observatory" in english.output
    assert "more may exist" in english.stderr
    assert "Nothing in the memory" in desk("tm", "search", "xylophone").output

    # Export, read back by another tool.
    out = tmp_path / "out.tmx"
    assert f"Wrote {len(pairs)} units to {out}" in desk("tm", "export", str(out)).output
    store = tt_tmx.tmxfile.parsefile(str(out))
    assert [(u.source, u.target) for u in store.units] == pairs
    row_of = {(ar.strip(), en.strip()): n for n, (ar, en) in reversed(list(enumerate(NEWS)))}
    for unit in store.units:
        n = row_of[(unit.source, unit.target)]
        element = unit.xmlelement
        assert element.get("creationid") == f"tr{n % 3}"
        assert element.get("creationdate") == f"201505{1 + n % 28:02d}T0600{n % 60:02d}Z"
        assert element.get("changedate") == f"20150601T1200{n % 60:02d}Z"
        props = {p.get("type"): p.text for p in element.iter("prop")}
        assert props == {
            "x-desk-origin": "tmx:news.tmx", "x-desk-story": f"story-{n // 10}",
            "x-desk-status": "unpublished",
        }  # fmt: skip
        langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in element]
        assert langs[-2:] == ["ar", "en"]
    header = store.document.getroot().find("header")
    assert header is not None and header.get("srclang") == "ar"
    assert header.get("creationtool") == "desk" and header.get("o-tmf") == "desk"

    # Standard output gives the same document; only published units: none yet.
    piped = desk("tm", "export", "-")
    assert piped.stdout == out.read_text(encoding="utf-8")
    assert f"Wrote {len(pairs)} units to standard output" in piped.stderr
    published = tmp_path / "published.tmx"
    desk("tm", "export", str(published), "--status", "published")
    assert tt_tmx.tmxfile.parsefile(str(published)).units == []

    # Removed by origin; the desk's own origin is refused.
    assert (
        f"Removed {len(pairs)} units of origin tmx:news.tmx"
        in desk("tm", "remove", "--origin", "tmx:news.tmx").output
    )
    assert stats(desk)["units"] == 0
    gone = desk("tm", "remove", "--origin", "tmx:news.tmx", ok=False)
    assert gone.exit_code == 3 and "no imported units of origin" in gone.stderr


def test_desk_units_export_with_story_segment_and_status(
    desk: DeskCli, env: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk's confirmed segments export as units of their story and segment, published
    once the story is; `--status published` keeps only those; imported into another desk
    they keep story and properties."""
    desk("confirm", SLUG, "1", "2", "3", "--as", "rania")
    out = tmp_path / "desk.tmx"
    desk("tm", "export", str(out))
    story = env.desk.store.load_story(SLUG)
    units = tt_tmx.tmxfile.parsefile(str(out)).units
    assert [(u.source, u.target) for u in units] == [(s.source, s.text) for s in story.segments[:3]]
    for n, unit in enumerate(units, start=1):
        props = {p.get("type"): p.text for p in unit.xmlelement.iter("prop")}
        assert props == {"x-desk-origin": "desk", "x-desk-story": SLUG,
                         "x-desk-segment": str(n), "x-desk-status": "unpublished"}  # fmt: skip
        assert unit.xmlelement.get("creationid") == "rania"
    assert "lattakia-offensive §2 (unpublished)" in desk("tm", "search", "al-Akrad").output + (
        desk("tm", "search", story.segments[1].text.split()[1]).output
    )

    desk("confirm", SLUG, "--all", "--as", "tr")
    desk("status", SLUG, "review", "--as", "tr")
    clear_gate(desk, SLUG, "ed")
    desk("status", SLUG, "approved", "--force", "--as", "ed")
    desk("publish", SLUG, "--force", "--as", "ed")
    published = tmp_path / "published.tmx"
    desk("tm", "export", str(published), "--status", "published")
    units = tt_tmx.tmxfile.parsefile(str(published)).units
    assert len(units) == len([s for s in story.segments if s.source.strip()]) > 3
    statuses = {p.text for u in units for p in u.xmlelement.iter("prop")
                if p.get("type") == "x-desk-status"}  # fmt: skip
    assert statuses == {"published"}

    # Into another desk (its own SQLite file, not this test's database): the units keep
    # their story and origin as properties.
    monkeypatch.delenv("DESK_DATABASE_URL", raising=False)
    other = tmp_path / "other-home"
    desk("--home", str(other), "tm", "import", str(published), "--origin", "hq")
    found = json.loads(desk("--home", str(other), "tm", "search", "Lattakia", "--json").output)
    assert found["units"] and {u["origin"] for u in found["units"]} == {"hq"}
    assert {u["where"] for u in found["units"]} == {f"hq ({SLUG})"}


def test_a_tmx_written_by_translate_toolkit_imports(desk: DeskCli, tmp_path: Path) -> None:
    """translate-toolkit's TMX (its DOCTYPE naming tmx14.dtd, srclang on each unit,
    notes): every pair imports and is found."""
    store = tt_tmx.tmxfile(sourcelanguage="ar", targetlanguage="en")
    rows = NEWS[:40]
    for n, (ar, en) in enumerate(rows):
        store.addtranslation(ar, "ar", en, "en", comment=f"row {n}")
    path = tmp_path / "toolkit.tmx"
    store.savefile(str(path))
    assert "<!DOCTYPE tmx" in path.read_text(encoding="utf-8")
    pairs = distinct(rows)
    assert f"Imported {len(pairs)} units" in desk("tm", "import", str(path)).output
    found = json.loads(desk("tm", "search", "regime forces", "--limit", "100", "--json").output)
    expected = {(ar, en) for ar, en in pairs if "regime forces" in en.lower()}
    assert expected and {(u["source"], u["target"]) for u in found["units"]} == expected
    # The same file on standard input, under an origin of its own.
    piped = desk("tm", "import", "-", "--origin", "piped", input=path.read_text(encoding="utf-8"))
    assert f"Imported {len(pairs)} units from standard input as piped" in piped.output
    assert stats(desk)["origins"] == {
        "piped": {"units": len(pairs), "published": 0},
        "tmx:toolkit.tmx": {"units": len(pairs), "published": 0},
    }


def test_matches_for_a_segment(desk: DeskCli, env: Home, tmp_path: Path) -> None:
    """A segment's own sentence in the memory is a 100% match; the sentence less a word,
    a fuzzy one with the word diff of its Arabic; each says where it came from."""
    seg = env.desk.store.load_story(SLUG).segment(3)
    words = seg.source.split()
    shorter = " ".join(words[:-2] + words[-1:])
    path = tmp_path / "near.tmx"
    path.write_text(
        news_tmx([(seg.source, "The exact English."), (shorter, "The fuzzy English.")]),
        encoding="utf-8",
    )
    desk("tm", "import", str(path))
    found = json.loads(desk("tm", "matches", SLUG, "3", "--json").output)
    assert [(m["label"], m["kind"], m["target"]) for m in found][:2] == [
        ("100%", "exact", "The exact English."),
        (found[1]["label"], "fuzzy", "The fuzzy English."),
    ]
    assert 70 <= found[1]["score"] < 100
    assert any(op["op"] != "equal" for op in found[1]["diff"])
    text = desk("tm", "matches", SLUG, "3").output
    assert "100%  exact" in text and "from: tmx:near.tmx (story-0)" in text
    assert "{+" in text  # the segment's word the match lacks
    assert "No match of 70% or more" in desk("tm", "matches", SLUG, "1").output
    missing = desk("tm", "matches", "no-such-story", "1", ok=False)
    assert missing.exit_code == 3 and "Traceback" not in missing.output


def test_origins_are_checked(desk: DeskCli, tmp_path: Path) -> None:
    """`desk` is the desk's own origin: neither imported under nor removed; an origin is
    one line."""
    path = tmp_path / "news.tmx"
    path.write_text(news_tmx(NEWS[:5]), encoding="utf-8")
    for args, code, needle in [
        (["tm", "import", str(path), "--origin", "desk"], 4, "the origin `desk`"),
        (["tm", "import", str(path), "--origin", "a\x1bb"], 1, "one line"),
        (["tm", "remove", "--origin", "desk"], 4, "leave the memory only with their segments"),
    ]:
        result = desk(*args, ok=False)
        assert result.exit_code == code and needle in result.stderr
    assert stats(desk)["units"] == 0


LATE_ERROR = news_tmx(NEWS, tail="<tu><tuv xml:lang='ar'><seg>x</tuv></tu>\n")


def test_an_error_at_the_end_stores_nothing(desk: DeskCli, tmp_path: Path) -> None:
    """120 good units, then a broken one: the error names the line, no unit is kept."""
    path = tmp_path / "late.tmx"
    path.write_text(LATE_ERROR, encoding="utf-8")
    result = desk("tm", "import", str(path), ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output + result.stderr
    assert f"{path}:125: not well-formed XML (mismatched tag)" in result.stderr
    assert stats(desk)["units"] == 0


HOSTILE = {
    "billion-laughs": (
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n' + news_tmx(NEWS[:3]).split("\n", 1)[1],
        ":3: refused: the file declares XML entities",
    ),
    "external-entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY s SYSTEM "file:///etc/passwd">\n]>\n'
        + news_tmx(NEWS[:3]).split("\n", 1)[1].replace("row 0", "&s;"),
        ":3: refused: the file declares XML entities",
    ),
    "deep": (news_tmx(NEWS[:3], tail="<tu>" + "<hi>" * 2000 + "</hi>" * 2000 + "</tu>"),
             ":8: elements nested too deeply"),
    "malformed": (news_tmx(NEWS[:3]).replace("</seg>", "</sag>", 1), ":5: not well-formed XML"),
    "truncated": (news_tmx(NEWS[:3])[:-40], ": not well-formed XML"),
    "english-source": (news_tmx(NEWS[:3]).replace('srclang="ar"', 'srclang="en"'),
                       ":3: the memory's source language is 'en'"),
    "other-languages": (news_tmx(NEWS[:3]).replace("ar-SY", "fa").replace("en-GB", "de"),
                        "no unit holds both an Arabic and an English segment"),
    "not-utf-8": (news_tmx(NEWS[:3]).encode().replace(NEWS[1][0][:5].encode(), NEWS[1][0][:5].encode("cp1256")),
                  ":6: not UTF-8 text"),
    "empty": ("", ": empty file"),
}  # fmt: skip


@pytest.mark.sqlite_only
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_and_broken_files_are_refused(desk: DeskCli, tmp_path: Path, name: str) -> None:
    """Each: one line naming the file (and line), a non-zero exit, no traceback, nothing
    stored."""
    data, needle = HOSTILE[name]
    path = tmp_path / f"{name}.tmx"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    result = desk("tm", "import", str(path), ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}")
    assert needle in result.stderr and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output + result.stderr
    assert stats(desk)["units"] == 0


@pytest.mark.sqlite_only
def test_a_huge_file_is_refused_by_its_size(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_TMX_BYTES (lowered to 1 MiB here; a 1.3 MiB file of good units): refused
    by size, nothing stored. A missing file is a one-line error too."""
    from desk.core.tm import tmx

    monkeypatch.setattr(tmx, "MAX_TMX_BYTES", 2**20)
    path = tmp_path / "huge.tmx"
    path.write_text(news_tmx(NEWS * 20), encoding="utf-8")
    assert path.stat().st_size > 2**20
    result = desk("tm", "import", str(path), ok=False)
    assert result.exit_code == 1 and f"{path}: larger than 1 MiB" in result.stderr
    assert stats(desk)["units"] == 0
    missing = desk("tm", "import", str(tmp_path / "none.tmx"), ok=False)
    assert missing.exit_code == 1 and "none.tmx: no such file" in missing.stderr


@pytest.mark.sqlite_only
def test_a_fifo_is_refused_not_waited_on(desk: DeskCli, tmp_path: Path) -> None:
    fifo = tmp_path / "memory.tmx"
    os.mkfifo(fifo)
    result = desk("tm", "import", str(fifo), ok=False)
    assert result.exit_code != 0 and "not a regular file" in result.stderr


def test_published_units_come_back_published(desk: DeskCli, tmp_path: Path) -> None:
    """A desk's export says which units are published; importing it keeps that rank."""
    rows = NEWS[:3]
    body = "".join(
        f'<tu><prop type="x-desk-status">{status}</prop><tuv xml:lang="ar"><seg>{ar}</seg>'
        f'</tuv><tuv xml:lang="en"><seg>{escape(en)}</seg></tuv></tu>\n'
        for (ar, en), status in zip(rows, ("published", "unpublished", "published"), strict=True)
    )
    path = tmp_path / "desk.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ar" '
        'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="desk" creationtool="desk"'
        f' creationtoolversion="1"/><body>\n{body}</body></tmx>\n',
        encoding="utf-8",
    )
    desk("tm", "import", str(path))
    origins = stats(desk)["origins"]
    assert origins == {"tmx:desk.tmx": {"units": 3, "published": 2}}
