"""Finding numbers that hold while a segment is open.

The editor numbers a segment's fixable findings 1, 2, 3... for Shift+F1, F2, F3. After
one is fixed the others keep their numbers (the next Shift+F3 still means the third
one shown), and a finding that appears with the fix gets the next free number. The
numbers start again from 1 when another segment is opened.
"""

from __future__ import annotations

from collections.abc import Sequence

from desk.core.glossary.findings import Finding

Key = tuple[str, str, str, int]


def finding_keys(findings: Sequence[Finding]) -> list[Key]:
    """What makes each fixable finding the same one after the text around it changed:
    its kind, words and suggestion, and which occurrence of those it is."""
    seen: dict[tuple[str, str, str], int] = {}
    keys: list[Key] = []
    for finding in findings:
        if finding.fixable:
            base = (finding.kind.value, finding.found, finding.suggestion)
            seen[base] = seen.get(base, -1) + 1
            keys.append((*base, seen[base]))
    return keys


class FindingNumbers:
    """The numbers given to one segment's fixable findings since it was opened."""

    def __init__(self) -> None:
        """No segment numbered yet."""
        self.segment = 0
        self.numbers: dict[Key, int] = {}

    def start(self, n: int) -> None:
        """Segment `n` is open: number afresh if it is another segment."""
        if n != self.segment:
            self.segment = n
            self.numbers = {}

    def number(self, findings: Sequence[Finding]) -> list[tuple[int | None, Finding]]:
        """Each finding with its number (None: nothing to apply); fixable ones keep the
        number they were first shown with."""
        out: list[tuple[int | None, Finding]] = []
        used = set(self.numbers.values())
        keys = iter(finding_keys(findings))
        for finding in findings:
            if not finding.fixable:
                out.append((None, finding))
                continue
            key = next(keys)
            if key not in self.numbers:
                self.numbers[key] = max(used, default=0) + 1
                used.add(self.numbers[key])
            out.append((self.numbers[key], finding))
        return out

    def index(self, findings: Sequence[Finding], number: int) -> int | None:
        """The 1-based position among the fixable `findings` of the one shown as `number`
        (as the service counts them), or None when no finding has that number now."""
        for i, key in enumerate(finding_keys(findings), start=1):
            if self.numbers.get(key) == number:
                return i
        return None
