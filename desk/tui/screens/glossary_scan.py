"""The editor's glossary scan: the first screen's segments first, then the rest.

A non-visual widget the editor mounts. Its worker waits for the editor's first frame
(the scan never delays it) or for the end of a load under way, gets the home's enforcer
(loaded already when the workbench loaded it in the background, else loaded here, off
the UI thread), checks the segments that can be on the first screen and posts their
findings, then, once the editor has shown them, checks the others and posts theirs.
Each batch names the text it checked, so the editor can tell a finding made stale by a
save meanwhile.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from desk.app.home import Home
from desk.core.errors import DeskError
from desk.core.glossary.findings import Finding
from desk.core.story import Story

if TYPE_CHECKING:
    from desk.core.glossary.enforce import Enforcer

_frozen: list[object] = []
"""The enforcer last kept out of the garbage collector's walks (see `keep`)."""

SHOWN_WAIT_SECONDS = 1.0
"""The longest the scan waits for the editor to show the first screen's findings before
it checks the others (an editor that closed meanwhile shows nothing)."""

PAINT_WAIT_SECONDS = 2.0
"""The longest the scan waits for the editor's first frame (a screen that never paints,
such as one pushed and popped at once, does not hold the scan back for ever)."""

LOAD_POLL_SECONDS = 0.01
"""How often a scan waiting for the first frame looks whether a glossary load under way
when it started is done (see `GlossaryScan._wait_for_paint`)."""


FREEZE_ENTRIES = 2_000
"""From this many glossary entries, a loaded enforcer is kept out of the garbage
collector's full walks (`keep`)."""


def keep(enforcer: Enforcer | None) -> None:
    """Keep a newly loaded large enforcer, and whatever else lives by then, out of the
    cyclic garbage collector's full walks (`gc.freeze`).

    A glossary of 10,000 entries adds tens of thousands of containers that live as long
    as the workbench; each full collection walked them again, on whichever thread was
    running: the UI's included, about 0.1 s more each time, while typing. The cost: an
    enforcer replaced after a glossary change stays in memory (one per change), and so
    does garbage not yet collected when it loaded; a small glossary is not worth that.
    """
    if enforcer is None or len(enforcer.entries) < FREEZE_ENTRIES:
        return
    if any(enforcer is kept for kept in _frozen):
        return
    _frozen[:] = [enforcer]
    gc.freeze()


class GlossaryScan(Widget):
    """Checks one story's segments against the house glossary, in two batches."""

    DEFAULT_CSS = "GlossaryScan { display: none; }"

    @dataclass
    class Checked(Message):
        """Findings of the segments `checked` (segment → (English, Arabic) as checked);
        those without findings are left out of `findings`. `done`: the last batch."""

        slug: str
        scan: int
        checked: dict[int, tuple[str, str]]
        findings: dict[int, list[Finding]]
        done: bool
        error: str = ""
        """Why there are no findings: the glossary could not be read."""

    def __init__(self, home: Home) -> None:
        """Scan with `home`'s enforcer."""
        super().__init__()
        self.home = home
        self.scans = 0
        """Counts the scans started: a batch of an earlier one is stale."""
        self.painted = threading.Event()
        """Set once the editor has drawn its first frame."""
        self.shown = threading.Event()
        """Set by the editor each time it has shown a batch: the next is checked only
        then, so the first screen's findings never wait for the others'."""

    def start(
        self, story: Story, first: Sequence[int], checked_with: Enforcer | None = None
    ) -> None:
        """Check `story`: the segments numbered `first`, then the others. `checked_with`:
        the enforcer the caller checked `first` with already; they are checked again only
        if the home's enforcer is another by then (the glossary changed)."""
        self.scans += 1
        present = {seg.n for seg in story.segments}
        ordered = [n for n in dict.fromkeys(first) if n in present]
        firsts = set(ordered)
        rest = [seg.n for seg in story.segments if seg.n not in firsts]
        self._scan(story, self.scans, ordered, rest, checked_with)

    def check(self, story: Story, numbers: Sequence[int], enforcer: Enforcer) -> Checked:
        """Segments `numbers` of `story` checked with `enforcer`, as a batch of the scan
        about to start (the editor does this on the UI thread for the first screen when
        the glossary is loaded already: a few milliseconds, and the first frame shows
        them)."""
        return self._check(story, self.scans + 1, list(numbers), enforcer, done=False)

    def _check(
        self, story: Story, scan: int, numbers: list[int], enforcer: Enforcer | None, *, done: bool
    ) -> Checked:
        """One batch: segments `numbers` checked with `enforcer` (None: no glossary)."""
        by_n = {seg.n: seg for seg in story.segments}
        checked = {n: (by_n[n].text, by_n[n].source) for n in numbers}
        found: dict[int, list[Finding]] = {}
        if enforcer is not None:
            for n, (english, arabic) in checked.items():
                findings = enforcer.check(english, arabic)
                if findings:
                    found[n] = findings
        return self.Checked(story.slug, scan, checked, found, done)

    def _wait_for_paint(self) -> None:
        """Wait for the editor's first frame, so that loading the glossary here never
        slows it; but when no enforcer was loaded as the scan started and one is now,
        go on at once. That is the workbench's own load, begun as it started with this
        story (`desk open SLUG`), ending after the editor mounted: the first frame is
        drawn by then or nearly, and `painted`, set once the editor's queue of messages
        has emptied, can come a few hundred milliseconds later."""
        if self.home.enforcer_if_loaded() is not None:
            self.painted.wait(PAINT_WAIT_SECONDS)
            return
        end = time.monotonic() + PAINT_WAIT_SECONDS
        while not self.painted.wait(LOAD_POLL_SECONDS):
            if self.home.enforcer_if_loaded() is not None or time.monotonic() >= end:
                return

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def _scan(
        self,
        story: Story,
        scan: int,
        first: list[int],
        rest: list[int],
        checked_with: Enforcer | None,
    ) -> None:
        """Post each batch's findings as soon as it is checked."""
        self._wait_for_paint()
        worker = get_current_worker()
        try:
            enforcer = self.home.enforcer()
        except DeskError as exc:
            self.post_message(self.Checked(story.slug, scan, {}, {}, done=True, error=str(exc)))
            return
        keep(enforcer)
        batches = [rest] if checked_with is not None and enforcer is checked_with else [first, rest]
        batches = [b for b in batches if b] or [[]]
        for i, numbers in enumerate(batches):
            if worker.is_cancelled:
                return
            done = i == len(batches) - 1
            self.shown.clear()
            self.post_message(self._check(story, scan, numbers, enforcer, done=done))
            if not done:
                self.shown.wait(SHOWN_WAIT_SECONDS)
