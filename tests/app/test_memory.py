"""The translation memory through the application layer, on both stores: units kept in
step with confirmed segments, matches (exact, context, fuzzy, repaired), pre-translation,
propagation of repeats, the concordance, leverage, and a copy between the stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk.app import memory
from desk.app.home import Home
from desk.core.engine.base import NoneEngine
from desk.core.errors import RefusedError
from desk.core.importer import ImportOptions
from desk.core.store import memory as store_memory
from desk.core.story import RevisionKind, SegmentStatus, StoryStatus
from desk.core.tm.match import Unit, similarity
from desk.core.tm.text import key
from tests.helpers.paths import ROOT
from tests.helpers.stories import import_sample

pytestmark = pytest.mark.both_backends

SAMPLE = "lattakia-offensive"
# A real sentence of the Lattakia sample (its segment 13), and its English in the draft.
REAL = (
    "ويخشى ناشطون في ريف اللاذقية أن يؤدي استمرار الهجوم إلى تهجير من تبقى من سكان "
    "المنطقة، الذين يُقدّر عددهم بنحو 12.5 ألف نسمة."
)


@pytest.fixture
def home(desk_home: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    """A desk home with the house glossary and the Lattakia sample imported."""
    monkeypatch.setenv("DESK_GLOSSARY", str(ROOT / "glossaries"))
    home = Home(desk_home)
    import_sample(home, SAMPLE)
    return home


def segment_of(home: Home, slug: str, source: str) -> int:
    """The number of the segment of `slug` whose Arabic is `source`."""
    story = home.desk.store.load_story(slug)
    return next(s.n for s in story.segments if s.source == source)


def new_story(home: Home, tmp_path: Path, slug: str, sentences: list[str]) -> str:
    """Import a story of one paragraph per sentence (no draft); returns its slug."""
    text = "# " + sentences[0] + "\n\n" + "\n\n".join(sentences[1:]) + "\n"
    path = tmp_path / f"{slug}.ar.md"
    path.write_text(text, encoding="utf-8")
    home.desk.import_story(path, ImportOptions(slug=slug, date="2020-01-01"), author="imp")
    return slug


def units(home: Home) -> list[Unit]:
    """Every unit of the memory."""
    return list(store_memory.all_units(home.desk.store.conn))


def test_confirming_makes_a_unit_and_unconfirming_removes_it(home: Home) -> None:
    assert units(home) == []
    n = segment_of(home, SAMPLE, REAL)
    english = home.desk.store.load_story(SAMPLE).segment(n).text
    assert home.desk.confirm(SAMPLE, [n], author="rania") == [n]
    (unit,) = units(home)
    assert (unit.source, unit.target, unit.origin) == (REAL, english, "desk")
    assert (unit.story, unit.segment, unit.author, unit.published) == (SAMPLE, n, "rania", False)
    assert unit.key == key(REAL)
    # A correction of the English while confirmed (through an edit) leaves it edited:
    # no longer a confirmed pair, so no longer a unit.
    home.desk.edit(SAMPLE, n, english + " More.", author="rania")
    assert units(home) == []
    home.desk.confirm(SAMPLE, [n], author="rania")
    assert [u.target for u in units(home)] == [english + " More."]


def test_publishing_ranks_the_units_as_published(home: Home) -> None:
    desk = home.desk
    desk.confirm(SAMPLE, None, author="rania")
    assert units(home) and not any(u.published for u in units(home))
    desk.set_status(SAMPLE, StoryStatus.REVIEW, author="rania")
    desk.set_status(SAMPLE, StoryStatus.APPROVED, author="ed", force=True)
    desk.publish(SAMPLE, author="ed", force=True)
    assert all(u.published for u in units(home))
    desk.correct(SAMPLE, "A name corrected.", author="ed")
    assert all(u.published for u in units(home))  # what was published stays so


def test_exact_context_fuzzy_and_repaired_matches_with_their_diffs(
    home: Home, tmp_path: Path
) -> None:
    desk = home.desk
    desk.confirm(SAMPLE, None, author="rania")
    story = desk.store.load_story(SAMPLE)
    n = segment_of(home, SAMPLE, REAL)
    english = story.segment(n).text
    fuzzy = REAL.replace("ويخشى ناشطون", "ويخشى سكان محليون")
    repaired = REAL.replace("اللاذقية", "إدلب").replace("12.5", "٨٫٢")
    slug = new_story(home, tmp_path, "second", ["عنوان آخر للقصة", REAL, fuzzy, repaired])

    exact = memory.matches(desk, slug, 2)
    assert exact[0].score == 100 and exact[0].kind == "exact"
    assert exact[0].target == english and exact[0].unit.where() == f"{SAMPLE} §{n} (unpublished)"
    assert all(op.tag == "equal" for op in exact[0].diff)

    (near, *_) = memory.matches(desk, slug, 3)
    want = similarity(key(REAL).split(), key(fuzzy).split())
    assert near.kind == "fuzzy" and near.score == want and 70 <= want < 100
    changed = [(op.tag, op.before, op.after) for op in near.diff if op.tag != "equal"]
    assert changed == [("replace", ("ناشطون",), ("سكان", "محليون"))]
    assert near.target == english  # a fuzzy match is offered as it is

    (fixed, *_) = memory.matches(desk, slug, 4)
    assert fixed.kind == "repaired" and fixed.score == 100 and fixed.label() == "100% repaired"
    assert "Idleb" in fixed.target and "8.2" in fixed.target
    assert "Lattakia" not in fixed.target and "12.5" not in fixed.target
    # The sample's pasted draft spells it Latakia, a listed variant: replaced all the same.
    spelt = "Lattakia" if "Lattakia" in english else "Latakia"
    assert set(fixed.repairs) == {f"{spelt} → Idleb", "12.5 → 8.2"}
    assert fixed.target == english.replace(spelt, "Idleb").replace("12.5", "8.2")

    # The same sentence between the same neighbours as in the sample: 101%.
    before, after = story.segment(n - 1).source, story.segment(n + 1).source
    third = new_story(home, tmp_path, "third", ["عنوان ثالث", before, REAL, after])
    (best, *_) = memory.matches(desk, third, 3)
    assert best.score == 101 and best.kind == "context" and best.label() == "101%"


def test_a_segment_is_not_its_own_match_and_nothing_below_the_threshold(home: Home) -> None:
    desk = home.desk
    n = segment_of(home, SAMPLE, REAL)
    desk.confirm(SAMPLE, [n], author="rania")
    assert memory.matches(desk, SAMPLE, n) == []
    assert memory.lookup(desk, "كلمات لا علاقة لها بأي جملة في الذاكرة") == []


def test_inserting_a_match_is_a_tm_revision_naming_the_unit(home: Home, tmp_path: Path) -> None:
    desk = home.desk
    desk.confirm(SAMPLE, None, author="rania")
    repaired = REAL.replace("اللاذقية", "إدلب")
    slug = new_story(home, tmp_path, "second", ["عنوان آخر للقصة", repaired])
    (m, *_) = memory.matches(desk, slug, 2)
    result, inserted = memory.insert(desk, slug, 2, m.unit.id, author="omar")
    assert result.changed and inserted.target == m.target
    seg = desk.store.load_story(slug).segment(2)
    assert seg.text == m.target and seg.status == SegmentStatus.EDITED
    (last,) = [r for r in desk.store.revisions(desk.store.story_id(slug)) if r.segment_n == 2]
    assert (last.kind, last.author, last.after) == (RevisionKind.TM, "omar", m.target)
    note = json.loads(last.note)
    assert note["unit"] == m.unit.id and note["origin"] == "desk" and note["tm"] == "inserted"
    assert note["repaired"] in (["Lattakia → Idleb"], ["Latakia → Idleb"])


def test_pretranslation_fills_only_exact_matches_then_the_engine(
    home: Home, tmp_path: Path
) -> None:
    desk = home.desk
    desk.confirm(SAMPLE, None, author="rania")
    english = desk.store.load_story(SAMPLE).segment(segment_of(home, SAMPLE, REAL)).text
    fuzzy = REAL.replace("ويخشى ناشطون", "ويخشى سكان محليون")
    slug = new_story(home, tmp_path, "second", ["عنوان آخر للقصة", REAL, fuzzy])
    report = desk.draft(slug, NoneEngine(), requested_by="omar")
    assert report.drafted == [2]
    story = desk.store.load_story(slug)
    assert story.segment(2).text == english and story.segment(2).engine == "tm"
    assert story.segment(2).status == SegmentStatus.DRAFT
    assert story.segment(3).text == "" and story.segment(1).text == ""
    mt = [r for r in desk.store.revisions(story.id or 0) if r.kind == RevisionKind.MT]
    provenance = json.loads(mt[0].note)
    assert provenance["engine"] == "tm" and provenance["package"].startswith("unit ")
    used = memory.leverage(story, desk.store.revisions(story.id or 0))
    assert used.segments["exact"] == 1 and used.segments["scratch"] == 2
    assert used.words["exact"] == memory.source_words(REAL)


def test_confirming_fills_the_stories_repeats_undoably(home: Home, tmp_path: Path) -> None:
    desk = home.desk
    repeat = "وقالت مصادر محلية إن القصف استمر حتى المساء."
    slug = new_story(home, tmp_path, "repeats", ["عنوان القصة", repeat, "جملة أخرى.", repeat])
    desk.edit(slug, 2, "Local sources said the shelling went on until the evening.", author="r")
    desk.confirm(slug, [2], author="r")
    story = desk.store.load_story(slug)
    assert story.segment(4).text == story.segment(2).text
    assert story.segment(4).status == SegmentStatus.DRAFT  # still waits for a person
    assert story.segment(3).text == ""
    last = [r for r in desk.store.revisions(story.id or 0) if r.segment_n == 4][-1]
    assert last.kind == RevisionKind.TM and json.loads(last.note)["from_segment"] == 2
    desk.undo(slug, 4, author="r")
    assert desk.store.load_story(slug).segment(4).text == ""


def test_concordance_finds_arabic_and_english_phrases(home: Home) -> None:
    desk = home.desk
    desk.confirm(SAMPLE, None, author="rania")
    found, more = memory.concordance(desk, "ريف اللاذقية")
    assert found and not more
    assert all("ريف ال لاذقيه" in u.key for u in found)
    english, _ = memory.concordance(desk, "regime forces")
    assert english and all("regime forces" in u.target.lower() for u in english)
    assert memory.concordance(desk, "no such phrase anywhere")[0] == []


def test_imported_units_sit_beside_and_go_by_origin(home: Home) -> None:
    desk = home.desk
    rows = [
        line.rstrip("\n").split("\t")
        for line in (ROOT / "samples" / "corpus" / "news.tsv").read_text("utf-8").splitlines()[1:]
    ]
    with desk.store.write() as conn:
        added = store_memory.add_units(
            conn, [store_memory.NewUnit(ar, en, "tmx:news.tsv") for ar, en in rows]
        )
    assert added == len({(ar, en) for ar, en in rows})
    with desk.store.write() as conn:  # the same file again adds nothing
        assert store_memory.add_units(
            conn, [store_memory.NewUnit(ar, en, "tmx:news.tsv") for ar, en in rows]
        ) == 0  # fmt: skip
    barrel = "براميل متفجرة على ريف إدلب"
    (m, *_) = memory.lookup(desk, barrel, enforcer=desk.glossary())
    assert m.kind == "repaired" and m.target == "Explosive barrels on the countryside of Idleb"
    assert m.unit.where() == "tmx:news.tsv"
    with pytest.raises(RefusedError):
        memory.remove_origin(desk, "desk")
    assert memory.remove_origin(desk, "tmx:news.tsv") == added
    assert units(home) == []
    assert store_memory.summary(desk.store.conn)["postings"] == 0


def test_lookup_misses_no_unit_a_full_scan_finds(home: Home) -> None:
    """The index's candidates against scoring every unit: the same matches at >= 70%."""
    desk = home.desk
    lines = (ROOT / "samples" / "corpus" / "news.tsv").read_text("utf-8").splitlines()[1:]
    rows = [line.split("\t") for line in lines]
    with desk.store.write() as conn:
        store_memory.add_units(conn, [store_memory.NewUnit(ar, en, "corpus") for ar, en in rows])
    everything = units(home)
    held = (ROOT / "samples" / "corpus" / "heldout.tsv").read_text("utf-8").splitlines()[1:]
    queries = [line.split("\t")[0] for line in held[:60]]
    # Variations of memory sentences too: a word dropped, a word added.
    for ar, _ in rows[:: len(rows) // 30]:
        words = ar.split()
        queries += [" ".join(words[1:]), " ".join([*words, "اليوم"])]
    checked = 0
    for query in queries:
        tokens = key(query).split()
        full = {u.id for u in everything if similarity(u.key.split(), tokens) >= 70}
        got = {m.unit.id for m in memory.lookup(desk, query, limit=10_000)}
        assert full <= got, query
        checked += bool(full)
    assert checked >= 20  # the check compared real matches, not empty sets


def test_the_memory_travels_with_a_copy(home: Home, tmp_path: Path) -> None:
    from desk.core.store import Store
    from desk.core.store.copying import copy

    desk = home.desk
    desk.confirm(SAMPLE, None, author="rania")
    with desk.store.write() as conn:
        store_memory.add_units(conn, [store_memory.NewUnit(REAL, "Imported.", "tmx:x")])
    target = tmp_path / "copy.sqlite3"
    copy(desk.store, target, busy_timeout_ms=5_000)
    copied = Store(target)
    try:
        before = store_memory.summary(desk.store.conn)
        assert store_memory.summary(copied.conn) == before
        found, _ = store_memory.concordance(copied.conn, "ريف اللاذقية")
        assert found
    finally:
        copied.close()


def test_imported_units_lose_their_control_characters(home: Home) -> None:
    """A unit's English goes into segments: no escape or C1 control may ride along."""
    desk = home.desk
    hostile = store_memory.NewUnit(REAL, "Activists \x1b[2J fear\x9b for 12.5 \x07thousand.", "x")
    with desk.store.write() as conn:
        assert store_memory.add_units(conn, [hostile]) == 1
    (unit,) = units(home)
    assert unit.target == "Activists [2J fear for 12.5 thousand."


def test_a_question_is_not_the_statement_of_the_same_words(home: Home, tmp_path: Path) -> None:
    desk = home.desk
    statement, question = "وقال المرصد إن القصف مستمر.", "وقال المرصد إن القصف مستمر؟"
    with desk.store.write() as conn:
        store_memory.add_units(
            conn, [store_memory.NewUnit(statement, "The Observatory said the shelling goes on.", "x")]
        )  # fmt: skip
    slug = new_story(home, tmp_path, "asks", ["عنوان القصة", question, statement])
    assert desk.draft(slug, NoneEngine(), requested_by="omar").drafted == [3]
    (near, *_) = memory.matches(desk, slug, 2)
    assert near.kind == "fuzzy" and near.score < 100


def test_the_desks_own_unit_beats_an_imported_one_and_no_oversized_draft(
    home: Home, tmp_path: Path
) -> None:
    """At equal scores the desk's confirmed English wins over an import, whatever date
    the import claims; an imported English far too long for its Arabic drafts nothing."""
    desk = home.desk
    n = segment_of(home, SAMPLE, REAL)
    desk.confirm(SAMPLE, [n], author="rania")
    english = desk.store.load_story(SAMPLE).segment(n).text
    other = "وقالت مصادر محلية إن القصف استمر حتى المساء."
    with desk.store.write() as conn:
        store_memory.add_units(conn, [
            store_memory.NewUnit(REAL, "FUTURE-DATED AGENCY TEXT.", "tmx:f", updated_at="2999"),
            store_memory.NewUnit(other, "x" * 5_000, "tmx:f"),
        ])  # fmt: skip
    slug = new_story(home, tmp_path, "second", ["عنوان آخر للقصة", REAL, other])
    assert desk.draft(slug, NoneEngine(), requested_by="omar").drafted == [2]
    assert desk.store.load_story(slug).segment(2).text == english


def test_the_bulk_rebuild_makes_what_the_saves_made(home: Home, tmp_path: Path) -> None:
    """The migration's rebuild (an upgraded archive) and confirming one by one agree:
    the same units, postings and token counts."""
    desk = home.desk
    desk.confirm(SAMPLE, None, author="rania")
    with desk.store.write() as conn:
        store_memory.add_units(conn, [store_memory.NewUnit(REAL, "Imported.", "tmx:x")])

    def state() -> tuple[object, ...]:
        conn = desk.store.conn
        made = sorted(
            (u.origin, u.story, u.segment, u.source, u.target, u.key, u.context, u.published)
            for u in units(home)
        )
        tokens = conn.execute("SELECT token, units FROM tm_tokens WHERE units > 0").fetchall()
        return made, sorted(tuple(t) for t in tokens), store_memory.summary(conn)["postings"]

    before = state()
    with desk.store.write() as conn:
        assert store_memory.rebuild(conn) == len(before[0])  # type: ignore[arg-type]
    assert state() == before
    # New units after a rebuild get fresh ids (PostgreSQL's sequence was moved on).
    slug = new_story(home, tmp_path, "after", ["عنوان آخر للقصة", "جملة جديدة تماما هنا."])
    desk.edit(slug, 2, "A wholly new sentence here.", author="r")
    desk.confirm(slug, [2], author="r")
    assert len(units(home)) == len(before[0]) + 1  # type: ignore[arg-type]


@pytest.mark.sqlite_only
def test_upgrading_an_archive_makes_its_confirmed_segments_units(tmp_path: Path) -> None:
    """A desk made before the memory: opening it migrates, and its confirmed pairs
    become units (the others do not)."""
    from desk.core.store import Store
    from desk.core.store.migrations import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    old = Store(path, upto="008_leases")
    with old.write() as conn:
        conn.execute(
            "INSERT INTO stories (id, slug, headline_ar, status, created_at, updated_at) "
            "VALUES (1, 'old', 'عنوان', 'published', '2020', '2020')"
        )
        rows = [
            (1, REAL, "Activists fear.", "confirmed"),
            (2, "جملة أخرى هنا.", "Other.", "edited"),
        ]
        for n, source, text, status in rows:
            conn.execute(
                "INSERT INTO segments (story_id, n, paragraph, role, source, text, status, "
                "updated_at, updated_by) VALUES (1, ?, 1, 'body', ?, ?, ?, '2020', 'rania')",
                (n, source, text, status),
            )
    old.close()
    store = Store(path)
    try:
        # 009 and every migration after it (each later one is tested on its own).
        assert store.migrated[0] == "009_memory"
        assert store.migrated == [m.name for m in MIGRATIONS][-len(store.migrated) :]
        (unit,) = store_memory.all_units(store.conn)
        assert (unit.source, unit.target, unit.story, unit.published) == (
            REAL, "Activists fear.", "old", True,
        )  # fmt: skip
        found, _ = store_memory.concordance(store.conn, "activists fear")
        assert [u.id for u in found] == [unit.id]
    finally:
        store.close()
