"""The archive audit: spellings across stories that look like one name, and proposed entries."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from desk.core.glossary.fuzzy import MAX_NGRAM, NameKeys, is_known_name, ngrams, surface_key
from desk.core.glossary.model import Entry, Glossary
from desk.core.glossary.normalise import english_words
from desk.core.story import Story


@dataclass
class Cluster:
    """Spellings that share one romanisation key, where they occur, and what to do."""

    key: str
    spellings: Counter[str] = field(default_factory=Counter)
    """Surface spelling → occurrences."""
    stories: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Surface spelling → slugs of the stories using it."""
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
            slugs = ", ".join(sorted(self.stories[spelling]))
            lines.append(f"    {spelling:30} {count:4}x  {slugs}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "key": self.key,
            "entry": self.entry.id if self.entry else None,
            "proposal": self.proposal,
            "spellings": [
                {"text": s, "count": n, "stories": sorted(self.stories[s])}
                for s, n in self.spellings.most_common()
            ],
        }


def _spellings(story: Story) -> list[tuple[str, str]]:
    """(surface, key) of every whole name in the story's English.

    A name is a longest run of capitalised words (or article compounds): "Tal Tamr",
    not "Tal" inside it. "Al-" is written "al-" so that the article's case, which the
    checks handle, does not make a spelling of its own.
    """
    out: list[tuple[str, str]] = []
    for seg in story.segments:
        text = seg.text
        names = [c for c in ngrams(text, english_words(text), MAX_NGRAM) if c.names_only]
        # "Al Jazeera" is a name in its own right: neither it nor "Jazeera" inside it counts.
        known = [(c.start, c.end) for c in names if is_known_name(c.text)]
        runs = [c for c in names if not any(a < c.end and c.start < b for a, b in known)]
        for run in runs:
            inside = any(o is not run and o.start <= run.start and run.end <= o.end for o in runs)
            if not inside:
                out.append((surface_key(run.text), run.key))
    return out


def audit(stories: Sequence[Story], glossary: Glossary, *, min_stories: int = 1) -> list[Cluster]:
    """Clusters of two or more spellings of one name across `stories`, most used first.

    A cluster whose key is an entry's canonical key (or near it) proposes the new
    spellings as variants of that entry; a cluster on no entry proposes a new entry
    spelled as most stories spell it. Spellings the entry already lists are counted
    but only the unlisted ones are proposed; a cluster with none is not reported.
    """
    clusters: dict[str, Cluster] = {}
    for story in stories:
        for surface, key in _spellings(story):
            cluster = clusters.setdefault(key, Cluster(key))
            cluster.spellings[surface] += 1
            cluster.stories[surface].add(story.slug)
    keys = NameKeys([e.canonical for e in glossary.entries])
    out: list[Cluster] = []
    for key, cluster in clusters.items():
        near = keys.near(key)
        if near:
            cluster.entry = glossary.entries[max(near, key=lambda hit: hit[1])[0]]
            known = {surface_key(s) for s in (cluster.entry.canonical, *cluster.entry.variants)}
            if all(s in known for s in cluster.spellings):
                continue
        elif len(cluster.spellings) < 2:
            continue
        used_in = set().union(*cluster.stories.values())
        if len(used_in) < min_stories:
            continue
        out.append(cluster)
    # Longer names first within a tie: "Abu Humam al-Shami" before "Shami".
    out.sort(key=lambda c: (-sum(c.spellings.values()), -len(c.key), c.key))
    return out
