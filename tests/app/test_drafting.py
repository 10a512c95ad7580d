"""Drafting a story is all or nothing: the engine makes every draft, then one write saves
them, so an engine that fails at segment k (or is stopped) leaves the story as it was.

Real stores on disk; LibreTranslate through a real HTTP server on 127.0.0.1; the engines
that fail part-way are small implementations of the Engine protocol, as a broken model
would behave.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from desk.app.home import Home
from desk.app.service import Desk
from desk.core.engine.base import DRAFT_FLOOR, Draft, EngineError, Provenance, draft_limit
from desk.core.engine.libretranslate import LibreTranslateEngine
from desk.core.importer import ImportOptions
from desk.core.story import RevisionKind, SegmentStatus
from tests.helpers.libretranslate import FakeServer, fake_libretranslate, translations
from tests.helpers.paths import SAMPLES

pytestmark = pytest.mark.both_backends

SLUG = "hassakeh-water"
CLOCK = "2015-05-17T06:00:00+00:00"
PROVENANCE = Provenance(engine="test-engine", package="reversing", at=CLOCK)


class Reversing:
    """An engine that drafts each segment as its source reversed; `fail_at` (a position
    from 0) makes it fail there, `write` gives the draft of chosen positions, and `meanwhile`
    runs just before the draft at its position is made (a person saving, elsewhere)."""

    name = "test-engine"

    def __init__(
        self,
        fail_at: int | None = None,
        write: dict[int, str] | None = None,
        meanwhile: tuple[int, Callable[[], None]] | None = None,
    ) -> None:
        """An engine that fails at `fail_at`, writes `write`, does `meanwhile`."""
        self.fail_at = fail_at
        self.write = write or {}
        self.meanwhile = meanwhile

    def describe(self) -> str:
        """Its name."""
        return "test engine"

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """Each source reversed, until `fail_at`."""
        for i, (n, source) in enumerate(segments):
            if self.meanwhile is not None and self.meanwhile[0] == i:
                self.meanwhile[1]()
            if i == self.fail_at:
                raise EngineError(f"test engine: the model gave up at segment {n}")
            yield Draft(n, self.write.get(i, source[::-1]), PROVENANCE)


@pytest.fixture
def home(desk_home: Path) -> Home:
    """A desk home holding one sample story with no English yet."""
    home = Home(desk_home)
    home.desk.import_story(SAMPLES / f"{SLUG}.ar.md", ImportOptions(), author="importer")
    return home


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    """A fake LibreTranslate on 127.0.0.1, on a free port."""
    with fake_libretranslate() as server:
        yield server


def state(desk: Desk) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Everything drafting could change: the story's revisions and its segments."""
    story = desk.store.load_story(SLUG)
    revisions: list[tuple[object, ...]] = [
        (r.kind, r.segment_n, r.author, r.before, r.after, r.note)
        for r in desk.store.revisions(story.id or 0)
    ]
    segments: list[tuple[object, ...]] = [
        (s.n, s.text, s.draft, s.status, s.version, s.engine) for s in story.segments
    ]
    return revisions, segments


@pytest.mark.parametrize("k", [0, 4, 24])
def test_an_engine_failing_at_segment_k_changes_nothing(home: Home, k: int) -> None:
    """The engine's error comes out; the drafts made before it were heard as progress and
    none of them was saved."""
    before = state(home.desk)
    heard: list[int] = []
    with pytest.raises(EngineError, match=f"gave up at segment {k + 1}"):
        home.desk.draft(
            SLUG, Reversing(fail_at=k), requested_by="tr", on_draft=lambda d: heard.append(d.n)
        )
    assert heard == list(range(1, k + 1))
    assert state(home.desk) == before


def test_a_draft_stopped_by_its_listener_changes_nothing(home: Home) -> None:
    """The workbench stops a redraft from its progress callback when the editor closes:
    nothing of it is saved."""

    class Stopped(Exception):
        pass

    def stop_at_three(draft: Draft) -> None:
        if draft.n == 3:
            raise Stopped

    before = state(home.desk)
    with pytest.raises(Stopped):
        home.desk.draft(SLUG, Reversing(), requested_by="tr", on_draft=stop_at_three)
    assert state(home.desk) == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (None, "is 1,001 characters long, over desk's cap of 1,000"),
        ("Forces\ud800", "holds a lone surrogate U+D800"),
        ("Forces\x00", "holds the control character U+0000"),
    ],
)
def test_any_engines_impossible_draft_changes_nothing(
    home: Home, text: str | None, problem: str
) -> None:
    """The cap on a draft's length, and the check that it is text, hold for every engine:
    the fifth draft too long or not text, and no draft is saved."""
    source = home.desk.store.load_story(SLUG).segment(5).source
    assert draft_limit(source) == DRAFT_FLOOR  # a short segment: the floor applies
    bad = "x" * (DRAFT_FLOOR + 1) if text is None else text
    before = state(home.desk)
    with pytest.raises(EngineError) as caught:
        home.desk.draft(SLUG, Reversing(write={4: bad}), requested_by="tr")
    assert str(caught.value).startswith(f"test engine: the draft of segment 5 {problem}")
    assert state(home.desk) == before


def test_a_draft_of_a_segment_not_asked_for(home: Home) -> None:
    """An engine answering for another segment than it was given is an error, nothing saved."""

    class Stray(Reversing):
        def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
            yield Draft(99, "stray", PROVENANCE)

    before = state(home.desk)
    with pytest.raises(EngineError, match="drafted segment 99, not asked for"):
        home.desk.draft(SLUG, Stray(), requested_by="tr", numbers=[1, 2])
    assert state(home.desk) == before


def test_every_draft_lands_in_one_write(home: Home, desk_home: Path, fake: FakeServer) -> None:
    """LibreTranslate's drafts: heard one by one while none is saved yet (another
    connection sees no English), then saved in a single write transaction."""
    engine = LibreTranslateEngine(fake.url, None, lambda: CLOCK)
    other = Home(desk_home)
    seen_meanwhile: set[str] = set()

    def heard(draft: Draft) -> None:
        seen_meanwhile.update(s.text for s in other.desk.store.load_story(SLUG).segments)

    store = home.desk.store
    writes: list[str] = []
    write = store.write

    def counted(**kwargs: str) -> AbstractContextManager[object]:
        writes.append(kwargs.get("story", ""))
        return write(**kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "write", counted)
        report = home.desk.draft(SLUG, engine, requested_by="tr", on_draft=heard)
    story = home.desk.store.load_story(SLUG)
    assert seen_meanwhile == {""}
    assert report.drafted == [s.n for s in story.segments] and report.skipped == []
    assert [s.text for s in story.segments] == [s.source[::-1] for s in story.segments]
    assert len(writes) == 1  # one write transaction (BEGIN ... COMMIT) for every draft
    mt = [r for r in home.desk.store.revisions(story.id or 0) if r.kind == RevisionKind.MT]
    assert [r.segment_n for r in mt] == [s.n for s in story.segments]


@pytest.mark.parametrize("force", [False, True])
def test_a_segment_saved_meanwhile_is_left_alone_unless_forced(
    home: Home, desk_home: Path, force: bool
) -> None:
    """A person saves segment 3 while the engine runs: that draft is skipped (or, forced,
    overwrites it, the person's text kept as the revision's `before`); the rest land."""

    def a_person_saves() -> None:
        with Home(desk_home).open() as other:
            other.edit(SLUG, 3, "A translator's own sentence.", author="rania")

    engine = Reversing(meanwhile=(1, a_person_saves))
    report = home.desk.draft(SLUG, engine, requested_by="tr", force=force)
    story = home.desk.store.load_story(SLUG)
    third = story.segment(3)
    if force:
        assert 3 in report.drafted and third.text == third.source[::-1]
        mt = [r for r in home.desk.store.revisions(story.id or 0) if r.kind == RevisionKind.MT]
        assert [r.before for r in mt if r.segment_n == 3] == ["A translator's own sentence."]
    else:
        assert report.skipped == [3]
        assert (third.text, third.status) == ("A translator's own sentence.", SegmentStatus.EDITED)
    others = [s for s in story.segments if s.n != 3]
    assert all(s.text == s.source[::-1] and s.status == SegmentStatus.DRAFT for s in others)


def test_the_glossary_fixes_each_draft_in_the_same_write(
    glossary: Path, home: Home, fake: FakeServer
) -> None:
    """With the house glossary, each draft's `mt` revision is followed by its `glossary`
    fix, by the person who asked, as before the drafts were saved together."""
    fake.answer = translations(lambda i, _text: f"Water cut in Al-Hasakah, part {i}.")
    engine = LibreTranslateEngine(fake.url, None, lambda: CLOCK)
    enforcer = home.enforcer()
    assert enforcer is not None
    report = home.desk.draft(SLUG, engine, requested_by="tr", enforcer=enforcer)
    story = home.desk.store.load_story(SLUG)
    numbers = [s.n for s in story.segments]
    assert report.glossary_fixed == numbers
    assert [s.text for s in story.segments] == [
        f"Water cut in Hassakeh, part {n}." for n in numbers
    ]
    drafted = [
        (r.kind, r.segment_n, r.author)
        for r in home.desk.store.revisions(story.id or 0)
        if r.kind in (RevisionKind.MT, RevisionKind.GLOSSARY)
    ]
    expected = [
        (kind, n, author)
        for n in numbers
        for kind, author in ((RevisionKind.MT, "libretranslate"), (RevisionKind.GLOSSARY, "tr"))
    ]
    assert drafted == expected


def test_a_second_draft_by_the_same_server_asks_nothing_and_writes_nothing(
    home: Home, fake: FakeServer
) -> None:
    """Drafting a story this server drafted already: no request, no revision, every
    segment reported as drafted alike by it; one a person edited is skipped as before;
    another server drafts them; forced, the same server's word-for-word drafts are drafted
    but write no revision."""
    engine = LibreTranslateEngine(fake.url, None, lambda: CLOCK)
    first = home.desk.draft(SLUG, engine, requested_by="tr")
    home.desk.edit(SLUG, 2, "A translator's own sentence.", author="rania")
    numbers = [n for n in first.drafted if n != 2]
    before = state(home.desk)
    plan = home.desk.draft_plan(SLUG, engine)
    assert (plan.todo, plan.current, plan.skipped) == ([], numbers, [2])
    assert plan.current_by == f"libretranslate {fake.url}"
    again = home.desk.draft(SLUG, engine, requested_by="tr")
    assert (again.drafted, again.current, again.skipped) == ([], numbers, [2])
    assert again.current_by == f"libretranslate {fake.url}"
    assert len(fake.seen) == 1 and state(home.desk) == before
    forced = home.desk.draft(SLUG, engine, requested_by="tr", force=True)
    assert forced.drafted == first.drafted and forced.unchanged == numbers
    assert len(fake.seen) == 2
    # Only the person's segment, overwritten, got a revision.
    revisions = state(home.desk)[0]
    assert revisions[: len(before[0])] == before[0]
    assert [r[:2] for r in revisions[len(before[0]) :]] == [(RevisionKind.MT, 2)]
    with fake_libretranslate() as other:
        elsewhere = LibreTranslateEngine(other.url, None, lambda: CLOCK)
        assert home.desk.draft(SLUG, elsewhere, requested_by="tr").drafted == first.drafted
        assert len(other.seen) == 1


def test_an_engine_that_cannot_say_its_provenance_drafts_as_before(home: Home) -> None:
    """An engine without `provenance()` (the protocol does not ask for it) cannot be
    matched with a segment's draft: every untouched segment is drafted again."""
    first = home.desk.draft(SLUG, Reversing(), requested_by="tr")
    again = home.desk.draft(SLUG, Reversing(), requested_by="tr")
    assert again.current == [] and again.drafted == first.drafted
