"""Gale-Church alignment of two lists of lengths, filling a band of the table.

Each step of a chain (a bead) takes 0-2 units from each side; its cost is its prior and
how unlikely the draft's length is as a translation of the source's (Gale & Church,
1993). `align_lengths` runs the dynamic programme for a few estimates of the length
ratio and keeps the cheapest chain; `desk.core.align` turns units into sentences and
paragraphs and says where a match is not one to one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import pairwise

# A bead is how many source and draft units one step of the alignment takes.
Bead = tuple[int, int]

# Prior probabilities of each bead, after Gale & Church (1993).
PRIORS: dict[Bead, float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
}
# Variance of the draft length per source character (Gale & Church's 6.8).
_VARIANCE = 6.8
# English runs about 15% longer than the Arabic it translates; used when totals say nothing.
DEFAULT_RATIO = 1.15
# Bounds on the estimated ratio, and how many times the alignment may refine it.
_MIN_RATIO, _MAX_RATIO = 0.8, 2.0
REESTIMATES = 3


def length_cost(src_len: int, dst_len: int, ratio: float) -> float:
    """Minus the log probability that `dst_len` characters translate `src_len`."""
    mean = (src_len + dst_len / ratio) / 2
    if mean <= 0:
        return 0.0
    delta = (dst_len - src_len * ratio) / math.sqrt(mean * _VARIANCE)
    # erfc(|d|/sqrt 2) is the two-tailed normal probability; floor it to keep the log finite.
    return -math.log(max(math.erfc(abs(delta) / math.sqrt(2)), 1e-300))


# Each bead's prior as a cost, in the order the programme tries them (ties go to the first).
_STEP = {bead: -math.log(prior) for bead, prior in PRIORS.items()}
# Half-width of the first band around the table's diagonal, in units. It doubles while the
# cheapest chain in it comes within half of it of its edge: a draft that strays further from
# the source's order (a run of dropped or added sentences) widens it, as far as the table.
BAND = 16


# For each row of the table (source units taken), the draft indices the band is centred on.
Guide = list[tuple[int, int]]


def _length_guide(src: Sequence[int], dst: Sequence[int]) -> Guide:
    """Where the draft's text reaches the share of its length that the source's first i
    units are of theirs: a diagonal that splits and merges do not push aside."""
    n, m = len(src), len(dst)
    total_src, total_dst = sum(src), sum(dst)
    guide: Guide = []
    j = reached_src = reached_dst = 0
    for i in range(n + 1):
        if not (total_src and total_dst):
            centre = i * m // n if n else 0
        else:
            reached_src += src[i - 1] if i else 0
            # The last j whose draft prefix is no longer than the source prefix, by share.
            while j < m and (reached_dst + dst[j]) * total_src <= reached_src * total_dst:
                reached_dst += dst[j]
                j += 1
            centre = j
        guide.append((centre, centre))
    return guide


def _path_guide(n: int, m: int, steps: Sequence[tuple[int, int, Bead]]) -> Guide:
    """The draft indices a chain of beads passes through in each row (one it jumps over
    gets those of the bead that jumps it)."""
    low, high = [m] * (n + 1), [0] * (n + 1)
    cells = [(i, j) for i, j, _ in steps] + [(n, m)]
    for (i0, j0), (i1, j1) in pairwise(cells):
        for row in range(i0, i1 + 1):
            low[row], high[row] = min(low[row], j0), max(high[row], j1)
    if not steps:
        low[n] = high[n] = m
    return list(zip(low, high, strict=True))


def _union(one: Guide, other: Guide) -> Guide:
    """Both guides' draft indices, row by row."""
    return [(min(a, c), max(b, d)) for (a, b), (c, d) in zip(one, other, strict=True)]


def _band(guide: Guide, m: int, width: int) -> tuple[list[int], list[int]]:
    """For each row, the first and last draft index of the band `width` units around the
    guide; it always holds (0, 0) and (n, m), and each row overlaps the one before."""
    n = len(guide) - 1
    lo: list[int] = []
    hi: list[int] = []
    for i, (low, high) in enumerate(guide):
        first = 0 if i == 0 else max(0, low - width)
        last = m if i == n else min(m, high + width)
        if i:
            # So that each cell of the band is reachable through 1-0 beads.
            first = min(first, hi[-1])
        lo.append(first)
        hi.append(max(last, first))
    return lo, hi


def _dp(
    src: Sequence[int],
    dst: Sequence[int],
    ratio: float,
    extra: Callable[[int, int, Bead], float] | None,
    guide: Guide,
    width: int,
) -> tuple[float, list[tuple[int, int, Bead]], bool]:
    """The cheapest chain of beads inside a band of the table, its cost, and whether the
    chain runs along the band's edge (so a wider band might find a cheaper one).

    The cells of the band get exactly the costs the whole table would give them: the same
    sums in the same order, the same beads tried in the same order.
    """
    n, m = len(src), len(dst)
    inf = math.inf
    lo, hi = _band(guide, m, width)
    # Row i holds columns base[i] .. top[i]: its band, plus the cells rows i+1 and i+2 read.
    base = [first - 2 for first in lo]
    top = [max(hi[min(i + 1, n)], hi[min(i + 2, n)]) for i in range(n + 1)]
    cost: list[list[float]] = []
    back: list[list[Bead | None]] = []
    none_row: list[float] = [inf] * (m + 3)
    s11, s10, s01 = _STEP[(1, 1)], _STEP[(1, 0)], _STEP[(0, 1)]
    s21, s12 = _STEP[(2, 1)], _STEP[(1, 2)]
    sqrt, erfc, log, variance, root2 = math.sqrt, math.erfc, math.log, _VARIANCE, math.sqrt(2)
    for i in range(n + 1):
        row = [inf] * (top[i] - base[i] + 1)
        brow: list[Bead | None] = [None] * len(row)
        b0 = base[i]
        prev1, p1 = (cost[i - 1], base[i - 1]) if i >= 1 else (none_row, -2)
        prev2, p2 = (cost[i - 2], base[i - 2]) if i >= 2 else (none_row, -2)
        s_one = src[i - 1] if i >= 1 else 0
        s_two = s_one + src[i - 2] if i >= 2 else 0
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                row[0 - b0] = 0.0
                continue
            best = inf
            choice: Bead | None = None
            c = prev1[j - 1 - p1] if j >= 1 else inf
            if c != inf:
                # `length_cost`, written out: this is the innermost loop.
                d_len = dst[j - 1]
                mean = (s_one + d_len / ratio) / 2
                if mean <= 0:
                    step = s11 + 0.0
                else:
                    delta = (d_len - s_one * ratio) / sqrt(mean * variance)
                    step = s11 + -log(max(erfc(abs(delta) / root2), 1e-300))
                if extra is not None:
                    step += extra(i - 1, j - 1, (1, 1))
                total = c + step
                if total < best:
                    best, choice = total, (1, 1)
            c = prev1[j - p1] if i >= 1 else inf
            if c != inf:
                step = s10
                if extra is not None:
                    step += extra(i - 1, j, (1, 0))
                total = c + step
                if total < best:
                    best, choice = total, (1, 0)
            c = row[j - 1 - b0] if j >= 1 else inf
            if c != inf:
                step = s01
                if extra is not None:
                    step += extra(i, j - 1, (0, 1))
                total = c + step
                if total < best:
                    best, choice = total, (0, 1)
            c = prev2[j - 1 - p2] if i >= 2 and j >= 1 else inf
            if c != inf:
                d_len = dst[j - 1]
                mean = (s_two + d_len / ratio) / 2
                if mean <= 0:
                    step = s21 + 0.0
                else:
                    delta = (d_len - s_two * ratio) / sqrt(mean * variance)
                    step = s21 + -log(max(erfc(abs(delta) / root2), 1e-300))
                if extra is not None:
                    step += extra(i - 2, j - 1, (2, 1))
                total = c + step
                if total < best:
                    best, choice = total, (2, 1)
            c = prev1[j - 2 - p1] if j >= 2 else inf
            if c != inf:
                d_len = dst[j - 2] + dst[j - 1]
                mean = (s_one + d_len / ratio) / 2
                if mean <= 0:
                    step = s12 + 0.0
                else:
                    delta = (d_len - s_one * ratio) / sqrt(mean * variance)
                    step = s12 + -log(max(erfc(abs(delta) / root2), 1e-300))
                if extra is not None:
                    step += extra(i - 1, j - 2, (1, 2))
                total = c + step
                if total < best:
                    best, choice = total, (1, 2)
            row[j - b0] = best
            brow[j - b0] = choice
        cost.append(row)
        back.append(brow)
    steps: list[tuple[int, int, Bead]] = []
    edge = False
    margin = width // 2
    i, j = n, m
    while i or j:
        edge = edge or (lo[i] > 0 and j - lo[i] <= margin) or (hi[i] < m and hi[i] - j <= margin)
        step_back = back[i][j - base[i]]
        assert step_back is not None  # every cell of the band is reachable
        i, j = i - step_back[0], j - step_back[1]
        steps.append((i, j, step_back))
    steps.reverse()
    return cost[n][m - base[n]], steps, edge


def _dp_widening(
    src: Sequence[int],
    dst: Sequence[int],
    ratio: float,
    extra: Callable[[int, int, Bead], float] | None,
    guide: Guide,
    width: int,
) -> tuple[float, list[tuple[int, int, Bead]], int]:
    """`_dp` in a band around `guide` that doubles its width until the chain keeps clear of
    its edge or it covers the table; also the width it ended with."""
    while True:
        cost, steps, edge = _dp(src, dst, ratio, extra, guide, width)
        if not edge or width >= len(dst):
            return cost, steps, width
        width *= 2


def ratio_of(src_total: int, dst_total: int) -> float:
    """Draft characters per source character, kept within what translation produces."""
    if not src_total or not dst_total:
        return DEFAULT_RATIO
    # A draft with a long addition (or a large cut) would otherwise pull the estimate
    # far enough that every pairing looks wrong.
    return min(max(dst_total / src_total, _MIN_RATIO), _MAX_RATIO)


def align_lengths(
    src: Sequence[int],
    dst: Sequence[int],
    extra: Callable[[int, int, Bead], float] | None = None,
    band: int = BAND,
) -> list[tuple[int, int, Bead]]:
    """Gale-Church alignment of two length lists: (source index, draft index, bead) steps.

    `extra(i, j, bead)`, when given, is added to the cost of a bead that starts at
    source unit i and draft unit j. Each programme fills only a band of the table, `band`
    units either side of a guide (see `_dp_widening`): first the diagonal of the lengths,
    then the chain found for the ratio before. So the cost grows with the length of the
    lists, not with their product.
    """
    width = max(band, 1)
    guide = diagonal = _length_guide(src, dst)
    best: tuple[float, list[tuple[int, int, Bead]]] | None = None
    # The totals understate the ratio when the draft dropped something (and overstate it
    # when it added something), which makes a drop look like a merge. So start from the
    # totals and from the usual ratio, refine each from the units it paired one to one,
    # and keep the cheapest alignment seen.
    for start in (ratio_of(sum(src), sum(dst)), DEFAULT_RATIO):
        ratio = start
        for _ in range(REESTIMATES + 1):
            # A band that had to widen for one ratio starts as wide for the next.
            cost, steps, width = _dp_widening(src, dst, ratio, extra, guide, width)
            # The next ratio's chain runs close to this one, or to the diagonal.
            guide = _union(diagonal, _path_guide(len(src), len(dst), steps))
            if best is None or cost < best[0]:
                best = (cost, steps)
            ones = [(i, j) for i, j, bead in steps if bead == (1, 1)]
            if not ones:
                break
            new = ratio_of(sum(src[i] for i, _ in ones), sum(dst[j] for _, j in ones))
            if abs(new - ratio) < 0.01:
                break
            ratio = new
    assert best is not None
    return best[1]
