"""The audit's spelling index (desk.core.glossary.spellings): always what a count from
scratch gives, through edits, deletions, imports and an interrupted refresh."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from desk.app.home import Home
from desk.core.glossary.spellings import spellings_in
from desk.core.store import Store
from desk.core.store.spelling_index import refresh, totals
from tests.helpers.stories import import_sample

pytestmark = pytest.mark.both_backends


def from_scratch(store: Store) -> dict[tuple[str, str], tuple[int, int]]:
    """Every spelling's (occurrences, stories), counted over the live stories directly."""
    occurrences: Counter[tuple[str, str]] = Counter()
    stories: Counter[tuple[str, str]] = Counter()
    for summary in store.list_stories():
        seen: set[tuple[str, str]] = set()
        for seg in store.load_story(summary.slug).segments:
            for spelling in spellings_in(seg.text):
                occurrences[spelling] += 1
                seen.add(spelling)
        stories.update(seen)
    return {s: (occurrences[s], stories[s]) for s in occurrences}


def indexed(store: Store) -> dict[tuple[str, str], tuple[int, int]]:
    """The index's totals, after bringing it up to date."""
    refresh(store.write, extract=spellings_in, batch=7)
    return {(t.key, t.surface): (t.occurrences, t.stories) for t in totals(store.conn)}


def test_spelling_index_follows_every_change(env: Home) -> None:
    """Random edits, a deletion and a new import: the index equals a count from scratch."""
    import_sample(env, "hassakeh-water")
    store = env.desk.store
    assert indexed(store) == from_scratch(store)
    rng = random.Random(6)
    names = ["Hasaka", "Hasakah", "Latakia", "Lattakia", "Abu Hammam al-Shami", "Tal Tamr"]
    for _ in range(40):
        slug = rng.choice(["lattakia-offensive", "hassakeh-water"])
        n = rng.randint(1, 20)
        text = f"{rng.choice(names)} and {rng.choice(names)} said the {rng.choice(names)} office."
        env.desk.edit(slug, n, text, author="tr")
        if rng.random() < 0.3:
            assert indexed(store) == from_scratch(store)
    assert indexed(store) == from_scratch(store)
    import_sample(env, "idleb-displacement")
    env.desk.delete_story("idleb-displacement", author="tr")
    assert indexed(store) == from_scratch(store)


def test_queue_survives_an_interrupted_refresh(env: Home) -> None:
    """A refresh that dies mid-way leaves the rest queued; the next one completes it."""
    store = env.desk.store
    queued = store.conn.execute("SELECT COUNT(*) FROM spelling_queue").fetchone()[0]
    assert queued == len(store.load_story("lattakia-offensive").segments)
    calls = 0

    def failing(text: str) -> list[tuple[str, str]]:
        nonlocal calls
        calls += 1
        if calls > 12:
            raise RuntimeError("killed")
        return spellings_in(text)

    with pytest.raises(RuntimeError):
        refresh(store.write, extract=failing, batch=5)
    left = store.conn.execute("SELECT COUNT(*) FROM spelling_queue").fetchone()[0]
    assert left == queued - 10  # two whole batches landed, the third rolled back
    assert indexed(store) == from_scratch(store)
