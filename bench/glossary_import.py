"""Glossary import at scale: `desk glossary import` of 1k to 100k TBX entries, and a hostile file.

Inputs (deterministic, made in a temporary folder, nothing committed): the generated
entries of bench.glossary (places, people and armed groups with Arabic-like names, their
Arabic forms and two or three variants each, fixed seed), written as TBX v3 by desk's
own export, 1,000 / 2,000 / 4,000 / 8,000 / 16,000 / 100,000 entries (the 100,000-entry
file is about 60 MB); and a 60 MB TBX of empty elements (`<x/>` 15 million times).

Each import runs through the real CLI (`python -m desk glossary --glossary DIR import
FILE --into imported.toml`) in a fresh child process, into an empty glossary folder in
a fresh desk home; wall time and the child's peak memory (its ru_maxrss, from wait4)
are recorded. Sizes up to 16,000 take the fastest of --runs runs (with the largest peak
memory), 100,000 and the hostile file one run each.

Same-run baseline: linear growth from the two smallest imports measured in this run,
one entry (the fixed cost: Python, the CLI, an empty glossary) and 1,000 entries (the
cost of each further entry): baseline(n) = t(1) + (t(1,000) - t(1)) x (n - 1) / 999.
A ratio near 1.0 at every size is linear; a ratio that grows with n is not (the import
before issue 13 went 0.7 / 1.3 / 3.1 / 10.2 / 37.6 s for 1k to 16k, >300 s at 100k).

Targets (issue 13): the 100,000-entry import under 10 s and under 1 GB (1,024 MB).

Options: --quick makes one run of each size; --json FILE also writes the figures as
`bench.table.Row`s for `python -m bench`.

Run: python -m bench.glossary_import [--runs 3] [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.glossary import generated_entries
from bench.table import Row, write_rows
from desk.core.glossary.tbx_export import to_tbx_bytes

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 2_000, 4_000, 8_000, 16_000, 100_000)
RUNS, QUICK_RUNS = 3, 1
TARGET_S = 10.0
TARGET_MB = 1024.0
BASELINE = "linear from 1 and 1,000 entries"


def write_tbx(path: Path, count: int) -> int:
    """A TBX file of `count` generated entries, written by a child process; its size in
    bytes. The entries are made elsewhere because a child's peak memory (ru_maxrss) starts
    from its parent's at the fork: 100,000 entries held here read as 900 MB in every
    import measured after them."""
    line = [sys.executable, "-m", "bench.glossary_import", "--write", str(count), str(path)]
    subprocess.run(line, cwd=ROOT, check=True)
    return path.stat().st_size


def write_empty_elements(path: Path, count: int = 15_000_000) -> int:
    """A TBX of `count` empty elements and no concept; its size in bytes."""
    with path.open("w", encoding="ascii") as out:
        out.write("<tbx><text><body>")
        for _ in range(count // 100_000):
            out.write("<x/>" * 100_000)
        out.write("</body></text></tbx>")
    return path.stat().st_size


def import_once(tmp: Path, tbx: Path) -> tuple[float, float, int]:
    """Import `tbx` into a fresh home and glossary folder: (seconds, peak MB, exit status)."""
    run = tempfile.mkdtemp(dir=tmp)
    env = dict(os.environ, DESK_HOME=str(Path(run) / "home"), DESK_USER="bench")
    line = [sys.executable, "-m", "desk", "glossary", "--glossary", str(Path(run) / "gl"),
            "import", str(tbx), "--into", "imported.toml"]  # fmt: skip
    start = time.perf_counter()
    child = subprocess.Popen(line, cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    code = child.returncode
    if code not in (0, 1):
        raise SystemExit(f"import of {tbx.name} failed ({code}): {errors.decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, code


def measure(tmp: Path, tbx: Path, runs: int) -> tuple[float, float]:
    """Fewest seconds and largest peak MB of `runs` imports of `tbx` (the fastest run is
    the one other jobs on the machine disturbed least)."""
    results = [import_once(tmp, tbx) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    """Generate the files, import each, print the table, write the rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--write", nargs=2, metavar=("COUNT", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        Path(args.write[1]).write_bytes(to_tbx_bytes(generated_entries(int(args.write[0]), set())))
        return
    runs = QUICK_RUNS if args.quick else args.runs
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="desk-bench-import-") as name:
        tmp = Path(name)
        one = tmp / "one.tbx"
        write_tbx(one, 1)
        fixed, fixed_mb = measure(tmp, one, runs)
        print(f"{'entries':>8} {'MB file':>8} {'seconds':>8} {'baseline':>9} {'ratio':>6} "
              f"{'peak MB':>8}", file=sys.stderr)  # fmt: skip
        print(f"{1:>8} {'-':>8} {fixed:>8.2f} {'-':>9} {'-':>6} {fixed_mb:>8.0f}", file=sys.stderr)
        per_entry = 0.0
        for count in SIZES:
            path = tmp / f"{count}.tbx"
            size = write_tbx(path, count)
            seconds, peak = measure(tmp, path, runs if count <= 16_000 else 1)
            if count == SIZES[0]:
                per_entry = (seconds - fixed) / (count - 1)
            baseline = fixed + per_entry * (count - 1)
            print(f"{count:>8} {size / 2**20:>8.1f} {seconds:>8.2f} {baseline:>9.2f} "
                  f"{seconds / baseline:>6.2f} {peak:>8.0f}", file=sys.stderr)  # fmt: skip
            big = count == SIZES[-1]
            rows.append(
                Row("glossary_import", f"import {count:,} TBX entries", seconds, "s",
                    f"< {TARGET_S:g} s" if big else "", seconds < TARGET_S if big else None,
                    baseline, BASELINE)
            )  # fmt: skip
            if big:
                rows.append(
                    Row("glossary_import", f"peak memory, {count:,} entries", peak, "MB",
                        f"< {TARGET_MB:g} MB", peak < TARGET_MB, fixed_mb, "1 entry")
                )  # fmt: skip
            path.unlink()
        hostile = tmp / "empty.tbx"
        size = write_empty_elements(hostile)
        seconds, peak = measure(tmp, hostile, 1)
        print(f"{size / 2**20:.0f} MB of empty elements: {seconds:.2f} s, {peak:.0f} MB peak "
              "(refused)", file=sys.stderr)  # fmt: skip
        label = f"{size / 2**20:.0f} MB of empty elements (refused)"
        rows.append(Row("glossary_import", label, seconds, "s"))
        rows.append(Row("glossary_import", label + ", peak memory", peak, "MB",
                        baseline=fixed_mb, baseline_name="1 entry"))  # fmt: skip
    if args.json:
        write_rows(rows, args.json)


if __name__ == "__main__":
    main()
