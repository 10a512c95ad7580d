"""The translation memory in the store: its units, their index, and lookups that read
the index, never every unit. The same SQL on SQLite and PostgreSQL.

Tables (migration 009_memory):

- `tm_units`: one row per unit. A confirmed segment of a story is a unit of origin
  "desk" (`segment_id` set), kept in step with its segment by `sync_segment` in the
  transaction that saves the segment: a segment that stops being confirmed, or loses
  its English, takes its unit with it. Imported units (TMX) have no segment and carry
  their origin. `key_hash` finds the units of one normalised sentence (exact matches).
- `tm_index`: (token, unit) for every Arabic token and English word of every unit
  (`text.index_keys`): the candidates of a lookup and of the concordance.
- `tm_tokens`: how many units hold each token, counted up to `COMMON` and then left
  alone (so that saves on a shared desk never queue on the row of a common word); it
  orders a lookup's tokens rarest first. Counts may be stale: they only make lookups
  fast, the candidate guarantee below holds whatever they say.

Lookup (`candidates`): a unit scoring at least t % shares at least k of the segment's
distinct tokens (k from t and the token counts: see `_prefix`), so it holds at least
one of any n − k + 1 of them. Those n − k + 1 are taken rarest first; their units are
counted (all of them while they are COMPLETE or fewer together, else the newest
POSTINGS of each: then an older unit sharing only common words can be missed), and the
CANDIDATES that share the most are scored by the caller. Units that could be repaired
(same sentence but for numbers and names) hold the rarest of the segment's other
tokens: its units are counted too.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from hashlib import blake2b
from typing import Any

from desk.core.store.connection import Connection
from desk.core.tm.match import Unit
from desk.core.tm.text import english_words, index_keys, key, token_id

POSTINGS = 2_000
"""Units read per token of a lookup, the newest first, once its tokens are common
(COMPLETE): bounds a lookup's work however common its tokens."""
COMPLETE = 20_000
"""A lookup whose chosen tokens are held by at most this many units together reads all
of their units: the candidate guarantee then holds without exception."""
CANDIDATES = 100
"""Units a lookup hands to scoring: those sharing the most chosen tokens, the newest
first among equals."""
MOST_TOKENS = 32
"""Tokens whose units a lookup reads at most: a sentence of a few hundred words would
otherwise read the units of a hundred tokens. Past it, the candidate guarantee holds
only for the units sharing one of these (the rarest)."""
COMMON = 20_000
"""A token in this many units is common: its count is no longer kept up to date."""
CONCORDANCE_SCANNED = 20_000
"""Units the concordance examines at most for one query."""
DESK = "desk"
"""The origin of units made from the desk's own confirmed segments."""

_UNIT_COLUMNS = (
    "u.id, u.source, u.target, u.origin, u.author, u.created_at, u.updated_at, "
    "u.published, u.context, u.key, u.segment_n, COALESCE(s.slug, u.story) AS story"
)
_UNITS = f"SELECT {_UNIT_COLUMNS} FROM tm_units u LEFT JOIN stories s ON s.id = u.story_id"


@dataclass
class NewUnit:
    """A unit to add from outside the desk (a TMX import)."""

    source: str
    target: str
    origin: str
    author: str = ""
    created_at: str = ""
    updated_at: str = ""
    story: str = ""
    props: dict[str, str] = field(default_factory=dict)
    published: bool = False
    """Published where it comes from (a desk's export says so): ranks as the desk's
    own published units do."""


def key_hash(sentence_key: str) -> int:
    """The index key of a whole normalised sentence (`tm_units.key_hash`)."""
    return token_id(sentence_key, "key")


def context_of(before: str, after: str) -> str:
    """A digest of the sentences around a segment (their keys): equal digests mean the
    same context, a 101% match."""
    joined = f"{key(before)}\n{key(after)}"
    return blake2b(joined.encode(), digest_size=8).hexdigest()


def unit_from_row(row: Any) -> Unit:
    """A Unit from a row of `_UNITS`."""
    return Unit(
        id=int(row["id"]),
        source=str(row["source"]),
        target=str(row["target"]),
        origin=str(row["origin"]),
        story=str(row["story"] or ""),
        segment=int(row["segment_n"] or 0),
        author=str(row["author"]),
        created_at=str(row["created_at"]),
        updated_at=str(row["updated_at"]),
        published=bool(row["published"]),
        context=str(row["context"]),
        key=str(row["key"]),
    )


# -- writing (inside a write transaction) ------------------------------------------------


Counts = dict[int, int]
"""Token → how far its unit count moves: gathered over a whole write, applied once."""


def _add_postings(conn: Connection, unit_id: int, source: str, target: str, counts: Counts) -> None:
    """Index a unit; its tokens' counts move up in `counts`."""
    keys = sorted(index_keys(source, target))
    conn.executemany(
        "INSERT INTO tm_index (token, unit_id) VALUES (?, ?)", [(k, unit_id) for k in keys]
    )
    for k in keys:
        counts[k] = counts.get(k, 0) + 1


def _drop_postings(
    conn: Connection, unit_id: int, source: str, target: str, counts: Counts
) -> None:
    """Take a unit out of the index (as it was indexed: from its stored text); its
    tokens' counts move down in `counts`."""
    keys = sorted(index_keys(source, target))
    conn.executemany(
        "DELETE FROM tm_index WHERE token = ? AND unit_id = ?", [(k, unit_id) for k in keys]
    )
    for k in keys:
        counts[k] = counts.get(k, 0) - 1


def _count(conn: Connection, counts: Counts) -> None:
    """Move the tokens' counts, leaving common tokens alone. One statement per token,
    in token order: two writes counting the same tokens (saves on a shared desk) never
    wait for each other in a circle."""
    keys = sorted(k for k, step in counts.items() if step)
    common: set[int] = set()
    for chunk in _chunks(keys, 500):
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT token FROM tm_tokens WHERE token IN ({marks}) AND units >= ?",
            (*chunk, COMMON),
        ).fetchall()
        common.update(int(r[0]) for r in rows)
    conn.executemany(
        "INSERT INTO tm_tokens (token, units) VALUES (?, ?) ON CONFLICT (token) DO UPDATE "
        "SET units = CASE WHEN tm_tokens.units + ? < 0 THEN 0 ELSE tm_tokens.units + ? END",
        [(k, max(counts[k], 0), counts[k], counts[k]) for k in keys if k not in common],
    )
    counts.clear()


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sync_segment(conn: Connection, segment_id: int, *, confirmed: bool = True) -> None:
    """Bring the desk unit of one segment in step with it: made or changed when the
    segment is confirmed with English, removed otherwise. `confirmed` False (the
    caller knows the segment is not) spares reading the segment."""
    if not confirmed:
        gone = conn.execute(
            "SELECT id, source, target FROM tm_units WHERE segment_id = ?", (segment_id,)
        ).fetchone()
        if gone is not None:
            counts: Counts = {}
            _drop_postings(conn, int(gone["id"]), str(gone["source"]), str(gone["target"]), counts)
            conn.execute("DELETE FROM tm_units WHERE id = ?", (gone["id"],))
            _count(conn, counts)
        return
    seg = conn.execute(
        "SELECT g.id, g.story_id, g.n, g.source, g.text, g.status, g.updated_at, "
        "g.updated_by, s.status AS story_status, s.deleted_at FROM segments g "
        "JOIN stories s ON s.id = g.story_id WHERE g.id = ?",
        (segment_id,),
    ).fetchone()
    old = conn.execute(
        "SELECT id, source, target FROM tm_units WHERE segment_id = ?", (segment_id,)
    ).fetchone()
    changes: Counts = {}
    wanted = (
        seg is not None
        and seg["status"] == "confirmed"
        and str(seg["text"]).strip() != ""
        and not seg["deleted_at"]
        and key(str(seg["source"])) != ""
    )
    if old is not None:
        if wanted and old["source"] == seg["source"] and old["target"] == seg["text"]:
            conn.execute(
                "UPDATE tm_units SET author = ?, updated_at = ?, published = ? WHERE id = ?",
                (seg["updated_by"], seg["updated_at"], _published(seg["story_status"]), old["id"]),
            )
            return
        _drop_postings(conn, int(old["id"]), str(old["source"]), str(old["target"]), changes)
        conn.execute("DELETE FROM tm_units WHERE id = ?", (old["id"],))
    if not wanted:
        _count(conn, changes)
        return
    assert seg is not None
    around = conn.execute(
        "SELECT n, source FROM segments WHERE story_id = ? AND n IN (?, ?)",
        (seg["story_id"], int(seg["n"]) - 1, int(seg["n"]) + 1),
    ).fetchall()
    near = {int(r["n"]): str(r["source"]) for r in around}
    sentence = key(str(seg["source"]))
    cur = conn.execute(
        "INSERT INTO tm_units (segment_id, story_id, segment_n, origin, source, target, key, "
        "key_hash, context, author, created_at, updated_at, published) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            seg["id"], seg["story_id"], seg["n"], DESK, seg["source"], seg["text"], sentence,
            key_hash(sentence),
            context_of(near.get(int(seg["n"]) - 1, ""), near.get(int(seg["n"]) + 1, "")),
            seg["updated_by"], seg["updated_at"], seg["updated_at"],
            _published(seg["story_status"]),
        ),
    )  # fmt: skip
    _add_postings(conn, int(cur.fetchone()[0]), str(seg["source"]), str(seg["text"]), changes)
    _count(conn, changes)  # the old unit's and the new one's in one pass


def _published(story_status: str) -> int:
    """1 for the units of a published story (or one being corrected), else 0."""
    return 1 if story_status in ("published", "correcting") else 0


def set_story_status(conn: Connection, story_id: int, status: str) -> None:
    """The story's units rank as published or not, as its new status says."""
    conn.execute(
        "UPDATE tm_units SET published = ? WHERE story_id = ? AND published != ?",
        (_published(status), story_id, _published(status)),
    )


def drop_story(conn: Connection, story_id: int) -> None:
    """Remove the units of a deleted story."""
    rows = conn.execute(
        "SELECT id, source, target FROM tm_units WHERE story_id = ?", (story_id,)
    ).fetchall()
    counts: Counts = {}
    for row in rows:
        _drop_postings(conn, int(row["id"]), str(row["source"]), str(row["target"]), counts)
    conn.execute("DELETE FROM tm_units WHERE story_id = ?", (story_id,))
    _count(conn, counts)


_CONTROLS = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f]")
"""Control characters (tab and newline aside): no sentence needs one, and one that
reached a segment from an imported unit could act on a terminal."""


def add_units(conn: Connection, units: Iterable[NewUnit]) -> int:
    """Add imported units, control characters left out; returns how many (a pair
    already held with the same origin is not added twice)."""
    added = 0
    counts: Counts = {}
    for given in units:
        unit = replace(
            given, source=_CONTROLS.sub("", given.source), target=_CONTROLS.sub("", given.target)
        )
        sentence = key(unit.source)
        if not sentence or not unit.target.strip():
            continue
        digest = key_hash(sentence)
        same = conn.execute(
            "SELECT 1 FROM tm_units WHERE key_hash = ? AND origin = ? AND target = ? "
            "AND source = ?",
            (digest, unit.origin, unit.target, unit.source),
        ).fetchone()
        if same is not None:
            continue
        cur = conn.execute(
            "INSERT INTO tm_units (origin, source, target, key, key_hash, context, author, "
            "created_at, updated_at, published, story, props) "
            "VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                unit.origin, unit.source, unit.target, sentence, digest, unit.author,
                unit.created_at, unit.updated_at or unit.created_at, int(unit.published),
                unit.story,
                json.dumps(unit.props, ensure_ascii=False, sort_keys=True),
            ),
        )  # fmt: skip
        _add_postings(conn, int(cur.fetchone()[0]), unit.source, unit.target, counts)
        added += 1
    _count(conn, counts)
    return added


def remove_origin(conn: Connection, origin: str) -> int:
    """Remove every imported unit of `origin`; returns how many. The desk's own units
    are the stories' record and go only with their segments."""
    rows = conn.execute(
        "SELECT id, source, target FROM tm_units WHERE origin = ? AND segment_id IS NULL",
        (origin,),
    ).fetchall()
    counts: Counts = {}
    for row in rows:
        _drop_postings(conn, int(row["id"]), str(row["source"]), str(row["target"]), counts)
    conn.execute("DELETE FROM tm_units WHERE origin = ? AND segment_id IS NULL", (origin,))
    _count(conn, counts)
    return len(rows)


def reindex(conn: Connection) -> int:
    """Index every unit again (after a copy brought the units); returns the unit count."""
    conn.execute("DELETE FROM tm_index")
    conn.execute("DELETE FROM tm_tokens")
    last, count = 0, 0
    counts: Counts = {}
    while rows := conn.execute(
        "SELECT id, source, target FROM tm_units WHERE id > ? ORDER BY id LIMIT 1000", (last,)
    ).fetchall():
        for row in rows:
            _add_postings(conn, int(row["id"]), str(row["source"]), str(row["target"]), counts)
        last, count = int(rows[-1]["id"]), count + len(rows)
    _count(conn, counts)
    return count


REBUILD_STORIES = 500
"""Stories whose confirmed segments `rebuild` turns into units at a time."""


def rebuild(conn: Connection) -> int:
    """Make the desk's units from every confirmed segment again and index every unit
    (the migration that brings the memory); returns the unit count.

    In bulk, for an archive of years: the stories' segments are read a few hundred
    stories at a time, the units and their postings written with one statement per
    batch (ids given here, under the write lock), the token counts once at the end."""
    conn.execute("DELETE FROM tm_units WHERE segment_id IS NOT NULL")
    count = reindex(conn)
    postgres = getattr(conn, "dialect", "sqlite") == "postgresql"
    # The postings go first to a table of their own in the order they come, then into
    # the index sorted: inserting them one by one at random places of an index of tens
    # of millions thrashed (an archive of 100,000 stories took most of an hour).
    conn.execute("CREATE TEMP TABLE tm_staged (token BIGINT NOT NULL, unit_id BIGINT NOT NULL)")
    cache = None
    if not postgres:  # room for the sort and the index's upper pages
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA cache_size = -262144")
    top = conn.execute("SELECT COALESCE(MAX(id), 0) FROM tm_units").fetchone()[0]
    next_id, last_story, counts = int(top) + 1, 0, Counts()
    while stories := conn.execute(
        "SELECT id, status FROM stories WHERE id > ? AND deleted_at = '' ORDER BY id LIMIT ?",
        (last_story, REBUILD_STORIES),
    ).fetchall():
        last_story = int(stories[-1]["id"])
        status = {int(r["id"]): str(r["status"]) for r in stories}
        marks = ", ".join("?" * len(status))
        rows = conn.execute(
            "SELECT id, story_id, n, source, text, status, updated_at, updated_by FROM segments "
            f"WHERE story_id IN ({marks}) ORDER BY story_id, n",
            tuple(status),
        ).fetchall()
        sources = {(int(r["story_id"]), int(r["n"])): str(r["source"]) for r in rows}
        units, postings = [], []
        for r in rows:
            sentence = key(str(r["source"]))
            if r["status"] != "confirmed" or not str(r["text"]).strip() or not sentence:
                continue
            story, n = int(r["story_id"]), int(r["n"])
            around = context_of(sources.get((story, n - 1), ""), sources.get((story, n + 1), ""))
            units.append((
                next_id, r["id"], story, n, DESK, r["source"], r["text"], sentence,
                key_hash(sentence), around, r["updated_by"], r["updated_at"], r["updated_at"],
                _published(status[story]),
            ))  # fmt: skip
            for token in index_keys(str(r["source"]), str(r["text"])):
                postings.append((token, next_id))
                counts[token] = counts.get(token, 0) + 1
            next_id += 1
        conn.executemany(
            "INSERT INTO tm_units (id, segment_id, story_id, segment_n, origin, source, target, "
            "key, key_hash, context, author, created_at, updated_at, published) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            units,
        )
        conn.executemany("INSERT INTO tm_staged (token, unit_id) VALUES (?, ?)", postings)
        count += len(units)
    conn.execute(
        "INSERT INTO tm_index (token, unit_id) SELECT token, unit_id FROM tm_staged "
        "ORDER BY token, unit_id"
    )
    conn.execute("DROP TABLE tm_staged")
    if cache is not None:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
    _count(conn, counts)
    if postgres:  # ids were given: move the sequence on
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('tm_units', 'id'), ?, false)", (next_id,)
        )
    return count


# -- reading -------------------------------------------------------------------------


def exact(conn: Connection, sentence_key: str, *, limit: int = 50) -> list[Unit]:
    """Units of the same normalised sentence, newest first."""
    rows = conn.execute(
        f"{_UNITS} WHERE u.key_hash = ? ORDER BY u.updated_at DESC LIMIT ?",
        (key_hash(sentence_key), limit),
    ).fetchall()
    return [unit_from_row(r) for r in rows if r["key"] == sentence_key]


def _counts(conn: Connection, tokens: Sequence[int]) -> dict[int, int]:
    """How many units hold each token (0: none, or not counted yet)."""
    found: dict[int, int] = {}
    for chunk in _chunks(sorted(set(tokens)), 500):
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT token, units FROM tm_tokens WHERE token IN ({marks})", tuple(chunk)
        ).fetchall():
            found[int(row[0])] = int(row[1])
    return {t: found.get(t, 0) for t in tokens}


def _prefix(tokens: Sequence[str], threshold: int) -> int:
    """How many of a segment's distinct tokens, rarest first, a unit scoring at least
    `threshold` % must share one of.

    Such a unit is within (1 − t)·L token edits of the segment (L the longer length), so
    it shares at least t·n of the segment's n tokens, counted with repeats; at least
    t·n − (n − d) of its d distinct ones. Holding k of the d, it holds one of any d − k + 1.
    """
    n, distinct = len(tokens), len(set(tokens))
    shared = math.ceil(threshold / 100 * n) - (n - distinct)
    return max(1, min(distinct, distinct - max(shared, 1) + 1))


def candidates(
    conn: Connection, tokens: Sequence[str], threshold: int, also: Sequence[str] = ()
) -> list[Unit]:
    """The units a lookup scores: those that can reach `threshold` for a segment of
    `tokens` (the newest POSTINGS per token), and those holding the rarest of `also`
    (the tokens a repairable unit must share), at most CANDIDATES, sharing the most
    first."""
    if not tokens:
        return []
    ids = {t: token_id(t, "ar") for t in set(tokens) | set(also)}
    counts = _counts(conn, list(ids.values()))
    rarest = sorted(set(tokens), key=lambda t: (counts[ids[t]], ids[t]))
    chosen = rarest[: min(_prefix(tokens, threshold), MOST_TOKENS)]
    if also:
        chosen.append(min(set(also), key=lambda t: (counts[ids[t]], ids[t])))
    picked = sorted({ids[t] for t in chosen})
    # Rare tokens: every unit that holds one. Common ones: the newest POSTINGS of each.
    limit = "" if sum(counts[t] for t in picked) <= COMPLETE else f" LIMIT {POSTINGS}"
    parts = " UNION ALL ".join(
        f"SELECT unit_id FROM (SELECT unit_id FROM tm_index WHERE token = ? "
        f"ORDER BY unit_id DESC{limit}) p{i}"
        for i in range(len(picked))
    )
    rows = conn.execute(
        f"SELECT unit_id, COUNT(*) AS shared FROM ({parts}) c GROUP BY unit_id "
        f"ORDER BY shared DESC, unit_id DESC LIMIT {CANDIDATES}",
        tuple(picked),
    ).fetchall()
    return units(conn, [int(r[0]) for r in rows])


def units(conn: Connection, ids: Sequence[int]) -> list[Unit]:
    """The units of `ids`, in that order (missing ones left out)."""
    found: dict[int, Unit] = {}
    for chunk in _chunks(list(ids), 500):
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(f"{_UNITS} WHERE u.id IN ({marks})", tuple(chunk)).fetchall():
            unit = unit_from_row(row)
            found[unit.id] = unit
    return [found[i] for i in ids if i in found]


def _has_run(words: Sequence[str], run: Sequence[str]) -> bool:
    """Whether `run` occurs in `words` as consecutive items."""
    size = len(run)
    return any(list(words[i : i + size]) == list(run) for i in range(len(words) - size + 1))


def concordance(conn: Connection, query: str, *, limit: int = 50) -> tuple[list[Unit], bool]:
    """Units whose Arabic (for an Arabic query) or English holds the words of `query`
    in a row, published first, then the newest; and whether more may exist than were
    examined (a very common phrase: CONCORDANCE_SCANNED units at most)."""
    arabic = key(query).split()
    language, words = ("ar", arabic) if arabic else ("en", english_words(query))
    if not words:
        return [], False
    ids = {w: token_id(w, language) for w in set(words)}
    counts = _counts(conn, list(ids.values()))
    order = sorted(set(words), key=lambda w: (counts[ids[w]], ids[w]))
    first = ids[order[0]]
    join = "".join(  # the next rarest two narrow it down in SQL
        f" JOIN tm_index j{i} ON j{i}.unit_id = a.unit_id AND j{i}.token = ?"
        for i in range(len(order[1:3]))
    )
    params = [ids[w] for w in order[1:3]] + [first]
    found: list[Unit] = []
    scanned, last = 0, None
    while len(found) < limit and scanned < CONCORDANCE_SCANNED:
        below = "" if last is None else " AND a.unit_id < ?"
        rows = conn.execute(
            f"SELECT a.unit_id FROM tm_index a{join} WHERE a.token = ?{below} "
            f"ORDER BY a.unit_id DESC LIMIT 500",
            (*params, *(() if last is None else (last,))),
        ).fetchall()
        if not rows:
            return _published_first(found), False
        batch = [int(r[0]) for r in rows]
        last, scanned = batch[-1], scanned + len(batch)
        for unit in units(conn, batch):
            text = unit.key.split() if language == "ar" else english_words(unit.target)
            if _has_run(text, words):
                found.append(unit)
    return _published_first(found[:limit]), True


def _published_first(found: list[Unit]) -> list[Unit]:
    """Published units first, each group newest first."""
    newest = sorted(found, key=lambda u: u.updated_at, reverse=True)
    return sorted(newest, key=lambda u: not u.published)


def summary(conn: Connection) -> dict[str, Any]:
    """Units per origin (with how many published), and the index's size."""
    rows = conn.execute(
        "SELECT origin, COUNT(*) AS units, SUM(published) AS published FROM tm_units "
        "GROUP BY origin ORDER BY origin"
    ).fetchall()
    postings = conn.execute("SELECT COUNT(*) FROM tm_index").fetchone()[0]
    return {
        "origins": {
            str(r["origin"]): {"units": int(r["units"]), "published": int(r["published"] or 0)}
            for r in rows
        },
        "units": sum(int(r["units"]) for r in rows),
        "postings": int(postings),
    }


def all_units(conn: Connection, *, published: bool = False) -> Iterator[Unit]:
    """Every unit (or every published one), in id order, a batch at a time."""
    last = 0
    where = " AND u.published = 1" if published else ""
    while True:
        rows = conn.execute(
            f"{_UNITS} WHERE u.id > ?{where} ORDER BY u.id LIMIT 1000", (last,)
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield unit_from_row(row)
        last = int(rows[-1]["id"])
