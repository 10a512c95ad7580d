"""The editor: one story, segment by segment, from machine draft to publication.

The screen composes the widgets, routes keys and draws; the editing state and every
action live in `EditorSession` (desk/app/editing.py), which has no UI.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer

from desk.app.editing import EditorSession, gate_problems
from desk.core.errors import ConflictError, DeskError
from desk.core.qa import first_segment
from desk.core.story import Story, StoryStatus
from desk.tui.context import Workbench
from desk.tui.screens import editor_messages as messages
from desk.tui.screens.conflict import ConflictScreen
from desk.tui.screens.correction import CorrectionScreen
from desk.tui.screens.editor_keys import EDITOR_BINDINGS
from desk.tui.screens.find_in_story import SearchScreen, next_match
from desk.tui.screens.glossary_panel import GlossaryPanelScreen
from desk.tui.screens.history_view import HistoryScreen
from desk.tui.screens.qa_gate import QaGateScreen
from desk.tui.screens.redraft import Redrafter
from desk.tui.widgets.diff_view import DiffView
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.segment_detail import SegmentDetail
from desk.tui.widgets.segment_table import SegmentTable
from desk.tui.widgets.status_header import StatusHeader

T = TypeVar("T")


class EditorScreen(Screen[None]):
    """Segments as rows above; the current segment's Arabic, draft, English, findings, diff."""

    HELP_TITLE = "Editor"
    """What the help screen calls this screen."""

    BINDINGS: ClassVar[list[BindingType]] = EDITOR_BINDINGS

    # The messages it posts (editor_messages.py; the redraft's are in redraft.py).
    Saved = messages.Saved
    Confirmed = messages.Confirmed
    Fixed = messages.Fixed
    FindingsScanned = messages.FindingsScanned
    StatusMoved = messages.StatusMoved
    Exported = messages.Exported
    Refused = messages.Refused
    Undone = messages.Undone
    Redrafted = Redrafter.Redrafted
    RedraftFinished = Redrafter.RedraftFinished

    def __init__(self, workbench: Workbench, slug: str) -> None:
        """Edit story `slug` of the workbench's desk home."""
        super().__init__()
        self.workbench = workbench
        self.session = EditorSession(workbench.home, slug, workbench.author)
        self.redrafter = Redrafter(workbench, slug)
        self.search_text = ""
        """The last text searched for (the search dialog starts with it)."""

    @property
    def editor(self) -> EnglishEditor:
        """The English box."""
        return self.query_one(EnglishEditor)

    # -- layout and drawing -------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Header, segment table, the current segment's panes, footer."""
        yield StatusHeader(id="status")
        arabic = self.workbench.arabic_display
        yield SegmentTable(arabic_display=arabic, id="segments")
        yield SegmentDetail(arabic_display=arabic, id="detail")
        yield Footer()
        yield self.redrafter

    def on_mount(self) -> None:
        """Fill the table, open the first segment, scan the glossary in a worker."""
        self.query_one(SegmentTable).show(self.session.story, {})
        self.show_segment(self.session.current)
        self.editor.focus()
        self.scan(self.session.story)

    def refresh_all(self) -> None:
        """Redraw the table, header and current segment."""
        self.query_one(SegmentTable).show(self.session.story, self.session.counts())
        self.refresh_detail()

    def refresh_detail(self) -> None:
        """Redraw the header and the current segment's read-only panes."""
        s = self.session
        self.query_one(StatusHeader).show(
            s.story, s.total_findings(), self.workbench.author, self.redrafter.activity
        )
        seg = s.segment()
        found = None if s.findings is None else s.findings.get(seg.n, [])
        self.query_one(SegmentDetail).show(seg, found)

    def show_segment(self, n: int) -> None:
        """Make segment `n` current: load its English into the box."""
        seg = self.session.open(n)
        self.editor.load(seg.text)
        self.editor.read_only = not self.session.editable
        self.refresh_detail()

    def redraw_row(self, n: int) -> None:
        """Redraw segment `n`'s row of the table."""
        count = len((self.session.findings or {}).get(n, []))
        self.query_one(SegmentTable).update_segment(self.session.segment(n), count)

    def refuse(self, action: str, exc: DeskError, gated: str = "") -> None:
        """Tell the person why `action` was refused; a QA gate refusal is listed in its
        dialog (titled `gated`), whose choice of segment goes to it."""
        self.notify(str(exc), title=f"Cannot {action}", severity="error", timeout=8)
        self.post_message(self.Refused(action, str(exc)))
        problems = gate_problems(exc)
        if problems:
            goto = first_segment(problems)
            dialog = QaGateScreen(gated or action, [str(p) for p in problems], goto)
            self.app.push_screen(dialog, lambda n: self.go(n) if n is not None else None)

    def attempt(self, action: str, call: Callable[[], T], gated: str = "") -> T | None:
        """Run an action; a refusal is told (see `refuse`) and None returned."""
        try:
            return call()
        except DeskError as exc:
            self.refuse(action, exc, gated)
            return None

    def allowed(self, action: str, check: Callable[[], None]) -> bool:
        """Save, then run a check of the story; a refusal is told and False returned."""
        if not self.save():
            return False
        try:
            check()
        except DeskError as exc:
            self.refuse(action, exc)
            return False
        return True

    # -- the glossary scan (a worker: loading and checking may take a while) --

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def scan(self, story: Story) -> None:
        """Check every segment against the house glossary and post the findings back."""
        self.post_message(self.FindingsScanned(story.slug, self.session.scan(story)))

    @on(messages.FindingsScanned)
    def _scanned(self, event: messages.FindingsScanned) -> None:
        """Show the scan's findings."""
        if event.slug == self.session.slug:
            self.session.findings = event.findings
            self.refresh_all()

    # -- saving -----------------------------------------------------------------

    def save(self) -> bool:
        """Save the box's English if it changed; False if refused or in conflict."""
        if not self.editor.dirty:
            return True
        n, text = self.session.current, self.editor.text
        try:
            result = self.session.save(text)
        except ConflictError:
            self.conflict(n, text)
            return False
        except DeskError as exc:
            self.refuse("save", exc)
            return False
        self.editor.saved_text = self.session.segment().text
        self.redraw_row(n)
        self.refresh_detail()
        self.post_message(self.Saved(n, result.changed))
        return True

    def conflict(self, n: int, mine: str) -> None:
        """Someone else saved segment `n` first: show both texts and let the person choose."""
        theirs = self.session.theirs(n)

        def chosen(choice: str | None) -> None:
            """Keep mine (saved over theirs, recorded) or take theirs into the box."""
            self.session.rebase(theirs)
            if choice == "mine" and self.session.current == n:
                self.editor.saved_text = theirs.text
                self.save()
            elif self.session.current == n:
                self.editor.load(theirs.text)
                self.refresh_all()

        self.app.push_screen(
            ConflictScreen(n, mine, theirs.text, theirs.updated_by or "someone"), chosen
        )

    def after_write(self) -> None:
        """Redraw everything after a write that may have changed any segment."""
        self.show_segment(self.session.current)
        self.refresh_all()

    @on(EnglishEditor.SaveRequested)
    def _save_requested(self, event: EnglishEditor.SaveRequested) -> None:
        """Autosave (timer or blur)."""
        self.save()

    @on(SegmentTable.SegmentHighlighted)
    def _highlighted(self, event: SegmentTable.SegmentHighlighted) -> None:
        """The table's cursor moved: save the segment left, open the new one."""
        if event.n == self.session.current:
            return
        if not self.save():
            self.query_one(SegmentTable).go_to(self.session.current)
            return
        self.show_segment(event.n)

    # -- moving -----------------------------------------------------------------

    def go(self, n: int) -> None:
        """Save and move to segment `n` (the table's cursor drives the change)."""
        if n == self.session.current or not self.save():
            return
        self.query_one(SegmentTable).go_to(n)
        self.show_segment(n)

    def action_next(self) -> None:
        """Next segment."""
        self.go(self.session.next_n())

    def action_previous(self) -> None:
        """Previous segment."""
        self.go(self.session.previous_n())

    def action_next_finding(self) -> None:
        """Next segment with findings, wrapping round."""
        n = self.session.next_finding_n()
        if n is None:
            self.notify("No glossary findings in this story.")
            return
        self.go(n)

    def action_back(self) -> None:
        """Save and return to the story list."""
        if self.save():
            self.app.pop_screen()

    # -- editing actions --------------------------------------------------------

    def action_confirm_next(self) -> None:
        """Save, confirm the current segment, go to the next."""
        if not self.save():
            return
        done = self.attempt("confirm", lambda: self.session.confirm([self.session.current]))
        if done is None:
            return
        self.post_message(self.Confirmed(done))
        self.refresh_all()
        self.action_next()

    def action_confirm_all(self) -> None:
        """Save, then confirm every segment."""
        if not self.save():
            return
        done = self.attempt("confirm", lambda: self.session.confirm(None))
        if done is None:
            return
        self.post_message(self.Confirmed(done))
        self.notify(f"Confirmed {len(done)} segment(s).")
        self.refresh_all()

    def action_fix(self) -> None:
        """Save, then apply the segment's automatic glossary fixes as a glossary revision."""
        self.apply_fixes(None)

    def action_fix_one(self, n: int) -> None:
        """Save, then apply only the segment's n-th fixable finding (one glossary revision)."""
        self.apply_fixes(n)

    def apply_fixes(self, pick: int | None) -> None:
        """Apply all fixable findings of the segment, or only the pick-th."""
        if self.workbench.home.enforcer_if_loaded() is None:
            self.notify("No glossary loaded (yet).", severity="warning")
            return
        if not self.save():
            return
        applied = self.attempt("apply glossary fixes", lambda: self.session.fix(pick))
        if applied is None:
            return
        self.post_message(self.Fixed(self.session.current, applied))
        if not applied:
            self.notify("Nothing to fix automatically in this segment.")
            return
        self.after_write()

    def action_revert(self) -> None:
        """Put the machine draft back as the English and save it."""
        seg = self.session.segment()
        if not seg.draft:
            self.notify("This segment has no draft.", severity="warning")
            return
        self.editor.load_text(seg.draft)
        self.save()

    def action_undo_saved(self) -> None:
        """Put back the English before the segment's last saved change, as a new edit."""
        if not self.allowed("undo", self.session.check_editable):
            return
        n, last = self.session.current, self.session.last_change()
        if last is None:
            self.notify("No saved change to undo in this segment.")
            return
        try:
            self.session.undo(last)
        except ConflictError:
            self.conflict(n, last.before)
            return
        except DeskError as exc:
            self.refuse("undo", exc)
            return
        self.after_write()
        self.post_message(self.Undone(n, last.id))
        self.notify(f"Undid the {last.kind.value} by {last.author} (saved as an edit).")

    def action_toggle_diff(self) -> None:
        """Show or hide the diff."""
        self.query_one(DiffView).toggle_class("-hidden")

    # -- the workflow ---------------------------------------------------------------

    def move(self, target: StoryStatus) -> None:
        """Save, then move the story to `target` (refusals and the QA gate explained)."""
        if not self.save():
            return
        verb = {StoryStatus.APPROVED: "approve", StoryStatus.PUBLISHED: "publish"}
        gated = f"{verb.get(target, target.value)} {self.session.slug}"
        status = self.attempt(f"move to {target.value}", lambda: self.session.move(target), gated)
        if status is not None:
            self.moved(status)

    def moved(self, status: StoryStatus) -> None:
        """Tell everyone the story moved, and redraw (editable or not)."""
        self.post_message(self.StatusMoved(status))
        self.notify(f"The story is now {status.value}.")
        self.after_write()

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
        path = self.attempt("export", self.session.export, f"export {self.session.slug}")
        if path is not None:
            self.post_message(self.Exported(path))
            self.notify(f"Wrote {path}", title="Exported")

    def action_correct(self) -> None:
        """Ask for a note, then open a correction of the published story."""
        if not self.allowed("start a correction", self.session.check_correctable):
            return

        def noted(note: str | None) -> None:
            """Start the correction with `note` (None: cancelled)."""
            if note is None:
                return
            status = self.attempt("start a correction", lambda: self.session.correct(note))
            if status is not None:
                self.moved(status)

        self.app.push_screen(CorrectionScreen(self.session.slug), noted)

    # -- other screens ------------------------------------------------------------------

    def action_history(self) -> None:
        """Save, then show the story's history."""
        if self.save():
            self.app.push_screen(HistoryScreen(self.workbench, self.session.slug))

    def action_segment_history(self) -> None:
        """Save, then show the history of this segment."""
        if self.save():
            self.app.push_screen(
                HistoryScreen(self.workbench, self.session.slug, segment=self.session.current)
            )

    def action_glossary(self) -> None:
        """Save, then show the story's glossary entries; a change re-checks the story."""
        selected = self.editor.selected_text
        if not self.save():
            return

        def closed(changed: bool | None) -> None:
            """The glossary files changed: scan the story again with the new glossary."""
            if changed:
                self.workbench.home.reload_glossary()
                self.session.findings = None
                self.refresh_all()
                self.scan(self.session.story)

        self.app.push_screen(
            GlossaryPanelScreen(self.workbench, self.session.story, selected), closed
        )

    def action_search(self) -> None:
        """Ask for a text; each Enter goes to the next segment holding it."""

        def find(text: str) -> bool:
            """Go to the next match after the current segment, wrapping round."""
            self.search_text = text
            n = next_match(self.session.story.segments, self.session.current, text)
            if n is None:
                self.notify(f"No segment contains {text!r}.", severity="warning")
                return False
            if n == self.session.current:
                self.notify(f"Only this segment contains {text!r}.")
            self.go(n)
            return True

        self.app.push_screen(SearchScreen(self.search_text, find))

    # -- redrafting (in the background, see redraft.py) -----------------------------------

    def action_redraft(self) -> None:
        """Redraft the current segment with the desk's engine (overwriting its English)."""
        self.start_redraft([self.session.current], force=True)

    def action_redraft_story(self) -> None:
        """Redraft every segment nobody has edited or confirmed, row by row."""
        if not self.allowed("redraft", self.session.check_editable):
            return
        self.session.reload()
        untouched = self.session.untouched()
        if not untouched:
            self.notify("Every segment has been worked on; redraft one with its own key.")
            return
        self.start_redraft(untouched, force=False)

    def start_redraft(self, numbers: list[int], *, force: bool) -> None:
        """Save, check the story may change, then draft `numbers` in the background."""
        if self.redrafter.activity:
            self.notify("Already drafting; wait for it to finish.", severity="warning")
        elif self.allowed("redraft", self.session.check_editable):
            self.redrafter.start(numbers, force=force)
            self.refresh_detail()

    @on(Redrafter.Redrafted)
    def _redrafted(self, event: Redrafter.Redrafted) -> None:
        """Show the new draft in its row (and in the box if it is the current segment)."""
        self.redrafter.activity = f"drafting {event.done}/{event.total}"
        self.session.reload()
        self.redraw_row(event.n)
        if event.n == self.session.current and not self.editor.dirty:
            # Unsaved typing is kept: its save will show the conflict with the draft.
            self.show_segment(event.n)
        self.refresh_detail()

    @on(Redrafter.RedraftFinished)
    def _redraft_finished(self, event: Redrafter.RedraftFinished) -> None:
        """Clear the progress and say what happened."""
        self.redrafter.activity = ""
        if event.error:
            self.refresh_detail()
            self.notify(event.error, title="Cannot redraft", severity="error", timeout=8)
            self.post_message(self.Refused("redraft", event.error))
            return
        self.session.reload()
        self.refresh_all()
        said = f"Redrafted {len(event.drafted)} segment(s)."
        if event.skipped:
            said += f" Left {len(event.skipped)} that changed meanwhile."
        self.notify(said, title="Drafts")
