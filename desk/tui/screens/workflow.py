"""The editor's workflow half: review, approve, publish, export, corrections, the QA gate.

`EditorScreen` inherits it; it keeps the key bindings itself so that one list (its
BINDINGS) names every editor key for the footer, the help and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message
from textual.screen import Screen

from desk.core.errors import DeskError
from desk.core.service import export_problems, qa_problems
from desk.core.story import (
    SegmentStatus,
    Story,
    StoryStatus,
    WorkflowError,
    check_transition,
)
from desk.tui.backend import Workbench
from desk.tui.screens.correction import CorrectionScreen
from desk.tui.screens.qa_gate import QaGateScreen


class WorkflowScreen(Screen[None]):
    """Moves one story through the workflow; the subclass saves, reloads and moves around."""

    bench: Workbench
    slug: str
    story: Story
    current: int

    @dataclass
    class StatusMoved(Message):
        """The story moved to `status`."""

        status: StoryStatus

    @dataclass
    class Exported(Message):
        """The story was written to `path`."""

        path: Path

    @dataclass
    class Refused(Message):
        """The core refused an action; `reason` says why."""

        action: str
        reason: str

    # -- what the editor provides -------------------------------------------------

    def save(self) -> bool:
        """Save the English being edited; False if refused or in conflict."""
        raise NotImplementedError

    def reload(self) -> None:
        """Read the story again and redraw."""
        raise NotImplementedError

    def show_segment(self, n: int) -> None:
        """Make segment `n` current."""
        raise NotImplementedError

    def go(self, n: int) -> None:
        """Save and move to segment `n`."""
        raise NotImplementedError

    # -- refusals ----------------------------------------------------------------

    def refuse(self, action: str, exc: DeskError) -> None:
        """Tell the person why the core refused `action` (never a traceback)."""
        self.notify(str(exc), title=f"Cannot {action}", severity="error", timeout=8)
        self.post_message(self.Refused(action, str(exc)))

    def gate(self, action: str, problems: list[str]) -> None:
        """Show the QA gate dialog; choosing a segment there goes to it."""
        story = self.bench.desk.store.load_story(self.slug)
        blocking = [
            s.n for s in story.segments if s.status != SegmentStatus.CONFIRMED or not s.text.strip()
        ]

        def chosen(n: int | None) -> None:
            """Go to the segment picked in the dialog, if any."""
            if n is not None:
                self.go(n)

        self.app.push_screen(QaGateScreen(action, problems, blocking[0] if blocking else None),
                             chosen)  # fmt: skip

    # -- moves --------------------------------------------------------------------

    def move(self, target: StoryStatus) -> None:
        """Save, then move the story to `target` through the core (refusals explained)."""
        if not self.save():
            return
        desk, author = self.bench.desk, self.bench.author
        try:
            if target == StoryStatus.PUBLISHED:
                status = desk.publish(self.slug, author=author)
            else:
                status = desk.set_status(self.slug, target, author=author)
        except DeskError as exc:
            self.refuse(f"move to {target.value}", exc)
            problems = qa_problems(self.bench.desk.store.load_story(self.slug))
            gated = target in (StoryStatus.APPROVED, StoryStatus.PUBLISHED)
            if gated and problems and not isinstance(exc, WorkflowError):
                verb = "approve" if target == StoryStatus.APPROVED else "publish"
                self.gate(f"{verb} {self.slug}", problems)
            return
        self.moved(status)

    def moved(self, status: StoryStatus) -> None:
        """Tell everyone the story moved, and redraw (editable or not)."""
        self.post_message(self.StatusMoved(status))
        self.notify(f"The story is now {status.value}.")
        self.reload()
        self.show_segment(self.current)

    def action_review(self) -> None:
        """Send the story to review."""
        self.move(StoryStatus.REVIEW)

    def action_approve(self) -> None:
        """Approve the story."""
        self.move(StoryStatus.APPROVED)

    def action_publish(self) -> None:
        """Publish the story."""
        self.move(StoryStatus.PUBLISHED)

    def action_export(self) -> None:
        """Export the story as the config says."""
        if not self.save():
            return
        try:
            path = self.bench.export(self.slug)
        except DeskError as exc:
            self.refuse("export", exc)
            problems = export_problems(self.bench.desk.store.load_story(self.slug))
            if problems:
                self.gate(f"export {self.slug}", problems)
            return
        self.post_message(self.Exported(path))
        self.notify(f"Wrote {path}", title="Exported")

    def action_correct(self) -> None:
        """Ask for a note, then open a correction of the published story."""
        if not self.save():
            return
        try:
            check_transition(
                self.bench.desk.store.load_story(self.slug).status, StoryStatus.CORRECTING
            )
        except WorkflowError as exc:
            self.refuse("start a correction", exc)
            return

        def noted(note: str | None) -> None:
            """Start the correction with `note` (None: cancelled)."""
            if note is None:
                return
            try:
                status = self.bench.desk.correct(self.slug, note, author=self.bench.author)
            except DeskError as exc:
                self.refuse("start a correction", exc)
                return
            self.moved(status)

        self.app.push_screen(CorrectionScreen(self.slug), noted)
