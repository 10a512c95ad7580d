"""`make_app` takes the engine and the enforcer from the caller: a test's own, not the desk's."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from desk.app.home import Home
from desk.core.engine.base import Draft, Provenance
from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.model import Entry, Glossary, Kind
from desk.core.story import RevisionKind
from desk.tui import make_app
from desk.tui.screens.editor import EditorScreen
from desk.tui.widgets.english_editor import EnglishEditor
from tests.helpers.tui import SIZE, SLUG, settle, synchronous


class UpperEngine:
    """An engine that 'translates' by writing the segment number in capitals."""

    name = "upper"

    def __init__(self) -> None:
        """No segment asked for yet."""
        self.asked: list[int] = []

    def describe(self) -> str:
        """What it is."""
        return "the test's own engine"

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """One draft a segment, in order."""
        for n, _ in segments:
            self.asked.append(n)
            yield Draft(n, f"SEGMENT {n}", Provenance(engine="upper", package="test"))


@synchronous
async def test_the_workbench_drafts_with_the_engine_it_is_given(env: Home) -> None:
    """Redrafting a segment runs the injected engine, not the desk's Argos package."""
    engine = UpperEngine()
    app = make_app(env, author="rania", slug=SLUG, engine=engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("ctrl+right_square_bracket")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one(EnglishEditor).text == "SEGMENT 1"
    assert engine.asked == [1]
    story = Home(env.path).desk.store.load_story(SLUG)
    last = Home(env.path).desk.store.revisions(story.id or 0)
    assert story.segment(1).engine == "upper"
    assert any(r.kind == RevisionKind.MT and r.author == "upper" for r in last)


@synchronous
async def test_the_workbench_checks_with_the_enforcer_it_is_given(env: Home) -> None:
    """The findings come from the injected glossary (one entry), not the desk's folder."""
    only = Entry(
        id="ladhiqiyah", canonical="Ladhiqiyah", arabic=("اللاذقية",), variants=("Latakia",),
        kind=Kind.PLACE,
    )  # fmt: skip
    enforcer = Enforcer(Glossary([only]))
    app = make_app(env, author="rania", slug=SLUG, enforcer=enforcer)
    async with app.run_test(size=SIZE):
        await settle(app)
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        findings = screen.session.findings or {}
        entries = {f.entry.id for found in findings.values() for f in found if f.entry}
        assert entries == {"ladhiqiyah"}
