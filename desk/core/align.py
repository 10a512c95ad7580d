"""Line an English draft made elsewhere up with the Arabic source it translates."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desk.core.segment import Block
from desk.core.story import Role


class AlignmentError(ValueError):
    """The draft cannot be aligned to the source; the message says where."""


@dataclass(frozen=True)
class Aligned:
    """English for each source sentence of one paragraph, with notes on non one-to-one matches."""

    texts: list[str]
    """One entry per source sentence ('' where it got none)."""
    notes: list[str]
    """Human-readable notes, one per match that is not one-to-one."""


# A bead is how many source and draft units one step of the alignment takes.
Bead = tuple[int, int]

# Prior probabilities of each bead, after Gale & Church (1993).
_PRIORS: dict[Bead, float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
}
# Variance of the draft length per source character (Gale & Church's 6.8).
_VARIANCE = 6.8
# English runs about 15% longer than the Arabic it translates; used when totals say nothing.
_DEFAULT_RATIO = 1.15
# Bounds on the estimated ratio, and how many times the alignment may refine it.
_MIN_RATIO, _MAX_RATIO = 0.8, 2.0
_REESTIMATES = 3
# Extra cost for a bead mixing roles, so the paragraph DP prefers headline with
# headline and subheading with subheading.
_ROLE_PENALTY = 6.0

_ROLE_NAMES = {
    Role.HEADLINE: "a headline",
    Role.SUBHEADING: "a subheading",
    Role.BODY: "a body paragraph",
}


def _length_cost(src_len: int, dst_len: int, ratio: float) -> float:
    """Minus the log probability that `dst_len` characters translate `src_len`."""
    mean = (src_len + dst_len / ratio) / 2
    if mean <= 0:
        return 0.0
    delta = (dst_len - src_len * ratio) / math.sqrt(mean * _VARIANCE)
    # erfc(|d|/sqrt 2) is the two-tailed normal probability; floor it to keep the log finite.
    return -math.log(max(math.erfc(abs(delta) / math.sqrt(2)), 1e-300))


def _dp(
    src: Sequence[int],
    dst: Sequence[int],
    ratio: float,
    extra: Callable[[int, int, Bead], float] | None,
) -> tuple[float, list[tuple[int, int, Bead]]]:
    """The cheapest chain of beads through both length lists, for one ratio, and its cost."""
    n, m = len(src), len(dst)
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[Bead | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            for bead, prior in _PRIORS.items():
                di, dj = bead
                if di > i or dj > j or cost[i - di][j - dj] == inf:
                    continue
                step = -math.log(prior)
                # Unlike Gale and Church, a dropped or added unit costs only its prior: a
                # length term there makes a long dropped paragraph look like a merge.
                if di and dj:
                    step += _length_cost(sum(src[i - di : i]), sum(dst[j - dj : j]), ratio)
                if extra is not None:
                    step += extra(i - di, j - dj, bead)
                total = cost[i - di][j - dj] + step
                if total < cost[i][j]:
                    cost[i][j] = total
                    back[i][j] = bead
    steps: list[tuple[int, int, Bead]] = []
    i, j = n, m
    while i or j:
        step_back = back[i][j]
        assert step_back is not None  # every cell is reachable through 1-0 and 0-1 beads
        i, j = i - step_back[0], j - step_back[1]
        steps.append((i, j, step_back))
    steps.reverse()
    return cost[n][m], steps


def _ratio(src_total: int, dst_total: int) -> float:
    """Draft characters per source character, kept within what translation produces."""
    if not src_total or not dst_total:
        return _DEFAULT_RATIO
    # A draft with a long addition (or a large cut) would otherwise pull the estimate
    # far enough that every pairing looks wrong.
    return min(max(dst_total / src_total, _MIN_RATIO), _MAX_RATIO)


def _align(
    src: Sequence[int],
    dst: Sequence[int],
    extra: Callable[[int, int, Bead], float] | None = None,
) -> list[tuple[int, int, Bead]]:
    """Gale-Church alignment of two length lists: (source index, draft index, bead) steps.

    `extra(i, j, bead)`, when given, is added to the cost of a bead that starts at
    source unit i and draft unit j.
    """
    best: tuple[float, list[tuple[int, int, Bead]]] | None = None
    # The totals understate the ratio when the draft dropped something (and overstate it
    # when it added something), which makes a drop look like a merge. So start from the
    # totals and from the usual ratio, refine each from the units it paired one to one,
    # and keep the cheapest alignment seen.
    for start in (_ratio(sum(src), sum(dst)), _DEFAULT_RATIO):
        ratio = start
        for _ in range(_REESTIMATES + 1):
            cost, steps = _dp(src, dst, ratio, extra)
            if best is None or cost < best[0]:
                best = (cost, steps)
            ones = [(i, j) for i, j, bead in steps if bead == (1, 1)]
            if not ones:
                break
            new = _ratio(sum(src[i] for i, _ in ones), sum(dst[j] for _, j in ones))
            if abs(new - ratio) < 0.01:
                break
            ratio = new
    assert best is not None
    return best[1]


def _plural(count: int, word: str) -> str:
    """ "1 paragraph", "3 paragraphs"."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _where(source: list[Block], draft: list[Block], i: int, j: int, bead: Bead) -> str:
    """Describe one non 1-1 bead (or a role clash) with both files' line numbers."""

    def near(blocks: list[Block], k: int, side: str) -> str:
        if not blocks:
            return f"the {side} is empty"
        return f"near {side} line {blocks[min(k, len(blocks) - 1)].line}"

    if bead == (1, 0):
        s = source[i]
        return (
            f"source paragraph {i + 1} (line {s.line}) has no counterpart in the draft "
            f"({near(draft, j, 'draft')})"
        )
    if bead == (0, 1):
        d = draft[j]
        return (
            f"draft paragraph {j + 1} (line {d.line}) has no counterpart in the source "
            f"({near(source, i, 'source')})"
        )
    if bead == (2, 1):
        return (
            f"source paragraphs {i + 1}-{i + 2} (lines {source[i].line} and "
            f"{source[i + 1].line}) are one paragraph in the draft (line {draft[j].line})"
        )
    if bead == (1, 2):
        return (
            f"source paragraph {i + 1} (line {source[i].line}) is two paragraphs in the draft "
            f"(lines {draft[j].line} and {draft[j + 1].line})"
        )
    s, d = source[i], draft[j]
    return (
        f"roles differ: source line {s.line} is {_ROLE_NAMES[s.role]}, "
        f"draft line {d.line} is {_ROLE_NAMES[d.role]}"
    )


def align_paragraphs(
    source: list[Block], draft: list[Block], draft_name: str = "draft"
) -> list[tuple[Block, Block]]:
    """Pair source and draft blocks one to one, or say where the draft departs from the source."""
    if len(source) == len(draft) and all(
        s.role == d.role for s, d in zip(source, draft, strict=True)
    ):
        return list(zip(source, draft, strict=True))

    def role_cost(i: int, j: int, bead: Bead) -> float:
        # A bead whose blocks do not all share one role pairs, say, a subheading with
        # a body paragraph: possible, but only when nothing else fits.
        roles = {b.role for b in source[i : i + bead[0]]} | {b.role for b in draft[j : j + bead[1]]}
        return _ROLE_PENALTY if len(roles) > 1 else 0.0

    steps = _align([len(b.text) for b in source], [len(b.text) for b in draft], role_cost)
    # The first step that is not a clean pairing is where the draft goes wrong.
    i, j, bead = next(
        (i, j, bead) for i, j, bead in steps if bead != (1, 1) or source[i].role != draft[j].role
    )
    if len(source) != len(draft):
        head = f"{draft_name} has {_plural(len(draft), 'paragraph')}, the source has {len(source)}"
    else:
        head = f"{draft_name} does not line up with the source"
    raise AlignmentError(f"{head}: {_where(source, draft, i, j, bead)}")


def _join(*parts: str) -> str:
    """Join non-empty texts with single spaces."""
    return " ".join(p for p in parts if p)


def align_sentences(source: list[str], draft: list[str]) -> Aligned:
    """Give each source sentence of a paragraph its English from the draft's sentences."""
    if len(source) == len(draft):
        return Aligned(list(draft), [])
    if not source:
        # There is nowhere to put the English, and none of it may be lost.
        raise AlignmentError(
            f"the source paragraph has no sentences but the draft has {len(draft)}"
        )

    steps = _align([len(s) for s in source], [len(d) for d in draft])
    texts = [""] * len(source)
    notes: list[str] = []
    # English with no source sentence before it waits for the next source sentence.
    pending = ""
    for i, j, bead in steps:
        if bead == (0, 1):
            if i == 0:
                pending = _join(pending, draft[j])
                notes.append(
                    f"draft sentence {j + 1} has no source sentence; it went to sentence 1"
                )
            else:
                texts[i - 1] = _join(texts[i - 1], draft[j])
                notes.append(
                    f"draft sentence {j + 1} has no source sentence; it went to sentence {i}"
                )
            continue
        if bead == (1, 1):
            english = draft[j]
        elif bead == (1, 2):
            english = _join(draft[j], draft[j + 1])
            notes.append(
                f"source sentence {i + 1} matches draft sentences {j + 1}-{j + 2}; they were joined"
            )
        elif bead == (2, 1):
            english = draft[j]
            notes.append(
                f"source sentences {i + 1}-{i + 2} share one draft sentence; "
                f"it went to sentence {i + 1}"
            )
        else:
            english = ""
            notes.append(f"source sentence {i + 1} has no draft sentence")
        texts[i] = _join(pending, english)
        pending = ""
    return Aligned(texts, notes)
