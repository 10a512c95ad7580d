"""Spell checking in the editor: the story's misspelt words, kept up to date as it changes.

The dictionary is the `[desk] spelling` variant (en-GB by default, en-US, or off); the
house glossary's names, and the names it lists as other names (`not_variants`), are
never flagged. Spelling is advice shown beside the glossary findings, not a QA gate
item: a news story has many correct words no dictionary knows.
"""

from __future__ import annotations

from desk.core.glossary.enforce import Enforcer
from desk.core.spelling import Speller, load_speller, name_words
from desk.core.story import Segment, Story


class Spelling:
    """One story's misspelt words, by segment."""

    def __init__(self) -> None:
        """Nothing checked yet."""
        self.speller: Speller | None = None
        self.variant = ""
        """The dictionary in use ("en-GB", "en-US"), once loaded."""
        self.names: frozenset[str] = frozenset()
        self.words: dict[int, list[str]] = {}
        """Segment → its misspelt words, in text order (segments without any left out)."""

    def scan(self, story: Story, variant: str, enforcer: Enforcer | None) -> dict[int, list[str]]:
        """Check every segment of `story` with the `variant` dictionary ("off": none)."""
        if variant == "off":
            self.speller = None
            return {}
        names = [] if enforcer is None else enforcer.entries
        self.names = name_words(
            [e.canonical for e in names] + [other for e in names for other in e.not_variants]
        )
        self.speller = load_speller(variant)
        self.variant = variant
        return {seg.n: found for seg in story.segments if (found := self.check(seg.text))}

    def check(self, text: str) -> list[str]:
        """The misspelt words of `text`, each once, in order (none before a scan)."""
        if self.speller is None:
            return []
        words = [m.word for m in self.speller.misspelt(text, self.names)]
        return list(dict.fromkeys(words))

    def recheck(self, seg: Segment) -> None:
        """Check one segment again after a change."""
        found = self.check(seg.text)
        if found:
            self.words[seg.n] = found
        else:
            self.words.pop(seg.n, None)

    def suggest(self, word: str) -> list[str]:
        """The dictionary's suggestions for `word` (slow the first time: use a worker)."""
        return [] if self.speller is None else self.speller.suggest(word, limit=3)
