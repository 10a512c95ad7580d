"""The QA gate: everything that stands between a story and approval, publication or export.

One function, `gate`, used by every front end through the application service. Each
problem names its segments, so a front end can list them and go to the first. More
checks (glossary findings, numbers...) plug in as `Check` functions without changing
the callers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desk.core.story import SegmentStatus, Story, StoryStatus


@dataclass(frozen=True)
class Problem:
    """One reason the gate is shut: what, and in which segments (empty: the whole story)."""

    what: str
    segments: tuple[int, ...] = ()

    def __str__(self) -> str:
        """`what: 1-3, 7`, as the refusal messages print it."""
        if not self.segments:
            return self.what
        return f"{self.what}: {number_ranges(self.segments)}"


Check = Callable[[Story], list[Problem]]
"""One more thing the gate looks at (e.g. open glossary findings)."""


def unconfirmed_or_empty(story: Story) -> list[Problem]:
    """Segments nobody confirmed, and segments with no English."""
    problems: list[Problem] = []
    unconfirmed = tuple(s.n for s in story.segments if s.status != SegmentStatus.CONFIRMED)
    if unconfirmed:
        problems.append(Problem("segments not confirmed", unconfirmed))
    empty = tuple(s.n for s in story.segments if not s.text.strip())
    if empty:
        problems.append(Problem("segments with no English", empty))
    return problems


DEFAULT_CHECKS: tuple[Check, ...] = (unconfirmed_or_empty,)
"""What the gate checks unless told otherwise."""


def gate(story: Story, checks: Sequence[Check] = DEFAULT_CHECKS) -> list[Problem]:
    """Every problem that blocks approving or publishing `story` (empty: the gate is open)."""
    return [problem for check in checks for problem in check(story)]


def export_gate(story: Story, checks: Sequence[Check] = DEFAULT_CHECKS) -> list[Problem]:
    """What stops `story` from being exported: its status, then the gate's problems."""
    problems = gate(story, checks)
    if story.status not in (StoryStatus.APPROVED, StoryStatus.PUBLISHED):
        problems.insert(0, Problem(f"the story is {story.status.value}, not approved or published"))
    return problems


def first_segment(problems: Sequence[Problem]) -> int | None:
    """The lowest segment any problem names, to go to first (None: none named)."""
    numbers = [n for p in problems for n in p.segments]
    return min(numbers) if numbers else None


def describe(problems: Sequence[Problem]) -> str:
    """The problems on one line, as refusals say them."""
    return "; ".join(str(p) for p in problems)


def number_ranges(ns: Sequence[int]) -> str:
    """Segment numbers as compact ranges: 1-3, 7, 9-10."""
    out: list[str] = []
    start = prev = None
    for n in ns:
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if start != prev else f"{start}")
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else f"{start}")
    return ", ".join(out)
