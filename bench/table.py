"""The suite's common table: one row per figure, with its target and same-run baseline.

Every benchmark module can print its own detailed table; with `--json FILE` it also
writes its figures as `Row`s, which `python -m bench` gathers into one table.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    """One figure of one benchmark."""

    bench: str
    """Which benchmark measured it (engine, glossary, tui, store, export)."""
    figure: str
    value: float
    unit: str
    """What `value`, `target` and `baseline` are in: s, ms, MB, x..."""
    target: str = ""
    """The target as written in the design ("< 1 s", ">= 5x"), or "" for none."""
    met: bool | None = None
    """Whether `value` meets the target; None where there is none."""
    baseline: float | None = None
    """The same-run baseline in `unit`, where the figure has one."""
    baseline_name: str = ""
    """What the baseline is."""

    @property
    def ratio(self) -> float | None:
        """value / baseline."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline


def write_rows(rows: list[Row], path: Path) -> None:
    """Save rows for the suite."""
    path.write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")


def read_rows(path: Path) -> list[Row]:
    """Rows saved by `write_rows`."""
    return [Row(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def _number(value: float | None) -> str:
    """A figure with sensible precision."""
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def format_table(rows: list[Row]) -> str:
    """The rows as aligned columns: bench, figure, value, target, met, baseline, ratio."""
    header = ("bench", "figure", "value", "target", "met", "baseline", "ratio")
    lines = [header]
    for r in rows:
        met = "-" if r.met is None else ("yes" if r.met else "NO")
        base = "-" if r.baseline is None else f"{_number(r.baseline)} {r.unit} ({r.baseline_name})"
        ratio = "-" if r.ratio is None else f"{r.ratio:.2f}x"
        lines.append(
            (r.bench, r.figure, f"{_number(r.value)} {r.unit}", r.target or "-", met, base, ratio)
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
