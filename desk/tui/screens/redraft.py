"""Redrafting in the background: the engine drafts segments while the editor stays usable.

A non-visual widget the editor mounts; its worker drafts through the application layer
on a store connection of its own and posts each saved draft back as it arrives.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from desk.core.engine.base import Draft
from desk.core.errors import DeskError
from desk.tui.context import Workbench


class _Cancelled(Exception):
    """The editor closed while drafting: stop before the next segment."""


class Redrafter(Widget):
    """Drafts segments of one story with the desk's engine, one worker at a time."""

    DEFAULT_CSS = "Redrafter { display: none; }"

    @dataclass
    class Redrafted(Message):
        """The engine's draft of segment `n` was saved (`done` of `total` so far)."""

        n: int
        done: int
        total: int

    @dataclass
    class RedraftFinished(Message):
        """A redraft ended: the segments drafted, those left alone, or the error."""

        drafted: list[int]
        skipped: list[int]
        error: str = ""

    def __init__(self, workbench: Workbench, slug: str) -> None:
        """Draft story `slug` of the workbench's home, as its author."""
        super().__init__()
        self.workbench = workbench
        self.slug = slug
        self.activity = ""
        """What runs, for the header (e.g. `drafting 3/10`); empty when idle. The editor
        keeps it as the messages arrive (on the UI thread)."""

    def start(self, numbers: list[int], *, force: bool) -> None:
        """Draft `numbers` in a worker (`force`: also segments people have changed)."""
        self.activity = f"drafting 0/{len(numbers)}"
        self.draft(numbers, force)

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft")
    def draft(self, numbers: list[int], force: bool) -> None:
        """Draft `numbers`; each saved draft is posted at once, then how it ended."""
        worker = get_current_worker()
        home, done = self.workbench.home, 0

        def arrived(draft: Draft) -> None:
            """One draft is saved: tell the editor, or stop if it has closed."""
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
        self.post_message(self.RedraftFinished(report.drafted, report.skipped))
