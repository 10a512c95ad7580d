"""The story list's findings column does glossary work only for what changed: a reload
with nothing changed checks no segment, a save rechecks that story's segments only, a
change of the glossary rechecks every story shown (issue 17).

On SQLite: a shared desk's workbench runs its listener as a worker that never ends, so
`settle` cannot wait for it; the counts on PostgreSQL are tested at the store
(tests/core/test_findings_counts.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desk.app.home import Home
from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.findings import Finding
from desk.core.glossary.model import load_folder
from desk.core.glossary.stories import check_story
from desk.tui import make_app
from desk.tui.screens.story_list import StoryListScreen
from desk.tui.widgets.story_table import StoryTable
from tests.helpers.stories import import_sample
from tests.helpers.tui import SIZE, SLUG, settle, synchronous

STORIES = (SLUG, "hassakeh-water", "idleb-displacement")


class Counting(Enforcer):
    """The house glossary's enforcer, counting the segments it checks."""

    checks = 0

    def check(self, english: str, arabic: str = "", *, unlisted: bool = True) -> list[Finding]:
        """Count, then check as the enforcer does."""
        self.checks += 1
        return super().check(english, arabic, unlisted=unlisted)


def segments(home: Home, *slugs: str) -> int:
    """How many segments the stories have."""
    return sum(len(home.desk.store.load_story(slug).segments) for slug in slugs)


def expected(home: Home, enforcer: Enforcer) -> dict[str, str]:
    """Each story's open findings as the Findings column should show them."""
    return {
        slug: str(
            sum(len(r.findings) for r in check_story(home.desk.store.load_story(slug), enforcer))
        )
        for slug in STORIES
    }


def column(app: Any) -> dict[str, str]:
    """The Findings column, by slug."""
    table = app.screen.query_one(StoryTable)
    return {slug: str(table.get_cell(slug, "findings")) for slug in STORIES}


async def reload(app: Any, pilot: Any) -> None:
    """Press r on the list and let the worker finish."""
    assert isinstance(app.screen, StoryListScreen)
    await pilot.press("r")
    await settle(app)
    await pilot.pause()


@synchronous
async def test_reloads_check_only_what_changed(desk_home: Path, glossary: Path) -> None:
    """First open: every story is counted (nothing stored yet). A reload with nothing
    changed: no check at all, the same counts. After a save to one story: that story's
    segments only, and its new count shows."""
    counting = Counting(load_folder(glossary))
    plain = Enforcer(load_folder(glossary))  # what the column should say, uncounted
    home = Home(desk_home, enforcer=counting)
    for slug in STORIES:
        import_sample(home, slug)
    app = make_app(home, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        assert counting.checks == segments(home, *STORIES)
        assert column(app) == expected(home, plain)

        counting.checks = 0
        await reload(app, pilot)
        assert counting.checks == 0
        assert column(app) == expected(home, plain)

        home.desk.edit("hassakeh-water", 2, "Shelling hit Latakia and Hasakah.", author="rania")
        before = column(app)["hassakeh-water"]
        await reload(app, pilot)
        assert counting.checks == segments(home, "hassakeh-water")
        assert column(app) == expected(home, plain)
        assert column(app)["hassakeh-water"] != before


@synchronous
async def test_a_glossary_change_rechecks_every_story(
    desk_home: Path, glossary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The house glossary gains an entry (its files' version changes): the next reload
    checks every story shown, and the counts follow the new glossary; the one after that
    checks nothing again."""
    calls = {"checks": 0}
    real = Enforcer.check

    def counted(
        self: Enforcer, english: str, arabic: str = "", *, unlisted: bool = True
    ) -> list[Finding]:
        calls["checks"] += 1
        return real(self, english, arabic, unlisted=unlisted)

    monkeypatch.setattr(Enforcer, "check", counted)
    home = Home(desk_home)
    for slug in STORIES:
        import_sample(home, slug)
    app = make_app(home, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        old = home.enforcer()
        assert old is not None
        calls["checks"] = 0
        await reload(app, pilot)
        assert calls["checks"] == 0

        with (glossary / "places.toml").open("a", encoding="utf-8") as file:
            file.write(
                '\n[syrian-observatory]\ncanonical = "SOHR"\n'
                'arabic = ["المرصد السوري لحقوق الإنسان"]\nvariants = ["Syrian Observatory"]\n'
                'kind = "organisation"\n'
            )
        await reload(app, pilot)
        new = home.enforcer()
        assert new is not None and new.version != old.version
        shown = segments(home, *STORIES)
        assert calls["checks"] == shown
        calls["checks"] = 0
        assert column(app) == expected(home, new)
        assert calls["checks"] == shown  # `expected` itself checked every segment once
        assert column(app) != expected(home, old)

        calls["checks"] = 0
        await reload(app, pilot)
        assert calls["checks"] == 0
