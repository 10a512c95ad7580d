"""What enforcement reports: findings on one segment's English, and applying their fixes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from desk.core.glossary.model import Entry


class FindingKind(StrEnum):
    """Why a finding was made."""

    VARIANT = "variant"
    """A listed variant of an entry: replace it with the canonical spelling."""
    SOURCE = "source"
    """The Arabic names an entry, the English has a near-rendering instead of the canonical."""
    MISSING = "missing"
    """The Arabic names an entry and nothing like it is in the English."""
    UNLISTED = "unlisted"
    """A near-spelling of a canonical name that no entry lists."""
    INVENTED = "invented"
    """A glossary name in the English whose Arabic form the segment's Arabic lacks: the
    engine may have made it up ("which led to Homs")."""
    NUMBER = "number"
    """A number in the Arabic that the English lacks."""
    BIDI = "bidi"
    """A bidi control character in the English: it can reorder or hide text from a reader."""


AUTOMATIC_KINDS = frozenset({FindingKind.VARIANT, FindingKind.SOURCE})
"""What `fix` applies unasked: listed variants and renderings of names the Arabic gives.
Every other suggestion (an unlisted near-spelling, a look-alike) waits for a person."""


@dataclass(frozen=True)
class Finding:
    """One finding on a segment's English text."""

    kind: FindingKind
    start: int
    """Span of `found` in the English (start == end when nothing is there, e.g. missing)."""
    end: int
    found: str
    """The text found at the span ('' for a missing name or number)."""
    suggestion: str
    """What to put at the span instead ('' when there is no automatic fix)."""
    entry: Entry | None = None
    """The glossary entry behind the finding (None for numbers)."""
    message: str = ""
    """One line for people, e.g. 'Latakia → Lattakia (house spelling)'."""

    @property
    def fixable(self) -> bool:
        """Whether applying the finding changes the text (a fix, or a suggestion to accept)."""
        return bool(self.suggestion) and self.suggestion != self.found

    @property
    def automatic(self) -> bool:
        """Whether `fix` applies it unasked: a listed variant or a source-aware rendering."""
        return self.fixable and self.kind in AUTOMATIC_KINDS


def apply_fixes(text: str, findings: Sequence[Finding]) -> str:
    """`text` with every fixable finding applied; overlapping ones after the first are skipped."""
    chosen: list[Finding] = []
    for finding in sorted((f for f in findings if f.fixable), key=lambda f: (f.start, -f.end)):
        if chosen and finding.start < chosen[-1].end:
            continue
        if text[finding.start : finding.end] != finding.found:
            continue
        chosen.append(finding)
    for finding in reversed(chosen):
        text = text[: finding.start] + finding.suggestion + text[finding.end :]
    return text
