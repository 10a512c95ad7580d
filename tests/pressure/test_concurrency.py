"""Concurrent editors: several processes edit the same story's segments through the CLI.

Each write either lands or reports a conflict naming the other author; nothing else
(no "database is locked") reaches the user, no update is lost, and the revision log
tells the same story as the segments. CI runs 4 processes x 250 operations on SQLite
(DESK_STRESS=1: 8 x 500) and the shared desk's 16 x 500 on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.helpers.cli import DeskCli
from tests.helpers.paths import ROOT
from tests.helpers.stories import write_small

pytestmark = pytest.mark.both_backends

SLUG = "douma-raids"


def test_concurrent_editors_lose_nothing(
    desk: DeskCli, desk_home: Path, tmp_path: Path, backend: str
) -> None:
    """Interleaved edits from several processes: each lands or conflicts; the log adds up."""
    source, draft = write_small(tmp_path / "in")
    desk("import", str(source), "--draft", str(draft), "--as", "tr")
    stress = os.environ.get("DESK_STRESS") == "1"
    workers, ops = (8, 500) if stress else (4, 250)
    if backend == "postgresql":
        workers, ops = 16, 500
    env = dict(os.environ, DESK_HOME=str(desk_home), PYTHONPATH=str(ROOT))
    env.pop("DESK_CLOCK", None)  # real times, so the log's order can be checked too
    outs = [tmp_path / f"editor-{w}.json" for w in range(workers)]
    procs = []
    for w, out in enumerate(outs):
        args = ["-m", "tests.helpers.concurrent_editor", f"ed{w}", str(w), str(ops), SLUG, str(out)]
        proc = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        procs.append(proc)
    for proc in procs:
        output, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, output
    results = [json.loads(out.read_text(encoding="utf-8")) for out in outs]

    # Every operation either landed or conflicted, and a conflict names another editor.
    assert [r["other"] for r in results] == [[] for _ in results]
    conflicts = [c for r in results for c in r["conflicts"]]
    landed = [e for r in results for e in r["landed"]]
    assert all("was changed by" in c and "locked" not in c for c in conflicts)
    names = {f"ed{w}" for w in range(workers)} | {"tr"}
    assert all(any(f"changed by {n} " in c for n in names) for c in conflicts)
    assert len(landed) + len(conflicts) >= workers * ops * 0.8  # confirms are the rest

    # The log holds exactly the edits that landed, each once, in a chain per segment:
    # every edit's "before" is the text the previous revision of that segment left.
    log = json.loads(desk("log", SLUG, "--json").output)
    ids = [r["id"] for r in log]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    edits = [r for r in log if r["kind"] == "edit"]
    assert sorted(r["after"] for r in edits) == sorted(e["text"] for e in landed)
    shown = json.loads(desk("show", SLUG, "--json").output)["segments"]
    for seg in shown:
        chain = [r for r in log if r["segment"] == seg["n"] and r["kind"] in ("import", "edit")]
        for previous, revision in pairwise(chain):
            assert revision["before"] == previous["after"], (seg["n"], revision["id"])
        assert seg["text"] == chain[-1]["after"]
        # One version step per change of the segment (edits and confirms).
        changes = [r for r in log if r["segment"] == seg["n"] and r["kind"] != "import"]
        assert seg["version"] == 1 + len(changes)
    assert_memory_matches(desk, shown, SLUG)

    if backend == "postgresql":
        return
    database = desk_home / "desk.sqlite3"
    assert database.is_file()
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    print(
        f"{workers} editors x {ops} operations: {len(landed)} edits landed, "
        f"{len(conflicts)} conflicts, {len(log)} revisions"
    )


def assert_memory_matches(desk: DeskCli, shown: list[dict[str, object]], slug: str) -> None:
    """The memory holds exactly the story's confirmed segments, with their English."""
    exported = desk("tm", "export", "-").output
    confirmed = {str(s["text"]) for s in shown if s["status"] == "confirmed" and s["text"]}
    held = [t for t in confirmed if f"<seg>{escape(t)}</seg>" in exported]
    assert sorted(held) == sorted(confirmed)
    assert exported.count("<tu ") == len(confirmed), slug


def test_saves_to_many_stories_share_the_memory_without_deadlock(
    desk: DeskCli, desk_home: Path, tmp_path: Path, backend: str
) -> None:
    """Editors each on a story of their own, all of the same sentences: their confirms
    count the same tokens of the memory at once. On PostgreSQL these writes run side by
    side (a lock per story): none may fail, and the memory ends as the stories say."""
    source, draft = write_small(tmp_path / "in")
    workers, ops = (8, 150) if backend == "postgresql" else (3, 100)
    slugs = [f"douma-{w}" for w in range(workers)]
    for slug in slugs:
        desk("import", str(source), "--draft", str(draft), "--slug", slug, "--as", "tr")
    env = dict(os.environ, DESK_HOME=str(desk_home), PYTHONPATH=str(ROOT))
    outs = [tmp_path / f"editor-{w}.json" for w in range(workers)]
    editor = [sys.executable, "-m", "tests.helpers.concurrent_editor"]
    procs = []
    for w in range(workers):
        args = [f"ed{w}", str(w), str(ops), slugs[w], str(outs[w])]
        proc = subprocess.Popen(
            [*editor, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        procs.append(proc)
    for proc in procs:
        output, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, output
    results = [json.loads(out.read_text(encoding="utf-8")) for out in outs]
    assert [r["other"] for r in results] == [[] for _ in results]  # no deadlock, no lock error
    assert all(r["landed"] for r in results)
    confirmed: set[str] = set()
    exported = desk("tm", "export", "-").output
    total = 0
    for slug in slugs:
        shown = json.loads(desk("show", slug, "--json").output)["segments"]
        done = [str(s["text"]) for s in shown if s["status"] == "confirmed" and s["text"]]
        total += len(done)
        confirmed.update(done)
    assert exported.count("<tu ") == total > 0
    assert all(f"<seg>{escape(t)}</seg>" in exported for t in confirmed)
