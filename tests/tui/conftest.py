"""Fixtures of the workbench tests: a translation memory to match against."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.app.home import Home
from desk.core.importer import ImportOptions

FOLLOWUP = "lattakia-followup"
"""The story imported after the Lattakia sample, matched against its segments."""


@pytest.fixture
def followup(env: Home, tmp_path: Path) -> str:
    """The Lattakia sample confirmed, so its segments are units of the memory, and a
    follow-up story made of its sentences: segment 1 the headline with the same next
    sentence (101%), 2 and 3 sentences of it (100%), 4 one with another number (100%
    repaired, 12 → 15), 5 one with other words (83%), 6 one the memory has nothing like.
    Returns the follow-up's slug."""
    env.desk.confirm("lattakia-offensive", None, author="rania")
    old = env.desk.store.load_story("lattakia-offensive")
    casualties = old.segment(13).source
    assert "١٢" in casualties
    fuzzy = (
        "وقال المرصد السوري لحقوق الإنسان إن اشتباكات عنيفة دارت على محاور عدة في جبل "
        "الأكراد وسط قصف مدفعي."
    )
    text = (
        f"---\nslug: {FOLLOWUP}\noutlet: Al-Quds Al-Arabi\ndate: 2015-03-09\n---\n\n"
        f"# {old.segment(1).source}\n\n{old.segment(2).source} {old.segment(11).source}\n\n"
        f"{casualties.replace('١٢', '١٥')}\n\n{fuzzy}\n\nوأغلقت المدارس أبوابها.\n"
    )
    path = tmp_path / "followup.ar.md"
    path.write_text(text, encoding="utf-8")
    env.desk.import_story(path, ImportOptions(), author="importer")
    return FOLLOWUP
