"""The editor's glossary scan: the first screen's segments first, then the rest.

A non-visual widget the editor mounts. Its worker waits for the editor's first frame
(the scan never delays it), gets the home's enforcer (loaded already when the workbench
loaded it in the background, else loaded here, off the UI thread), checks the segments
that can be on the first screen and posts their findings, then checks the others and
posts theirs. Each batch names the text it checked, so the editor can tell a finding
made stale by a save meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from desk.app.home import Home
from desk.core.errors import DeskError
from desk.core.glossary.findings import Finding
from desk.core.story import Story

PAINT_WAIT_SECONDS = 2.0
"""The longest the scan waits for the editor's first frame (a screen that never paints,
such as one pushed and popped at once, does not hold the scan back for ever)."""


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

    def start(self, story: Story, first: Sequence[int]) -> None:
        """Check `story`: the segments numbered `first`, then the others."""
        self.scans += 1
        present = {seg.n for seg in story.segments}
        ordered = [n for n in dict.fromkeys(first) if n in present]
        firsts = set(ordered)
        rest = [seg.n for seg in story.segments if seg.n not in firsts]
        self._scan(story, self.scans, [b for b in (ordered, rest) if b] or [[]])

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def _scan(self, story: Story, scan: int, batches: list[list[int]]) -> None:
        """Post each batch's findings as soon as it is checked."""
        self.painted.wait(PAINT_WAIT_SECONDS)
        worker = get_current_worker()
        try:
            enforcer = self.home.enforcer()
        except DeskError as exc:
            self.post_message(self.Checked(story.slug, scan, {}, {}, done=True, error=str(exc)))
            return
        by_n = {seg.n: seg for seg in story.segments}
        for i, numbers in enumerate(batches):
            if worker.is_cancelled:
                return
            checked = {n: (by_n[n].text, by_n[n].source) for n in numbers}
            found: dict[int, list[Finding]] = {}
            if enforcer is not None:
                for n, (english, arabic) in checked.items():
                    findings = enforcer.check(english, arabic)
                    if findings:
                        found[n] = findings
            done = i == len(batches) - 1
            self.post_message(self.Checked(story.slug, scan, checked, found, done))
