"""The glossary over stories: findings per segment, and the note of a `glossary` revision.

The fixes themselves are written by the application service (desk/app/service.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desk.core.glossary.findings import Finding
from desk.core.story import Story

if TYPE_CHECKING:
    from desk.core.glossary.enforce import Enforcer

RULES = "desk glossary"
"""What the note of a `glossary` revision names as the rules behind it; its author is the
person who applied or accepted it."""


@dataclass(frozen=True)
class SegmentFindings:
    """The findings on one segment."""

    n: int
    source: str
    text: str
    findings: list[Finding]


def check_story(story: Story, enforcer: Enforcer) -> list[SegmentFindings]:
    """Findings for every segment of `story` that has any."""
    out: list[SegmentFindings] = []
    for seg in story.segments:
        findings = enforcer.check(seg.text, seg.source)
        if findings:
            out.append(SegmentFindings(seg.n, seg.source, seg.text, findings))
    return out


def fix_note(
    findings: Sequence[Finding], requested_by: str, version: str = "", *, accepted: bool = False
) -> str:
    """The JSON note of a `glossary` revision: who applied it, by which rules and glossary,
    whether a person accepted a suggestion (rather than applying listed fixes), and what."""
    return json.dumps(
        {
            "requested_by": requested_by,
            "rules": RULES,
            "glossary": version,
            "accepted": accepted,
            "fixes": [
                {
                    "kind": f.kind.value,
                    "found": f.found,
                    "suggestion": f.suggestion,
                    "entry": f.entry.id if f.entry else None,
                }
                for f in findings
            ],
        },
        ensure_ascii=False,
    )
