"""The store at archive scale: list, open, search and audit 100,000 stories, each under 1 s.

Inputs (deterministic, seed fixed): --stories stories (default 100,000), each of 20 to 40
segments (about 3 million in all): a headline and body segments, each one of the
bundled samples' (Arabic, English draft) sentence pairs as desk aligns them, with one
name of 10,000 generated glossary-like names put after it (its Arabic form in the
Arabic; in the English its canonical spelling seven times in ten, else one of its
variants), so that the archive holds many spellings of many names. Four stories in
five are published, the rest spread over the other statuses. Each segment has its
import revision and each story a status revision, as desk writes them; stories are
updated one minute apart. Rows are written with SQL in bulk (through desk's own schema,
triggers included: the search index and the spelling queue fill as they would), then
the audit's spelling index is brought up to date by desk's own code.

The archive is generated once into --cache (default bench/.cache) and reused; the
first run of 100,000 stories takes several minutes and a few GB of disk.

Measured, each through the real CLI in a fresh process (median of --runs; peak memory
is the largest max RSS of those processes), in the large archive and, as the same-run
baseline, in one of --small stories generated the same way (ratio = how much the
archive's size costs):

- list: `desk list` (the newest 100) and `desk list --status review`;
- open: `desk show` of a story in the middle of the archive;
- search: a rare name, a common English word, an Arabic word, a phrase;
- audit: `desk glossary audit` after 100 segments were edited (the index catches up
  on them first), and again with nothing to catch up;
- search for prefixes: `Hass*` and `الحسك*` as a translator types them, `the*` (the
  archive's commonest three letters), and `ال*` and `a*`, which desk refuses (a prefix
  needs three letters): their figure is the time to say so;
- `desk list --limit 0` (every story): the wait for its first story (the second line,
  read as the output streams), targeted; the whole run, no target, and its peak memory;
- `desk --help` (Python and the CLI's start-up, which every figure includes).

Run: python -m bench.store [--stories 100000] [--small 1000] [--runs 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import NamedTuple

from bench.glossary import generated_entries, sample_segments
from bench.table import Row, write_rows
from desk.core.glossary.model import load_folder
from desk.core.glossary.spellings import spellings_in
from desk.core.store import Store
from desk.core.store.connection import Connection
from desk.core.store.spelling_index import Spelling, refresh
from desk.locations import database_path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261125
NAMES = 10_000
CHECKED = 2_000
"""Segments whose index rows are checked against desk's extraction after generating."""
EDITS = 100
TARGET_S = 1.0
STATUSES = ("new", "translating", "review", "approved", "correcting")
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
TRANSACTION = 1_000
"""Stories per bulk transaction while generating."""


class Name(NamedTuple):
    """A generated name: its Arabic form and its English spellings, canonical first."""

    arabic: str
    spellings: tuple[str, ...]


def names(seed: int) -> list[Name]:
    """The generated names, from the glossary benchmark's generator."""
    shipped = load_folder(ROOT / "glossaries").entries
    taken = {n.lower() for e in shipped for n in (e.canonical, *e.variants)}
    return [
        Name(e.arabic[0], (e.canonical, *e.variants))
        for e in generated_entries(NAMES, taken, seed=seed)
    ]


def archive_home(cache: Path, stories: int, seed: int) -> Path:
    """The desk home of a generated archive (made on first use)."""
    home = cache / f"store-{stories}-{seed}"
    if not (home / "complete").exists():
        generate(home, stories, seed)
    return home


def generate(home: Path, stories: int, seed: int) -> None:
    """Write `stories` generated stories into a fresh desk home."""
    if home.exists():
        for path in home.iterdir():
            path.unlink()
    rng = random.Random(seed)
    pairs = [(arabic, english) for arabic, english in sample_segments() if english]
    pool = names(seed)
    store = Store(database_path(home))
    conn = store.conn
    start = time.perf_counter()
    segment_id = revision_id = 0
    for first in range(0, stories, TRANSACTION):
        conn.execute("BEGIN IMMEDIATE")
        for story_id in range(first + 1, min(first + TRANSACTION, stories) + 1):
            at = (EPOCH + timedelta(minutes=story_id)).isoformat()
            status = "published" if rng.random() < 0.8 else rng.choice(STATUSES)
            count = rng.randint(20, 40)
            chosen = [rng.choice(pairs) for _ in range(count)]
            named = [rng.choice(pool) for _ in range(count)]
            segments = []
            for n, ((arabic, english), name) in enumerate(zip(chosen, named, strict=True), 1):
                spelling = name.spellings[0] if rng.random() < 0.7 else rng.choice(name.spellings)
                segments.append((n, f"{arabic} ({name.arabic})", f"{english} ({spelling})"))
            conn.execute(
                "INSERT INTO stories (id, slug, headline_ar, status, outlet, created_at,"
                " updated_at, published_at) VALUES (?, ?, ?, ?, 'Generated', ?, ?, ?)",
                (story_id, f"story-{story_id:06d}", segments[0][1], status, at, at,
                 at if status == "published" else ""),
            )  # fmt: skip
            segment_rows = []
            revision_rows: list[tuple[int, int, int | None, str, str, str, str]] = []
            for n, arabic, english in segments:
                segment_id += 1
                revision_id += 1
                seg_status = "confirmed" if status == "published" else "draft"
                segment_rows.append((segment_id, story_id, n, 0 if n == 1 else 1 + n // 4,
                                     "headline" if n == 1 else "body", arabic, english, english,
                                     seg_status, at, "bench"))  # fmt: skip
                revision_rows.append((revision_id, story_id, segment_id, "bench", at, "import",
                                      english))  # fmt: skip
            revision_id += 1
            revision_rows.append((revision_id, story_id, None, "bench", at, "status", status))
            conn.executemany(
                "INSERT INTO segments (id, story_id, n, paragraph, role, source, draft, text,"
                " status, engine, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " 'import', ?, ?)",
                segment_rows,
            )
            conn.executemany(
                "INSERT INTO revisions (id, story_id, segment_id, author, at, kind, after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                revision_rows,
            )
        conn.execute("COMMIT")
        if first % 20_000 == 0:
            print(f"  generated {first:,} stories, {segment_id:,} segments "
                  f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)  # fmt: skip
    written = time.perf_counter() - start
    refresh(store.write, extract=composed_extractor())
    check_index(conn, rng)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    took = time.perf_counter() - start
    (home / "complete").write_text(
        f"{stories} stories, {segment_id} segments; rows written in {written:.0f} s, "
        f"spelling index in {took - written:.0f} s; peak memory {peak:.0f} MB\n",
        encoding="utf-8",
    )


def composed_extractor() -> Callable[[str], list[Spelling]]:
    """desk's name extraction for generated segments, with the two parts remembered.

    A generated English segment is a sample sentence, then a name in brackets; the
    bracket ends any run of name words, so its names are the sentence's and the name's.
    Remembering the ~100 sentences and the names makes indexing millions of segments
    take minutes less; `check_index` compares the result with desk's own extraction.
    """
    sentence_part = cache(spellings_in)

    def extract(text: str) -> list[Spelling]:
        sentence, bracket, name = text.rpartition(" (")
        if not bracket:
            return spellings_in(text)
        return [*sentence_part(sentence), *sentence_part(f"({name}")]

    return extract


def check_index(conn: Connection, rng: random.Random) -> None:
    """Fail unless the index holds desk's own extraction for CHECKED random segments."""
    top = conn.execute("SELECT MAX(id) FROM segments").fetchone()[0]
    for segment_id in rng.sample(range(1, top + 1), min(CHECKED, top)):
        text = conn.execute("SELECT text FROM segments WHERE id = ?", (segment_id,)).fetchone()[0]
        indexed = Counter(
            {(k, s): n for k, s, n in conn.execute(
                "SELECT key, surface, occurrences FROM segment_spellings WHERE segment_id = ?",
                (segment_id,))}
        )  # fmt: skip
        if indexed != Counter(spellings_in(text)):
            raise SystemExit(f"generated index differs from desk's extraction: {text!r}")


# Linux counts a process's peak memory from before its exec: a child started straight
# from this (large) bench process would report the bench's own size. So each desk
# command is started by this small launcher, which times it and reads its rusage.
# The launcher also reads the command's output as it comes, line by line, and notes
# when the second line (the first story under `desk list`'s header) arrived: the wait
# a person sees before the list starts.
LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
first = 0.0
for n, _ in enumerate(child.stdout, 1):
    if n == 2:
        first = time.perf_counter() - start
_, status, usage = os.wait4(child.pid, 0)
took = time.perf_counter() - start
print(os.waitstatus_to_exitcode(status), took, usage.ru_maxrss, first)
"""


class Took(NamedTuple):
    """One command's run: wall seconds, max RSS in MB, seconds to its second line."""

    seconds: float
    peak_mb: float
    first_s: float


def run(home: Path, *args: str, refused: bool = False) -> Took:
    """Run one desk command. Fails loudly on an error, or, with `refused`, unless desk
    refused it (exit 1, as for a bad query)."""
    env = dict(os.environ, DESK_HOME=str(home), DESK_USER="bench",
               DESK_GLOSSARY=str(ROOT / "glossaries"))  # fmt: skip
    done = subprocess.run([sys.executable, "-c", LAUNCHER, sys.executable, "-m", "desk", *args],
                          env=env, capture_output=True, text=True, check=True)  # fmt: skip
    code, took, peak_kb, first = done.stdout.split()
    if code != ("1" if refused else "0"):
        raise SystemExit(f"desk {' '.join(args)} exited {code}: {done.stderr}")
    return Took(float(took), int(peak_kb) / 1024, float(first))


def edit_some(home: Path, seed: int) -> None:
    """Edit EDITS segments of stories still being worked on, through desk's service."""
    from desk.app.service import Desk
    from desk.core.story import EDITABLE_STATUSES

    desk = Desk(Store(database_path(home)))
    editable = sorted(s.value for s in EDITABLE_STATUSES)
    rows = desk.store.conn.execute(
        f"SELECT slug FROM stories WHERE status IN ({', '.join('?' * len(editable))}) ORDER BY id",
        editable,
    ).fetchall()
    if not rows:
        raise SystemExit(f"{home}: no story to edit (every one is published or approved)")
    rng = random.Random(seed)
    for _ in range(EDITS):
        slug = rng.choice(rows)[0]
        n = rng.randint(2, 20)
        text = f"Edited by the bench in Kafr Batikh and Kafar Batikh, take {rng.random():.6f}."
        desk.edit(slug, n, text, author="bench")
    desk.store.close()


class Figure(NamedTuple):
    """One operation measured in both archives."""

    name: str
    args: tuple[str, ...]
    target: bool
    refused: bool = False
    """desk refuses it (a prefix too short): measured is how long saying so takes."""


def figures(home: Path) -> list[Figure]:
    """The operations, with arguments picked from the archive itself."""
    conn = Store(database_path(home)).conn
    stories = conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    middle = f"story-{stories // 2:06d}"
    conn.close()
    return [
        Figure("start-up: desk --help", ("--help",), False),
        Figure("list: newest 100", ("list",), True),
        Figure("list: --status review", ("list", "--status", "review"), True),
        Figure("open: desk show (one story)", ("show", middle), True),
        Figure("search: rare name", ("search", "Batikh"), True),
        Figure("search: common word", ("search", "the"), True),
        Figure("search: Arabic word", ("search", "قوات"), True),
        Figure("search: phrase", ("search", '"regime forces"'), True),
        Figure("search: prefix Hass*", ("search", "Hass*"), True),
        Figure("search: prefix الحسك*", ("search", "الحسك*"), True),
        Figure("search: prefix the* (commonest)", ("search", "the*"), True),
        Figure("list: every story (--limit 0)", ("list", "--limit", "0"), False),
    ]


REFUSED = [
    Figure("search: prefix ال* (refused)", ("search", "ال*"), True, refused=True),
    Figure("search: prefix a* (refused)", ("search", "a*"), True, refused=True),
]
"""Searches desk refuses (a prefix needs three letters): the time to say so. Apart from
`figures`, which bench.shared_desk runs on PostgreSQL as well, expecting success."""


FIRST_LINE = "list: every story, first line"
"""The row of `desk list --limit 0`'s wait before its first story (peak: the whole run's)."""


def measure(home: Path, runs: int, seed: int) -> dict[str, tuple[float, float]]:
    """name -> (median seconds, peak MB) for every figure, the audit included."""
    out: dict[str, tuple[float, float]] = {}
    edit_some(home, seed)  # the rare name the search looks for, and work for the audit
    for figure in [*figures(home), *REFUSED]:
        took = [run(home, *figure.args, refused=figure.refused) for _ in range(runs)]
        out[figure.name] = (
            statistics.median(t.seconds for t in took),
            max(t.peak_mb for t in took),
        )
        if figure.args == ("list", "--limit", "0"):
            out[FIRST_LINE] = (
                statistics.median(t.first_s for t in took),
                max(t.peak_mb for t in took),
            )
    audits = []
    for attempt in range(runs):
        if attempt:
            edit_some(home, seed + attempt)
        audits.append(run(home, "glossary", "audit"))
    out["audit: after 100 edits"] = (statistics.median(a.seconds for a in audits),
                                     max(a.peak_mb for a in audits))  # fmt: skip
    again = [run(home, "glossary", "audit") for _ in range(runs)]
    out["audit: nothing to catch up"] = (statistics.median(a.seconds for a in again),
                                         max(a.peak_mb for a in again))  # fmt: skip
    return out


def size_mb(home: Path) -> float:
    """The database's size on disk (WAL included), in MB."""
    return sum(p.stat().st_size for p in home.glob("desk.sqlite3*")) / 1e6


def main() -> None:
    """Generate (or reuse) both archives, measure, print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run of each figure")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    parser.add_argument("--json", type=Path, help="also write the suite's rows here")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    small = archive_home(args.cache, args.small, SEED)
    large = archive_home(args.cache, args.stories, SEED)
    base = measure(small, runs, SEED)
    big = measure(large, runs, SEED)
    print(f"archive: {(large / 'complete').read_text().strip()}")
    print(f"baseline archive: {(small / 'complete').read_text().strip()}")
    print(f"database: {size_mb(large):,.0f} MB ({size_mb(small):,.1f} MB for {args.small:,} "
          f"stories); median of {runs} run(s), each a fresh `desk` process")  # fmt: skip
    head = f"{'figure':34} {args.stories:>10,} {args.small:>10,}  ratio  target  peak MB"
    print(head)
    rows: list[Row] = []
    for name, (seconds, peak) in big.items():
        small_s = base[name][0]
        targeted = not name.startswith(("start-up", "list: every story (--limit 0)"))
        verdict = ("yes" if seconds < TARGET_S else "NO") if targeted else "-"
        print(f"{name:34} {seconds:9.3f}s {small_s:9.3f}s {seconds / small_s:6.2f} "
              f"{verdict:>6} {peak:8.0f}")  # fmt: skip
        rows.append(Row("store", name, seconds, "s", "< 1 s" if targeted else "",
                        (seconds < TARGET_S) if targeted else None, small_s,
                        f"{args.small:,} stories"))  # fmt: skip
    peak = max(p for _, p in big.values())
    rows.append(Row("store", "peak memory of any command", peak, "MB", "", None,
                    max(p for _, p in base.values()), f"{args.small:,} stories"))  # fmt: skip
    rows.append(Row("store", "database size", size_mb(large), "MB", "", None, size_mb(small),
                    f"{args.small:,} stories"))  # fmt: skip
    if args.json:
        write_rows(rows, args.json)


if __name__ == "__main__":
    main()
