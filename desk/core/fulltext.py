"""Full-text search over every story's Arabic and English (SQLite FTS5).

The index (`segment_search`, migration 005) holds each segment's Arabic, folded as
below, and its English (the current text, or the draft while there is none). Triggers
on `segments` keep it in step with every write, in the same transaction, so a search
never sees an index older than the store.

Arabic is folded before it is indexed and before it is searched, as the glossary folds
it: harakat and tatweel are dropped and the hamza carriers, alef, ta marbuta, alef
maqsura and Persian yeh and keheh forms are unified, so اللاذقية finds
اللَّاذِقِيَّة and إدلب finds ادلب. FTS5 folds case and Latin diacritics itself.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from desk.core.arabic_folds import ARABIC_LETTER_FOLDS
from desk.core.errors import InputError
from desk.core.story import StoryStatus

# What the index folds, one character to one replacement ("" drops it): the glossary's
# letter folds (`normalise_arabic`) and the common marks: harakat, superscript alef and
# tatweel. The rarer Quranic marks the glossary also drops are left: the trigger SQL in
# migration 005 is a chain of nested replace() built from this table, and SQLite's
# parser takes about 30 levels. Changing the table needs a new migration that rebuilds
# the index.
SEARCH_MARKS = (*range(0x064B, 0x0653), 0x0670, 0x0640)
ARABIC_SEARCH_FOLDS: tuple[tuple[str, str], ...] = (
    *((chr(code), "") for code in SEARCH_MARKS),
    *ARABIC_LETTER_FOLDS.items(),
)
_FOLD = str.maketrans(dict(ARABIC_SEARCH_FOLDS))


def fold(text: str) -> str:
    """`text` as the index holds its Arabic."""
    return text.translate(_FOLD)


def sql_fold(expression: str) -> str:
    """An SQL expression that folds `expression` as `fold` does."""
    for old, new in ARABIC_SEARCH_FOLDS:
        expression = f"replace({expression}, '{old}', '{new}')"
    return expression


def sql_english(row: str) -> str:
    """The English a segment row is indexed under: its text, or its draft while empty."""
    return f"CASE WHEN {row}.text = '' THEN {row}.draft ELSE {row}.text END"


@dataclass(frozen=True)
class Hit:
    """One segment that matches a search."""

    slug: str
    status: StoryStatus
    n: int
    source: str
    english: str
    updated_at: str


# A quoted phrase, or a run of anything but spaces and quotes.
_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')
# Characters FTS5's tokenizer treats as separators anyway; a term of only these is empty.
_WORD_CHAR = re.compile(r"\w", re.UNICODE)


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for what a person typed.

    Words must all occur (in any order); "quoted words" must occur together, in that
    order; a word ending in `*` matches any word it starts (`Hass*`). Everything else
    is taken literally: FTS5's own operators (AND, OR, NEAR, column filters) are not
    parsed from the query, so no input can make the search fail.
    """
    # Control characters and lone surrogates (from undecodable arguments) separate words.
    query = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in query)
    parts: list[str] = []
    for phrase, word in _TERM.findall(query):
        term = phrase if phrase else word
        prefix = not phrase and term.endswith("*") and len(term) > 1
        term = fold(term.rstrip("*") if prefix else term)
        if not _WORD_CHAR.search(term):
            continue
        literal = '"' + term.replace('"', '""') + '"'
        parts.append(literal + ("*" if prefix else ""))
    if not parts:
        raise InputError(f"nothing to search for in {query!r}: type a word or a name")
    return " AND ".join(parts)


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    status: StoryStatus | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Segments whose Arabic or English matches `query`, newest segment first.

    Deleted stories are never found. Newest first (not by relevance) lets SQLite stop after
    `limit` hits, so a word found in a million segments costs no more than a rare one.
    """
    if limit < 1:
        raise InputError(f"--limit must be at least 1 (got {limit})")
    where = ["segment_search MATCH ?", "s.deleted_at = ''"]
    params: list[object] = [match_expression(query)]
    if status is not None:
        where.append("s.status = ?")
        params.append(status.value)
    params.append(limit)
    rows = conn.execute(
        f"""
        SELECT s.slug, s.status, g.n, g.source, g.updated_at,
               {sql_english("g")} AS english
        FROM segment_search f
        JOIN segments g ON g.id = f.rowid
        JOIN stories s ON s.id = g.story_id
        WHERE {" AND ".join(where)}
        ORDER BY f.rowid DESC
        LIMIT ?
        """,
        params,
    ).fetchall()
    return [
        Hit(
            slug=r["slug"],
            status=StoryStatus(r["status"]),
            n=r["n"],
            source=r["source"],
            english=r["english"],
            updated_at=r["updated_at"],
        )
        for r in rows
    ]
