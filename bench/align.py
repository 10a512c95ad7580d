"""Time aligning a draft with its source, sentence by sentence, as the paragraph grows.

Inputs: one paragraph of N source sentences (N = 500, 1,000, 2,000, 4,000) with lengths drawn
from a seeded generator (40 to 220 characters), and a draft made from it as drafts differ from
their source: most sentences 1.15 times as long give or take 20%, about 4% split in two, 3%
merged with the next, 1.5% dropped and 1.5% added, so the counts differ and the alignment runs
(`desk.core.align.align_sentences`, the importer's call).

Baselines, measured in the same run on the same inputs:
- for 500 sentences, `full_table_align`: the previous algorithm, kept here unchanged (every
  cell of the N x M table, once per ratio it tries: up to 8 tables);
- for the larger sizes, the 500-sentence time times N / 500: what linear growth would give,
  so value / baseline near 1 means the cost grows linearly.
With --full-baseline the previous algorithm is also timed at 1,000 sentences (about 10 s).
Each figure is the best of --runs runs. Target (DESIGN.md): 2,000 sentences < 2 s.

Options: --quick makes 1 run; --json FILE also writes the figures as `bench.table.Row`s
for `python -m bench`.

Run: python -m bench.align [--runs 3] [--quick] [--full-baseline] [--json FILE]
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from bench.table import Row, write_rows
from desk.core import align as aligner
from desk.core import gale_church

SIZES = (500, 1_000, 2_000, 4_000)
RUNS, QUICK_RUNS = 3, 1
TARGET_SIZE, TARGET_S = 2_000, 2.0
Steps = list[tuple[int, int, gale_church.Bead]]


def paragraph(n: int, seed: int = 13) -> tuple[list[str], list[str]]:
    """N source sentences and a draft of them with splits, merges, drops and additions."""
    rng = random.Random(seed * 100_003 + n)
    source = ["ب" * rng.randint(40, 220) for _ in range(n)]
    draft: list[str] = []
    i = 0
    while i < n:
        roll = rng.random()
        english = max(1, round(len(source[i]) * 1.15 * rng.uniform(0.8, 1.2)))
        if roll < 0.04:
            half = max(1, english // 2)
            draft += ["e" * half, "e" * max(1, english - half)]
        elif roll < 0.07 and i + 1 < n:
            draft.append("e" * (english + round(len(source[i + 1]) * 1.15)))
            i += 1
        elif roll < 0.085:
            pass
        elif roll < 0.10:
            draft += ["e" * english, "e" * rng.randint(40, 250)]
        else:
            draft.append("e" * english)
        i += 1
    return source, draft


def full_table_dp(
    src: Sequence[int],
    dst: Sequence[int],
    ratio: float,
    extra: Callable[[int, int, gale_church.Bead], float] | None,
) -> tuple[float, Steps]:
    """The previous programme: every cell of the (n+1) x (m+1) table."""
    n, m = len(src), len(dst)
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[gale_church.Bead | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            for bead, prior in gale_church.PRIORS.items():
                di, dj = bead
                if di > i or dj > j or cost[i - di][j - dj] == inf:
                    continue
                step = -math.log(prior)
                if di and dj:
                    step += gale_church.length_cost(
                        sum(src[i - di : i]), sum(dst[j - dj : j]), ratio
                    )
                if extra is not None:
                    step += extra(i - di, j - dj, bead)
                total = cost[i - di][j - dj] + step
                if total < cost[i][j]:
                    cost[i][j] = total
                    back[i][j] = bead
    steps: Steps = []
    i, j = n, m
    while i or j:
        step_back = back[i][j]
        assert step_back is not None
        i, j = i - step_back[0], j - step_back[1]
        steps.append((i, j, step_back))
    steps.reverse()
    return cost[n][m], steps


def full_table_align(
    src: Sequence[int],
    dst: Sequence[int],
    extra: Callable[[int, int, gale_church.Bead], float] | None = None,
) -> Steps:
    """The previous `_align`: the same ratio search, each ratio's table filled whole."""
    best: tuple[float, Steps] | None = None
    for start in (gale_church.ratio_of(sum(src), sum(dst)), gale_church.DEFAULT_RATIO):
        ratio = start
        for _ in range(gale_church.REESTIMATES + 1):
            cost, steps = full_table_dp(src, dst, ratio, extra)
            if best is None or cost < best[0]:
                best = (cost, steps)
            ones = [(i, j) for i, j, bead in steps if bead == (1, 1)]
            if not ones:
                break
            new = gale_church.ratio_of(sum(src[i] for i, _ in ones), sum(dst[j] for _, j in ones))
            if abs(new - ratio) < 0.01:
                break
            ratio = new
    assert best is not None
    return best[1]


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest wall time of `runs` calls, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help=f"runs (default {RUNS})")
    parser.add_argument("--quick", action="store_true", help=f"--runs {QUICK_RUNS}")
    parser.add_argument("--full-baseline", action="store_true", help="old algorithm at 1,000 too")
    parser.add_argument("--json", type=Path, help="also write the figures as rows")
    args = parser.parse_args()
    runs = args.runs or (QUICK_RUNS if args.quick else RUNS)
    rows: list[Row] = []
    print(f"{'sentences':>9} {'draft':>6} {'banded s':>9} {'baseline s':>10}  baseline")
    first: float | None = None
    for n in SIZES:
        source, draft = paragraph(n)
        src, dst = [len(s) for s in source], [len(d) for d in draft]
        value = best_of(runs, partial(aligner.align_sentences, source, draft))
        if first is None or (args.full_baseline and n == 1_000):
            name = "previous full table, same input"
            start = time.perf_counter()
            whole = full_table_align(src, dst)
            base = time.perf_counter() - start
            assert whole == gale_church.align_lengths(src, dst), (
                f"{n} sentences: the results differ"
            )
            first = first or value
        else:
            name = "500-sentence time x N/500 (linear)"
            base = first * n / SIZES[0]
        print(f"{n:9} {len(draft):6} {value:9.3f} {base:10.3f}  {name}")
        target = f"< {TARGET_S:g} s" if n == TARGET_SIZE else ""
        met = value < TARGET_S if target else None
        rows.append(Row("align", f"align {n:,} sentences", value, "s", target, met, base, name))
    if args.json:
        write_rows(rows, args.json)


if __name__ == "__main__":
    main()
