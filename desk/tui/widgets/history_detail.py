"""The history view's lower pane: a revision's diff, a story-level diff, or the stats."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from desk.core.diffing import word_diff
from desk.core.history import RevisionDiff, SegmentDiff, StoryStats, is_text_revision
from desk.core.store import Revision
from desk.tui.visible import visible_text
from desk.tui.widgets.diff_view import diff_text


class HistoryDetail(Static):
    """What the history view shows below the timeline."""

    DEFAULT_CSS = """
    HistoryDetail {
        padding: 0 1;
    }
    """

    def show_revision(self, rev: Revision | None) -> None:
        """One revision: who, when, what kind, and its word diff (or the status move)."""
        if rev is None:
            self.update("No revision selected.")
            return
        where = "story" if rev.segment_n is None else f"segment {rev.segment_n}"
        text = Text(f"r{rev.id} · {rev.author} · {rev.at} · {rev.kind.value} · {where}\n",
                    style="bold")  # fmt: skip
        if rev.note:
            visible_text(f"Note: {rev.note}\n", "italic", into=text)
        if is_text_revision(rev):
            diff_text(word_diff(rev.before, rev.after), text)
        else:
            visible_text(f"{rev.before or '—'} → {rev.after or '—'}", into=text)
        self.update(text)

    def show_story_diff(self, title: str, diffs: Sequence[SegmentDiff]) -> None:
        """Every segment that differs between two points, with its word diff."""
        text = Text(f"{title}: {len(diffs)} segment(s) differ\n", style="bold")
        for d in diffs:
            text.append(f"\n¶{d.n} ", style="bold")
            diff_text(d.ops, text)
        self.update(text)

    def show_author_diffs(self, title: str, diffs: Sequence[RevisionDiff]) -> None:
        """Each text revision one person made, with its word diff."""
        text = Text(f"{title}: {len(diffs)} revision(s)\n", style="bold")
        for d in diffs:
            rev = d.revision
            text.append(f"\nr{rev.id} ¶{rev.segment_n} {rev.kind.value} ", style="bold")
            diff_text(d.ops, text)
        self.update(text)

    def show_message(self, title: str, message: str) -> None:
        """A view that has nothing to show, and why."""
        text = Text(f"{title}\n", style="bold")
        text.append(message)
        self.update(text)

    def show_stats(self, stats: StoryStats, segment: int | None) -> None:
        """Post-edit figures, draft → now: the story's, each author's, the segment's."""
        text = Text("Post-edit stats, draft → now\n", style="bold")
        text.append(
            f"Segments edited: {stats.edited}/{stats.total} ({stats.edited_share:.0%})\n"
            f"Post-edit distance: {stats.distance:.2f} (edits per word of the English)\n"
            f"Glossary fixes: {stats.glossary_fixes}\n"
        )
        if segment is not None and segment in stats.segments:
            score = stats.segments[segment]
            text.append(
                f"Segment {segment}: distance {score.distance:.2f} "
                f"({score.edits} edit(s) over {score.length} word(s))\n"
            )
        text.append("\nBy author\n", style="bold")
        for name, a in sorted(stats.authors.items()):
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(a.revisions.items()))
            text.append(
                f"  {name}: {len(a.segments)} segment(s) changed, "
                f"{a.word_edits} word edit(s); revisions: {kinds}\n"
            )
        self.update(text)
