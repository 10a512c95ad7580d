"""What the CLI prints: stories, logs, diffs and stats as terminal text or JSON."""

from __future__ import annotations

import errno
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import TracebackType
from typing import Any, BinaryIO, TextIO

import click

from desk.core.diffing import DiffOp, render_plain
from desk.core.fulltext import Hit
from desk.core.history import SegmentDiff, StoryStats
from desk.core.qa import dismissal_reason
from desk.core.store import Revision, StorySummary
from desk.core.story import RevisionKind, Story

STATUS_STYLES: dict[str, dict[str, Any]] = {
    "draft": {"fg": "yellow"},
    "edited": {"fg": "cyan"},
    "confirmed": {"fg": "green"},
    "new": {},
    "translating": {"fg": "yellow"},
    "review": {"fg": "cyan"},
    "approved": {"fg": "green"},
    "published": {"fg": "green", "bold": True},
    "correcting": {"fg": "magenta"},
}
"""How each status word is styled: the terminal's own eight colours, which light and
dark themes both make readable (never white or a bright colour, lost on a light
background); `new` in the terminal's own text colour."""


_EXECUTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Characters a terminal acts on instead of showing (C0 but tab and newline, DEL, C1):
ESC starts colour, title and clipboard sequences, BEL rings, CR overwrites a line."""


def safe(text: str) -> str:
    """`text` from a story, a log or a glossary, as a terminal shows it without acting
    on it: each control character as a visible mark (ESC as ␛, BEL as ␇, a C1 control
    as <U+009B>); tab and newline as they are."""
    return _EXECUTED.sub(_mark, text)


def _mark(match: re.Match[str]) -> str:
    """The visible stand-in for one control character."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟
    return "␡" if code == 0x7F else f"<U+{code:04X}>"


def say(text: str, err: bool = False) -> None:
    """Print one message that may quote a story, a glossary, a package, a server or a
    path, with its control characters made visible (`safe`)."""
    click.echo(safe(text), err=err)


ETA_AFTER_ITEMS = 3
"""Items that must come after the first before a progress bar guesses the time left."""

ETA_AFTER_SECONDS = 1.0
"""Seconds that must pass after the first item before a progress bar guesses the time left."""


class Progress:
    """A progress bar for `total` items on a terminal (nothing on a pipe or a file, or
    for a single item) whose time left waits for evidence.

    The first item of a job carries its start-up (loading a model, warming a first
    batch), so a rate measured from the start is wild: a 1.1 s draft of 78 segments
    once said 00:01:17. Here the rate is measured from the first item on, and no time
    left is shown until ETA_AFTER_ITEMS more items and ETA_AFTER_SECONDS have passed.
    """

    def __init__(
        self,
        total: int,
        label: str,
        *,
        file: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """A bar (not drawn yet: use it as a context manager) on `file`, else stderr."""
        out = file if file is not None else sys.stderr
        self.total = total
        self.done = 0
        self._clock = clock
        self._first: tuple[float, int] | None = None  # when the first items came, how many
        self._bar = (
            None
            if total <= 1 or not out.isatty()
            else click.progressbar(
                length=total, label=label, file=out, show_eta=False, item_show_func=self._left
            )
        )

    def __enter__(self) -> Progress:
        """Draw the empty bar."""
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """End the bar's line."""
        if self._bar is not None:
            self._bar.__exit__(kind, exc, tb)

    def advance(self, n: int = 1) -> None:
        """Count `n` more items done and redraw."""
        self.done += n
        if self._first is None:
            self._first = (self._clock(), self.done)
        if self._bar is not None:
            self._bar.update(n)

    def eta(self) -> float | None:
        """Seconds left at the rate since the first item; None while too little is known
        to say, and once all is done."""
        if self._first is None or self.done >= self.total:
            return None
        since, first = self._first
        elapsed = self._clock() - since
        if self.done - first < ETA_AFTER_ITEMS or elapsed < ETA_AFTER_SECONDS:
            return None
        return elapsed / (self.done - first) * (self.total - self.done)

    def _left(self, _item: object) -> str | None:
        """The time left as the bar shows it (H:MM:SS), or nothing."""
        left = self.eta()
        if left is None:
            return None
        minutes, seconds = divmod(round(left), 60)
        return f"{minutes // 60}:{minutes % 60:02}:{seconds:02} left"


def shorten(text: str, width: int = 60) -> str:
    """One line of at most `width` characters (control characters made visible)."""
    flat = " ".join(safe(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def status(text: str) -> str:
    """A status word (padding and all), coloured by what it means."""
    style = STATUS_STYLES.get(text.strip())
    return click.style(text, **style) if style else text


def story_list(rows: Sequence[StorySummary]) -> str:
    """The list of stories as aligned columns, under a header."""
    lines = [f"{'SLUG':32} {'STATUS':12} {'DONE':>7}  {'LAST EDITOR':14} {'UPDATED':20} HEADLINE"]
    for r in rows:
        done = f"{r.confirmed}/{r.segments}"
        headline = r.headline_en or r.headline_ar
        lines.append(
            f"{r.slug:32} {status(f'{r.status.value:12}')} {done:>7}  "
            f"{safe(r.last_author):14} {r.updated_at[:19]:20} {shorten(headline, 50)}"
        )
    return "\n".join(lines)


def summary_json(r: StorySummary) -> dict[str, Any]:
    """A story summary as JSON-ready data."""
    return {
        "slug": r.slug,
        "status": r.status.value,
        "headline_ar": r.headline_ar,
        "headline_en": r.headline_en,
        "segments": r.segments,
        "confirmed": r.confirmed,
        "last_author": r.last_author,
        "updated_at": r.updated_at,
    }


def hits(found: Sequence[Hit]) -> str:
    """Search hits: where each is, then its Arabic and English."""
    lines: list[str] = []
    for hit in found:
        where = click.style(f"{hit.slug} [{hit.n}]", bold=True)
        lines.append(f"{where} · {status(hit.status.value)}")
        lines.append(f"  ar: {safe(hit.source)}")
        lines.append(f"  en: {safe(hit.english)}")
    return "\n".join(lines)


def hit_json(hit: Hit) -> dict[str, Any]:
    """A search hit as JSON-ready data."""
    return {
        "slug": hit.slug,
        "status": hit.status.value,
        "segment": hit.n,
        "source": hit.source,
        "english": hit.english,
        "updated_at": hit.updated_at,
    }


def story_text(story: Story) -> str:
    """A story segment by segment, Arabic above English."""
    head = (
        f"{story.slug} · {status(story.status.value)} · "
        f"{story.confirmed_count}/{len(story.segments)} confirmed"
    )
    meta = [
        f"  {label}: {safe(value)}"
        for label, value in (
            ("source", story.outlet),
            ("url", story.source_url),
            ("date", story.source_date),
            ("byline", story.byline),
            ("standfirst", story.standfirst),
            ("keywords", ", ".join(story.keywords)),
        )
        if value
    ]
    lines = [head, *meta, ""]
    for seg in story.segments:
        label = f"[{seg.n}] {seg.role.value} · {status(seg.status.value)}"
        if seg.engine:
            label += f" · draft from {safe(seg.engine)}"
            label += f" ({safe(seg.model)})" if seg.model else ""
        lines.append(click.style(label, bold=True))
        lines.append(f"  ar: {safe(seg.source)}")
        lines.append(
            f"  en: {safe(seg.text)}" if seg.text else "  en: " + click.style("(empty)", dim=True)
        )
        if seg.draft and seg.draft != seg.text:
            lines.append(click.style(f"  draft: {safe(seg.draft)}", dim=True))
    return "\n".join(lines)


def story_json(story: Story) -> dict[str, Any]:
    """A whole story as JSON-ready data."""
    return {
        "slug": story.slug,
        "status": story.status.value,
        "headline_ar": story.headline_ar,
        "headline_en": story.headline_en,
        "standfirst": story.standfirst,
        "outlet": story.outlet,
        "source_url": story.source_url,
        "source_date": story.source_date,
        "byline": story.byline,
        "keywords": story.keywords,
        "credit": story.credit,
        "published_at": story.published_at,
        "segments": [
            {
                "n": s.n,
                "paragraph": s.paragraph,
                "role": s.role.value,
                "status": s.status.value,
                "source": s.source,
                "draft": s.draft,
                "text": s.text,
                "engine": s.engine,
                "model": s.model,
                "version": s.version,
                "updated_by": s.updated_by,
                "updated_at": s.updated_at,
            }
            for s in story.segments
        ],
    }


def log_text(revisions: Sequence[Revision]) -> str:
    """The revision log, one line per entry."""
    lines = []
    for rev in revisions:
        where = f"seg {rev.segment_n}" if rev.segment_n is not None else "story"
        if rev.segment_n is not None and rev.kind.value in ("status",):
            change = f"{rev.before} → {rev.after}"
        elif rev.kind == RevisionKind.DISMISS:
            change = f"{shorten(rev.after, 50)} (why: {dismissal_reason(rev.note)})"
        elif rev.segment_n is not None:
            change = shorten(rev.after, 70)
        else:
            change = f"{rev.before} → {rev.after}" if rev.before else rev.after
        if rev.note and rev.segment_n is None:
            change += f" ({rev.note})"
        change = safe(change)
        if rev.saves > 1:
            change += f" ({rev.saves} saves in one visit)"
        lines.append(
            f"r{rev.id:<5} {rev.at[:19]}  {safe(rev.author):14} {rev.kind.value:10} {where:8} "
            f"{change}"
        )
    return "\n".join(lines)


def revision_json(rev: Revision) -> dict[str, Any]:
    """One revision as JSON-ready data."""
    return {
        "id": rev.id,
        "at": rev.at,
        "author": rev.author,
        "kind": rev.kind.value,
        "segment": rev.segment_n,
        "before": rev.before,
        "after": rev.after,
        "note": rev.note,
        "visit": rev.visit,
        "saves": rev.saves,
    }


def diff_line(ops: Sequence[DiffOp]) -> str:
    """A word diff: [-deleted-] in red, {+inserted+} in green (markers kept when piped);
    control characters in the texts made visible."""
    shown = [
        replace(
            op,
            before=tuple(map(safe, op.before)),
            after=tuple(map(safe, op.after)),
            before_text=safe(op.before_text),
            after_text=safe(op.after_text),
            gap=safe(op.gap),
        )
        for op in ops
    ]
    return render_plain(shown, style=_diff_colour)


def _diff_colour(kind: str, text: str) -> str:
    """Deletions red, insertions green."""
    return click.style(text, fg="red" if kind == "delete" else "green")


def ops_json(ops: Sequence[DiffOp]) -> list[dict[str, Any]]:
    """Diff operations as JSON-ready data."""
    return [{"op": op.tag, "before": list(op.before), "after": list(op.after)} for op in ops]


def segment_diffs_text(diffs: Sequence[SegmentDiff]) -> str:
    """A story diff, one block per changed segment."""
    return "\n".join(f"[{d.n}] {diff_line(d.ops)}" for d in diffs)


def stats_text(stats: StoryStats, start: str, end: str) -> str:
    """Post-edit figures as a small report."""
    lines = [
        f"Post-edit distance {start} → {end}: {stats.distance:.3f} "
        f"(word edits / words of the edited text)",
        f"Segments edited: {stats.edited}/{stats.total} ({stats.edited_share:.0%})",
        f"Glossary fixes applied: {stats.glossary_fixes}",
        "",
        f"{'SEG':>4} {'EDITS':>6} {'WORDS':>6} {'PED':>6}",
    ]
    for n, score in stats.segments.items():
        lines.append(f"{n:>4} {score.edits:>6} {score.length:>6} {score.distance:>6.3f}")
    lines += ["", f"{'AUTHOR':16} {'SEGMENTS':>8} {'WORD EDITS':>10}  REVISIONS"]
    for author, a in sorted(stats.authors.items()):
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(a.revisions.items()))
        lines.append(f"{author:16} {len(a.segments):>8} {a.word_edits:>10}  {kinds}")
    return "\n".join(lines)


def stats_json(stats: StoryStats, start: str, end: str) -> dict[str, Any]:
    """Post-edit figures as JSON-ready data."""
    return {
        "from": start,
        "to": end,
        "post_edit_distance": round(stats.distance, 6),
        "segments_edited": stats.edited,
        "segments_total": stats.total,
        "edited_share": round(stats.edited_share, 6),
        "glossary_fixes": stats.glossary_fixes,
        "segments": [
            {"n": n, "edits": s.edits, "words": s.length, "distance": round(s.distance, 6)}
            for n, s in stats.segments.items()
        ],
        "authors": {
            name: {
                "revisions": a.revisions,
                "segments": sorted(a.segments),
                "word_edits": a.word_edits,
            }
            for name, a in sorted(stats.authors.items())
        },
    }


def write_all(out: BinaryIO, data: bytes, *, flush: bool = True) -> None:
    """Write `data` whole to `out` (and flush): a write that takes less than it was
    given and then nothing (a pipe whose reader has gone, where Python reports no error)
    is a broken pipe, not data written."""
    view = memoryview(data)
    while view:
        written = out.write(view)
        if not written:
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))
        view = view[written:]
    if flush:
        out.flush()
