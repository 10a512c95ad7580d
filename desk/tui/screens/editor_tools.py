"""The editor's tools: redraft with the engine (in a worker), search in story, undo a save.

`EditorScreen` inherits them; its BINDINGS name their keys (redraft, redraft_story,
search, undo_saved) with the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.message import Message
from textual.worker import get_current_worker

from desk.cli import Env
from desk.core.drafting import choose_engine, draft_story
from desk.core.engine.base import Draft
from desk.core.errors import ConflictError, DeskError
from desk.core.glossary.findings import Finding
from desk.core.story import (
    RevisionKind,
    Segment,
    SegmentStatus,
    Story,
    WorkflowError,
    check_editable,
)
from desk.tui.screens.search import SearchScreen, next_match
from desk.tui.screens.workflow import WorkflowScreen
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.segment_table import SegmentTable

TEXT_KINDS = (RevisionKind.EDIT, RevisionKind.MT, RevisionKind.GLOSSARY, RevisionKind.CORRECTION)
"""Revision kinds that change a segment's English (status revisions only confirm it)."""


class _Cancelled(Exception):
    """The editor closed while drafting: stop before the next segment."""


class EditorTools(WorkflowScreen):
    """Redraft, search and undo for the editor (which provides the methods stubbed here)."""

    findings: dict[int, list[Finding]] | None
    base_version: int
    activity = ""
    """What runs in the background, for the header (e.g. `drafting 3/10`); empty when idle."""
    search_text = ""
    """The last text searched for (the search dialog starts with it)."""

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

    @dataclass
    class Undone(Message):
        """Segment `n`'s English went back to its text before revision `revision_id`."""

        n: int
        revision_id: int

    # -- what the editor provides -------------------------------------------------

    def conflict(self, n: int, mine: str) -> None:
        """Show a save conflict on segment `n`."""
        raise NotImplementedError

    def recheck(self, seg: Segment) -> None:
        """Re-check one segment against the glossary."""
        raise NotImplementedError

    def refresh_detail(self) -> None:
        """Redraw the header and the current segment's panes."""
        raise NotImplementedError

    def saved_editable_story(self, action: str) -> Story | None:
        """Save the English, then the story if it may still change (else say why, None)."""
        if not self.save():
            return None
        story = self.bench.desk.store.load_story(self.slug)
        try:
            check_editable(story.status)
        except WorkflowError as exc:
            self.refuse(action, exc)
            return None
        return story

    # -- redrafting -----------------------------------------------------------------

    def action_redraft(self) -> None:
        """Redraft the current segment with the desk's engine (overwriting its English)."""
        self.start_redraft([self.current], force=True)

    def action_redraft_story(self) -> None:
        """Redraft every segment nobody has edited or confirmed, row by row."""
        story = self.saved_editable_story("redraft")
        if story is None:
            return
        untouched = [s.n for s in story.segments if s.status == SegmentStatus.DRAFT]
        if not untouched:
            self.notify("Every segment has been worked on; redraft one with its own key.")
            return
        self.start_redraft(untouched, force=False)

    def start_redraft(self, numbers: list[int], *, force: bool) -> None:
        """Save, check the story may change, then draft `numbers` in a worker."""
        if self.activity:
            self.notify("Already drafting; wait for it to finish.", severity="warning")
            return
        if not self.save():
            return
        try:
            check_editable(self.bench.desk.store.load_story(self.slug).status)
        except WorkflowError as exc:
            self.refuse("redraft", exc)
            return
        self.activity = f"drafting 0/{len(numbers)}"
        self.refresh_detail()
        self.redraft(numbers, force)

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft")
    def redraft(self, numbers: list[int], force: bool) -> None:
        """Draft `numbers` with the desk's engine; each saved draft is posted back at once.

        The worker opens its own store on the same desk home: a SQLite connection
        belongs to the thread that opened it.
        """
        worker = get_current_worker()
        env = Env(self.bench.env.home)
        done = 0

        def arrived(draft: Draft) -> None:
            """One draft is saved: tell the editor, or stop if it has closed."""
            nonlocal done
            if worker.is_cancelled:
                raise _Cancelled
            done += 1
            self.post_message(self.Redrafted(draft.n, done, len(numbers)))

        try:
            choice = choose_engine(env.home, env.desk)
            for notice in choice.notices:
                self.app.call_from_thread(self.notify, notice, title="Engine", timeout=10)
            report = draft_story(
                env.desk, self.slug, choice.engine, requested_by=self.bench.author,
                numbers=numbers, force=force, on_draft=arrived, enforcer=self.bench.enforcer(),
            )  # fmt: skip
        except _Cancelled:
            return
        except DeskError as exc:
            self.post_message(self.RedraftFinished([], [], str(exc)))
            return
        except Exception as exc:  # an engine failing must not take the editor down
            self.post_message(self.RedraftFinished([], [], f"{type(exc).__name__}: {exc}"))
            return
        finally:
            if "desk" in env.__dict__:
                env.desk.store.close()
        self.post_message(self.RedraftFinished(report.drafted, report.skipped))

    @on(Redrafted)
    def _redrafted(self, event: Redrafted) -> None:
        """Show the new draft in its row (and in the editor if it is the current segment)."""
        self.activity = f"drafting {event.done}/{event.total}"
        self.story = self.bench.desk.store.load_story(self.slug)
        seg = self.story.segment(event.n)
        self.recheck(seg)
        self.query_one(SegmentTable).update_segment(seg, len((self.findings or {}).get(seg.n, [])))
        editor = self.query_one(EnglishEditor)
        if event.n == self.current and not editor.dirty:
            # Unsaved typing is kept: its save will show the conflict with the draft.
            editor.load(seg.text)
            self.base_version = seg.version
        self.refresh_detail()

    @on(RedraftFinished)
    def _redraft_finished(self, event: RedraftFinished) -> None:
        """Clear the progress and say what happened."""
        self.activity = ""
        if event.error:
            self.refresh_detail()
            self.notify(event.error, title="Cannot redraft", severity="error", timeout=8)
            self.post_message(self.Refused("redraft", event.error))
            return
        self.reload()
        said = f"Redrafted {len(event.drafted)} segment(s)."
        if event.skipped:
            said += f" Left {len(event.skipped)} that changed meanwhile."
        self.notify(said, title="Drafts")

    # -- search -------------------------------------------------------------------------

    def action_search(self) -> None:
        """Ask for a text; each Enter goes to the next segment holding it."""

        def find(text: str) -> bool:
            """Go to the next match after the current segment, wrapping round."""
            self.search_text = text
            n = next_match(self.story.segments, self.current, text)
            if n is None:
                self.notify(f"No segment contains {text!r}.", severity="warning")
                return False
            if n == self.current:
                self.notify(f"Only this segment contains {text!r}.")
            self.go(n)
            return True

        self.app.push_screen(SearchScreen(self.search_text, find))

    # -- undo a saved change -------------------------------------------------------------

    def action_undo_saved(self) -> None:
        """Put back the English before the segment's last saved change, as a new edit."""
        story = self.saved_editable_story("undo")
        if story is None:
            return
        n = self.current
        changes = [
            r
            for r in self.bench.desk.store.revisions(story.id or 0)
            if r.segment_n == n and r.kind in TEXT_KINDS and r.before != r.after
        ]
        if not changes:
            self.notify("No saved change to undo in this segment.")
            return
        last = changes[-1]
        try:
            self.bench.desk.edit(
                self.slug, n, last.before, author=self.bench.author,
                expected_version=self.base_version,
            )  # fmt: skip
        except ConflictError:
            self.conflict(n, last.before)
            return
        except DeskError as exc:
            self.refuse("undo", exc)
            return
        self.reload()
        self.show_segment(n)
        self.post_message(self.Undone(n, last.id))
        self.notify(f"Undid the {last.kind.value} by {last.author} (saved as an edit).")
