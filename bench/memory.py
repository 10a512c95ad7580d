"""The translation memory at scale: match lookup and concordance on a memory of 3 million
units, beside a full scan with rapidfuzz (issue 15).

The memory (deterministic, seed fixed; made once into --cache, default bench/.cache,
as `memory-<units>-v<VERSION>/`, with a `complete` marker; remade when that is missing):
--units units (default 3,000,000) generated from the corpus (samples/corpus/news.tsv,
Arabic<TAB>English) with variation, so that the vocabulary and the sentence shapes stay
the corpus's and many units are near one another:

- numbers changed, in the Arabic (Arabic-Indic or Latin digits, the source's own most
  of the time) and in the English where it shows the number;
- place and person names of the house glossary (glossaries/*.toml, read by desk's
  loader) exchanged for another of the same kind: its Arabic form in the Arabic, its
  house spelling in the English where the English spells the old name;
- Arabic words dropped, doubled or swapped with their neighbour (an English word too,
  now and then);
- sentences joined from pieces: the start of one corpus sentence and the end of
  another (the English cut in proportion), now and then two whole sentences;
- one unit in twenty the corpus pair as it is (boilerplate repeats in a real archive).

Rows go in through desk's own schema (`Store` runs the migrations) in one transaction
with executemany: `tm_units` as `add_units` writes them (origin, key, key_hash, dates,
props), `tm_index` with every unit's `index_keys`, sorted by (token, unit) before it is
written, `tm_tokens` with each token's count as desk keeps it (capped at `COMMON`). The
keys are desk's: each whitespace-separated piece is keyed once with `key` and
`english_words` and each token hashed with `token_id` (remembered, since the corpus's
words repeat), and for CHECKED random units the result is compared with `key`,
`key_hash` and `index_keys` of the whole sentence: the build fails on any difference.
The database also holds STORIES small stories of corpus segments (drafts) for the
per-save figure. The cache of 3 million units is about 4 GB and takes about 10 minutes.

Measured (in one process on an open store, as the workbench's worker calls them):

- lookup: `desk.app.memory.lookup` (exact matches by key, `candidates` from the index,
  scoring, repair with the house glossary's enforcer; threshold 70) for QUERIES
  Arabic sentences: held-out sentences (samples/corpus/heldout.tsv), corpus sentences
  as they are, with a number or a name changed, with words dropped or swapped, and
  pieces joined otherwise than in the memory; p50/p95/p99 and what the best match of
  each was (exact, repaired, fuzzy, none). Also `candidates` alone (the SQL) and the
  number of units scored, to tell where the time goes. Target: p95 < 50 ms.
  After WARM_UP other lookups (the first reads of a cold file are the disk's, not desk's).
- baseline: rapidfuzz `process.extract` over every unit's normalised Arabic, for
  BASELINE_QUERIES of the queries (a scan is the slow way: that is the point). The
  scorer is desk's own measure, `Levenshtein.normalized_similarity` over tokens, each
  token written as one character so that rapidfuzz compares strings at full speed
  (the fastest a scan can be, and the same numbers as desk's `similarity`); loading
  the keys is not counted. Recall on those queries: of the units the scan finds at
  >= 70 % (desk's `similarity`), how many are among those desk's lookup scores
  (`exact` and `candidates`), and whether desk's best score equals the scan's.
- concordance: `desk.app.memory.concordance` for CONCORDANCE queries (Arabic words,
  rare and common, Arabic phrases, English words and phrases, words in no unit);
  p50/p95. Target: p95 < 200 ms. Baseline: a scan with LIKE over every unit's key or
  English for a few of them.
- refresh: `add_units` of REFRESH new units (a TMX import) in one transaction on the
  built memory, then rolled back (the cache stays as built); units/s beside the bulk
  build's. Per-save cost: `sync_segment` of SYNCS segments, each in its own
  transaction after the segment was confirmed (rolled back); p50/p95, beside the same
  calls on an empty memory.
- PostgreSQL (unless --no-postgres, or without PostgreSQL's binaries or psycopg): the
  memory copied with COPY into a throw-away cluster (tests/helpers/postgres.py) made by
  desk's migrations, then VACUUM ANALYZE; the same lookups and concordance there.
  --pg-units copies a smaller memory (built the same way) when the full one would
  take too long.

--quick: fewer queries (the same generator and targets). Run:
python -m bench.memory [--units 3000000] [--quick] [--no-postgres] [--pg-units N]
[--cache DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from pathlib import Path
from typing import Any

from bench.table import Row, write_rows
from desk.app import memory as app_memory
from desk.app.service import Desk
from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.model import Kind, load_folder
from desk.core.glossary.repair import fixed_tokens
from desk.core.store import Store
from desk.core.store import memory as store_memory
from desk.core.store.memory import COMMON, NewUnit, key_hash
from desk.core.tm.match import similarity
from desk.core.tm.text import (
    MARK,
    arabic_tokens,
    english_words,
    final_mark,
    index_keys,
    key,
    token_id,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = "memory"
VERSION = 2
"""Of the generator: a change to it makes a new cache folder."""
SEED = 20261215
UNITS = 3_000_000
CHECKED = 2_000
"""Generated units whose keys are compared with desk's own, whole sentence at a time."""
BATCH = 20_000
"""Units per executemany while building."""
STORIES, SEGMENTS = 40, 25
"""Stories (of SEGMENTS draft segments each) in the memory's desk, for sync_segment."""
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
ORIGINS = ("tmx:archive-2019.tmx", "tmx:archive-2020.tmx", "tmx:partner-desk.tmx")
AUTHORS = ("rana", "omar", "lina", "karim", "huda")
THRESHOLD = 70
QUERIES, QUERIES_QUICK = 300, 100
WARM_UP = 30
BASELINE_QUERIES, BASELINE_QUICK = 10, 3
CONCORDANCE, CONCORDANCE_QUICK = 100, 40
LIKE_BASELINE = 3
REFRESH = 1_000
SYNCS, SYNCS_QUICK = 200, 50
LOOKUP_TARGET_MS, CONCORDANCE_TARGET_MS = 50.0, 200.0
SQLITE, POSTGRES = "SQLite", "PostgreSQL"

_NUMBER = re.compile(r"^([(«\"]?)([0-9]+|[٠-٩]+)(٪|%|[)»\".,،:؛]?)$")
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_LATIN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


# -- the corpus and its variation ----------------------------------------------------


@dataclass(frozen=True)
class Name:
    """A glossary name that may be exchanged: an Arabic form, the house spelling, the
    English spellings a corpus sentence may use for it, and its kind."""

    arabic: str
    canonical: str
    spellings: tuple[str, ...]
    kind: Kind


@dataclass
class Pair:
    """A corpus sentence pair, in words, with the glossary names both sides show."""

    arabic: list[str]
    english: list[str]
    names: list[tuple[Name, str]] = field(default_factory=list)
    """(name, the English spelling used) for each name the pair holds."""


def read_tsv(path: Path) -> list[tuple[str, str]]:
    """The (Arabic, English) pairs of a corpus file (header line skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [(a, e) for a, _, e in (line.partition("\t") for line in lines) if a and e]


def glossary_names() -> list[Name]:
    """Every place and person of the house glossary, one Name per Arabic form."""
    out: list[Name] = []
    for entry in load_folder(ROOT / "glossaries").entries:
        if entry.kind not in (Kind.PLACE, Kind.PERSON):
            continue
        for form in entry.arabic:
            spellings = tuple(sorted({entry.canonical, *entry.variants}, key=len, reverse=True))
            out.append(Name(form, entry.canonical, spellings, entry.kind))
    return out


_CLITICS = ("", "و", "ب", "ل", "ف", "ك", "وب", "ول")


def _arabic_has(text: str, form: str) -> bool:
    """Whether `form` stands in `text` as whole words (a conjunction or preposition
    may be attached in front)."""
    for match in re.finditer(re.escape(form), text):
        before = text[: match.start()].rsplit(" ", 1)[-1]
        after = text[match.end() : match.end() + 1]
        if before in _CLITICS and (not after or not after.isalpha()):
            return True
    return False


def _english_has(text: str, spelling: str) -> bool:
    """Whether `spelling` stands in `text` as whole words."""
    return re.search(rf"(?<![^\W_]){re.escape(spelling)}(?![^\W_])", text) is not None


def corpus() -> list[Pair]:
    """The corpus's pairs, with the names each shows on both sides."""
    names = glossary_names()
    pairs: list[Pair] = []
    for arabic, english in read_tsv(ROOT / "samples" / "corpus" / "news.tsv"):
        pair = Pair(arabic.split(), english.split())
        for name in names:
            if not _arabic_has(arabic, name.arabic):
                continue
            spelling = next((s for s in name.spellings if _english_has(english, s)), None)
            if spelling is not None and all(name.arabic != n.arabic for n, _ in pair.names):
                pair.names.append((name, spelling))
        pairs.append(pair)
    return pairs


class Varier:
    """Makes varied sentence pairs from the corpus (one random generator, seeded)."""

    def __init__(self, pairs: list[Pair], seed: int) -> None:
        """Vary `pairs` with a generator seeded by `seed`."""
        self.pairs = pairs
        self.rng = random.Random(seed)
        self.by_kind: dict[Kind, list[Name]] = {}
        for name in glossary_names():
            self.by_kind.setdefault(name.kind, []).append(name)

    def number(self, old: str) -> str:
        """A new number in place of `old` (Latin digits), of about its size."""
        rng = self.rng
        value = int(old)
        if 1990 <= value <= 2030:
            return str(rng.randint(2011, 2026))
        if value < 10:
            return str(rng.randint(2, 9))
        return str(rng.randint(10 ** (len(old) - 1), 10 ** len(old) - 1))

    def numbers(self, arabic: list[str], english: str) -> tuple[list[str], str]:
        """Each number of the Arabic changed, half the time, in both languages."""
        out = list(arabic)
        for i, word in enumerate(arabic):
            found = _NUMBER.match(word)
            if not found or self.rng.random() < 0.5:
                continue
            lead, digits, tail = found.groups()
            old = digits.translate(_LATIN)
            new = self.number(old)
            indic = digits != old
            if self.rng.random() < 0.2:
                indic = not indic
            out[i] = lead + (new.translate(_INDIC) if indic else new) + tail
            english = re.sub(rf"(?<![\d.,]){old}(?!\d|[.,]\d)", new, english)
        return out, english

    def names(self, pair: Pair, arabic: str, english: str) -> tuple[str, str]:
        """The pair's glossary names exchanged, half the time each, for others of the
        same kind."""
        for name, spelling in pair.names:
            if self.rng.random() < 0.5:
                continue
            other = self.rng.choice(self.by_kind[name.kind])
            if other.arabic == name.arabic:
                continue
            arabic = arabic.replace(name.arabic, other.arabic)
            english = re.sub(
                rf"(?<![^\W_]){re.escape(spelling)}(?![^\W_])", other.canonical, english
            )
        return arabic, english

    def edit(self, words: list[str], edits: int) -> list[str]:
        """`words` with `edits` words dropped, doubled or swapped with the next."""
        words = list(words)
        for _ in range(edits):
            if len(words) < 4:
                break
            i = self.rng.randrange(len(words) - 1)
            what = self.rng.random()
            if what < 0.4:
                del words[i]
            elif what < 0.7:
                words.insert(i, words[i])
            else:
                words[i], words[i + 1] = words[i + 1], words[i]
        return words

    def joined(self) -> tuple[Pair, list[str], list[str]]:
        """Pieces of two corpus pairs: the start of one and the end of the other (the
        English cut in proportion), or now and then both whole."""
        rng = self.rng
        first, second = rng.choice(self.pairs), rng.choice(self.pairs)
        if rng.random() < 0.15:
            head = second.arabic[0]
            head = head if head.startswith("و") else "و" + head
            return (
                first,
                [*first.arabic, head, *second.arabic[1:]],
                [
                    *first.english,
                    *second.english,
                ],
            )
        a, b = first.arabic, second.arabic
        i = rng.randint(min(3, len(a)), max(min(3, len(a)), len(a) - 1))
        j = rng.randint(min(1, len(b) - 1), max(min(1, len(b) - 1), len(b) - 3))
        ea, eb = first.english, second.english
        ei = max(1, round(i / len(a) * len(ea)))
        ej = min(len(eb) - 1, round(j / len(b) * len(eb)))
        return first, [*a[:i], *b[j:]], [*ea[:ei], *eb[ej:]]

    def pair(self) -> tuple[str, str]:
        """One varied (Arabic, English) pair."""
        rng = self.rng
        if rng.random() < 0.05:
            whole = rng.choice(self.pairs)
            return " ".join(whole.arabic), " ".join(whole.english)
        if rng.random() < 0.5:
            base, arabic, english_words_ = self.joined()
        else:
            base = rng.choice(self.pairs)
            arabic, english_words_ = base.arabic, base.english
        english = " ".join(english_words_)
        arabic, english = self.numbers(arabic, english)
        if rng.random() < 0.4:
            arabic = self.edit(arabic, rng.randint(1, 3))
            if rng.random() < 0.3:
                english = " ".join(self.edit(english.split(), 1))
        text = " ".join(arabic)
        if base.names:
            text, english = self.names(base, text, english)
        return text, english


# -- desk's keys, piece by piece -----------------------------------------------------


class Keys:
    """desk's `key`, `key_hash` and `index_keys` of a unit, computed one whitespace-
    separated piece at a time and remembered (no token crosses a space, so the pieces'
    keys joined are the sentence's); `check` compares them with the whole-sentence
    functions."""

    def __init__(self) -> None:
        """Empty caches."""
        self.arabic: Callable[[str], tuple[str, ...]] = cache(
            lambda w: tuple(t.text for t in arabic_tokens(w) if t.kind != MARK)
        )
        self.english: Callable[[str], tuple[str, ...]] = cache(lambda w: tuple(english_words(w)))
        self.token: Callable[[str, str], int] = cache(token_id)

    def of(self, source: str, target: str) -> tuple[str, int, set[int]]:
        """(key, key_hash, index keys) of a unit."""
        tokens = [t for piece in source.split() for t in self.arabic(piece)]
        mark = final_mark(source)  # a question or exclamation mark ends the sentence only
        if mark and tokens:
            tokens.append(mark)
        sentence = " ".join(tokens)
        keys = {self.token(t, "ar") for t in tokens}
        keys.update(self.token(w, "en") for piece in target.split() for w in self.english(piece))
        return sentence, key_hash(sentence), keys

    @staticmethod
    def check(source: str, target: str, got: tuple[str, int, set[int]]) -> None:
        """Fail unless `got` is what desk's own functions give for the whole unit."""
        sentence = key(source)
        if got != (sentence, key_hash(sentence), index_keys(source, target)):
            raise SystemExit(f"generated keys differ from desk's for {source!r} / {target!r}")


# -- building the memory ---------------------------------------------------------------


def memory_home(cache_dir: Path, units: int) -> Path:
    """The desk home holding a generated memory of `units` units (made on first use)."""
    home = cache_dir / f"memory-{units}-v{VERSION}"
    if not (home / "complete").exists():
        build(home, units, SEED)
    return home


def database(home: Path) -> Path:
    """The memory's SQLite file."""
    return home / "desk.sqlite3"


def build(home: Path, units: int, seed: int) -> None:
    """Generate `units` units into a fresh desk database at `home`."""
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    started = time.perf_counter()
    pairs = corpus()
    varier = Varier(pairs, seed)
    keys = Keys()
    checked = set(random.Random(seed + 1).sample(range(1, units + 1), min(CHECKED, units)))
    store = Store(database(home))
    conn = store.conn
    assert isinstance(conn, sqlite3.Connection)
    conn.execute("PRAGMA cache_size = -1000000")  # 1 GB while building (this connection)
    conn.execute("BEGIN IMMEDIATE")
    tokens: array[int] = array("q")
    owners: array[int] = array("i")
    rows: list[tuple[Any, ...]] = []
    generate_s = 0.0
    for unit_id in range(1, units + 1):
        source, target = varier.pair()
        sentence, digest, unit_keys = keys.of(source, target)
        if unit_id in checked:
            keys.check(source, target, (sentence, digest, unit_keys))
        at = (EPOCH + timedelta(seconds=30 * unit_id)).isoformat()
        rows.append((unit_id, ORIGINS[unit_id % len(ORIGINS)], source, target, sentence,
                     digest, AUTHORS[unit_id % len(AUTHORS)], at, at,
                     f"story-{unit_id // 30:06d}"))  # fmt: skip
        tokens.extend(unit_keys)
        owners.extend([unit_id] * len(unit_keys))
        if len(rows) == BATCH or unit_id == units:
            began = time.perf_counter()
            conn.executemany(
                "INSERT INTO tm_units (id, origin, source, target, key, key_hash, context,"
                " author, created_at, updated_at, published, story, props)"
                " VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, 0, ?, '{}')",
                rows,
            )
            generate_s -= time.perf_counter() - began
            rows.clear()
            if unit_id % 500_000 < BATCH:
                print(f"  generated {unit_id:,} units, {len(tokens):,} postings "
                      f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)  # fmt: skip
    generate_s += time.perf_counter() - started
    postings = len(tokens)
    write_index(conn, tokens, owners)
    del tokens, owners
    stories(conn, pairs, random.Random(seed + 2))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    took = time.perf_counter() - started
    size = size_mb(home)
    (home / "complete").write_text(
        f"{units} units, {postings} postings; built in {took:.1f} s "
        f"({units / took:.0f} units/s; generating and keying {generate_s:.1f} s); "
        f"{size:.0f} MB\n",
        encoding="utf-8",
    )


def write_index(conn: sqlite3.Connection, tokens: array[int], owners: array[int]) -> None:
    """tm_index in (token, unit) order, and tm_tokens with desk's capped counts."""
    import numpy as np

    token_arr = np.frombuffer(tokens, dtype=np.int64)
    owner_arr = np.frombuffer(owners, dtype=np.int32)
    order = np.argsort(token_arr, kind="stable")  # units were added in id order
    sorted_tokens = token_arr[order]
    sorted_owners = owner_arr[order]
    del order
    step = 1_000_000
    for start in range(0, len(sorted_tokens), step):
        conn.executemany(
            "INSERT INTO tm_index (token, unit_id) VALUES (?, ?)",
            zip(
                sorted_tokens[start : start + step].tolist(),
                sorted_owners[start : start + step].tolist(),
                strict=True,
            ),
        )
    distinct, counts = np.unique(sorted_tokens, return_counts=True)
    conn.executemany(
        "INSERT INTO tm_tokens (token, units) VALUES (?, ?)",
        zip(distinct.tolist(), np.minimum(counts, COMMON).tolist(), strict=True),
    )


def stories(conn: sqlite3.Connection, pairs: list[Pair], rng: random.Random) -> None:
    """STORIES stories of SEGMENTS draft segments (corpus pairs), as desk's importer
    leaves them, for the per-save figure."""
    for story_id in range(1, STORIES + 1):
        at = (EPOCH + timedelta(days=story_id)).isoformat()
        chosen = [rng.choice(pairs) for _ in range(SEGMENTS)]
        conn.execute(
            "INSERT INTO stories (id, slug, headline_ar, status, outlet, created_at,"
            " updated_at) VALUES (?, ?, ?, 'translating', 'Generated', ?, ?)",
            (story_id, f"memory-{story_id:03d}", " ".join(chosen[0].arabic), at, at),
        )
        conn.executemany(
            "INSERT INTO segments (story_id, n, paragraph, role, source, draft, text, status,"
            " engine, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', 'import',"
            " ?, 'bench')",
            [
                (story_id, n, 0 if n == 1 else 1 + n // 4, "headline" if n == 1 else "body",
                 " ".join(p.arabic), " ".join(p.english), " ".join(p.english), at)
                for n, p in enumerate(chosen, 1)
            ],
        )  # fmt: skip


def size_mb(home: Path) -> float:
    """The database's size on disk (WAL included), in MB."""
    return sum(p.stat().st_size for p in home.glob("desk.sqlite3*")) / 1e6


# -- queries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """An Arabic sentence to look up, and how it was made."""

    text: str
    made: str


def lookup_queries(count: int, seed: int) -> list[Query]:
    """`count` Arabic sentences: held-out ones, and corpus ones as they are, with a
    number or name changed, edited, or joined otherwise than the memory joined them."""
    pairs = corpus()
    varier = Varier(pairs, seed)
    rng = varier.rng
    heldout = [a for a, _ in read_tsv(ROOT / "samples" / "corpus" / "heldout.tsv")]
    rng.shuffle(heldout)
    with_slots = [p for p in pairs if p.names or any(_NUMBER.match(w) for w in p.arabic)]
    makers: list[tuple[str, Callable[[], str]]] = [
        ("held-out", lambda: heldout.pop() if heldout else " ".join(rng.choice(pairs).arabic)),
        ("corpus as is", lambda: " ".join(rng.choice(pairs).arabic)),
        ("number or name changed", lambda: changed(varier, rng.choice(with_slots))),
        ("words edited", lambda: " ".join(varier.edit(rng.choice(pairs).arabic,
                                                      rng.randint(1, 3)))),
        ("pieces joined", lambda: " ".join(varier.joined()[1])),
    ]  # fmt: skip
    return [Query(make(), made) for i in range(count) for made, make in [makers[i % len(makers)]]]


def changed(varier: Varier, pair: Pair) -> str:
    """The pair's Arabic with its numbers and names changed (at least one, if it can)."""
    for _ in range(10):
        arabic, _english = varier.numbers(pair.arabic, "")
        text, _ = varier.names(pair, " ".join(arabic), "")
        if text != " ".join(pair.arabic):
            return text
    return text


def concordance_queries(count: int, seed: int) -> list[Query]:
    """`count` concordance queries: Arabic words (common and rare), Arabic phrases,
    English words and phrases, and words no unit holds."""
    rng = random.Random(seed)
    pairs = corpus()
    arabic_counts: Counter[str] = Counter()
    english_counts: Counter[str] = Counter()
    for pair in pairs:
        arabic_counts.update(w for w in pair.arabic if key(w))
        english_counts.update(w.strip(".,;:\"'()") for w in pair.english)
    common_ar = [w for w, _ in arabic_counts.most_common(40)]
    rare_ar = [w for w, n in arabic_counts.items() if n == 1 and len(key(w)) > 3]
    common_en = [w for w, _ in english_counts.most_common(40) if w]
    rare_en = [w for w, n in english_counts.items() if n == 1 and len(w) > 5 and w.isalpha()]

    def phrase(words: list[str], size: int) -> str:
        start = rng.randrange(max(1, len(words) - size))
        return " ".join(words[start : start + size])

    makers: list[tuple[str, Callable[[], str]]] = [
        ("Arabic word, common", lambda: rng.choice(common_ar)),
        ("Arabic word, rare", lambda: rng.choice(rare_ar)),
        ("Arabic phrase", lambda: phrase(rng.choice(pairs).arabic, rng.randint(2, 4))),
        ("English word, common", lambda: rng.choice(common_en)),
        ("English word, rare", lambda: rng.choice(rare_en)),
        ("English phrase", lambda: phrase(rng.choice(pairs).english, rng.randint(2, 4))),
        ("in no unit", lambda: rng.choice(["زنجبيل", "قرنبيط مشوي", "hovercraft",
                                           "purple elephants"])),
    ]  # fmt: skip
    return [Query(make(), made) for i in range(count) for made, make in [makers[i % len(makers)]]]


# -- measuring --------------------------------------------------------------------------


def spread(queries: list[Query], count: int) -> list[Query]:
    """`count` of the queries, taken in turn from each way they were made."""
    kinds: dict[str, list[Query]] = {}
    for query in queries:
        kinds.setdefault(query.made, []).append(query)
    taken: list[Query] = []
    for i in range(max((len(k) for k in kinds.values()), default=0)):
        taken += [k[i] for k in kinds.values() if i < len(k)]
    return taken[:count]


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0-1) of `values`, by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


@dataclass
class Lookups:
    """What the lookups gave on one backend."""

    times_ms: list[float] = field(default_factory=list)
    candidates_ms: list[float] = field(default_factory=list)
    scored: list[int] = field(default_factory=list)
    best: Counter[str] = field(default_factory=Counter)
    by_made: dict[str, Counter[str]] = field(default_factory=dict)
    slowest: list[tuple[float, Query, int]] = field(default_factory=list)


def run_lookups(desk: Desk, enforcer: Enforcer, queries: list[Query], warm: list[Query]) -> Lookups:
    """Time `lookup` (and `candidates` alone) for every query, after the `warm` ones."""
    conn = desk.store.conn
    for query in warm:
        app_memory.lookup(desk, query.text, threshold=THRESHOLD, enforcer=enforcer)
    out = Lookups()
    for query in queries:
        start = time.perf_counter()
        found = app_memory.lookup(desk, query.text, threshold=THRESHOLD, enforcer=enforcer)
        took = (time.perf_counter() - start) * 1000
        out.times_ms.append(took)
        kind = found[0].kind if found else "none"
        out.best[kind] += 1
        out.by_made.setdefault(query.made, Counter())[kind] += 1
        tokens = key(query.text).split()
        also = fixed_tokens(query.text, enforcer)
        start = time.perf_counter()
        units = store_memory.candidates(conn, tokens, THRESHOLD, also)
        out.candidates_ms.append((time.perf_counter() - start) * 1000)
        scored = len(
            {u.id for u in units} | {u.id for u in store_memory.exact(conn, key(query.text))}
        )
        out.scored.append(scored)
        out.slowest.append((took, query, scored))
    out.slowest = sorted(out.slowest, key=lambda s: -s[0])[:5]
    return out


@dataclass
class Scan:
    """The rapidfuzz baseline and the recall of desk's index on the same queries."""

    times_s: list[float] = field(default_factory=list)
    load_s: float = 0.0
    found: int = 0
    """Units the scans found at >= THRESHOLD."""
    recalled: int = 0
    """Of those, the units desk's lookup scored."""
    same_best: int = 0
    """Queries where desk's best plain score equals the scan's."""
    queries: int = 0
    lines: list[str] = field(default_factory=list)


def full_scan(store: Store, enforcer: Enforcer, queries: list[Query]) -> Scan:
    """rapidfuzz over every unit's key for each query; recall of desk's candidates."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    scan = Scan()
    start = time.perf_counter()
    vocabulary: dict[str, str] = {}

    def encode(tokens: list[str]) -> str:
        # One character per distinct token, past the surrogates (0xE000 on).
        return "".join(vocabulary.setdefault(t, chr(0xE000 + len(vocabulary))) for t in tokens)

    ids: list[int] = []
    keys: list[str] = []
    cursor = store.conn.execute("SELECT id, key FROM tm_units ORDER BY id")
    while rows := cursor.fetchmany(50_000):
        for row in rows:
            ids.append(int(row[0]))
            keys.append(encode(str(row[1]).split()))
    scan.load_s = time.perf_counter() - start
    conn = store.conn
    for query in queries:
        tokens = key(query.text).split()
        start = time.perf_counter()
        hits = process.extract(encode(tokens), keys, scorer=Levenshtein.normalized_similarity,
                               score_cutoff=(THRESHOLD - 1) / 100, limit=None)  # fmt: skip
        scan.times_s.append(time.perf_counter() - start)
        scores = {ids[i]: similarity(keys[i], encode(tokens)) for _, _, i in hits}
        wanted = {u for u, s in scores.items() if s >= THRESHOLD}
        also = fixed_tokens(query.text, enforcer)
        desk_ids = {u.id for u in store_memory.exact(conn, " ".join(tokens))}
        desk_ids |= {u.id for u in store_memory.candidates(conn, tokens, THRESHOLD, also)}
        got = wanted & desk_ids
        scan.found += len(wanted)
        scan.recalled += len(got)
        best_scan = max(scores.values(), default=0)
        best_desk = max((s for u, s in scores.items() if u in desk_ids), default=0)
        if best_scan < THRESHOLD or best_desk == best_scan:
            scan.same_best += 1
        scan.queries += 1
        scan.lines.append(
            f"  {query.made:24} scan {scan.times_s[-1]:6.2f} s: {len(wanted):6,} units >= "
            f"{THRESHOLD} %, desk scored {len(got):6,} of them; best {best_scan} % "
            f"(desk {best_desk} %)"
        )
    return scan


def run_concordance(desk: Desk, queries: list[Query]) -> tuple[list[float], list[str]]:
    """Time the concordance for every query (after one warm-up each way); lines
    saying what each kind of query found."""
    app_memory.concordance(desk, "قوات")
    app_memory.concordance(desk, "forces")
    times: list[float] = []
    per_kind: dict[str, list[tuple[float, int, bool]]] = {}
    for query in queries:
        start = time.perf_counter()
        units, more = app_memory.concordance(desk, query.text)
        took = (time.perf_counter() - start) * 1000
        times.append(took)
        per_kind.setdefault(query.made, []).append((took, len(units), more))
    lines = [
        f"  {made:22} {len(got):3} queries: p50 {quantile([g[0] for g in got], 0.5):7.1f} ms, "
        f"max {max(g[0] for g in got):7.1f} ms; units found median "
        f"{statistics.median(g[1] for g in got):4.0f}, {sum(g[2] for g in got)} capped"
        for made, got in per_kind.items()
    ]
    return times, lines


def like_scan(store: Store, queries: list[Query]) -> list[float]:
    """Seconds of a LIKE scan over every unit's key (Arabic) or English for each query
    (every unit that holds it, as the concordance would list them without its cap)."""
    times: list[float] = []
    for query in queries:
        arabic = key(query.text)
        column, needle = ("key", arabic) if arabic else ("target", query.text)
        start = time.perf_counter()
        store.conn.execute(
            f"SELECT id FROM tm_units WHERE {column} LIKE ?",
            (f"%{needle}%",),
        ).fetchall()
        times.append(time.perf_counter() - start)
    return times


def refresh(store: Store, units: int, seed: int) -> float:
    """Seconds `add_units` takes for `units` new units in one transaction (then undone)."""
    varier = Varier(corpus(), seed)
    new = [
        NewUnit(source, target, "tmx:refresh.tmx", author="bench",
                created_at="2026-12-15T10:00:00+00:00", story=f"refresh-{i}")
        for i, (source, target) in enumerate(varier.pair() for _ in range(units))
    ]  # fmt: skip
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        start = time.perf_counter()
        added = store_memory.add_units(conn, new)
        took = time.perf_counter() - start
    finally:
        conn.execute("ROLLBACK")
    if added < units * 0.9:
        raise SystemExit(f"add_units added {added} of {units} new units")
    return took


def syncs(store: Store, count: int, seed: int) -> list[float]:
    """Milliseconds of `sync_segment` for `count` segments, each confirmed in its own
    transaction first (the save), then rolled back."""
    conn = store.conn
    ids = [int(r[0]) for r in conn.execute("SELECT id FROM segments ORDER BY id").fetchall()]
    chosen = random.Random(seed).sample(ids, min(count, len(ids)))
    times: list[float] = []
    for segment_id in chosen:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "UPDATE segments SET status = 'confirmed', text = text || ' (checked)' "
                "WHERE id = ?",
                (segment_id,),
            )
            start = time.perf_counter()
            store_memory.sync_segment(conn, segment_id)
            times.append((time.perf_counter() - start) * 1000)
            if (
                conn.execute(
                    "SELECT COUNT(*) FROM tm_units WHERE segment_id = ?", (segment_id,)
                ).fetchone()[0]
                != 1
            ):
                raise SystemExit(f"sync_segment made no unit for segment {segment_id}")
        finally:
            conn.execute("ROLLBACK")
    return times


def empty_desk_syncs(home: Path, count: int, seed: int) -> list[float]:
    """The same `sync_segment` calls in a desk whose memory is empty (the baseline)."""
    with tempfile.TemporaryDirectory(prefix="desk-bench-memory-") as tmp:
        store = Store(Path(tmp) / "desk.sqlite3")
        conn = store.conn
        assert isinstance(conn, sqlite3.Connection)
        conn.execute("BEGIN IMMEDIATE")
        stories(conn, corpus(), random.Random(SEED + 2))
        conn.execute("COMMIT")
        times = syncs(store, count, seed)
        store.close()
    return times


# -- PostgreSQL ---------------------------------------------------------------------------


def postgres_missing() -> str:
    """Why PostgreSQL cannot be measured here ("" when it can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    from tests.helpers.postgres import binaries

    if binaries() is None:
        return "PostgreSQL is not installed (no initdb/pg_ctl on PATH or in /usr/lib/postgresql)"
    return ""


def copy_memory(sqlite_db: Path, url: str) -> str:
    """The memory (units, index, counts) copied with COPY into the empty desk database
    at `url`; a line saying how long it took."""
    import psycopg

    start = time.perf_counter()
    Store(url, migrate_schema=True).close()
    source = sqlite3.connect(f"{sqlite_db.resolve().as_uri()}?mode=ro", uri=True)
    columns = {
        "tm_units": ("id, origin, source, target, key, key_hash, context, author, created_at,"
                     " updated_at, published, story, props"),
        "tm_index": "token, unit_id",
        "tm_tokens": "token, units",
    }  # fmt: skip
    order = {"tm_units": "id", "tm_index": "token, unit_id", "tm_tokens": "token"}
    counts: dict[str, int] = {}
    with psycopg.connect(url) as pg:
        pg.execute("SET synchronous_commit = off")
        for table, names in columns.items():
            counts[table] = 0
            cursor = source.execute(f"SELECT {names} FROM {table} ORDER BY {order[table]}")
            with pg.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                while rows := cursor.fetchmany(10_000):
                    for row in rows:
                        copy.write_row(row)
                    counts[table] += len(rows)
                    if counts[table] % 5_000_000 < 10_000:
                        took = time.perf_counter() - start
                        print(f"  copied {counts[table]:,} rows of {table} ({took:.0f} s)",
                              file=sys.stderr)  # fmt: skip
        pg.execute(
            "SELECT setval(pg_get_serial_sequence('tm_units', 'id'), "
            "COALESCE(MAX(id), 0) + 1, false) FROM tm_units"
        )
        pg.commit()
    copied = time.perf_counter() - start
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
        for table, count in counts.items():
            got = pg.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            if got is None or got[0] != count:
                raise SystemExit(f"copy of {table}: {count} rows, {got} in PostgreSQL")
    source.close()
    total = sum(counts.values())
    return (
        f"{total:,} rows copied in {copied:.0f} s ({total / copied:,.0f} rows/s); "
        f"VACUUM ANALYZE and counts {time.perf_counter() - start - copied:.0f} s"
    )


@contextlib.contextmanager
def postgres_desk(home: Path) -> Iterator[tuple[Desk, str]]:
    """A desk on a throw-away PostgreSQL cluster holding a copy of the memory at `home`."""
    from tests.helpers.postgres import Cluster

    with tempfile.TemporaryDirectory(prefix="desk-bench-memory-pg-") as tmp:
        cluster = Cluster.start(Path(tmp) / "cluster", fsync=True)
        try:
            url = cluster.create_database("memory")
            made = copy_memory(database(home), url)
            version = cluster.sql("SHOW server_version")[0][0]
            size = cluster.sql("SELECT pg_database_size('memory')")[0][0] / 1e6
            desk = Desk(Store(url))
            try:
                yield (
                    desk,
                    f"PostgreSQL {version} (own cluster, Unix socket): {made}; {size:,.0f} MB",
                )
            finally:
                desk.store.close()
        finally:
            cluster.stop()


# -- the report ---------------------------------------------------------------------------


def lookup_lines(name: str, got: Lookups) -> list[str]:
    """The lookup figures of one backend, for a person."""
    t, c = got.times_ms, got.candidates_ms
    lines = [
        f"{name}: lookup ({len(t)} queries) p50 {quantile(t, 0.5):.1f} ms, p95 "
        f"{quantile(t, 0.95):.1f} ms, p99 {quantile(t, 0.99):.1f} ms, max {max(t):.1f} ms; "
        f"candidates alone p50 {quantile(c, 0.5):.1f} ms, p95 {quantile(c, 0.95):.1f} ms; "
        f"units scored median {statistics.median(got.scored):.0f}, max {max(got.scored)}",
        "  best match: " + ", ".join(f"{k} {v}" for k, v in got.best.most_common()),
    ]
    for made, kinds in got.by_made.items():
        lines.append(f"  {made:24} " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    lines.append("  slowest: " + "; ".join(
        f"{ms:.0f} ms ({q.made}, {len(key(q.text).split())} tokens, {n} scored)"
        for ms, q, n in got.slowest
    ))  # fmt: skip
    return lines


SCREEN_MOVES, SCREEN_MOVES_QUICK = 20, 5
"""Moves to the next segment timed in the workbench, to the matches on screen."""
SCREEN_TARGET_MS = 100.0


async def _on_screen(home: Path, slug: str, moves: int) -> list[float]:
    """Milliseconds from Ctrl+Down in the workbench (headless, bench.tui's frames) to the
    first frame showing the next segment's matches (the lookup runs in a worker on a
    connection of its own, as the editor does it)."""
    from bench.tui import SIZE, instrument, send_key, until
    from desk.app.home import Home
    from desk.tui import make_app
    from desk.tui.screens.editor import EditorScreen

    app = make_app(Home(home), author="bench", slug=slug)
    frames = instrument(app)
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        session = screen.session
        await until(lambda: session.matches_n == session.current)
        frames.probe = lambda: (session.current, session.matches_n)
        for _ in range(min(moves, len(session.story.segments) - 1)):
            target = session.current + 1
            start = send_key(app, "ctrl+down", None)
            shown = await until(
                partial(frames.first_after, start, "EditorScreen", (target, target))
            )
            times.append((shown - start) * 1000)
            await app.workers.wait_for_complete()
            await pilot.pause()
    return times


def on_screen(home: Path, moves: int) -> list[float]:
    """`_on_screen` on the memory's last generated story (no edit is made)."""
    import asyncio
    import os

    os.environ["DESK_GLOSSARY"] = str(ROOT / "glossaries")
    os.environ.pop("DESK_CLOCK", None)
    return asyncio.run(_on_screen(home, f"memory-{STORIES:03d}", moves))


def main() -> None:
    """Build (or reuse) the memory, measure, print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--quick", action="store_true", help="fewer queries")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite alone")
    parser.add_argument("--pg-units", type=int, help="units of the PostgreSQL copy (--units)")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    parser.add_argument("--json", type=Path, help="also write the suite's rows here")
    args = parser.parse_args()
    quick = args.quick
    began = time.perf_counter()
    home = memory_home(args.cache, args.units)
    made = (home / "complete").read_text().strip()
    print(f"memory: {made}", file=sys.stderr)
    enforcer = Enforcer(load_folder(ROOT / "glossaries"))
    queries = lookup_queries(QUERIES_QUICK if quick else QUERIES, SEED + 10)
    warm = lookup_queries(WARM_UP, SEED + 11)
    concordances = concordance_queries(CONCORDANCE_QUICK if quick else CONCORDANCE, SEED + 12)
    rows: list[Row] = []
    notes = [f"memory: {args.units:,} units ({made})"]

    desk = Desk(Store(database(home)))
    store = desk.store
    looked = run_lookups(desk, enforcer, queries, warm)
    notes += lookup_lines(SQLITE, looked)
    sampled = spread(queries, BASELINE_QUICK if quick else BASELINE_QUERIES)
    scan = full_scan(store, enforcer, sampled)
    recall = scan.recalled / scan.found if scan.found else 1.0
    notes += [
        f"baseline: rapidfuzz process.extract (Levenshtein.normalized_similarity over "
        f"tokens, one character each) over all {args.units:,} keys, {scan.queries} queries: "
        f"median {statistics.median(scan.times_s):.2f} s (loading the keys {scan.load_s:.0f} s, "
        f"not counted)",
        f"recall: desk scored {scan.recalled:,} of the {scan.found:,} units the scan finds at "
        f">= {THRESHOLD} % ({100 * recall:.1f} %); its best score equals the scan's for "
        f"{scan.same_best} of {scan.queries} queries",
        *scan.lines,
    ]
    con_times, con_lines = run_concordance(desk, concordances)
    likes = like_scan(store, spread(concordances, LIKE_BASELINE))
    notes += [
        f"concordance ({len(con_times)} queries): p50 {quantile(con_times, 0.5):.1f} ms, p95 "
        f"{quantile(con_times, 0.95):.1f} ms, max {max(con_times):.1f} ms; baseline LIKE scan "
        f"median {statistics.median(likes):.2f} s",
        *con_lines,
    ]
    screen_ms = on_screen(home, SCREEN_MOVES_QUICK if quick else SCREEN_MOVES)
    notes.append(
        f"workbench, next segment to its matches on screen ({len(screen_ms)} moves): p50 "
        f"{quantile(screen_ms, 0.5):.1f} ms, p95 {quantile(screen_ms, 0.95):.1f} ms, max "
        f"{max(screen_ms):.1f} ms"
    )
    refresh_s = refresh(store, REFRESH, SEED + 20)
    sync_ms = syncs(store, SYNCS_QUICK if quick else SYNCS, SEED + 21)
    store.close()
    empty_ms = empty_desk_syncs(home, SYNCS_QUICK if quick else SYNCS, SEED + 21)
    build_units_s = float(made.split("(")[1].split()[0])
    notes += [
        f"refresh: add_units of {REFRESH:,} units {refresh_s:.2f} s ({REFRESH / refresh_s:,.0f} "
        f"units/s; commit not counted, rolled back); bulk build {build_units_s:,.0f} units/s",
        f"sync_segment ({len(sync_ms)} saves): p50 {quantile(sync_ms, 0.5):.2f} ms, p95 "
        f"{quantile(sync_ms, 0.95):.2f} ms; on an empty memory p50 "
        f"{quantile(empty_ms, 0.5):.2f} ms, p95 {quantile(empty_ms, 0.95):.2f} ms",
    ]
    scan_ms = statistics.median(scan.times_s) * 1000
    unit_text = f"{args.units:,} units"
    rows += [
        Row(BENCH, f"lookup p50, {unit_text}", quantile(looked.times_ms, 0.5), "ms", "", None,
            scan_ms, "rapidfuzz scan of every unit, sampled"),
        Row(BENCH, f"lookup p95, {unit_text}", quantile(looked.times_ms, 0.95), "ms",
            f"< {LOOKUP_TARGET_MS:g} ms", quantile(looked.times_ms, 0.95) < LOOKUP_TARGET_MS,
            scan_ms, "rapidfuzz scan of every unit, sampled"),
        Row(BENCH, f"lookup p99, {unit_text}", quantile(looked.times_ms, 0.99), "ms", "", None,
            scan_ms, "rapidfuzz scan of every unit, sampled"),
        Row(BENCH, "lookup: candidates (SQL) p95", quantile(looked.candidates_ms, 0.95), "ms"),
        Row(BENCH, "next segment to matches on screen p95", quantile(screen_ms, 0.95), "ms",
            f"< {SCREEN_TARGET_MS:g} ms", quantile(screen_ms, 0.95) < SCREEN_TARGET_MS),
        Row(BENCH, f"recall of units >= {THRESHOLD} % (sampled)", 100 * recall, "%"),
        Row(BENCH, "concordance p50", quantile(con_times, 0.5), "ms", "", None,
            statistics.median(likes) * 1000, "LIKE scan of every unit, sampled"),
        Row(BENCH, "concordance p95", quantile(con_times, 0.95), "ms",
            f"< {CONCORDANCE_TARGET_MS:g} ms", quantile(con_times, 0.95) < CONCORDANCE_TARGET_MS,
            statistics.median(likes) * 1000, "LIKE scan of every unit, sampled"),
        Row(BENCH, "build (bulk, when cached)", build_units_s, "units/s"),
        Row(BENCH, f"refresh: add_units, {REFRESH:,} units", refresh_s, "s", "", None,
            REFRESH / build_units_s, "bulk build's rate"),
        Row(BENCH, "sync_segment (per save) p50", quantile(sync_ms, 0.5), "ms", "", None,
            quantile(empty_ms, 0.5), "empty memory"),
        Row(BENCH, "sync_segment (per save) p95", quantile(sync_ms, 0.95), "ms", "", None,
            quantile(empty_ms, 0.95), "empty memory"),
        Row(BENCH, "database size", size_mb(home), "MB"),
    ]  # fmt: skip

    missing = "--no-postgres" if args.no_postgres else postgres_missing()
    if missing:
        notes.append(f"PostgreSQL skipped: {missing}")
    else:
        pg_units = args.pg_units or args.units
        pg_home = home if pg_units == args.units else memory_home(args.cache, pg_units)
        with postgres_desk(pg_home) as (pg_desk, server):
            pg_looked = run_lookups(pg_desk, enforcer, queries, warm)
            pg_con, pg_lines = run_concordance(pg_desk, concordances)
        name = f"{POSTGRES} ({pg_units:,} units)"
        notes += [
            server,
            *lookup_lines(name, pg_looked),
            f"{name}: concordance p50 {quantile(pg_con, 0.5):.1f} ms, p95 "
            f"{quantile(pg_con, 0.95):.1f} ms, max {max(pg_con):.1f} ms",
            *pg_lines,
        ]
        pg_text = f"PostgreSQL, {pg_units:,} units"
        same = pg_units == args.units  # SQLite's figures are the baseline of the same memory
        rows += [
            Row(BENCH, f"lookup p50, {pg_text}", quantile(pg_looked.times_ms, 0.5), "ms", "",
                None, quantile(looked.times_ms, 0.5) if same else None, "SQLite"),
            Row(BENCH, f"lookup p95, {pg_text}", quantile(pg_looked.times_ms, 0.95), "ms",
                f"< {LOOKUP_TARGET_MS:g} ms",
                quantile(pg_looked.times_ms, 0.95) < LOOKUP_TARGET_MS,
                quantile(looked.times_ms, 0.95) if same else None, "SQLite"),
            Row(BENCH, f"concordance p95, {pg_text}", quantile(pg_con, 0.95), "ms",
                f"< {CONCORDANCE_TARGET_MS:g} ms", quantile(pg_con, 0.95) < CONCORDANCE_TARGET_MS,
                quantile(con_times, 0.95) if same else None, "SQLite"),
        ]  # fmt: skip
    notes.append(f"bench took {time.perf_counter() - began:.0f} s")
    print("\n".join(notes))
    if args.json:
        write_rows(rows, args.json)


if __name__ == "__main__":
    main()
