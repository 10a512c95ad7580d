"""The glossary over stories: findings per segment, and fixes written as `glossary` revisions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desk.core.glossary.findings import Finding, apply_fixes
from desk.core.service import Desk
from desk.core.story import RevisionKind, Story, check_editable

if TYPE_CHECKING:
    from desk.core.glossary.enforce import Enforcer

GLOSSARY_AUTHOR = "glossary"
"""The author of every automatic fix; the person who asked is in the revision's note."""


@dataclass(frozen=True)
class SegmentFindings:
    """The findings on one segment."""

    n: int
    source: str
    text: str
    findings: list[Finding]


@dataclass
class FixReport:
    """What a fix run changed."""

    fixed: dict[int, list[Finding]] = field(default_factory=dict)
    """Segment number → the findings applied to it."""
    left: int = 0
    """Findings that have no automatic fix (missing names, numbers, unlisted variants)."""


def check_story(story: Story, enforcer: Enforcer) -> list[SegmentFindings]:
    """Findings for every segment of `story` that has any."""
    out: list[SegmentFindings] = []
    for seg in story.segments:
        findings = enforcer.check(seg.text, seg.source)
        if findings:
            out.append(SegmentFindings(seg.n, seg.source, seg.text, findings))
    return out


def fix_note(findings: Sequence[Finding], requested_by: str, version: str = "") -> str:
    """The JSON note of a `glossary` revision: who asked, which glossary, what was applied."""
    return json.dumps(
        {
            "requested_by": requested_by,
            "glossary": version,
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


def write_fix(
    desk: Desk,
    conn: sqlite3.Connection,
    story: Story,
    n: int,
    new_text: str,
    applied: Sequence[Finding],
    requested_by: str,
    version: str = "",
) -> None:
    """Save segment `n`'s fixed text and its `glossary` revision (inside `conn`'s write)."""
    seg = story.segment(n)
    before = seg.text
    now = desk.clock()
    seg.text = new_text
    seg.updated_at, seg.updated_by = now, GLOSSARY_AUTHOR
    desk.store.save_segment(conn, seg, expected_version=seg.version)
    assert story.id is not None
    desk.store.add_revision(
        conn, story.id, author=GLOSSARY_AUTHOR, at=now, kind=RevisionKind.GLOSSARY,
        segment_id=seg.id, before=before, after=new_text,
        note=fix_note(applied, requested_by, version),
    )  # fmt: skip
    desk.store.set_story_fields(conn, story.id, updated_at=now)


def fix_story(
    desk: Desk,
    slug: str,
    enforcer: Enforcer,
    *,
    requested_by: str,
    numbers: Sequence[int] | None = None,
    pick: int | None = None,
) -> FixReport:
    """Apply every automatic fix (listed variants, source-aware renderings) in one write.

    Each changed segment gets one `glossary` revision by the `glossary` author; a
    segment keeps its status (a house spelling is not a change of meaning). A published
    story is refused, as for any edit. With `pick`, only each segment's pick-th fixable
    finding (1-based, in the order `check` reports them) is applied.
    """
    report = FixReport()
    with desk.store.write() as conn:
        story = desk.store.load_story(slug)
        check_editable(story.status)
        targets = story.segments if numbers is None else [story.segment(n) for n in numbers]
        for seg in targets:
            findings = enforcer.check(seg.text, seg.source)
            fixable = [f for f in findings if f.fixable]
            if pick is not None:
                fixable = fixable[pick - 1 : pick]
            new_text = apply_fixes(seg.text, fixable)
            applied = fixable
            report.left += len(findings) - len(applied)
            if new_text != seg.text:
                write_fix(
                    desk, conn, story, seg.n, new_text, applied, requested_by, enforcer.version
                )
                report.fixed[seg.n] = applied
    return report
