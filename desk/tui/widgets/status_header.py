"""The editor's header line: story, status, progress, findings, and who is working."""

from __future__ import annotations

from textual.widgets import Static

from desk.core.story import SegmentStatus, Story, StoryStatus


class StatusHeader(Static):
    """One line: slug, status, confirmed/total, glossary findings, the author."""

    DEFAULT_CSS = """
    StatusHeader {
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    def show(self, story: Story, findings: int | None, author: str, activity: str = "") -> None:
        """Describe `story` (`findings` None while the glossary scan runs).

        `activity`: what runs in the background (e.g. drafting progress), shown last.
        """
        done = sum(1 for s in story.segments if s.status == SegmentStatus.CONFIRMED)
        found = "scanning" if findings is None else str(findings)
        hint = " (F12: correct)" if story.status == StoryStatus.PUBLISHED else ""
        self.update(
            f"{story.slug} │ {story.status.value}{hint} │ confirmed {done}/{len(story.segments)}"
            f" │ findings {found} │ you: {author}" + (f" │ {activity}" if activity else "")
        )
