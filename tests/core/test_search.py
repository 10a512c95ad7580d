"""Full-text search (desk.core.fulltext): Arabic folded as the glossary folds it, English
words, phrases and prefixes, newest first, an index that follows every change."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.app.home import Home
from desk.core.errors import InputError
from desk.core.fulltext import fold, match_expression, search
from desk.core.glossary.normalise import normalise_arabic
from desk.core.store import Store
from desk.core.story import StoryStatus
from tests.helpers.paths import FIXTURES
from tests.helpers.stories import import_sample

pytestmark = pytest.mark.both_backends


def slugs_and_numbers(env: Home, query: str, **kwargs: object) -> list[tuple[str, int]]:
    """(slug, segment) of every hit, in order."""
    return [(h.slug, h.n) for h in search(env.desk.store.conn, query, **kwargs)]  # type: ignore[arg-type]


def test_arabic_is_found_with_or_without_harakat_and_alef_forms(env: Home) -> None:
    """اللاذقية finds the segments that write it; voweled and hamza forms fold to it."""
    plain = slugs_and_numbers(env, "اللاذقية", limit=100)
    assert plain and all(slug == "lattakia-offensive" for slug, _ in plain)
    assert slugs_and_numbers(env, "اللَّاذِقِيَّة", limit=100) == plain
    story = env.desk.store.load_story("lattakia-offensive")
    expected = {s.n for s in story.segments if "اللاذقية" in s.source}
    assert {n for _, n in plain} == expected
    # Hamza on the alef folds: الأكراد is found as الاكراد and the other way round.
    assert slugs_and_numbers(env, "الاكراد", limit=100) == slugs_and_numbers(
        env, "الأكراد", limit=100
    )
    assert fold("إدلب") == "ادلب"


COMMON_ARABIC = st.characters(min_codepoint=0x0621, max_codepoint=0x0652) | st.sampled_from(
    "\u0670\u0640ی ک"
)


@given(text=st.text(alphabet=COMMON_ARABIC))
def test_search_folds_arabic_as_the_glossary_does(text: str) -> None:
    """Short of the rare Quranic marks, the index folds as the glossary normalises."""
    assert fold(text) == normalise_arabic(text)


def test_english_words_phrases_and_prefixes(env: Home) -> None:
    """Every word must occur, in any case; a quoted phrase in order; `word*` is a prefix."""
    story = env.desk.store.load_story("lattakia-offensive")
    mountain = {s.n for s in story.segments if "al-akrad mountain" in s.text.lower()}
    assert mountain
    assert {n for _, n in slugs_and_numbers(env, '"AL-AKRAD MOUNTAIN"', limit=100)} == mountain
    both = {
        s.n for s in story.segments if "latakia" in s.text.lower() and "regime" in s.text.lower()
    }
    assert {n for _, n in slugs_and_numbers(env, "regime latakia", limit=100)} == both
    prefix = {n for _, n in slugs_and_numbers(env, "Latak*", limit=100)}
    assert prefix == {s.n for s in story.segments if "latak" in s.text.lower()}
    assert slugs_and_numbers(env, "nowhere-to-be-found") == []


def test_newest_first_and_limit(env: Home) -> None:
    """Hits come newest segment first, and --limit stops them."""
    import_sample(env, "hassakeh-water")
    hits = slugs_and_numbers(env, "the", limit=5)
    assert len(hits) == 5
    assert hits[0][0] == "hassakeh-water"
    with pytest.raises(InputError, match="from 1 to"):
        search(env.desk.store.conn, "the", limit=0)


def test_edits_status_and_deletion_reach_the_index(env: Home) -> None:
    """An edit is searchable at once and its old words are gone; filters and deletion hold."""
    env.desk.edit("lattakia-offensive", 3, "Zabadani xylophone quartet", author="tr")
    assert slugs_and_numbers(env, "xylophone") == [("lattakia-offensive", 3)]
    env.desk.edit("lattakia-offensive", 3, "Nothing unusual here", author="tr")
    assert slugs_and_numbers(env, "xylophone") == []
    assert slugs_and_numbers(env, "unusual", status=StoryStatus.PUBLISHED) == []
    import_sample(env, "hassakeh-water")
    assert slugs_and_numbers(env, "Dilshad")
    env.desk.delete_story("hassakeh-water", author="tr")
    assert slugs_and_numbers(env, "Dilshad") == []


@settings(
    max_examples=150 * (10 if os.environ.get("DESK_STRESS") == "1" else 1),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.text(max_size=40))
def test_no_query_makes_the_search_fail(env: Home, query: str) -> None:
    """FTS5 syntax in a query (OR, NEAR, quotes, column filters, *) is taken literally."""
    try:
        expression = match_expression(query)
    except InputError:
        return
    search(env.desk.store.conn, query, limit=3)
    assert expression


def test_old_database_is_indexed_when_migrated(tmp_path: Path) -> None:
    """The migration indexes segments written before search existed."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema-001.sqlite", path)
    store = Store(path)
    assert [h.n for h in search(store.conn, "Lattakia")] == [1]
    assert [h.n for h in search(store.conn, "regime forces")] == [2]
    assert [h.n for h in search(store.conn, "Latt*")] == [1]


@pytest.mark.sqlite_only
def test_the_index_is_plain_sqlite(env: Home) -> None:
    """Another SQLite client can write to segments: the triggers need no desk code."""
    path = env.desk.store.path
    other = sqlite3.connect(path)
    with other:
        other.execute("UPDATE segments SET text = 'Qamishli xylophone' WHERE n = 4")
    other.close()
    assert slugs_and_numbers(env, "xylophone") == [("lattakia-offensive", 4)]


@pytest.mark.sqlite_only
def test_the_shared_desks_tokens_split_as_fts5_does() -> None:
    """PostgreSQL's index is built from desk's tokens: lower case without case folding
    (ß and ligatures stay), Latin diacritics dropped, other marks separating words."""
    from desk.core.fulltext import tokens

    text = "Straße ﬁnance Café cafe\u0301 ربهٖا al-Akrad"
    assert tokens(text) == ["straße", "ﬁnance", "cafe", "cafe", "ربه", "ا", "al", "akrad"]


@pytest.mark.parametrize(
    ("query", "hits"),
    [("the", 7), ('"regime forces"', 2), ("reg*", 7), ("اللاذقية", 4), ("nowhere", 0)],
)
@pytest.mark.parametrize("status", [None, StoryStatus.NEW, StoryStatus.REVIEW])
def test_a_search_finds_the_same_newest_hits_whatever_the_first_window(
    env: Home,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    hits: int,
    status: StoryStatus | None,
) -> None:
    """PostgreSQL tests the newest NEWEST_FIRST segments one by one, then asks the GIN
    index when they hold too few hits: either way the hits are the newest, in order,
    the same as a walk of every segment newest first (SQLite does not use the window)."""
    import desk.core.fulltext as fulltext

    conn = env.desk.store.conn
    monkeypatch.setattr(fulltext, "NEWEST_FIRST", 10**9)  # one walk of the whole archive
    walked = search(conn, query, status=status, limit=7)
    assert len(walked) == (0 if status == StoryStatus.REVIEW else hits)
    newest = [
        int(r[0])
        for r in conn.execute("SELECT id FROM segments ORDER BY id DESC LIMIT 3").fetchall()
    ]
    assert len(newest) == 3  # the windows below hold fewer segments than the hits sought
    for window in (1, 3, 40):
        monkeypatch.setattr(fulltext, "NEWEST_FIRST", window)
        assert search(conn, query, status=status, limit=7) == walked


def reference(env: Home, words: list[tuple[str, bool]]) -> list[tuple[str, int]]:
    """(slug, segment) of every live segment whose Arabic (folded) or English has each
    of `words` (word, whether a prefix) as a whole word, newest first: a walk of every
    segment in Python, the slow way the index must agree with."""
    from desk.core.fulltext import tokens

    found = []
    rows = env.desk.store.conn.execute(
        "SELECT s.slug, g.n, g.source, g.draft, g.text FROM segments g "
        "JOIN stories s ON s.id = g.story_id WHERE s.deleted_at = '' ORDER BY g.id DESC"
    ).fetchall()
    for slug, n, source, draft, text in rows:
        have = tokens(fold(source)) + tokens(text or draft)
        if all(
            any(t.startswith(w) if prefix else t == w for t in have)
            for w, prefix in ((fold(w).lower(), prefix) for w, prefix in words)
        ):
            found.append((slug, n))
    return found


@pytest.mark.parametrize(
    "query",
    ["Hass*", "Latak*", "reg*", "the*", "forces reg*", "الحسك*", "قوا*", "اللاذ*", "Isl*"],
)
def test_prefix_hits_are_those_of_a_walk_of_every_segment(env: Home, query: str) -> None:
    """A prefix finds what a word-by-word walk of the archive finds, newest first: FTS5's
    three-letter prefix index (migration 011) and PostgreSQL's `:*` agree with it."""
    import_sample(env, "hassakeh-water")
    import_sample(env, "idleb-displacement")
    words = [(w.rstrip("*"), w.endswith("*")) for w in query.split()]
    expected = reference(env, words)
    assert expected, f"{query!r} should find something in the samples"
    assert slugs_and_numbers(env, query, limit=1000) == expected
    assert slugs_and_numbers(env, query, limit=3) == expected[:3]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ال*", "3 letters after the article ال"),
        ("أل*", "3 letters after the article ال"),
        ("الحس*", "3 letters after the article ال"),
        ("a*", "3 letters before the *"),
        ("Ha*", "3 letters before the *"),
        ("Hassakeh al-A*", "3 letters before the *"),
        ("regime 20*", "3 letters before the *"),
    ],
)
def test_a_short_prefix_is_refused_with_what_to_type(env: Home, query: str, message: str) -> None:
    """A prefix of fewer than three letters (after the article in Arabic) would match
    most of the archive's words: refused, saying what to type, on both stores."""
    with pytest.raises(InputError, match=message) as refused:
        search(env.desk.store.conn, query)
    assert "\n" not in str(refused.value)
    assert slugs_and_numbers(env, "الحسك*") == slugs_and_numbers(env, "الحسكة")


def test_hits_are_capped(env: Home) -> None:
    """At most MAX_HITS hits, the newest: more is refused, not read."""
    from desk.core.fulltext import MAX_HITS

    import_sample(env, "hassakeh-water")
    every = reference(env, [("the", False)])
    assert 3 < len(every) < MAX_HITS
    assert slugs_and_numbers(env, "the", limit=MAX_HITS) == every
    with pytest.raises(InputError, match=f"from 1 to {MAX_HITS:,}"):
        search(env.desk.store.conn, "the", limit=MAX_HITS + 1)


@pytest.mark.sqlite_only
def test_the_index_keeps_three_letter_prefixes(env: Home) -> None:
    """Migration 011 makes the index again with FTS5's three-letter prefix index, so a
    three-letter prefix reads one posting list and stops at its newest hits."""
    (sql,) = env.desk.store.conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'segment_search'"
    ).fetchone()
    assert "prefix = '3'" in sql
