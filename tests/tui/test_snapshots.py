"""SVG snapshots of the workbench at 100x32, and the editor at 80x24 and 120x36
(pytest-textual-snapshot).

The SVGs live in tests/tui/__snapshots__/test_snapshots/. After a deliberate change of
the look, look at the new screens and accept them with
`.venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update`; a failing run writes
`snapshot_report.html` showing the old and new screens side by side.

The screens must not depend on time: conftest fixes DESK_CLOCK, the glossary scan is
waited for, and the English box's cursor does not blink (a blink every 0.5 s would make
the screenshot depend on how long the scan took).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from desk.app.home import Home
from desk.core.store.memory import NewUnit, add_units
from desk.tui import make_app
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.findings_list import FindingsList
from desk.tui.widgets.matches_pane import MatchesPane
from tests.helpers.paths import GLOSSARIES
from tests.helpers.stories import import_sample

SIZE = (100, 32)
SLUGS = ("hassakeh-water", "idleb-displacement", "lattakia-offensive")

SnapCompare = Callable[..., bool]


@pytest.fixture
def env(desk_home: Path, glossary: Path) -> Home:
    """A desk home with the three samples and their pasted drafts; the small glossary."""
    env = Home(desk_home)
    for slug in SLUGS:
        import_sample(env, slug)
    return env


async def settled(pilot: Pilot[None]) -> None:
    """Wait for the glossary scan, stop the cursor blinking, let the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    for editor in pilot.app.screen.query(EnglishEditor):
        editor.cursor_blink = False
    await pilot.pause()


def test_story_list(env: Home, snap_compare: SnapCompare) -> None:
    """The first screen: three imported samples with status, progress, editor, time."""
    assert snap_compare(make_app(env, author="rania"), terminal_size=SIZE, run_before=settled)


def test_editor_with_findings(env: Home, snap_compare: SnapCompare) -> None:
    """The Lattakia sample's headline: Arabic, draft, English, two glossary findings, diff."""
    app = make_app(env, author="rania", slug="lattakia-offensive")
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


def test_editor_after_a_fix_and_a_confirm(env: Home, snap_compare: SnapCompare) -> None:
    """The headline fixed with Ctrl+G and confirmed with Ctrl+S: segment 2 is open next."""
    app = make_app(env, author="rania", slug="lattakia-offensive")

    async def fix_and_confirm(pilot: Pilot[None]) -> None:
        """Wait for the scan, fix the headline, confirm it."""
        await settled(pilot)
        await pilot.press("ctrl+g", "ctrl+s")
        await settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=fix_and_confirm)


def test_history_view(env: Home, snap_compare: SnapCompare) -> None:
    """Ctrl+L in the editor after work by two people: the timeline and a revision's diff."""
    slug = "lattakia-offensive"
    story = env.desk.store.load_story(slug)
    env.desk.edit(slug, 2, story.segment(2).text.replace("Syrian regime", "regime"),
                  author="rania")  # fmt: skip
    env.desk.confirm(slug, [2], author="rania")
    env.desk.edit(slug, 3, "State media gave few details of the operation.", author="omar")
    app = make_app(env, author="rania", slug=slug)

    async def fix_then_history(pilot: Pilot[None]) -> None:
        """Fix the headline's spellings, then open the story's history."""
        await settled(pilot)
        await pilot.press("ctrl+g", "ctrl+l")
        await settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=fix_then_history)


def on_screen(pilot: Pilot[None], widget: Widget) -> bool:
    """Whether all of `widget` is inside the terminal, with some height."""
    size = pilot.app.size
    region = widget.region
    return region.height > 0 and region.y >= 0 and region.bottom <= size.height


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_editor_at_common_sizes(
    env: Home, snap_compare: SnapCompare, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segment 2 of the Lattakia sample with the house glossary (three findings): the
    English box and every finding are on screen at 80x24 and at 120x36, beside rows of
    context."""
    monkeypatch.setenv("DESK_GLOSSARY", str(GLOSSARIES))
    app = make_app(env, author="rania", slug="lattakia-offensive")

    async def to_segment_2(pilot: Pilot[None]) -> None:
        """Open segment 2; check that its box and findings fit before the snapshot."""
        await settled(pilot)
        await pilot.press("ctrl+down")
        await settled(pilot)
        screen = pilot.app.screen
        assert on_screen(pilot, screen.query_one(EnglishEditor))
        findings = screen.query_one(FindingsList)
        assert on_screen(pilot, findings)
        assert "3. " in str(findings.render())

    assert snap_compare(app, terminal_size=size, run_before=to_segment_2)


def test_editor_with_memory_matches(env: Home, followup: str, snap_compare: SnapCompare) -> None:
    """A story imported after the Lattakia sample was confirmed, at its fourth segment: two
    matches (the desk's own 100% repaired one, 12 → 15, marked; a TMX unit's 83% one) with
    the diff of their Arabic against the segment's and their English; the diff compares
    with the marked match (Ctrl+T)."""
    story = env.desk.store.load_story(followup)
    with env.desk.store.write() as conn:
        add_units(conn, [NewUnit(story.segment(4).source.replace("محلية", "طبية"),
                                 "But medical sources put the dead at 12.", "tmx:wire.tmx")])  # fmt: skip
    app = make_app(env, author="rania", slug=followup)

    async def to_matches(pilot: Pilot[None]) -> None:
        """Go to segment 4, compare with the match, scroll the matches into view."""
        await settled(pilot)
        await pilot.press("ctrl+j", *"4", "enter")
        await settled(pilot)
        await pilot.press("ctrl+t")
        pilot.app.screen.query_one(MatchesPane).scroll_visible(animate=False)
        await settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=to_matches)


def test_concordance(env: Home, followup: str, snap_compare: SnapCompare) -> None:
    """Shift+F12 in the editor, `regime forces` typed: the memory's units holding the
    words, Arabic above English (the words found marked), where each came from."""
    app = make_app(env, author="rania", slug=followup)

    async def search(pilot: Pilot[None]) -> None:
        """Open the concordance and search (the box's cursor does not blink)."""
        await settled(pilot)
        await pilot.press("shift+f12", *"regime forces")
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.pause(0.5)
        await settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=search)
