"""The story list's stored findings counts (desk/core/store/findings.py, migration 010):
every write that changes a story's text marks its count stale in the same transaction,
a count made from older text is refused, and writing a count changes no story."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from desk.app.home import Home
from desk.core.engine.base import Draft, Provenance
from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.stories import check_story
from desk.core.importer import ImportOptions
from desk.core.store import Store
from desk.core.store.findings import (
    StoredCount,
    count_stale,
    fresh_counts,
    save_counts,
    stored_counts,
)
from desk.core.store.migrations import MIGRATIONS
from tests.helpers.paths import FIXTURES, SAMPLES
from tests.helpers.stories import import_sample

pytestmark = pytest.mark.both_backends

SLUG = "lattakia-offensive"
OTHER = "hassakeh-water"


class Echo:
    """An engine that drafts each segment as a fixed English sentence with a variant the
    glossary replaces (Latakia): the draft path writes segments as a real engine's does."""

    name = "test-engine"

    def describe(self) -> str:
        """Its name."""
        return "test engine"

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """The same sentence for every segment."""
        for n, _source in segments:
            yield Draft(
                n,
                "Fighting went on near Latakia.",
                Provenance(engine="test-engine", package="echo", at="2015-05-17T06:00:00+00:00"),
            )


def counted(env: Home) -> Enforcer:
    """Count every listed story and keep the counts; the enforcer used."""
    enforcer = env.enforcer()
    assert enforcer is not None and enforcer.version
    store = env.desk.store
    stored = stored_counts(store, [s.slug for s in store.list_stories()])
    stale = {slug: c for slug, c in stored.items() if not c.fresh(enforcer.version)}
    counts = count_stale(store, stale, enforcer)
    assert save_counts(store, [(stale[s], n) for s, n in counts.items()], enforcer.version) == ""
    return enforcer


def state(env: Home, slug: str = SLUG) -> StoredCount:
    """The stored count of `slug`."""
    return stored_counts(env.desk.store, [slug])[slug]


def expected(env: Home, enforcer: Enforcer, slug: str = SLUG) -> int:
    """The story's open findings counted the way the list always counted them."""
    story = env.desk.store.load_story(slug)
    return sum(len(r.findings) for r in check_story(story, enforcer))


def test_counts_are_the_findings_and_are_kept(env: Home) -> None:
    """A stale story is counted as check_story counts it; once kept, it is fresh for that
    glossary version only, and a story nobody changed stays fresh."""
    import_sample(env, OTHER)
    assert all(c.findings is None for c in stored_counts(env.desk.store, [SLUG, OTHER]).values())
    enforcer = counted(env)
    kept = stored_counts(env.desk.store, [SLUG, OTHER])
    assert fresh_counts(kept, enforcer.version) == {
        SLUG: expected(env, enforcer, SLUG),
        OTHER: expected(env, enforcer, OTHER),
    }
    assert kept[SLUG].findings and kept[SLUG].findings > 0
    assert fresh_counts(kept, "another glossary (3 entries)") == {}
    assert fresh_counts(kept, "") == {}  # a glossary not read from files: never trusted


def test_every_write_that_changes_the_english_marks_the_count_stale(env: Home) -> None:
    """Save, revert, undo, glossary fix, machine draft: each leaves the story's count
    stale (and its generation moved on); a confirm, a status change or a write to another
    story leaves it fresh."""
    import_sample(env, OTHER)
    desk = env.desk
    enforcer = counted(env)

    steps = {
        "save": lambda: desk.edit(SLUG, 2, "Regime forces advanced on Latakia.", author="rania"),
        "revert": lambda: desk.revert(SLUG, 2, author="rania"),
        "undo": lambda: desk.undo(SLUG, 2, author="rania"),
        "glossary fix": lambda: desk.fix(SLUG, enforcer, requested_by="rania"),
        "draft": lambda: desk.draft(SLUG, Echo(), requested_by="rania", force=True),
    }
    for what, write in steps.items():
        before = state(env)
        assert before.fresh(enforcer.version), what
        write()
        after = state(env)
        assert after.findings is None and after.generation > before.generation, what
        assert state(env, OTHER).fresh(enforcer.version), what
        counted(env)
    unchanged = {
        "confirm": lambda: desk.confirm(SLUG, [3], author="rania"),
        "same text": lambda: desk.edit(
            SLUG, 4, desk.store.load_story(SLUG).segment(4).text, author="rania"
        ),
    }
    for what, write in unchanged.items():
        before = state(env)
        write()
        assert state(env) == before, what


def test_an_import_is_counted_as_new(env: Home, tmp_path: Path) -> None:
    """A story imported after the others were counted has no count yet."""
    counted(env)
    env.desk.import_story(SAMPLES / f"{OTHER}.ar.md", ImportOptions(), author="importer")
    assert state(env, OTHER).findings is None
    assert state(env).findings is not None


def test_a_count_of_older_text_does_not_overwrite_a_later_change(env: Home) -> None:
    """The list reads the count (stale), a person saves, then the list's count of the text
    it read arrives: it is refused, and the story stays stale until counted again."""
    enforcer = env.enforcer()
    assert enforcer is not None
    read = state(env)
    counts = count_stale(env.desk.store, {SLUG: read}, enforcer)
    env.desk.edit(SLUG, 2, "Regime forces advanced on Latakia.", author="rania")
    assert save_counts(env.desk.store, [(read, counts[SLUG])], enforcer.version) == ""
    assert state(env).findings is None
    counted(env)
    assert state(env).findings == expected(env, enforcer)


def test_writing_counts_changes_no_story(env: Home) -> None:
    """Keeping counts moves no story's time, adds no revision, keeps the list's order."""
    import_sample(env, OTHER)
    store = env.desk.store
    before = [(s.slug, s.updated_at) for s in store.list_stories()]
    story_id = store.story_id(SLUG)
    log = len(store.revisions(story_id))
    counted(env)
    assert [(s.slug, s.updated_at) for s in store.list_stories()] == before
    assert len(store.revisions(story_id)) == log


@pytest.mark.sqlite_only
def test_a_busy_database_gives_up_without_failing(env: Home) -> None:
    """Another process holds the write lock: keeping counts gives up after its short wait
    and says why; nothing is written, nothing raised."""
    enforcer = env.enforcer()
    assert enforcer is not None
    store = env.desk.store
    read = state(env)
    counts = count_stale(store, {SLUG: read}, enforcer)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        why = save_counts(store, [(read, counts[SLUG])], enforcer.version, wait_ms=50)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "not kept" in why and "locked" in why
    assert state(env).findings is None


@pytest.mark.sqlite_only
def test_an_archive_migrated_to_010_starts_stale(tmp_path: Path) -> None:
    """An existing archive gains the table empty (every count stale, no glossary work);
    a count read before the story's first change since is refused after it."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema-001.sqlite", path)
    store = Store(path)
    assert store.applied_migrations() == [m.name for m in MIGRATIONS]
    assert store.conn.execute("SELECT COUNT(*) FROM story_findings").fetchone()[0] == 0
    read = stored_counts(store, ["old-story"])["old-story"]
    assert (read.findings, read.generation) == (None, 0)
    from desk.app.service import Desk

    Desk(store).edit("old-story", 2, "Regime forces advanced on Latakia.", author="rania")
    assert save_counts(store, [(read, 3)], "v1 (3 entries)") == ""
    assert stored_counts(store, ["old-story"])["old-story"].findings is None
    store.close()


def test_a_shared_desk_hears_no_news_of_a_count(env: Home, backend: str) -> None:
    """On PostgreSQL, keeping counts sends no notification (other workbenches' lists
    would reload on it), while a save does."""
    if backend != "postgresql":
        pytest.skip("SQLite sends no news")
    store = env.desk.store
    raw = store.conn.listen_connection()  # type: ignore[attr-defined]
    try:
        raw.execute("LISTEN desk")
        counted(env)
        assert list(raw.notifies(timeout=0.5, stop_after=1)) == []
        env.desk.edit(SLUG, 2, "Regime forces advanced.", author="rania")
        heard = list(raw.notifies(timeout=2, stop_after=1))
        assert heard and '"what": "revision"' in heard[0].payload
    finally:
        raw.close()


def test_a_locked_story_on_a_shared_desk_gives_up_without_failing(env: Home, backend: str) -> None:
    """On PostgreSQL a save in flight holds the story's count row: keeping counts waits
    its short lock timeout, gives up and says why; nothing raised."""
    if backend != "postgresql":
        pytest.skip("the SQLite case is the busy database above")
    enforcer = env.enforcer()
    assert enforcer is not None
    store = env.desk.store
    read = state(env)
    counts = count_stale(store, {SLUG: read}, enforcer)
    other = Store(str(env.database))
    try:
        with other.write(story=SLUG) as conn:
            conn.execute(
                "UPDATE segments SET text = text || '.' WHERE story_id = ? AND n = 2",
                (read.story_id,),
            )
            why = save_counts(store, [(read, counts[SLUG])], enforcer.version, wait_ms=100)
            assert "not kept" in why
    finally:
        other.close()
    assert state(env).findings is None
