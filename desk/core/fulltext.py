"""Full-text search over every story's Arabic and English (SQLite FTS5, or PostgreSQL's
full text on the shared desk, with the same words, folds and query semantics).

The index (`segment_search`, migration 005) holds each segment's Arabic, folded as
below, and its English (the current text, or the draft while there is none). Triggers
on `segments` keep it in step with every write, in the same transaction, so a search
never sees an index older than the store.

Arabic is folded before it is indexed and before it is searched, as the glossary folds
it: harakat and tatweel are dropped and the hamza carriers, alef, ta marbuta, alef
maqsura and Persian yeh and keheh forms are unified, so اللاذقية finds
اللَّاذِقِيَّة and إدلب finds ادلب. FTS5 folds case and Latin diacritics itself.

On PostgreSQL the same document is a `tsvector` that desk builds itself (`document`):
its own tokenizer splits as FTS5's unicode61 does (runs of letters and digits, case
folded, diacritics dropped), the Arabic first and the English after a gap so that no
phrase spans the two, and queries become a `tsquery` of the same words, phrases and
prefixes (`ts_query`). Building the tokens in Python, not with PostgreSQL's parser,
makes the result independent of the server's locale and text-search configuration.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from desk.core.arabic_folds import ARABIC_LETTER_FOLDS
from desk.core.errors import InputError
from desk.core.story import StoryStatus


class Reader(Protocol):
    """A store connection (SQLite's, or the shared desk's with `dialect` "postgresql")."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any:
        """Run one statement."""


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


def _terms(query: str) -> list[tuple[str, bool]]:
    """The terms of what a person typed, folded: (text, whether it is a prefix).

    Words must all occur (in any order); "quoted words" must occur together, in that
    order; a word ending in `*` matches any word it starts (`Hass*`). Everything else
    is taken literally: no operators are parsed from the query, so no input can make
    the search fail.
    """
    # Control characters and lone surrogates (from undecodable arguments) separate words.
    query = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in query)
    terms: list[tuple[str, bool]] = []
    for phrase, word in _TERM.findall(query):
        term = phrase if phrase else word
        prefix = not phrase and term.endswith("*") and len(term) > 1
        term = fold(term.rstrip("*") if prefix else term)
        if not _WORD_CHAR.search(term):
            continue
        if prefix:
            _check_prefix(word, term)
        terms.append((term, prefix))
    if not terms:
        raise InputError(f"nothing to search for in {query!r}: type a word or a name")
    return terms


MIN_PREFIX = 3
"""Letters a word ending in `*` needs before it (after the Arabic article ال, which
begins most Arabic nouns): a shorter prefix matches most of the archive's words, and
neither index can answer that without reading all of their matches (2 s for `ال*` at
100,000 stories)."""
ARTICLE = "ال"
"""The Arabic definite article, as `fold` leaves it (أل and إل fold to it)."""
MAX_HITS = 1_000
"""The most hits one search returns: newest first, the scan stops there."""


def _check_prefix(typed: str, term: str) -> None:
    """InputError unless the prefix a `word*` searches for (the last word of `term`, the
    folded text before the `*`) has MIN_PREFIX letters, or as many after ال."""
    words = tokens(term)
    if not words:
        return  # punctuation alone: left out of the query
    last = words[-1]
    if last.startswith(ARTICLE) and len(last) < len(ARTICLE) + MIN_PREFIX:
        raise InputError(
            f"{typed!r}: type at least {MIN_PREFIX} letters after the article ال before "
            "the * (e.g. الحسك*): a shorter prefix matches most of the archive's words"
        )
    if len(last) < MIN_PREFIX:
        raise InputError(
            f"{typed!r}: type at least {MIN_PREFIX} letters before the * (e.g. Hass*): a "
            "shorter prefix matches most of the archive's words"
        )


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for what a person typed (see `_terms`): FTS5's own
    operators (AND, OR, NEAR, column filters) are quoted, never parsed."""
    parts = []
    for term, prefix in _terms(query):
        if not tokens(term):  # punctuation alone: FTS5 would match nothing, so skip it
            continue
        literal = '"' + term.replace('"', '""') + '"'
        parts.append(literal + ("*" if prefix else ""))
    if not parts:
        raise InputError(f"nothing to search for in {query!r}: type a word or a name")
    return " AND ".join(parts)


# -- PostgreSQL: desk's own tokens, as FTS5's unicode61 makes them ----------------------

MAX_LEXEME_BYTES = 2000
"""PostgreSQL refuses a lexeme over 2 KiB; a longer token is cut (here and in queries)."""
MAX_POSITION = 16_383
"""The largest position a tsvector holds (later words share it)."""
MAX_POSITIONS_PER_LEXEME = 256
"""A tsvector keeps at most this many positions per lexeme."""
MAX_DOCUMENT_BYTES = 900_000
"""A tsvector is at most 1 MiB; lexemes past this budget are left out of the index."""


def tokens(text: str) -> list[str]:
    """The words of `text` as FTS5's unicode61 (remove_diacritics 2) makes them: runs of
    letters, digits and private use characters, lower-cased; Latin letters lose their
    diacritics (precomposed or combining); any other mark separates words, as there."""
    out: list[str] = []
    current: list[str] = []
    for ch in text.lower():
        for c in unicodedata.normalize("NFD", ch) if _latin(ch) else ch:
            if _COMBINING_LOW <= ord(c) <= _COMBINING_HIGH:
                continue  # a Latin diacritic: part of the word, dropped
            if unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Co":
                current.append(c)
            elif current:
                out.append(_cut("".join(current)))
                current = []
    if current:
        out.append(_cut("".join(current)))
    return out


_COMBINING_LOW, _COMBINING_HIGH = 0x0300, 0x036F
"""The combining diacritical marks FTS5 drops from Latin words."""


def _latin(ch: str) -> bool:
    """Whether `ch` is a Latin letter FTS5 takes the diacritics off."""
    code = ord(ch)
    return 0x00C0 <= code <= 0x024F or 0x1E00 <= code <= 0x1EFF


def _cut(token: str) -> str:
    """A token cut to MAX_LEXEME_BYTES of UTF-8, on a character boundary."""
    data = token.encode("utf-8")
    if len(data) <= MAX_LEXEME_BYTES:
        return token
    return data[:MAX_LEXEME_BYTES].decode("utf-8", "ignore")


def _lexeme(token: str) -> str:
    """A token as a quoted tsvector/tsquery lexeme."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def document(source: str, english: str) -> str:
    """A segment's tsvector (as text, cast by the caller): its folded Arabic, then its
    English two positions on, so that no phrase spans the two."""
    positions: dict[str, list[int]] = {}
    arabic = tokens(fold(source))
    for i, token in enumerate(arabic, start=1):
        positions.setdefault(token, []).append(min(i, MAX_POSITION))
    for i, token in enumerate(tokens(english), start=len(arabic) + 2):
        positions.setdefault(token, []).append(min(i, MAX_POSITION))
    parts: list[str] = []
    size = 0
    for token, where in positions.items():
        kept = sorted(set(where))[:MAX_POSITIONS_PER_LEXEME]
        size += len(token.encode("utf-8")) + 2 * len(kept) + 8
        if size > MAX_DOCUMENT_BYTES:
            break
        parts.append(_lexeme(token) + ":" + ",".join(map(str, kept)))
    return " ".join(parts)


def ts_query(query: str) -> str:
    """The tsquery (as text) for what a person typed, with `_terms`' semantics: each
    term is a phrase of its tokens (adjacent, in order), the last a prefix for `word*`."""
    parts: list[str] = []
    for term, prefix in _terms(query):
        words = tokens(term)
        if not words:
            continue
        lexemes = [_lexeme(w) for w in words]
        if prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")")
    if not parts:
        raise InputError(f"nothing to search for in {query!r}: type a word or a name")
    return " & ".join(parts)


def search(
    conn: Reader,
    query: str,
    *,
    status: StoryStatus | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Segments whose Arabic or English matches `query`, newest segment first, at most
    `limit` of them (MAX_HITS at most).

    Deleted stories are never found. Newest first (not by relevance) lets SQLite stop after
    `limit` hits, so a word found in a million segments costs no more than a rare one; a
    prefix (`word*`) needs MIN_PREFIX letters, as FTS5 gathers every word it starts
    before it can stop.
    """
    if not 1 <= limit <= MAX_HITS:
        raise InputError(f"--limit must be from 1 to {MAX_HITS:,} (got {limit})")
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        return _pg_search(conn, ts_query(query), status, limit)
    where = ["segment_search MATCH ?", "s.deleted_at = ''"]
    params: list[object] = [match_expression(query)]
    if status is not None:
        where.append("s.status = ?")
        params.append(status.value)
    params.append(limit)
    rows: list[Any] = conn.execute(
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
    return [_hit(r) for r in rows]


NEWEST_FIRST = 20_000
"""How many of the newest segments a PostgreSQL search tests one by one before it asks
the GIN index for every match instead."""


def _pg_search(conn: Reader, tsquery: str, status: StoryStatus | None, limit: int) -> list[Hit]:
    """`search` on PostgreSQL, in at most two steps.

    PostgreSQL's planner cannot tell a rare name from a common word in a tsquery (it
    guessed 14,000 matches for a name in 100), so left to itself it walks the segments
    newest first testing each: instant for a common word, the whole archive for a rare
    one (1.5 s at 3 million segments). So the walk is bounded: first the newest
    NEWEST_FIRST segments, newest first (a common word has its hits there). When they
    hold fewer than `limit` hits, the word is rare in the archive, and the GIN index's
    matches are joined and sorted instead (`g.id + 0` keeps the planner from walking
    the primary key again); those include the first step's hits, being the newest.
    """
    filters = ["s.deleted_at = ''"]
    params: list[object] = [tsquery]
    if status is not None:
        filters.append("s.status = ?")
        params.append(status.value)
    params.append(limit)
    steps = (
        f"(SELECT * FROM segments ORDER BY id DESC LIMIT {NEWEST_FIRST}) g",
        "segments g",
    )
    order = ("g.id", "g.id + 0")
    rows: list[Any] = []
    for source, by in zip(steps, order, strict=True):
        rows = conn.execute(
            f"""
            SELECT s.slug, s.status, g.n, g.source, g.updated_at,
                   {sql_english("g")} AS english
            FROM {source}
            JOIN stories s ON s.id = g.story_id
            WHERE g.search @@ ?::tsquery AND {" AND ".join(filters)}
            ORDER BY {by} DESC
            LIMIT ?
            """,
            params,
        ).fetchall()
        if len(rows) >= limit:
            break
    return [_hit(r) for r in rows]


def _hit(row: Any) -> Hit:
    """A search hit from a row of the search's SELECT."""
    return Hit(
        slug=row["slug"],
        status=StoryStatus(row["status"]),
        n=row["n"],
        source=row["source"],
        english=row["english"],
        updated_at=row["updated_at"],
    )
