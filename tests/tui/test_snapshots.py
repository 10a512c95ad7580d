"""SVG snapshots of the workbench at 100x32 (pytest-textual-snapshot).

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

from desk.app.home import Home
from desk.tui import make_app
from desk.tui.widgets.english_editor import EnglishEditor
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
