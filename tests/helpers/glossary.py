"""Glossary helpers: what an entry says, to compare entries read from different files."""

from __future__ import annotations

from desk.core.glossary.model import Entry


def values(entry: Entry) -> tuple[object, ...]:
    """What an entry says, without the file and line it came from."""
    return (
        entry.id,
        entry.canonical,
        entry.arabic,
        entry.variants,
        entry.kind,
        entry.notes,
        entry.only_with_arabic,
    )
