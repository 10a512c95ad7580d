"""Finding glossary entries by any of their spellings, Arabic forms or notes."""

from __future__ import annotations

from desk.core.glossary.model import Entry, Glossary
from desk.core.glossary.normalise import ArabicNameIndex, arabic_words, english_key


def search(glossary: Glossary, query: str) -> list[Entry]:
    """Entries matching `query`, best first.

    An Arabic query finds entries whose Arabic form it contains (clitics and spelling
    variants of hamza, alef and ta marbuta allowed); an English one matches ids,
    spellings and notes case-insensitively, and spellings also by their romanisation
    key, so "Hasaka" finds Hassakeh.
    """
    query = query.strip()
    if not query:
        return []
    if arabic_words(query):
        index: ArabicNameIndex[int] = ArabicNameIndex()
        for i, entry in enumerate(glossary.entries):
            for form in entry.arabic:
                index.add(form, i)
        found = index.find(query)
        return [glossary.entries[i] for i in sorted(found)]
    low, key = query.lower(), english_key(query)
    exact: list[Entry] = []
    partial: list[Entry] = []
    for entry in glossary.entries:
        spellings = (entry.canonical, *entry.variants)
        if entry.id == low or any(s.lower() == low for s in spellings):
            exact.append(entry)
        elif (
            low in entry.id
            or any(low in s.lower() for s in spellings)
            or low in entry.notes.lower()
            or (key and any(english_key(s) == key for s in spellings))
        ):
            partial.append(entry)
    return exact + partial
