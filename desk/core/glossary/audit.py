"""The archive audit: spellings across stories that look like one name, and proposed entries.

It reads the spelling index (`spellings.py`), brought up to date first, so its cost
follows the number of distinct spellings in the archive, not the number of stories.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from desk.core.glossary.fuzzy import NameKeys, surface_key
from desk.core.glossary.model import Entry, Glossary
from desk.core.glossary.spellings import spellings_in
from desk.core.store import Store
from desk.core.store.spelling_index import (
    Total,
    pending,
    refresh,
    stories_using,
    stories_with_key,
    totals,
)

SAMPLE = 10
"""Stories named per spelling (the newest); the count covers them all."""


@dataclass
class Cluster:
    """Spellings that share one romanisation key, where they occur, and what to do."""

    key: str
    spellings: Counter[str] = field(default_factory=Counter)
    """Surface spelling → occurrences."""
    story_counts: Counter[str] = field(default_factory=Counter)
    """Surface spelling → number of stories using it."""
    stories: dict[str, list[str]] = field(default_factory=dict)
    """Surface spelling → slugs of the newest stories using it (at most SAMPLE)."""
    entry: Entry | None = None
    """The glossary entry these spellings belong to, if one does."""

    @property
    def proposal(self) -> str:
        """What the desk should do: add variants to an entry, or add a new entry."""
        if self.entry is not None:
            known = {surface_key(s) for s in (self.entry.canonical, *self.entry.variants)}
            new = [s for s in self.spellings if s not in known]
            return f"add to {self.entry.id} as variant(s): {', '.join(new)}"
        canonical = self.spellings.most_common(1)[0][0]
        others = [s for s in self.spellings if s != canonical]
        return f"new entry {canonical!r} with variant(s): {', '.join(others)}"

    def describe(self) -> str:
        """A few lines for people."""
        lines = [self.proposal]
        for spelling, count in self.spellings.most_common():
            slugs = ", ".join(self.stories.get(spelling, []))
            more = self.story_counts[spelling] - len(self.stories.get(spelling, []))
            if more > 0:
                slugs += f" and {more} more"
            lines.append(f"    {spelling:30} {count:4}x  {slugs}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "key": self.key,
            "entry": self.entry.id if self.entry else None,
            "proposal": self.proposal,
            "spellings": [
                {
                    "text": s,
                    "count": n,
                    "story_count": self.story_counts[s],
                    "stories": self.stories.get(s, []),
                }
                for s, n in self.spellings.most_common()
            ],
        }


def audit(store: Store, glossary: Glossary, *, min_stories: int = 1) -> list[Cluster]:
    """Clusters of two or more spellings of one name across the archive, most used first.

    A cluster whose key is an entry's canonical key (or near it) proposes the new
    spellings as variants of that entry; a cluster on no entry proposes a new entry
    spelled as most stories spell it. Spellings the entry already lists are counted
    but only the unlisted ones are proposed; a cluster with none is not reported.
    The stories using each spelling are left for `name_stories`, for the clusters shown.
    """
    if pending(store.conn):  # an index already current needs no write lock
        with store.decoding("the spelling index"):
            refresh(store.write, extract=spellings_in)
    # Each (key, surface) is one row: grouped by key as plain tuples, and a Cluster made
    # only for a key kept (14,000 keys, 33,000 spellings at 100,000 stories).
    by_key: dict[str, list[Total]] = {}
    for total in totals(store.conn):
        by_key.setdefault(total.key, []).append(total)
    keys = NameKeys([e.canonical for e in glossary.entries])
    out: list[Cluster] = []
    for key, spelled in by_key.items():
        near = keys.near(key)
        entry = None
        if near:
            entry = glossary.entries[max(near, key=lambda hit: hit[1])[0]]
            known = {surface_key(s) for s in (entry.canonical, *entry.variants)}
            if all(t.surface in known for t in spelled):
                continue
        elif len(spelled) < 2:
            continue
        if min_stories > 1 and stories_with_key(store.conn, key) < min_stories:
            continue
        out.append(
            Cluster(
                key,
                Counter({t.surface: t.occurrences for t in spelled}),
                Counter({t.surface: t.stories for t in spelled}),
                entry=entry,
            )
        )
    # Longer names first within a tie: "Abu Humam al-Shami" before "Shami".
    out.sort(key=lambda c: (-sum(c.spellings.values()), -len(c.key), c.key))
    return out


def name_stories(store: Store, clusters: list[Cluster]) -> None:
    """Fill in the slugs of the newest stories using each spelling of `clusters`."""
    for cluster in clusters:
        for surface in cluster.spellings:
            cluster.stories[surface] = stories_using(store.conn, cluster.key, surface, SAMPLE)
