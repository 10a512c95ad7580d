"""The store benchmark and the suite's table work, on an archive small enough for CI.

The figures themselves are not checked here (benchmarks assert no times); this keeps
`python -m bench` from rotting between the runs that are recorded in bench/README.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench import memory as memory_bench
from bench.table import Row, format_table, read_rows
from tests.helpers.paths import ROOT


def test_store_bench_runs_on_a_small_archive(tmp_path: Path) -> None:
    """Generate two tiny archives, measure every figure, write the suite's rows."""
    out = tmp_path / "rows.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench.store", "--stories", "60", "--small", "20", "--quick",
         "--cache", str(tmp_path / "cache"), "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = read_rows(out)
    figures = {r.figure for r in rows}
    assert {"list: newest 100", "open: desk show (one story)", "search: rare name",
            "audit: after 100 edits", "database size"} <= figures  # fmt: skip
    for row in rows:
        assert row.value > 0 and row.baseline is not None and row.baseline > 0
        if row.target == "< 1 s":
            assert row.met == (row.value < 1.0)
    assert "60 stories" in result.stdout
    # The generated archive's spelling index was checked against desk's own extraction.
    assert (
        "spelling index in" in (tmp_path / "cache" / "store-60-20261125" / "complete").read_text()
    )


def test_memory_bench_runs_on_a_small_memory(tmp_path: Path) -> None:
    """Generate a memory of 2,000 units (its keys checked against desk's own), measure
    lookup, the rapidfuzz scan, concordance, refresh and saves, on PostgreSQL too where
    it is installed; write the suite's rows."""
    out = tmp_path / "rows.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench.memory", "--units", "2000", "--quick",
         "--cache", str(tmp_path / "cache"), "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = {r.figure: r for r in read_rows(out)}
    assert {"lookup p95, 2,000 units", "concordance p95", "refresh: add_units, 1,000 units",
            "sync_segment (per save) p95", "database size"} <= rows.keys()  # fmt: skip
    for row in rows.values():
        assert row.value > 0
        if row.target == "< 50 ms":
            assert row.met == (row.value < 50.0)
    assert rows["lookup p95, 2,000 units"].baseline is not None
    # Every kind of match occurs among the queries, and the scan's units were found.
    assert "exact" in result.stdout and "repaired" in result.stdout
    assert "fuzzy" in result.stdout and "none" in result.stdout
    assert rows["recall of units >= 70 % (sampled)"].value == 100.0
    assert (
        "2000 units"
        in (tmp_path / "cache" / f"memory-2000-v{memory_bench.VERSION}" / "complete").read_text()
    )


def test_table_shows_value_target_baseline_and_ratio() -> None:
    """One line per row; the ratio is value over baseline; a miss says NO."""
    table = format_table(
        [
            Row("store", "list", 0.25, "s", "< 1 s", True, 0.2, "1,000 stories"),
            Row("tui", "first paint", 400.0, "ms", "< 300 ms", False, 8.0, "bare app"),
            Row("engine", "peak memory", 656.0, "MB"),
        ]
    )
    lines = table.splitlines()
    assert len(lines) == 4
    assert "1.25x" in lines[1] and "yes" in lines[1] and "0.2 s (1,000 stories)" in lines[1]
    assert "NO" in lines[2] and "50.00x" in lines[2]
    assert lines[3].split()[-1] == "-"
