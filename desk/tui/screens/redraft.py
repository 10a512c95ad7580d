"""Redrafting in the background: the engine drafts segments while the editor stays usable.

A non-visual widget the editor mounts; its worker drafts through the application layer
on a store connection of its own and posts each draft's progress as it is made; the
drafts are saved together once all are made (or none is).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from desk.app.editing import EditorSession
from desk.core.engine.base import Draft
from desk.core.errors import DeskError
from desk.tui.context import Workbench
from desk.tui.screens.editor_messages import Refused, tell_refusal


class _Cancelled(Exception):
    """The editor closed while drafting: stop before the next segment."""


class Redrafter(Widget):
    """Drafts segments of one story with the desk's engine, one worker at a time."""

    DEFAULT_CSS = "Redrafter { display: none; }"

    @dataclass
    class Redrafted(Message):
        """The engine made its draft of segment `n` (`done` of `total` so far; all are saved
        together when the redraft finishes)."""

        n: int
        done: int
        total: int

    @dataclass
    class RedraftFinished(Message):
        """A redraft ended: the segments drafted, those left alone, or the error."""

        drafted: list[int]
        skipped: list[int]
        error: str = ""
        current: list[int] = field(default_factory=list)
        """Left alone: this engine and model drafted them already (nobody edited them)."""
        current_by: str = ""

    def __init__(self, workbench: Workbench, session: EditorSession) -> None:
        """Draft the story of `session`, in the workbench's home, as its author."""
        super().__init__()
        self.workbench = workbench
        self.session = session
        self.slug = session.slug
        self.activity = ""
        """What runs, for the header (e.g. `drafting 3/10`); empty when idle. The editor
        keeps it up to date as the messages reach it, in their order, on the UI thread."""

    def start(self, numbers: list[int] | None, *, force: bool) -> None:
        """Draft `numbers` (None: every segment nobody has worked on) in a worker, if the
        story may change and no other redraft runs; `force`: overwrite people's work."""
        if self.activity:
            self.notify("Already drafting; wait for it to finish.", severity="warning")
            return
        try:
            self.session.may_edit()
        except DeskError as exc:
            tell_refusal(self, "redraft", exc)
            return
        if numbers is None:
            self.session.reload()
            numbers = self.session.untouched()
            if not numbers:
                self.notify("Every segment has been worked on; redraft one with its own key.")
                return
        self.activity = f"drafting 0/{len(numbers)}"
        self.draft(numbers, force)

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft")
    def draft(self, numbers: list[int], force: bool) -> None:
        """Draft `numbers`; each draft made is posted at once, then how it ended."""
        worker = get_current_worker()
        home, done = self.workbench.home, 0

        def arrived(draft: Draft) -> None:
            """One draft is made: tell the editor, or stop (saving none) if it has closed."""
            nonlocal done
            if worker.is_cancelled:
                raise _Cancelled
            done += 1
            self.post_message(self.Redrafted(draft.n, done, len(numbers)))

        def notice(text: str) -> None:
            """Say what desk did to get an engine (installing the demo model)."""
            self.app.call_from_thread(self.notify, text, title="Engine", timeout=10)

        try:
            with home.open() as desk:
                report = home.draft(
                    self.slug, author=self.workbench.author, desk=desk, numbers=numbers,
                    force=force, on_notice=notice, on_draft=arrived,
                )  # fmt: skip
        except _Cancelled:
            return
        except Exception as exc:  # an engine failing must not take the editor down
            error = str(exc) if isinstance(exc, DeskError) else f"{type(exc).__name__}: {exc}"
            self.post_message(self.RedraftFinished([], [], error))
            return
        assert report is not None
        self.post_message(
            self.RedraftFinished(
                report.drafted, report.skipped, current=report.current, current_by=report.current_by
            )
        )

    def on_redrafter_redraft_finished(self, event: RedraftFinished) -> None:
        """Say how it ended (the message goes on to the editor, which clears the progress)."""
        if event.error:
            self.notify(event.error, title="Cannot redraft", severity="error", timeout=8)
            self.post_message(Refused("redraft", event.error))
            return
        said = f"Redrafted {len(event.drafted)} segment(s)."
        if event.skipped:
            said += f" Left {len(event.skipped)} that changed meanwhile."
        if event.current:
            said += (
                f" Left {len(event.current)} already drafted by {event.current_by} with the"
                " same options (redraft one with its own key to draft it again)."
            )
        self.notify(said, title="Drafts")
