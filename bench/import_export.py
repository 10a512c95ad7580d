"""Time `desk import` + `desk export` on the largest bundled sample, through the real CLI.

Inputs: the largest `samples/*.ar.md` (by segments) and its draft, imported into a fresh
desk home in a temporary folder, then confirmed, approved, published and exported.
Baseline, measured in the same run: `desk --help`, i.e. Python start-up plus importing
desk's CLI, which every command pays. Each figure is the median of --runs runs.
No figure has a target (bench/README.md states none).

Options: --quick makes 3 runs; --json FILE also writes the figures as `bench.table.Row`s
for `python -m bench`.

Run: python -m bench.import_export [--runs 7] [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.table import Row, write_rows

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
RUNS, QUICK_RUNS = 7, 3
BASELINE = "desk --help"


def desk(home: Path, *args: str) -> float:
    """Run one desk command in `home`; return its wall time in seconds."""
    env = dict(os.environ, DESK_HOME=str(home), DESK_USER="bench")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desk", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def clear_gate(home: Path, slug: str) -> None:
    """Dismiss every open QA item, as an editor who checked them (setup, not measured)."""
    from desk.app.home import Home

    desk_ = Home(home).desk
    for item in desk_.open_items(slug):
        if item.dismissable:
            desk_.dismiss(slug, item.segments[0], 1, "Checked (bench).", author="editor")
    desk_.store.close()


def largest_sample() -> tuple[Path, Path]:
    """The sample with the most text, and its draft."""
    source = max(SAMPLES.glob("*.ar.md"), key=lambda p: p.stat().st_size)
    return source, source.with_name(source.name.replace(".ar.md", ".draft.en.md"))


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help=f"runs (default {RUNS})")
    parser.add_argument("--quick", action="store_true", help=f"--runs {QUICK_RUNS}")
    parser.add_argument("--json", type=Path, help="also write the figures as rows")
    args = parser.parse_args()
    runs = args.runs or (QUICK_RUNS if args.quick else RUNS)
    source, draft = largest_sample()
    slug = source.name.removesuffix(".ar.md")
    figures: dict[str, list[float]] = {"startup": [], "import": [], "export": []}
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            figures["startup"].append(desk(home, "--help"))
            figures["import"].append(desk(home, "import", str(source), "--draft", str(draft)))
            desk(home, "confirm", slug, "--all")
            desk(home, "status", slug, "review")
            clear_gate(home, slug)
            desk(home, "status", slug, "approved")
            desk(home, "publish", slug)
            figures["export"].append(desk(home, "export", slug, "--out", str(Path(tmp) / "out")))
    base = statistics.median(figures["startup"])
    print(f"sample: {source.name} ({source.stat().st_size} bytes), median of {runs} runs")
    print(f"{'figure':28} {'seconds':>8} {'x baseline':>10}")
    rows: list[Row] = []
    for name, label in (("startup", f"baseline: {BASELINE}"), ("import", "desk import --draft"),
                        ("export", "desk export")):  # fmt: skip
        value = statistics.median(figures[name])
        print(f"{label:28} {value:8.3f} {value / base:10.2f}")
        if name != "startup":
            rows.append(Row("export", label, value, "s", baseline=base, baseline_name=BASELINE))
    total = statistics.median(figures["import"]) + statistics.median(figures["export"])
    print(f"{'import + export':28} {total:8.3f} {total / base:10.2f}")
    rows.append(Row("export", "import + export", total, "s", baseline=base, baseline_name=BASELINE))
    if args.json:
        write_rows(rows, args.json)


if __name__ == "__main__":
    main()
