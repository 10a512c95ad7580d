"""The story list at archive scale: a reload does glossary work only for what changed.

Inputs: the store benchmark's generated archive (bench/store.py; --stories, default
100,000, made into --cache on first use), copied to a temporary folder first (SQLite's
backup: a consistent copy; the cache is never changed), where the migrations it lacks
(010, the stored counts, timed alone; and any other) run. The glossary is a copy of the
house glossary (glossaries/), so that the benchmark can change it.

Measured, in this process, a reload of the story list as the workbench does one
(desk/tui/screens/story_list.py): on the UI thread the store reads (the newest SHOWN
stories, how many there are, their stored counts), then the worker's work (the
glossary's enforcer, through the home's cache; the stale stories' segments read and
checked; their counts kept, on a connection of its own). Each reload:

- first after migrating: no count stored yet, every shown story is checked;
- nothing changed: median of --runs;
- after one save: a person's edit to one shown story through desk's service;
- after a glossary change: an entry appended to the glossary copy (a new version).

Each row gives the segments the enforcer checked during the reload. The same-run
baseline is the list before issue 17: every reload loaded every shown story and
checked all of its segments (`load_story` + `check_story`), whatever had changed.

Run: python -m bench.story_list [--stories 100000] [--runs 5] [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.store import SEED, archive_home
from bench.table import Row, write_rows
from desk.app.home import Home
from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.findings import Finding
from desk.core.glossary.stories import check_story
from desk.core.store import Store
from desk.core.store.findings import (
    WRITE_WAIT_MS,
    count_stale,
    fresh_counts,
    save_counts,
    stored_counts,
)
from desk.core.store.migrations import MIGRATIONS
from desk.core.story import EDITABLE_STATUSES
from desk.locations import database_path
from desk.tui.screens.story_list import SHOWN

ROOT = Path(__file__).resolve().parent.parent

OURS = "010_story_findings"
"""The migration that adds the stored counts."""

CHECKS = {"segments": 0}
"""Segments the enforcer has checked (every Enforcer.check call, counted)."""

NEW_ENTRY = """
[bench-story-list]
canonical = "Kafr Batikh"
arabic = ["كفر بطيخ"]
variants = ["Kafar Batikh"]
kind = "place"
"""


@contextmanager
def counting_checks() -> Iterator[None]:
    """Count every segment any Enforcer checks, while the block runs."""
    real = Enforcer.check

    def check(
        self: Enforcer, english: str, arabic: str = "", *, unlisted: bool = True
    ) -> list[Finding]:
        CHECKS["segments"] += 1
        return real(self, english, arabic, unlisted=unlisted)

    Enforcer.check = check  # type: ignore[method-assign]
    try:
        yield
    finally:
        Enforcer.check = real  # type: ignore[method-assign]


def reload(home: Home) -> dict[str, Any]:
    """One reload of the list as the workbench does it; its time, the segments checked,
    and the counts shown."""
    CHECKS["segments"] = 0
    start = time.perf_counter()
    store = home.desk.store  # the UI thread's connection
    loaded = store.list_stories(None, limit=SHOWN)
    if len(loaded) == SHOWN:
        store.count_stories(None)
    stored = stored_counts(store, [s.slug for s in loaded])
    reads = time.perf_counter() - start
    # The worker: the enforcer (the home's, built again only when the files changed),
    # the stale stories counted and kept on its own connection.
    enforcer = home.enforcer()
    assert enforcer is not None
    shown = fresh_counts(stored, enforcer.version)
    stale = {slug: c for slug, c in stored.items() if slug not in shown}
    kept = ""
    if stale:
        with home.open() as desk:
            counts = count_stale(desk.store, stale, enforcer)
            shown.update(counts)
            kept = save_counts(
                desk.store,
                [(stale[slug], n) for slug, n in counts.items()],
                enforcer.version,
                wait_ms=WRITE_WAIT_MS,
            )
    if kept:
        raise SystemExit(f"the counts were not kept: {kept}")
    took = time.perf_counter() - start
    return {"s": took, "reads_s": reads, "checks": CHECKS["segments"], "stale": len(stale),
            "counts": shown}  # fmt: skip


def old_reload(home: Home) -> dict[str, Any]:
    """The list before issue 17: every shown story loaded and checked at every reload."""
    CHECKS["segments"] = 0
    start = time.perf_counter()
    store = home.desk.store
    loaded = store.list_stories(None, limit=SHOWN)
    if len(loaded) == SHOWN:
        store.count_stories(None)
    enforcer = home.enforcer()
    assert enforcer is not None
    counts = {}
    with home.open() as desk:
        for summary in loaded:
            story = desk.store.load_story(summary.slug)
            counts[summary.slug] = sum(len(r.findings) for r in check_story(story, enforcer))
    took = time.perf_counter() - start
    return {"s": took, "checks": CHECKS["segments"], "counts": counts}


def copy_archive(source: Path, into: Path) -> float:
    """Copy the archive's database into `into` through SQLite's backup (a consistent
    snapshot, even while another benchmark writes the cache); seconds taken."""
    start = time.perf_counter()
    reader = sqlite3.connect(f"{(source / 'desk.sqlite3').as_uri()}?mode=ro", uri=True)
    writer = sqlite3.connect(into / "desk.sqlite3")
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()
    return time.perf_counter() - start


def one_editable(home: Home) -> str:
    """A shown story a person may still edit (the newest such)."""
    for summary in home.desk.store.list_stories(None, limit=SHOWN):
        if summary.status in EDITABLE_STATUSES:
            return summary.slug
    raise SystemExit("no editable story among the newest: the archive is all published")


def measure(home: Home, runs: int) -> tuple[list[tuple[str, dict[str, Any], str]], dict[str, Any]]:
    """The reloads (name, figures, what its checks should be) and the old path's."""
    out: list[tuple[str, dict[str, Any], str]] = []
    first = reload(home)
    out.append(("first reload after migrating", first, "every shown story"))
    again = [reload(home) for _ in range(runs)]
    middle = sorted(again, key=lambda r: r["s"])[len(again) // 2]
    if any(r["checks"] for r in again):
        raise SystemExit(f"a reload with nothing changed checked {again[0]['checks']} segments")
    out.append(("nothing changed", middle, "0"))
    slug = one_editable(home)
    story = home.desk.store.load_story(slug)
    home.desk.edit(slug, 2, f"{story.segment(2).text} Kafar Batikh.", author="bench")
    saved = reload(home)
    out.append(("after one save", saved, f"that story's {len(story.segments)} segments"))
    if saved["checks"] != len(story.segments):
        raise SystemExit(f"after one save {saved['checks']} segments were checked, "
                         f"not the story's {len(story.segments)}")  # fmt: skip
    folder = Path(os.environ["DESK_GLOSSARY"])
    with (folder / "places.toml").open("a", encoding="utf-8") as file:
        file.write(NEW_ENTRY)
    changed = reload(home)
    out.append(("after a glossary change", changed, "every shown story"))
    old = [old_reload(home) for _ in range(max(1, runs // 2))]
    baseline = sorted(old, key=lambda r: r["s"])[len(old) // 2]
    if changed["counts"] != baseline["counts"]:
        raise SystemExit("the stored counts differ from the old path's counts")
    if changed["checks"] != baseline["checks"]:
        raise SystemExit(f"a glossary change checked {changed['checks']} segments, the old "
                         f"path {baseline['checks']}")  # fmt: skip
    return out, baseline


def prepared_home(work: Path, cache: Path, stories: int) -> tuple[Home, float, float]:
    """A desk home in `work` holding a copy of the archive, migrated, with a copy of the
    house glossary; (home, seconds to copy, seconds to migrate)."""
    source = archive_home(cache, stories, SEED)
    home_path = work / "home"
    home_path.mkdir()
    copied = copy_archive(source, home_path)
    glossary = work / "glossary"
    shutil.copytree(ROOT / "glossaries", glossary, ignore=shutil.ignore_patterns("*.md"))
    os.environ.update(DESK_HOME=str(home_path), DESK_GLOSSARY=str(glossary), DESK_USER="bench")
    # Those before 010 first (the cache may lack some), then 010 alone, timed, then the rest.
    before = MIGRATIONS[[m.name for m in MIGRATIONS].index(OURS) - 1].name
    Store(database_path(home_path), upto=before).close()
    start = time.perf_counter()
    store = Store(database_path(home_path), upto=OURS)
    migrated = time.perf_counter() - start
    store.close()
    started = time.perf_counter()
    store = Store(database_path(home_path))
    print(f"migration {OURS}: {migrated:.3f} s; then {', '.join(store.migrated) or 'none'} "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    store.close()
    return Home(home_path), copied, migrated


def main() -> None:
    """Copy and migrate the archive, reload the list four ways, print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="reloads with nothing changed")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    parser.add_argument("--tmp", type=Path, default=None, help="where the copy goes")
    parser.add_argument("--json", type=Path, help="also write the suite's rows here")
    parser.add_argument("--quick", action="store_true", help="2 reloads with nothing changed")
    args = parser.parse_args()
    if args.quick:
        args.runs = min(args.runs, 2)
    work = Path(tempfile.mkdtemp(prefix="desk-story-list-", dir=args.tmp))
    try:
        home, copied, migrated = prepared_home(work, args.cache, args.stories)
        with counting_checks():
            reloads, baseline = measure(home, max(1, args.runs))
        home.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"archive: {args.stories:,} stories (copied in {copied:.0f} s, migrated in "
          f"{migrated:.2f} s); list of the newest {SHOWN}; house glossary copy")  # fmt: skip
    print(f"baseline, same run: every shown story loaded and checked at each reload "
          f"({baseline['s']:.2f} s, {baseline['checks']:,} segments checked)")  # fmt: skip
    print(f"{'reload':32} {'time':>9} {'store reads':>12} {'stale':>6} {'checked':>8}  "
          f"{'vs baseline':>11}  checks should be")  # fmt: skip
    rows: list[Row] = [Row("story_list", "migration 010 on the archive", migrated, "s")]
    for name, figures, should in reloads:
        print(f"{name:32} {figures['s']:8.3f}s {figures['reads_s'] * 1000:10.1f}ms "
              f"{figures['stale']:6} {figures['checks']:8,}  {figures['s'] / baseline['s']:10.3f}x"
              f"  {should}")  # fmt: skip
        rows.append(Row("story_list", f"reload, {name}", figures["s"], "s", "", None,
                        baseline["s"], "every story checked"))  # fmt: skip
        target = "0" if should == "0" else ""
        rows.append(Row("story_list", f"reload, {name}: segments checked", figures["checks"],
                        "segments", target, (figures["checks"] == 0) if target else None,
                        baseline["checks"], "every story checked"))  # fmt: skip
    if args.json:
        write_rows(rows, args.json)


if __name__ == "__main__":
    main()
