"""What the TUI works on: one desk home, the person at the keyboard, the house glossary.

Everything here is a thin call into desk.core (or the CLI's own helpers), so the TUI
and the CLI refuse, record and export alike.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from desk.cli import Env
from desk.commands.glossary import GlossaryEnv, draft_enforcer
from desk.core.errors import RefusedError
from desk.core.export import render, write_export
from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.findings import Finding
from desk.core.service import Desk, export_problems
from desk.core.story import Story
from desk.locations import export_dir


@dataclass
class Workbench:
    """The desk home, who is working, and the glossary enforcer once it is loaded."""

    env: Env
    author: str
    arabic_override: str | None = None
    """`--arabic-display` given on the command line; else the config file says."""
    _enforcer: Enforcer | None = field(default=None, init=False, repr=False)
    _loaded: bool = field(default=False, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def desk(self) -> Desk:
        """The operations over the home's store (used from the UI thread only)."""
        return self.env.desk

    @property
    def arabic_display(self) -> str:
        """How Arabic is drawn: `shaped` or `raw` (the option, else `[tui] arabic_display`)."""
        return self.arabic_override or self.env.config.tui_arabic_display

    def enforcer(self) -> Enforcer | None:
        """The house glossary's enforcer, loaded once (safe from a worker thread)."""
        with self._lock:
            if not self._loaded:
                self._enforcer = draft_enforcer(self.env)
                self._loaded = True
            return self._enforcer

    def reload_glossary(self) -> None:
        """Forget the loaded enforcer: the next scan reads the glossary files again."""
        with self._lock:
            self._enforcer = None
            self._loaded = False

    def glossary(self) -> GlossaryEnv:
        """The glossary folder the workbench uses (as `desk glossary` without --glossary)."""
        return GlossaryEnv(self.env, None)

    def enforcer_if_loaded(self) -> Enforcer | None:
        """The enforcer if a scan already loaded it; never loads (cheap, for the UI thread)."""
        return self._enforcer

    def scan(self, story: Story) -> dict[int, list[Finding]]:
        """Glossary findings of every segment of `story` (segments without any left out)."""
        enforcer = self.enforcer()
        if enforcer is None:
            return {}
        found = {seg.n: enforcer.check(seg.text, seg.source) for seg in story.segments}
        return {n: f for n, f in found.items() if f}

    def export(self, slug: str) -> Path:
        """Export like `desk export SLUG` with the config's profile and folder (QA gate on)."""
        store = self.desk.store
        story = store.load_story(slug)
        problems = export_problems(story)
        if problems:
            raise RefusedError(f"cannot export {slug}: " + "; ".join(problems))
        config = self.env.config
        rendered = render(
            story, store.revisions(story.id or 0), config.export_profile, config.timezone
        )
        return write_export(export_dir(self.env.home, config.export_folder), rendered)
