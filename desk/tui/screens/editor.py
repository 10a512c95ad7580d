"""The editor: one story, segment by segment, from machine draft to publication.

The screen composes the widgets, routes keys and draws; the editing state and every
action live in `EditorSession` (desk/app/editing.py), which has no UI. Its helpers
(redrafting, publishing, the translation memory's matches) are non-visual widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer, TextArea

from desk.app.editing import EditorSession, NotSaved
from desk.app.segment_filter import SegmentFilter, Show
from desk.core.errors import ConflictError, DeskError
from desk.core.store.live import Change
from desk.core.story import Story, StoryStatus
from desk.tui.context import Workbench
from desk.tui.screens import editor_messages as messages
from desk.tui.screens.conflict import ConflictScreen
from desk.tui.screens.editor_keys import EDITOR_BINDINGS
from desk.tui.screens.find_in_story import SearchScreen
from desk.tui.screens.glossary_panel import GlossaryPanelScreen
from desk.tui.screens.glossary_scan import GlossaryScan
from desk.tui.screens.history_view import HistoryScreen
from desk.tui.screens.memory_matches import MemoryMatches
from desk.tui.screens.publishing import Publishing
from desk.tui.screens.redraft import Redrafter
from desk.tui.screens.segment_jump import filter_screen, go_to_screen
from desk.tui.widgets.diff_view import DiffView
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.segment_detail import SegmentDetail
from desk.tui.widgets.segment_table import SegmentTable
from desk.tui.widgets.status_header import StatusHeader

T = TypeVar("T")

COMPACT_ROWS = 30
"""Terminals shorter than this get the compact layout: the English box and findings first."""

RETRY_SECONDS = 5.0
"""After a save the store refused (locked, full disk), seconds until desk tries again."""


class EditorScreen(Screen[None]):
    """Segments as rows above; the current segment's Arabic, draft, English, findings, diff."""

    HELP_TITLE = "Editor"
    """What the help screen calls this screen."""

    BINDINGS: ClassVar[list[BindingType]] = EDITOR_BINDINGS

    OPENING_WAIT_SECONDS = 0.15
    """The longest the editor's first frame waits for the glossary's load begun as the
    workbench started with this story (`desk open SLUG`): from the compiled glossary
    the load takes tens of milliseconds, and the first frame then shows the first
    screen's findings. A load that compiles (the first after a glossary edit) is not
    waited for: the scan shows its findings when it is over."""

    def __init__(self, workbench: Workbench, slug: str) -> None:
        """Edit story `slug` of the workbench's desk home."""
        super().__init__()
        self.workbench = workbench
        self.session = EditorSession(workbench.home, slug, workbench.author)
        self.redrafter = Redrafter(workbench, self.session)
        self.glossary_scan = GlossaryScan(workbench.home)
        self.scanning = False
        """A glossary scan runs: the findings shown may be only the first screen's."""
        self.publishing = Publishing(self.session, go=self.go, redraw=self.after_write)
        self.memory = MemoryMatches(
            workbench, self.session, save=self.save, conflict=self.conflict,
            redraw=self.after_write,
        )  # fmt: skip

    @property
    def editor(self) -> EnglishEditor:
        """The English box."""
        return self.query_one(EnglishEditor)

    def compose(self) -> ComposeResult:
        """Header, segment table, the current segment's panes, footer."""
        yield StatusHeader(id="status")
        arabic = self.workbench.arabic_display
        yield SegmentTable(arabic_display=arabic, id="segments")
        yield SegmentDetail(arabic_display=arabic, id="detail")
        yield Footer()
        yield self.redrafter
        yield self.glossary_scan
        yield self.publishing
        yield self.memory

    def on_mount(self) -> None:
        """Fill the table, open the segment with recovered English, else the one this
        person left the story at, else the first; then scan."""
        self.workbench.last_story = self.session.slug
        self.query_one(SegmentTable).show(self.session.story, {}, self.session.shown())
        first = self.session.first_n()
        self.query_one(SegmentTable).go_to(first)
        self.show_segment(first)
        self.editor.focus()
        self.scan(opening=True)
        self.call_after_refresh(self.glossary_scan.painted.set)  # the scan waits for it
        self.show_leases()

    def on_resize(self, event: events.Resize) -> None:
        """Below COMPACT_ROWS rows, the compact layout (desk.tcss `-compact`)."""
        self.set_class(event.size.height < COMPACT_ROWS, "-compact")

    def refresh_all(self) -> None:
        """Redraw the table, header and current segment."""
        s = self.session
        self.query_one(SegmentTable).show(s.story, s.counts(), s.shown(), s.current)
        self.refresh_detail()

    def refresh_detail(self) -> None:
        """Redraw the header and the current segment's read-only panes."""
        s = self.session
        showing = "" if s.filter.show == Show.ALL else f"showing {s.filter.label} (F7)"
        typing = ", ".join(f"{who} in {n}" for n, who in sorted(s.others.items()))
        typing = f"✎ {typing}" if typing else ""
        activity = " │ ".join(filter(None, (showing, typing, self.redrafter.activity)))
        total = None if self.scanning else s.total_findings()
        self.query_one(StatusHeader).show(s.story, total, self.workbench.author, activity)
        spelling = s.misspelt()
        self.query_one(SegmentDetail).show(s.segment(), s.numbered(), spelling, s.spelling.variant)

    def show_segment(self, n: int) -> None:
        """Make segment `n` current: its English (or its recovered unsaved English) in the box.
        The segment left goes from the table if only being current kept it shown."""
        left = self.session.current
        seg = self.session.open(n)
        if left != n and left not in self.session.shown():
            self.refresh_all()
        self.editor.load(seg.text)
        self.editor.read_only = not self.session.editable
        back = self.session.recovered(n)
        if back is not None and self.session.editable:
            self.editor.load_text(back.text)  # unsaved: the autosave takes it from here
            self.notify(f"Your unsaved English of segment {n} ({back.at[:16]}) is back in the "
                        "box, saved as you go on.", title="Recovered", timeout=10)  # fmt: skip
        self.refresh_detail()
        self.memory.opened(n)

    def redraw_row(self, n: int) -> None:
        """Redraw segment `n`'s row of the table."""
        count = len((self.session.findings or {}).get(n, []))
        self.query_one(SegmentTable).update_segment(self.session.segment(n), count)

    # -- the live desk: others' saves and leases --------------------------------------

    def others_changed(self, changes: list[Change]) -> None:
        """Someone on the shared desk saved or started typing: for this story, read its
        segments and leases again. The English in the box stays as typed; when it was
        unchanged and someone saved the segment, their text comes into the box."""
        mine = [c for c in changes if c.story_id == self.session.story.id]
        if not mine:
            return
        if any(c.what == "revision" for c in mine):
            try:
                self.session.reload()
            except DeskError:
                return  # the store is away: the next news or save tries again
            seg = self.session.segment()
            if not self.editor.dirty and seg.version != self.session.base_version:
                self.session.rebase(seg)
                self.editor.load(seg.text)
            self.refresh_all()
        self.show_leases()

    def show_leases(self) -> None:
        """Show who else is typing where (their name in the row, and in the header);
        the table is drawn again only when that changed."""
        table = self.query_one(SegmentTable)
        leases = dict(self.session.refresh_leases())
        if leases != table.leases:
            table.leases = leases
            self.refresh_all()

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        """Typing takes (or renews) the segment's lease; someone else's is said."""
        if not self.editor.dirty:
            return
        other = self.session.typing()
        if other is not None:
            self.notify(
                f"{other} is editing segment {self.session.current} too: whoever saves "
                "second sees both texts and chooses.", severity="warning", timeout=6,
            )  # fmt: skip

    def attempt(self, action: str, call: Callable[[], T]) -> T | None:
        """Save, then run an action; None when either was refused (and the refusal told)."""
        if not self.save():
            return None
        try:
            return call()
        except DeskError as exc:
            messages.tell_refusal(self, action, exc)
            return None

    def scan(self, *, opening: bool = False) -> None:
        """Check the story against the house glossary in the background: the segments
        that can be on screen first, then the others (GlossaryScan).

        `opening`: when the workbench loaded the glossary already (while the person was
        on the story list, or as it started with this story: its load is given up to
        OPENING_WAIT_SECONDS to end), the first screen is checked here, before the first
        frame, which then shows its findings; the glossary is never loaded here.
        """
        self.scanning = True
        table = self.query_one(SegmentTable)
        first = table.first_screen(self.session.current, self.app.size.height)
        loading = self.workbench.glossary_loading
        if opening and loading is not None and self.workbench.home.enforcer_if_loaded() is None:
            loading.wait(self.OPENING_WAIT_SECONDS)  # the UI thread's only wait
        loaded = self.workbench.home.enforcer_if_loaded() if opening else None
        if loaded is not None:
            self._checked(self.glossary_scan.check(self.session.story, first, loaded))
        self.glossary_scan.start(self.session.story, first, loaded)

    @work(thread=True, exclusive=True, exit_on_error=False, group="spelling")
    def spell_scan(self, story: Story) -> None:
        """Load the dictionary (once per process) and check every segment's spelling."""
        try:
            words = self.session.spell_scan(story)
        except DeskError as exc:
            self.post_message(messages.SpellingScanned(story.slug, {}, str(exc)))
            return
        self.post_message(messages.SpellingScanned(story.slug, words))

    @on(messages.SpellingScanned)
    def _spelled(self, event: messages.SpellingScanned) -> None:
        """Show the spelling check's words (or why there is none)."""
        if event.error:
            self.notify(f"No spell checking: {event.error}", severity="warning", timeout=8)
        elif event.slug == self.session.slug:
            self.session.spelling.words = event.words
            self.refresh_detail()

    @on(GlossaryScan.Checked)
    def _checked(self, event: GlossaryScan.Checked) -> None:
        """Show a batch of the scan's findings; after the last, check the spelling.

        A segment saved since the scan read it is checked again here (one segment, on
        the UI thread, as a save does): the scan's finding would be of the old text.
        """
        event.stop()
        s = self.session
        if event.slug != s.slug or event.scan < self.glossary_scan.scans:
            return  # an earlier scan's batch (a rescan started since)
        if event.error:
            self.notify(f"No glossary findings: {event.error}", severity="warning", timeout=8)
        findings = {} if s.findings is None else s.findings
        enforcer = self.workbench.home.enforcer_if_loaded()
        for n, checked in event.checked.items():
            seg = s.segment(n)
            found = event.findings.get(n, [])
            if (seg.text, seg.source) != checked and enforcer is not None:
                found = enforcer.check(seg.text, seg.source)
            if found:
                findings[n] = found
            else:
                findings.pop(n, None)
        s.findings = findings
        self.scanning = not event.done
        if s.filter.show == Show.ALL:  # the rows stay: only their counts change
            self.query_one(SegmentTable).show_counts(
                {n: len(findings.get(n, [])) for n in event.checked}
            )
            self.refresh_detail()
        else:  # the filter may keep other segments now
            self.refresh_all()
        self.glossary_scan.shown.set()
        if event.done:
            self.spell_scan(s.story)  # after the glossary: its names pass

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
            messages.tell_refusal(self, "save", exc)
            if isinstance(exc, NotSaved):  # the store or the disk: try again soon
                self.set_timer(RETRY_SECONDS, lambda: self.editor.dirty and self.save())
            return False
        self.editor.saved_text = self.session.segment().text
        self.redraw_row(n)
        self.refresh_detail()
        self.post_message(messages.Saved(n, result.changed))
        return True

    def save_before_exit(self) -> None:
        """On quit or hang-up: save the English, or keep it for the next open (no dialog);
        note where the person was, for the next open."""
        if self.editor.dirty:
            self.session.save_or_keep(self.editor.text)
        self.session.remember_position()
        self.session.leave()

    def conflict(self, n: int, mine: str, again: Callable[[], object] | None = None) -> None:
        """Someone else saved segment `n` first: show both texts and let the person choose
        (`again()` writes theirs over, where saving the box is not how: a match inserted)."""
        theirs = self.session.theirs(n)

        def chosen(choice: str | None) -> None:  # mine: saved over theirs, recorded
            self.session.rebase(theirs)
            if choice == "mine" and self.session.current == n:
                self.editor.saved_text = theirs.text
                if again is None:
                    self.save()
                else:
                    self.editor.load(theirs.text)
                    again()
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

    def go(self, n: int) -> None:
        """Save and move to segment `n` (the table's cursor drives the change)."""
        if n == self.session.current or not self.save():
            return
        self.query_one(SegmentTable).go_to(n)
        self.show_segment(n)

    def action_next(self) -> None:
        """Next segment (at the last one: save, and say so)."""
        self._move(self.session.next_n(), "last")

    def action_previous(self) -> None:
        """Previous segment (at the first one: save, and say so)."""
        self._move(self.session.previous_n(), "first")

    def _move(self, n: int, end: str) -> None:
        """Go to `n`, or, where there is no further to go, save and say which end this is."""
        if n != self.session.current:
            self.go(n)
        elif self.save():
            shown = "" if self.session.filter.show == Show.ALL else " shown"
            self.notify(f"This is the {end} segment{shown}.", timeout=3)

    def action_next_finding(self) -> None:
        """Next segment with findings, wrapping round."""
        n = self.session.next_finding_n()
        if n is None:
            where = "this story" if self.session.filter.show == Show.ALL else "the segments shown"
            self.notify(f"No glossary findings in {where}.")
            return
        self.go(n)

    def action_back(self) -> None:
        """Save and return to the story list (the next open starts here again)."""
        if self.save():
            self.session.remember_position()
            self.session.leave()
            self.app.pop_screen()

    @on(SegmentTable.RowSelected)
    def _row_selected(self, event: SegmentTable.RowSelected) -> None:
        """Enter on a row: that segment is open already; type into its English."""
        self.editor.focus()

    def action_go_to(self) -> None:
        """Ask for a segment number and go there (showing every segment if the filter
        hides it)."""

        def chosen(n: int | None) -> None:
            if n is None:
                return
            if n not in self.session.shown():
                self.session.set_filter(SegmentFilter())
                self.refresh_all()
                self.notify("Showing every segment again.")
            self.go(n)
            self.editor.focus()

        self.app.push_screen(go_to_screen(self.session.go_to_n), chosen)

    def action_filter(self) -> None:
        """Ask which segments to show: all, unconfirmed, edited, with findings, a word."""

        def chosen(choice: SegmentFilter | None) -> None:
            if choice is None:
                return
            shown = self.session.set_filter(choice)
            if not shown:
                self.notify(f"No {choice.label}: the filter is unchanged.", severity="warning")
                return
            if self.session.current not in shown:
                self.go(shown[0])
            self.refresh_all()
            self.editor.focus()

        self.app.push_screen(filter_screen(self.session.filter), chosen)

    def action_confirm_next(self) -> None:
        """Save, confirm the current segment, go to the next."""
        if self.confirm([self.session.current]) is not None:
            self.action_next()

    def action_confirm_all(self) -> None:
        """Save, then confirm every segment."""
        done = self.confirm(None)
        if done is not None:
            self.notify(f"Confirmed {len(done)} segment(s).")

    def confirm(self, numbers: list[int] | None) -> list[int] | None:
        """Save, confirm `numbers` (None: all), redraw; those newly confirmed (None: refused)."""
        done = self.attempt("confirm", lambda: self.session.confirm(numbers))
        if done is not None:
            self.post_message(messages.Confirmed(done))
            self.refresh_all()
        return done

    def action_fix(self) -> None:
        """Save, then apply the segment's automatic glossary fixes as a glossary revision."""
        self.action_fix_one(None)

    def action_fix_one(self, pick: int | None) -> None:
        """Save, then apply the segment's fixable finding number `pick` (None: all)."""
        if self.workbench.home.enforcer_if_loaded() is None:
            self.notify("No glossary loaded (yet).", severity="warning")
            return
        applied = self.attempt("apply glossary fixes", lambda: self.session.fix(pick))
        if applied is None:
            return
        self.post_message(messages.Fixed(self.session.current, applied))
        if not applied:
            self.notify("Nothing to fix automatically in this segment.")
            return
        self.after_write()

    def action_revert(self) -> None:
        """Put the machine draft back as the English and save it (a published story is
        refused before the box is touched)."""
        if not self.attempt("revert", self.session.may_edit):
            return
        seg = self.session.segment()
        if not seg.draft:
            self.notify("This segment has no draft.", severity="warning")
            return
        self.editor.load_text(seg.draft)
        self.save()

    def action_undo_saved(self) -> None:
        """Put back the English before the segment's last saved change, saved as a new edit
        (a conflict dialog if someone saved the segment meanwhile)."""
        if not self.attempt("undo", self.session.may_edit):
            return
        last = self.session.last_change()
        if last is None:
            self.notify("No saved change to undo in this segment.")
            return
        self.editor.load_text(last.before)
        self.session.new_visit()  # the undo is a change of its own, never folded
        saved = self.save()
        self.session.new_visit()
        if saved:
            self.post_message(messages.Undone(self.session.current, last.id))
            self.notify(f"Undid the {last.kind.value} by {last.author} (saved as an edit).")

    def action_toggle_diff(self) -> None:
        """Show the diff against the draft, then against the memory's match picked (when
        there is one), then hide it."""
        diff, detail = self.query_one(DiffView), self.query_one(SegmentDetail)
        if diff.has_class("-hidden"):
            diff.remove_class("-hidden")
            detail.compare_with("draft")
        elif diff.against == "draft" and self.session.picked() is not None:
            detail.compare_with("match")
        else:
            diff.add_class("-hidden")
            detail.compare_with("draft")

    def action_insert_match(self) -> None:
        """Save, then put the memory's match picked into the English (a `tm` revision)."""
        self.memory.insert()

    def action_next_match(self) -> None:
        """Pick the memory's next match."""
        self.memory.pick(1)

    def action_previous_match(self) -> None:
        """Pick the memory's previous match."""
        self.memory.pick(-1)

    def action_concordance(self) -> None:
        """Search the whole memory; Enter copies a unit's English into the box."""
        self.memory.concordance()

    def action_review(self) -> None:
        """Save, then send the story to review."""
        if self.save():
            self.publishing.move(StoryStatus.REVIEW)

    def action_approve(self) -> None:
        """Save, then approve the story (the QA gate applies)."""
        if self.save():
            self.publishing.move(StoryStatus.APPROVED)

    def action_publish(self) -> None:
        """Save, then publish the story (the QA gate applies)."""
        if self.save():
            self.publishing.move(StoryStatus.PUBLISHED)

    def action_export(self) -> None:
        """Save, then export the story as the config says."""
        if self.save():
            self.publishing.export()

    def action_correct(self) -> None:
        """Save, then ask for a note and open a correction of the published story."""
        if self.save():
            self.publishing.correct()

    def action_history(self, segment: int | None = None) -> None:
        """Save, then show the story's history (of one segment, with `segment`)."""
        if self.save():
            self.app.push_screen(HistoryScreen(self.workbench, self.session.slug, segment=segment))

    def action_segment_history(self) -> None:
        """Save, then show the history of this segment."""
        self.action_history(self.session.current)

    def action_glossary(self) -> None:
        """Save, then show the story's glossary entries; a change re-checks the story."""
        selected = self.editor.selected_text
        if not self.save():
            return

        panel = GlossaryPanelScreen(self.workbench, self.session.story, selected)
        self.app.push_screen(panel, lambda changed: self.rescan() if changed else None)

    def rescan(self) -> None:
        """The glossary files changed: check the story again (the home sees the change)."""
        self.session.findings = None
        self.refresh_all()
        self.scan()

    def action_search(self) -> None:
        """Ask for a text; each Enter goes to the next segment holding it, wrapping round."""
        self.app.push_screen(SearchScreen(self.session, self.go))

    def action_redraft(self) -> None:
        """Save, then redraft this segment with the desk's engine (replacing its English)."""
        if self.save():
            self.redrafter.start([self.session.current], force=True)
            self.refresh_detail()

    def action_redraft_story(self) -> None:
        """Save, then redraft every segment nobody has edited or confirmed, row by row."""
        if self.save():
            self.redrafter.start(None, force=False)
            self.refresh_detail()

    @on(Redrafter.Redrafted)
    @on(Redrafter.RedraftFinished)
    def _redrafted(self, event: Redrafter.Redrafted | Redrafter.RedraftFinished) -> None:
        """A draft arrived, or the redraft ended: redraw (typing in the box is kept)."""
        self.session.reload()
        if isinstance(event, Redrafter.RedraftFinished):
            self.redrafter.activity = ""
            # The drafts are saved together once all are made: the box gets its own now.
            if self.session.current in event.drafted and not self.editor.dirty:
                self.show_segment(self.session.current)
            self.refresh_all()
            return
        self.redrafter.activity = f"drafting {event.done}/{event.total}"
        self.redraw_row(event.n)
        if event.n == self.session.current and not self.editor.dirty:
            self.show_segment(event.n)
        self.refresh_detail()
