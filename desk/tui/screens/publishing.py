"""The editor's way to the CMS: status moves through the QA gate, export, corrections.

A non-visual widget the editor mounts and calls once the English is saved. Refusals are
told as everywhere (`editor_messages.tell_refusal`); a QA gate refusal opens its dialog,
whose chosen segment the editor goes to. A move is announced with `StatusMoved`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.widget import Widget

from desk.app.editing import EditorSession, gate_problems
from desk.core.errors import DeskError
from desk.core.qa import describe, first_segment
from desk.core.story import StoryStatus
from desk.tui.screens.correction import CorrectionScreen
from desk.tui.screens.editor_messages import Exported, StatusMoved, tell_refusal
from desk.tui.screens.qa_gate import QaGateScreen

T = TypeVar("T")

VERBS = {StoryStatus.APPROVED: "approve", StoryStatus.PUBLISHED: "publish"}
"""What the QA gate's dialog calls the moves it guards."""


class Publishing(Widget):
    """Moves one story through the workflow from the editor."""

    DEFAULT_CSS = "Publishing { display: none; }"

    def __init__(
        self, session: EditorSession, *, go: Callable[[int], None], redraw: Callable[[], None]
    ) -> None:
        """Act on `session`'s story; `go(n)` takes the editor to segment `n`, `redraw()`
        draws it again after a move."""
        super().__init__()
        self.session = session
        self.go = go
        self.redraw = redraw

    def attempt(self, action: str, call: Callable[[], T], gated: str) -> T | None:
        """Run `call`; a refusal is told, a QA gate's listed in its dialog; None then."""
        try:
            return call()
        except DeskError as exc:
            tell_refusal(self, action, exc)
            problems = gate_problems(exc)
            if problems:
                dialog = QaGateScreen(gated, [str(p) for p in problems], first_segment(problems))
                self.app.push_screen(dialog, lambda n: self.go(n) if n is not None else None)
            return None

    def move(self, target: StoryStatus) -> None:
        """Move the story to `target` (approve and publish through the QA gate)."""
        gated = f"{VERBS.get(target, target.value)} {self.session.slug}"
        status = self.attempt(f"move to {target.value}", lambda: self.session.move(target), gated)
        if status is not None:
            self.moved(status)

    def moved(self, status: StoryStatus) -> None:
        """Say that the story moved, and redraw the editor (editable or not)."""
        self.post_message(StatusMoved(status))
        self.notify(f"The story is now {status.phrase}.")
        if status == StoryStatus.REVIEW:
            try:
                items = [p for p in self.session.desk.open_items(self.session.slug)
                         if p.code != "unconfirmed"]  # fmt: skip
            except DeskError as exc:  # e.g. a broken glossary file: the move stands
                self.notify(f"Could not check the QA gate: {exc}", severity="warning")
                items = []
            if items:
                self.notify(
                    f"{len(items)} open QA item(s) will block approval: {describe(items)}",
                    title="QA gate", severity="warning", timeout=10,
                )  # fmt: skip
        self.redraw()

    def export(self) -> None:
        """Export as the config says, through the export gate."""
        path = self.attempt("export", self.session.export, f"export {self.session.slug}")
        if path is not None:
            self.post_message(Exported(path))
            self.notify(f"Wrote {path}", title="Exported")

    def correct(self) -> None:
        """Ask for a note, then open a correction of the published story."""
        action = "start a correction"
        if self.attempt(action, self.session.may_correct, action):

            def noted(note: str | None) -> None:  # None: cancelled; "" is refused
                if note is not None:
                    status = self.attempt(action, lambda: self.session.correct(note), action)
                    if status is not None:
                        self.moved(status)

            self.app.push_screen(CorrectionScreen(self.session.slug), noted)
