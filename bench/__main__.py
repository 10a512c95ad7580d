"""Run every benchmark, each in its own process, and print one table of their figures.

Each benchmark runs as `python -m bench.<module> --json FILE [--quick]`, one after the
other, so none measures while another is running: engine (bench.engine), glossary
(bench.glossary), glossary_import (bench.glossary_import), tui (bench.tui), store
(bench.store), story_list (bench.story_list: reloads of the list at archive scale),
shared_desk (bench.shared_desk: PostgreSQL beside SQLite), memory
(bench.memory: the translation memory), export (bench.import_export) and align
(bench.align).
Their own output (their detailed tables) goes to stderr as they run; stdout holds only
the suite's report, at the end:

- the date, the machine (CPUs, platform, Python, load average at the start), the mode;
- one table of every figure gathered (`bench.table.format_table`): value, target, whether
  it is met, the same-run baseline and value / baseline;
- how long each benchmark took, then a line for each figure that misses its target and
  for each benchmark that failed (non-zero exit, or no readable figures).

A failed benchmark does not stop the others; the suite exits with status 1 if any failed.
A missed target is reported, not an error: these are measurements, not tests.

Options:
- --quick: passed to every benchmark (fewer repetitions; the same inputs and targets);
- --only NAME[,NAME...]: run only these benchmarks, in the suite's order;
- --stories N: passed to the store, story_list and shared_desk benchmarks only (their own default
  otherwise);
- --out FILE: also write the report, as printed, to FILE.

Run: python -m bench [--quick] [--only engine,glossary] [--stories N] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.table import Row, format_table, read_rows

ROOT = Path(__file__).resolve().parent.parent
BENCHES = {
    "engine": "bench.engine",
    "glossary": "bench.glossary",
    "glossary_import": "bench.glossary_import",
    "tui": "bench.tui",
    "store": "bench.store",
    "story_list": "bench.story_list",
    "shared_desk": "bench.shared_desk",
    "memory": "bench.memory",
    "export": "bench.import_export",
    "align": "bench.align",
}
"""Suite name -> module, in the order they run."""
ALIASES = {
    "import_export": "export",
    "import": "export",
    "shared": "shared_desk",
    "postgres": "shared_desk",
    "postgresql": "shared_desk",
    "tm": "memory",
}


@dataclass
class Outcome:
    """What one benchmark gave: its rows, or why there are none."""

    name: str
    seconds: float
    rows: list[Row] = field(default_factory=list)
    failure: str = ""


def selected(only: str | None, parser: argparse.ArgumentParser) -> list[str]:
    """The benchmarks to run, in the suite's order; unknown names are a usage error."""
    if not only:
        return list(BENCHES)
    names = {ALIASES.get(n.strip(), n.strip()) for n in only.split(",") if n.strip()}
    unknown = sorted(names - BENCHES.keys())
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    return [name for name in BENCHES if name in names]


def command(name: str, json_path: Path, quick: bool, stories: int | None) -> list[str]:
    """The command line that runs one benchmark."""
    line = [sys.executable, "-m", BENCHES[name], "--json", str(json_path)]
    if quick:
        line.append("--quick")
    if name in ("store", "story_list", "shared_desk") and stories is not None:
        line += ["--stories", str(stories)]
    return line


def run(name: str, line: list[str], json_path: Path) -> Outcome:
    """Run one benchmark with its output on our stderr; gather its rows."""
    shown = " ".join(["python", *line[1:]])
    print(f"\n== {name}: {shown}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        code = subprocess.run(line, cwd=ROOT, stdout=sys.stderr, stderr=sys.stderr).returncode
    except OSError as error:
        return Outcome(name, time.perf_counter() - start, failure=f"could not start: {error}")
    outcome = Outcome(name, time.perf_counter() - start)
    if code < 0:
        outcome.failure = f"killed by signal {-code}"
    elif code:
        outcome.failure = f"exit status {code}"
    elif not json_path.exists():
        outcome.failure = "exited without writing its figures"
    else:
        try:
            outcome.rows = read_rows(json_path)
        except (ValueError, TypeError) as error:
            outcome.failure = f"figures unreadable: {error}"
    status = f"failed ({outcome.failure})" if outcome.failure else f"{len(outcome.rows)} figures"
    print(f"== {name}: {status}, {outcome.seconds:.0f} s", file=sys.stderr, flush=True)
    return outcome


def machine() -> str:
    """CPUs, platform and Python of this machine, and its load when the suite started."""
    cpus = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    cpu_text = f"{cpus} CPUs" + (f" ({usable} usable)" if usable != cpus else "")
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{cpu_text}, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}{load}"
    )


def report(outcomes: list[Outcome], started: datetime.datetime, host: str, quick: bool) -> str:
    """The suite's report: header, table, timings, misses and failures."""
    rows = [row for outcome in outcomes for row in outcome.rows]
    mode = "quick (--quick: fewer repetitions)" if quick else "full"
    lines = [
        f"desk benchmarks, {started.isoformat(sep=' ', timespec='seconds')}",
        f"machine: {host}",
        f"mode: {mode}",
        "",
        format_table(rows),
        "",
        "ran: " + ", ".join(
            f"{o.name} {o.seconds:.0f} s" + (" (FAILED)" if o.failure else "") for o in outcomes
        ),
    ]  # fmt: skip
    missed = [row for row in rows if row.met is False]
    for row in missed:
        lines.append(
            f"MISSED: {row.bench}: {row.figure}: {row.value:.3g} {row.unit}, target {row.target}"
        )
    failed = [o for o in outcomes if o.failure]
    for outcome in failed:
        lines.append(f"FAILED: {outcome.name}: {outcome.failure} (its output is on stderr)")
    if not missed and not failed:
        lines.append("every figure with a target meets it")
    return "\n".join(lines)


def main() -> int:
    """Parse the options, run the benchmarks, print the report; 1 if any failed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, every bench")
    parser.add_argument("--only", metavar="NAME[,NAME...]", help=", ".join(BENCHES))
    parser.add_argument(
        "--stories",
        type=int,
        metavar="N",
        help="for the store, story_list and shared_desk benches only",
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="also write the report here")
    args = parser.parse_args()
    names = selected(args.only, parser)
    started = datetime.datetime.now().astimezone()
    host = machine()
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as tmp:
        for name in names:
            json_path = Path(tmp) / f"{name}.json"
            outcomes.append(
                run(name, command(name, json_path, args.quick, args.stories), json_path)
            )
    text = report(outcomes, started, host, args.quick)
    print(file=sys.stderr, flush=True)
    print(text, flush=True)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 1 if any(o.failure for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
