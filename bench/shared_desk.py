"""The shared desk on PostgreSQL beside SQLite: saves with 1 and 16 editors, and list,
open and search in an archive of 100,000 stories (issue 14).

The bench starts its own throw-away PostgreSQL cluster (tests/helpers/postgres.py,
fsync and synchronous_commit on, as a server that keeps what it acknowledged must run;
the archive is copied in through its Unix socket, then desk reaches it over loopback
TCP, 127.0.0.1 with a SCRAM password, as the target is stated) and stops it at the end.
Without PostgreSQL's binaries (or psycopg) it says why and measures SQLite alone.

The archive: bench.store's generated archive of --stories stories (the same generator
and cache, bench/.cache; default 100,000, about 3 million segments, made once in about
10 minutes), copied into an empty PostgreSQL database that `desk db migrate` would make
(`Store(url, migrate_schema=True)`). The copy holds what `desk db copy` writes (stories,
segments with the search document desk builds for each, revisions, settings, the
translation memory's units (not their index: no figure here reads it); desk's own
triggers fire), sent with COPY and the documents built by desk's `document` in
worker processes: `desk db copy` itself moves about 6,000 rows a second, an hour for
this archive. Counts, and 2,000 random segments (every column, the search document
included), are checked against the SQLite archive before anything is measured. Then
the same 100 edits go into both (bench.store's: the rare name the search looks for).

Measured on each backend, with SQLite as the same-run baseline of every PostgreSQL figure:

- list / open / search through the real CLI, each a fresh `desk` process (bench.store's
  launcher and figures; median of --runs): what a person waits for, Python's start-up
  and opening the store included. Target < 1 s each.
- the same calls in one process on an open store (median of API_RUNS): `Store(...)`
  itself (connect and schema check; on PostgreSQL also psycopg's bare connect, to tell
  the two apart), `list_stories(limit=100)`, `load_story`, `fulltext.search(store.conn, limit=20)`.
- saves: 1 and then --editors (16) editor processes at once, each with its own desk
  (`Home(path).desk`, as the CLI and the workbench open one), sharing SHARED stories
  still being worked on: read the story (`store.load_story`), pick a segment, save
  new English with `desk.edit(..., expected_version=the version read)`, again, for
  --seconds. Every save call is timed (landed or refused as a conflict: both are the
  answer the translator waits for); p50 and p95 are over all of them. Conflicts are
  counted, not errors; any other failure stops the bench. Two runs of 16 editors:
  back to back (no pause: the desk's capacity; on two cores 16 editor processes and 16
  server backends queue for the CPU, so there p95 is about 16 x a save's CPU / 2) and
  at work (each pausing PAUSE_S, 0.5x to 1.5x, between saves: 64 saves a second, still
  far more than 16 translators type). Target: p95 < 50 ms with 16 editors on
  PostgreSQL, checked on both runs.

The saves go into the cached SQLite archive too; at the end its spelling index catches
up on them, so that bench.store's "audit: after 100 edits" still finds 100 to catch up.

Options: --quick: one run of each CLI figure and SAVE_SECONDS_QUICK of saves (same
archive and targets); --stories N (default 100,000; --stories 60 --quick takes about a
minute); --no-postgres: SQLite alone; --json FILE: the suite's rows.

Run: python -m bench.shared_desk [--stories 100000] [--editors 16] [--seconds 10]
[--runs 3] [--quick] [--cache DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench import store as archive
from bench.table import Row, write_rows
from desk.core.fulltext import document, search
from desk.core.store import Store
from desk.core.store.copying import ORDER, TABLES
from desk.core.story import EDITABLE_STATUSES, StoryStatus
from desk.locations import database_path

ROOT = Path(__file__).resolve().parent.parent
BENCH = "shared_desk"
SEED = archive.SEED
SHARED = 8
"""Stories the editors share: the newest that are still being worked on."""
EDITORS = 16
SAVE_SECONDS, SAVE_SECONDS_QUICK = 10.0, 3.0
PAUSE_S = 0.25
"""The paced run's pause after each save (0.5x to 1.5x): 16 editors then save about 60
times a second, still far more than a desk of translators does."""
WARM_UP = 3
"""Saves each editor makes before the clock starts (imports, first queries)."""
API_RUNS = 7
TARGET_S = 1.0
SAVE_TARGET_MS = 50.0
CHECKED = 2_000
"""Segments compared row for row between the SQLite archive and its PostgreSQL copy."""
BATCH = 2_000
"""Rows per batch while copying; segments go to the document workers in batches."""
QUERIES = {
    "search: rare name": "Batikh",
    "search: common word": "the",
    "search: Arabic word": "قوات",
    "search: phrase": '"regime forces"',
}
SQLITE, POSTGRES = "SQLite", "PostgreSQL"


# -- the PostgreSQL copy of the archive -------------------------------------------------


def documents(pairs: list[tuple[str, str]]) -> list[str]:
    """desk's search document of each (Arabic, English) pair (run in a worker)."""
    return [document(source, english) for source, english in pairs]


def _with_documents(
    batches: Iterator[list[tuple[Any, ...]]], pool: ProcessPoolExecutor, depth: int
) -> Iterator[tuple[list[tuple[Any, ...]], list[str]]]:
    """Each batch of segment rows with its search documents, at most `depth` batches in
    the workers at a time (so memory stays flat), in order."""
    columns = TABLES["segments"]
    source, text, draft = (columns.index(c) for c in ("source", "text", "draft"))
    pending: deque[tuple[list[tuple[Any, ...]], Future[list[str]]]] = deque()
    for rows in batches:
        pairs = [(r[source], r[text] or r[draft]) for r in rows]
        pending.append((rows, pool.submit(documents, pairs)))
        if len(pending) >= depth:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()


def _batches(conn: sqlite3.Connection, table: str) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of one of the record's tables, BATCH at a time, in id order."""
    cursor = conn.execute(f"SELECT {', '.join(TABLES[table])} FROM {table} ORDER BY {ORDER[table]}")
    while rows := cursor.fetchmany(BATCH):
        yield rows


def copy_archive(sqlite_db: Path, url: str) -> str:
    """Copy the archive into the empty database at `url`, as `desk db copy` would leave
    it; a line saying how long it took."""
    import psycopg

    start = time.perf_counter()
    Store(url, migrate_schema=True).close()
    source = sqlite3.connect(f"{sqlite_db.resolve().as_uri()}?mode=ro", uri=True)
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    counts: dict[str, int] = {}
    with (
        psycopg.connect(url) as pg,
        ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool,
    ):
        pg.execute("SET synchronous_commit = off")
        for table, columns in TABLES.items():
            names = [*columns, "search"] if table == "segments" else list(columns)
            counts[table] = 0
            with pg.cursor().copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                if table == "segments":
                    for rows, docs in _with_documents(_batches(source, table), pool, 2 * workers):
                        for row, doc in zip(rows, docs, strict=True):
                            copy.write_row((*row, doc))
                        counts[table] += len(rows)
                        if counts[table] % 500_000 < BATCH:
                            took = time.perf_counter() - start
                            print(f"  copied {counts[table]:,} segments ({took:.0f} s)",
                                  file=sys.stderr)  # fmt: skip
                else:
                    for rows in _batches(source, table):
                        for row in rows:
                            copy.write_row(row)
                        counts[table] += len(rows)
        for table in ("stories", "segments", "revisions", "tm_units"):
            pg.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            )
        pg.commit()
    copied = time.perf_counter() - start
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")  # as autovacuum would soon leave it
    check_copy(source, url, counts)
    source.close()
    took = time.perf_counter() - start
    total = sum(counts.values())
    return (
        f"{total:,} rows copied in {copied:.0f} s ({total / copied:,.0f} rows/s, search "
        f"documents in {workers} worker(s)); VACUUM ANALYZE and checks {took - copied:.0f} s"
    )


def check_copy(source: sqlite3.Connection, url: str, counts: dict[str, int]) -> None:
    """Fail unless the copy holds every row, and CHECKED random segments exactly."""
    import psycopg

    columns = TABLES["segments"]
    with psycopg.connect(url) as pg:
        for table, count in counts.items():
            in_source = source.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            got = pg.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            in_copy = got[0] if got else None
            if not in_source == in_copy == count:
                raise SystemExit(f"copy of {table}: {in_source} rows, {in_copy} in PostgreSQL")
        top = source.execute("SELECT MAX(id) FROM segments").fetchone()[0] or 0
        for segment_id in random.Random(SEED).sample(range(1, top + 1), min(CHECKED, top)):
            row = source.execute(
                f"SELECT {', '.join(columns)} FROM segments WHERE id = ?", (segment_id,)
            ).fetchone()
            english = row[columns.index("text")] or row[columns.index("draft")]
            doc = document(row[columns.index("source")], english)
            copied = pg.execute(
                f"SELECT {', '.join(columns)}, search = %s::tsvector FROM segments WHERE id = %s",
                (doc, segment_id),
            ).fetchone()
            if copied is None or tuple(copied) != (*row, True):
                raise SystemExit(f"segment {segment_id} differs in the copy: {copied!r}")


# -- the same work on both backends ----------------------------------------------------


@contextlib.contextmanager
def database(url: str) -> Iterator[None]:
    """$DESK_DATABASE_URL set to `url` inside (unset for "": the home's SQLite file)."""
    before = os.environ.pop("DESK_DATABASE_URL", None)
    if url:
        os.environ["DESK_DATABASE_URL"] = url
    try:
        yield
    finally:
        os.environ.pop("DESK_DATABASE_URL", None)
        if before is not None:
            os.environ["DESK_DATABASE_URL"] = before


def editable_slugs(store: Store, newest: int | None = None) -> list[str]:
    """Slugs of the stories still being worked on, oldest first (or the `newest`)."""
    editable = sorted(s.value for s in EDITABLE_STATUSES)
    order = "ORDER BY id" if newest is None else f"ORDER BY id DESC LIMIT {int(newest)}"
    rows = store.conn.execute(
        f"SELECT slug FROM stories WHERE status IN ({', '.join('?' * len(editable))})"
        f" AND deleted_at = '' {order}",
        editable,
    ).fetchall()
    if not rows:
        raise SystemExit(f"{store.where}: no story is still being worked on")
    return [str(r[0]) for r in rows]


def edit_some(location: Path | str, seed: int) -> None:
    """bench.store's 100 edits, through desk's service, into the store at `location`."""
    from desk.app.service import Desk

    desk = Desk(Store(location))
    try:
        slugs = editable_slugs(desk.store)
        rng = random.Random(seed)
        for _ in range(archive.EDITS):
            slug = rng.choice(slugs)
            n = rng.randint(2, 20)
            text = f"Edited by the bench in Kafr Batikh and Kafar Batikh, take {rng.random():.6f}."
            desk.edit(slug, n, text, author="bench")
    finally:
        desk.store.close()


def cli_figures(home: Path, url: str, runs: int, figures: list[archive.Figure]) -> dict[str, float]:
    """bench.store's CLI figures on the store at `url` (the home's SQLite file for "")."""
    out: dict[str, float] = {}
    with database(url):
        for figure in figures:
            times = [archive.run(home, *figure.args)[0] for _ in range(runs)]
            out[figure.name] = statistics.median(times)
    return out


def api_figures(location: Path | str, middle: str) -> dict[str, float]:
    """The same calls in this process on an open store: name -> median seconds."""
    timed: dict[str, list[float]] = {}

    def clock(name: str, call: Callable[[], object]) -> None:
        start = time.perf_counter()
        call()
        timed.setdefault(name, []).append(time.perf_counter() - start)

    if isinstance(location, str):
        import psycopg

        for _ in range(API_RUNS):
            clock("psycopg connect alone", lambda: psycopg.connect(location).close())
    for _ in range(API_RUNS):
        clock("open a Store", lambda: Store(location).close())
    store = Store(location)
    try:
        store.list_stories(limit=100)  # the first call pays lazy imports
        for _ in range(API_RUNS):
            clock("list_stories(limit=100)", partial(store.list_stories, limit=100))
            clock("list_stories(review, limit=100)",
                  partial(store.list_stories, StoryStatus.REVIEW, limit=100))  # fmt: skip
            clock("load_story (one story)", partial(store.load_story, middle))
            for name, query in QUERIES.items():
                clock(f"{name} (limit 20)", partial(search, store.conn, query, limit=20))
    finally:
        store.close()
    return {name: statistics.median(times) for name, times in timed.items()}


# -- saves -------------------------------------------------------------------------------


@dataclass
class Saves:
    """What a group of editors did in one run."""

    editors: int
    seconds: float
    pause: float
    times: list[float] = field(default_factory=list)
    """Every save call's duration (landed or conflict), in seconds."""
    landed: list[float] = field(default_factory=list)
    conflicts: int = 0

    def quantile(self, q: float, which: list[float] | None = None) -> float:
        """The q-quantile (nearest rank) of the save calls, in ms."""
        data = sorted(self.times if which is None else which)
        if not data:
            return math.nan
        return 1000 * data[max(0, math.ceil(q * len(data)) - 1)]

    @property
    def name(self) -> str:
        """How the run is named in the tables: "16 editors", "16 editors, 0.25 s apart"."""
        who = f"{self.editors} editor" + ("s" if self.editors > 1 else "")
        return f"{who}, {self.pause:g} s apart" if self.pause else who

    @property
    def per_second(self) -> float:
        """Save calls per second, all editors together."""
        return len(self.times) / self.seconds

    @property
    def conflict_share(self) -> float:
        """Conflicts as a percentage of save calls."""
        return 100 * self.conflicts / len(self.times) if self.times else 0.0


def editor(
    name: str, home: Path, slugs: list[str], seconds: float, seed: int, pause: float
) -> None:
    """One editor process: warm up, say "ready", wait for "go", save for `seconds` (with
    a pause of `pause` s, 0.5x to 1.5x, after each save), then print what happened as
    one JSON line."""
    from desk.app.home import Home
    from desk.core.errors import ConflictError

    desk = Home(home).desk
    rng = random.Random(seed)
    times: list[float] = []
    landed: list[float] = []
    conflicts = 0

    def save(i: int) -> None:
        nonlocal conflicts
        slug = rng.choice(slugs)
        story = desk.store.load_story(slug)
        seg = rng.choice(story.segments)
        text = f"{seg.text.split(' [', 1)[0]} [{name}, save {i}]"
        start = time.perf_counter()
        try:
            desk.edit(slug, seg.n, text, author=name, expected_version=seg.version)
        except ConflictError:
            conflicts += 1
            times.append(time.perf_counter() - start)
            return
        times.append(time.perf_counter() - start)
        landed.append(times[-1])

    for i in range(WARM_UP):
        save(i)
    times.clear()
    landed.clear()
    conflicts = 0
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return
    deadline = time.monotonic() + seconds
    i = WARM_UP
    while time.monotonic() < deadline:
        save(i)
        i += 1
        if pause:
            time.sleep(pause * rng.uniform(0.5, 1.5))
    desk.store.close()
    print(json.dumps({"times": times, "landed": landed, "conflicts": conflicts}), flush=True)


def saves(
    home: Path, url: str, slugs: list[str], editors: int, seconds: float, pause: float = 0.0
) -> Saves:
    """Start `editors` editor processes, start them saving at once, gather their saves."""
    env = dict(os.environ, DESK_USER="bench", DESK_GLOSSARY=str(ROOT / "glossaries"))
    env.pop("DESK_CLOCK", None)
    env.pop("DESK_DATABASE_URL", None)
    if url:
        env["DESK_DATABASE_URL"] = url
    line = [sys.executable, "-m", "bench.shared_desk", "--home", str(home), "--slugs",
            ",".join(slugs), "--seconds", str(seconds), "--pause", str(pause)]  # fmt: skip
    children = [
        subprocess.Popen(
            [*line, "--editor", f"editor-{i + 1:02d}", "--seed", str(SEED + i)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(editors)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            if child.stdout.readline().strip() != "ready":
                raise SystemExit(f"an editor failed to start (exit {child.wait()})")
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        result = Saves(editors, seconds, pause)
        for child in children:
            out, _ = child.communicate(timeout=seconds + 300)
            if child.returncode != 0 or not out.strip():
                raise SystemExit(f"an editor failed (exit {child.returncode})")
            got = json.loads(out.strip().splitlines()[-1])
            result.times += got["times"]
            result.landed += got["landed"]
            result.conflicts += got["conflicts"]
        return result
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


# -- the run -------------------------------------------------------------------------------


Measured = dict[str, dict[str, Any]]


def measure(
    backends: dict[str, tuple[Path, str]], runs: int, editors: int, seconds: float
) -> Measured:
    """Every figure on every backend: backend -> {"cli", "api", "saves"}."""
    out: Measured = {}
    slugs: list[str] = []
    figures = archive.figures(backends[SQLITE][0])  # the same commands on both
    for name, (desk_home, url) in backends.items():
        location: Path | str = url or database_path(desk_home)
        edit_some(location, SEED)  # the same edits in both: the rare name searched for
        store = Store(location)
        try:
            slugs = slugs or editable_slugs(store, newest=SHARED)
            middle = f"story-{store.count_stories() // 2:06d}"
        finally:
            store.close()
        print(f"== {name}: CLI figures", file=sys.stderr, flush=True)
        cli = cli_figures(desk_home, url, runs, figures)
        print(f"== {name}: in-process figures", file=sys.stderr, flush=True)
        api = api_figures(location, middle)
        groups = []
        for count, pause in groupings(editors):
            print(f"== {name}: saves, {count} editor(s), pause {pause:g} s",
                  file=sys.stderr, flush=True)  # fmt: skip
            groups.append(saves(desk_home, url, slugs, count, seconds, pause))
        out[name] = {"cli": cli, "api": api, "saves": groups}
    return out


def groupings(editors: int) -> list[tuple[int, float]]:
    """(editors, pause) of each save run: 1 editor, `editors` back to back, and
    `editors` pausing PAUSE_S between saves."""
    return [(1, 0.0), (editors, 0.0), (editors, PAUSE_S)] if editors > 1 else [(1, 0.0)]


def catch_up(sqlite_db: Path) -> None:
    """Bring the cached archive's spelling index up to date with this bench's saves, so
    that bench.store's "audit: after 100 edits" finds 100 edits to catch up on, not
    thousands."""
    from desk.core.glossary.spellings import spellings_in
    from desk.core.store.spelling_index import refresh

    store = Store(sqlite_db)
    try:
        refresh(store.write, extract=spellings_in)
    finally:
        store.close()


def report(measured: Measured, editors: int) -> list[Row]:
    """Print the detailed tables; the suite's rows (PostgreSQL against SQLite)."""
    names = list(measured)
    main = POSTGRES if POSTGRES in measured else SQLITE
    rows: list[Row] = []

    def row(figure: str, values: dict[str, float], unit: str, target: float | None) -> None:
        value = values[main]
        base = values.get(SQLITE) if main == POSTGRES else None
        rows.append(Row(BENCH, f"{figure}, {main}", value, unit,
                        f"< {target:g} {unit}" if target is not None else "",
                        (value < target) if target is not None else None,
                        base, "SQLite, same run" if base is not None else ""))  # fmt: skip

    print(f"\n{'through the CLI (s)':40}" + "".join(f" {n:>11}" for n in names) + "  target")
    for figure in measured[SQLITE]["cli"]:
        values = {n: measured[n]["cli"][figure] for n in names}
        targeted = not figure.startswith(("start-up", "list: every"))
        cells = "".join(f" {values[n]:11.3f}" for n in names)
        print(f"{figure:40}{cells}  {'< 1 s' if targeted else '-'}")
        row(figure, values, "s", TARGET_S if targeted else None)
    print(f"\n{'in one process (ms)':40}" + "".join(f" {n:>11}" for n in names))
    for figure in measured[names[-1]]["api"]:
        api = {n: measured[n]["api"] for n in names}
        values = {n: 1000 * api[n][figure] for n in names if figure in api[n]}
        cells = "".join(f" {values[n]:11.2f}" if n in values else f" {'-':>11}" for n in names)
        print(f"{figure:40}{cells}")
        if len(values) == len(names):
            row(f"in-process {figure}", values, "ms", None)
    print(f"\n{'saves':34} {'calls':>7} {'/s':>7} {'confl.':>7} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'max ms':>8} {'landed p95':>10}")  # fmt: skip
    for n in names:
        for group in measured[n]["saves"]:
            print(f"{n + ', ' + group.name:34} {len(group.times):7} "
                  f"{group.per_second:7.0f} {group.conflict_share:6.1f}% "
                  f"{group.quantile(0.5):8.1f} {group.quantile(0.95):8.1f} "
                  f"{group.quantile(0.99):8.1f} {group.quantile(1.0):8.1f} "
                  f"{group.quantile(0.95, group.landed):10.1f}")  # fmt: skip
    for i, (count, _pause) in enumerate(groupings(editors)):
        groups: dict[str, Saves] = {n: measured[n]["saves"][i] for n in names}
        who = groups[SQLITE].name
        target = SAVE_TARGET_MS if count == editors and count > 1 else None
        row(f"save p50, {who}", {n: g.quantile(0.5) for n, g in groups.items()}, "ms", None)
        row(f"save p95, {who}", {n: g.quantile(0.95) for n, g in groups.items()}, "ms", target)
        row(f"saves per second, {who}", {n: g.per_second for n, g in groups.items()}, "/s", None)
        if count > 1:
            row(f"conflicts, {who}", {n: g.conflict_share for n, g in groups.items()}, "%", None)
    return rows


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


def main() -> None:
    """Build (or reuse) the archive, copy it to PostgreSQL, measure both, print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--editors", type=int, default=EDITORS)
    parser.add_argument("--seconds", type=float, help=f"of saves per run ({SAVE_SECONDS:g})")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run of each CLI figure")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite alone")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    parser.add_argument("--json", type=Path, help="also write the suite's rows here")
    parser.add_argument("--editor", help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--slugs", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--pause", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    seconds = args.seconds or (SAVE_SECONDS_QUICK if args.quick else SAVE_SECONDS)
    if args.editor:
        editor(args.editor, args.home, args.slugs.split(","), seconds, args.seed, args.pause)
        return
    runs = 1 if args.quick else args.runs
    missing = "--no-postgres" if args.no_postgres else postgres_missing()
    start = time.perf_counter()
    home = archive.archive_home(args.cache, args.stories, SEED)
    made = (home / "complete").read_text().strip()
    server = ""
    sizes: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="desk-bench-shared-") as tmp:
        backends: dict[str, tuple[Path, str]] = {SQLITE: (home, "")}
        cluster = None
        if missing:
            print(f"PostgreSQL skipped: {missing}")
        else:
            from tests.helpers.postgres import SUPERUSER, Cluster

            cluster = Cluster.start(Path(tmp) / "cluster", fsync=True)
        try:
            if cluster is not None:
                built = copy_archive(database_path(home), cluster.create_database("archive"))
                print(f"PostgreSQL archive: {built}", file=sys.stderr)
                # Measured over loopback TCP, as the target is stated, with a password
                # (SCRAM) as a desk server would ask for one.
                password = secrets.token_hex(12)
                cluster.sql(f"ALTER ROLE {SUPERUSER} PASSWORD '{password}'")
                url = cluster.url("archive", password=password, tcp=True)
                version = cluster.sql("SHOW server_version")[0][0]
                server = f"PostgreSQL {version} (own cluster, fsync on, TCP 127.0.0.1): {built}"
                (Path(tmp) / "pg-home").mkdir()
                backends[POSTGRES] = (Path(tmp) / "pg-home", url)
            measured = measure(backends, runs, args.editors, seconds)
            if cluster is not None:
                sizes[POSTGRES] = cluster.sql("SELECT pg_database_size('archive')")[0][0] / 1e6
        finally:
            if cluster is not None:
                cluster.stop()
            catch_up(database_path(home))
    sizes[SQLITE] = archive.size_mb(home)
    notes = [f"archive: {args.stories:,} stories ({made})"]
    if server:
        notes.append(server)
    notes += [
        "database: " + ", ".join(f"{k} {v:,.0f} MB" for k, v in sizes.items()),
        f"CLI figures: median of {runs} run(s), each a fresh `desk` process; in one "
        f"process: median of {API_RUNS}; saves: {seconds:g} s per run, back to back and "
        f"{PAUSE_S:g} s apart",
        f"bench took {time.perf_counter() - start:.0f} s",
    ]
    print("\n".join(notes))
    rows = report(measured, args.editors)
    if args.json:
        write_rows(rows, args.json)


if __name__ == "__main__":
    main()
