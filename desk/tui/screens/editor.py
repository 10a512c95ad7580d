"""The editor: one story, segment by segment, from machine draft to publication."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer

from desk.core.errors import ConflictError, DeskError
from desk.core.glossary.findings import Finding
from desk.core.glossary.stories import fix_story
from desk.core.story import EDITABLE_STATUSES, Segment, Story
from desk.tui.backend import Workbench
from desk.tui.screens.conflict import ConflictScreen
from desk.tui.screens.editor_tools import EditorTools
from desk.tui.screens.glossary_panel import GlossaryPanelScreen
from desk.tui.screens.history import HistoryScreen
from desk.tui.screens.keymap import keyed
from desk.tui.widgets.diff_view import DiffView
from desk.tui.widgets.draft_pane import DraftPane
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.findings_list import FindingsList
from desk.tui.widgets.hidden_notice import HiddenNotice
from desk.tui.widgets.segment_table import SegmentTable
from desk.tui.widgets.source_pane import SourcePane
from desk.tui.widgets.status_header import StatusHeader


class EditorScreen(EditorTools):
    """Segments as rows above; the current segment's Arabic, draft, English, findings, diff."""

    HELP_TITLE = "Editor"
    """What the help screen calls this screen."""

    # Ctrl+arrows, Ctrl+letters and F-keys: a focused TextArea takes every printable
    # key and its own bindings (TextArea.BINDINGS: Ctrl+A/E/K/U/W/Z/Y..., F6, F7), but
    # none of these; a test checks that each reaches the screen with the editor focused.
    # `keyed` gives each binding its action as id: `[tui.keys]` in the config rebinds them.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+down", "next", "Next", tooltip="Save and go to the next segment."),
        Binding("ctrl+up", "previous", "Prev", tooltip="Save and go to the previous segment."),
        Binding(
            "ctrl+s,f2",
            "confirm_next",
            "Confirm+next",
            tooltip="Save, confirm this segment, go to the next.",
        ),
        Binding(
            "f3",
            "confirm_all",
            "Confirm all",
            tooltip="Save, then confirm every segment of the story.",
        ),
        Binding(
            "ctrl+g",
            "fix",
            "Glossary fix",
            tooltip="Apply the automatic glossary fixes in this segment.",
        ),
        *(
            Binding(
                f"shift+f{n}",
                f"fix_one({n})",
                f"Fix finding {n}",
                show=False,
                # Checked before the English box, which takes most keys for itself.
                # (Alt+digits reach Textual as typographic characters, so not those.)
                priority=True,
                id=f"fix_{n}",
                tooltip=f"Apply only the segment's fixable finding number {n}.",
            )
            for n in range(1, 10)
        ),
        Binding(
            "ctrl+n",
            "next_finding",
            "Next finding",
            tooltip="Go to the next segment with glossary findings.",
        ),
        Binding("ctrl+r", "revert", "Revert", tooltip="Put the machine draft back as the English."),
        Binding("ctrl+t", "toggle_diff", "Diff", tooltip="Show or hide the word diff."),
        Binding("f4", "review", "Review", tooltip="Send the story to review."),
        Binding("f5", "approve", "Approve", tooltip="Approve the story (QA gate applies)."),
        Binding("f9", "publish", "Publish", tooltip="Publish the story (QA gate applies)."),
        Binding(
            "f8",
            "export",
            "Export",
            tooltip="Export Markdown with the config's profile and folder.",
        ),
        Binding("f12", "correct", "Correct", tooltip="Start a correction of a published story."),
        Binding("ctrl+l", "history", "History", tooltip="The story's revisions, diffs and stats."),
        Binding(
            "ctrl+o",
            "segment_history",
            "Seg history",
            tooltip="The revisions of this segment only.",
        ),
        Binding(
            "f11,ctrl+b",
            "glossary",
            "Glossary",
            tooltip="The glossary entries of this story; add the selected English to it.",
        ),
        Binding("ctrl+f", "search", "Search", tooltip="Find English or Arabic text in the story."),
        Binding(
            "ctrl+right_square_bracket",
            "redraft",
            "Redraft",
            tooltip="Draft this segment again with the desk's engine (replaces its English).",
        ),
        Binding(
            "ctrl+backslash",
            "redraft_story",
            "Redraft story",
            tooltip="Draft every segment nobody has edited or confirmed again, row by row.",
        ),
        Binding(
            "ctrl+underscore",
            "undo_saved",
            "Undo save",
            tooltip="Put back the English before this segment's last saved change (Ctrl+/).",
        ),
        Binding("escape", "back", "Stories", tooltip="Save and go back to the story list."),
    ]
    BINDINGS = keyed(BINDINGS)

    @dataclass
    class Saved(Message):
        """Segment `n`'s English was saved (`changed`: a revision was written)."""

        n: int
        changed: bool

    @dataclass
    class Confirmed(Message):
        """These segments were newly confirmed."""

        numbers: list[int]

    @dataclass
    class Fixed(Message):
        """Glossary fixes were applied to segment `n`."""

        n: int
        applied: int

    @dataclass
    class FindingsScanned(Message):
        """The glossary scan of the story finished (segment → findings)."""

        slug: str
        findings: dict[int, list[Finding]]

    def __init__(self, bench: Workbench, slug: str) -> None:
        """Edit story `slug` of `bench`'s desk home."""
        super().__init__()
        self.bench = bench
        self.slug = slug
        self.story: Story = bench.desk.store.load_story(slug)
        self.findings: dict[int, list[Finding]] | None = None
        self.current = self.story.segments[0].n if self.story.segments else 0
        self.base_version = 0
        """The current segment's version when its English was loaded into the editor."""

    # -- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Header, segment table, the current segment's panes, footer."""
        yield StatusHeader(id="status")
        arabic = self.bench.arabic_display
        yield SegmentTable(arabic_display=arabic, id="segments")
        with VerticalScroll(id="detail"):
            yield SourcePane(arabic_display=arabic, id="source")
            yield DraftPane(id="draft")
            yield EnglishEditor(id="english")
            with Vertical(id="below"):
                yield HiddenNotice(id="hidden")
                yield FindingsList(id="findings")
                yield DiffView(id="diff")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table, open the first segment, scan the glossary in a worker."""
        self.query_one(SegmentTable).show(self.story, {})
        self.show_segment(self.current)
        self.query_one(EnglishEditor).focus()
        self.scan(self.story)

    # -- the glossary scan (a worker: loading and checking may take a while) --

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def scan(self, story: Story) -> None:
        """Check every segment against the house glossary and post the findings back."""
        self.post_message(self.FindingsScanned(story.slug, self.bench.scan(story)))

    @on(FindingsScanned)
    def _scanned(self, event: FindingsScanned) -> None:
        """Show the scan's findings."""
        if event.slug == self.slug:
            self.findings = event.findings
            self.refresh_all()

    def recheck(self, seg: Segment) -> None:
        """Re-check one segment after a change (the enforcer is loaded by then)."""
        enforcer = self.bench.enforcer_if_loaded()
        if self.findings is None or enforcer is None:
            return
        found = enforcer.check(seg.text, seg.source)
        if found:
            self.findings[seg.n] = found
        else:
            self.findings.pop(seg.n, None)

    # -- showing ----------------------------------------------------------------

    def counts(self) -> dict[int, int]:
        """Segment → number of findings."""
        return {n: len(f) for n, f in (self.findings or {}).items()}

    def refresh_all(self) -> None:
        """Redraw the table, header and current segment from `self.story`."""
        self.query_one(SegmentTable).show(self.story, self.counts())
        self.refresh_detail()

    def refresh_detail(self) -> None:
        """Redraw the header and the current segment's read-only panes."""
        total = None if self.findings is None else sum(len(f) for f in self.findings.values())
        self.query_one(StatusHeader).show(self.story, total, self.bench.author, self.activity)
        seg = self.story.segment(self.current)
        self.query_one(SourcePane).show(seg)
        self.query_one(DraftPane).show(seg)
        found = None if self.findings is None else self.findings.get(seg.n, [])
        self.query_one(FindingsList).show(found)
        english = self.query_one(EnglishEditor).text
        self.query_one(HiddenNotice).show(english)
        self.query_one(DiffView).show(seg, english)

    def show_segment(self, n: int) -> None:
        """Make segment `n` current: load its English into the editor."""
        self.current = n
        seg = self.story.segment(n)
        self.base_version = seg.version
        editor = self.query_one(EnglishEditor)
        editor.load(seg.text)
        editor.read_only = self.story.status not in EDITABLE_STATUSES
        self.refresh_detail()

    def reload(self) -> None:
        """Read the story again after a write and redraw."""
        self.story = self.bench.desk.store.load_story(self.slug)
        for seg in self.story.segments:
            self.recheck(seg)
        self.refresh_all()

    # -- saving -----------------------------------------------------------------

    def save(self) -> bool:
        """Save the editor's English if it changed; False if refused or in conflict."""
        editor = self.query_one(EnglishEditor)
        if not editor.dirty:
            return True
        text = editor.text
        try:
            result = self.bench.desk.edit(
                self.slug, self.current, text, author=self.bench.author,
                expected_version=self.base_version,
            )  # fmt: skip
        except ConflictError:
            self.conflict(self.current, text)
            return False
        except DeskError as exc:
            self.refuse("save", exc)
            return False
        self.story = self.bench.desk.store.load_story(self.slug)
        seg = self.story.segment(self.current)
        self.base_version = seg.version
        editor.saved_text = seg.text
        self.recheck(seg)
        self.query_one(SegmentTable).update_segment(seg, len((self.findings or {}).get(seg.n, [])))
        self.refresh_detail()
        self.post_message(self.Saved(self.current, result.changed))
        return True

    def conflict(self, n: int, mine: str) -> None:
        """Someone else saved segment `n` first: show both texts and let the person choose."""
        self.story = self.bench.desk.store.load_story(self.slug)
        theirs = self.story.segment(n)

        def chosen(choice: str | None) -> None:
            """Keep mine (saved over theirs, recorded) or take theirs into the editor."""
            editor = self.query_one(EnglishEditor)
            self.base_version = theirs.version
            if choice == "mine" and self.current == n:
                editor.saved_text = theirs.text
                self.save()
            elif self.current == n:
                editor.load(theirs.text)
                self.refresh_all()

        self.app.push_screen(
            ConflictScreen(n, mine, theirs.text, theirs.updated_by or "someone"), chosen
        )

    @on(EnglishEditor.SaveRequested)
    def _save_requested(self, event: EnglishEditor.SaveRequested) -> None:
        """Autosave (timer or blur)."""
        self.save()

    @on(EnglishEditor.Changed)
    def _typed(self, event: EnglishEditor.Changed) -> None:
        """Keep the diff and the hidden-character notice in step with the typing."""
        seg = self.story.segment(self.current)
        self.query_one(HiddenNotice).show(event.text_area.text)
        self.query_one(DiffView).show(seg, event.text_area.text)

    @on(SegmentTable.SegmentHighlighted)
    def _highlighted(self, event: SegmentTable.SegmentHighlighted) -> None:
        """The table's cursor moved: save the segment left, open the new one."""
        if event.n == self.current:
            return
        if not self.save():
            self.query_one(SegmentTable).go_to(self.current)
            return
        self.show_segment(event.n)

    # -- moving -----------------------------------------------------------------

    def go(self, n: int) -> None:
        """Save and move to segment `n` (the table's cursor drives the change)."""
        if n == self.current or not self.save():
            return
        self.query_one(SegmentTable).go_to(n)
        self.show_segment(n)

    def action_next(self) -> None:
        """Next segment."""
        self.go(min(self.current + 1, len(self.story.segments)))

    def action_previous(self) -> None:
        """Previous segment."""
        self.go(max(self.current - 1, 1))

    def action_next_finding(self) -> None:
        """Next segment with findings, wrapping round."""
        if not self.findings:
            self.notify("No glossary findings in this story.")
            return
        numbers = sorted(self.findings)
        later = [n for n in numbers if n > self.current]
        self.go((later or numbers)[0])

    def action_back(self) -> None:
        """Save and return to the story list."""
        if self.save():
            self.app.pop_screen()

    # -- editing actions --------------------------------------------------------

    def action_confirm_next(self) -> None:
        """Save, confirm the current segment, go to the next."""
        if not self.save():
            return
        try:
            done = self.bench.desk.confirm(self.slug, [self.current], author=self.bench.author)
        except DeskError as exc:
            self.refuse("confirm", exc)
            return
        self.post_message(self.Confirmed(done))
        self.reload()
        self.action_next()

    def action_confirm_all(self) -> None:
        """Save, then confirm every segment."""
        if not self.save():
            return
        try:
            done = self.bench.desk.confirm(self.slug, None, author=self.bench.author)
        except DeskError as exc:
            self.refuse("confirm", exc)
            return
        self.post_message(self.Confirmed(done))
        self.notify(f"Confirmed {len(done)} segment(s).")
        self.reload()

    def action_fix(self) -> None:
        """Save, then apply the segment's automatic glossary fixes as a glossary revision."""
        self.apply_fixes(None)

    def action_fix_one(self, n: int) -> None:
        """Save, then apply only the segment's n-th fixable finding (one glossary revision)."""
        self.apply_fixes(n)

    def apply_fixes(self, pick: int | None) -> None:
        """Apply all fixable findings of the segment, or only the pick-th."""
        enforcer = self.bench.enforcer_if_loaded()
        if enforcer is None:
            self.notify("No glossary loaded (yet).", severity="warning")
            return
        if not self.save():
            return
        try:
            report = fix_story(
                self.bench.desk, self.slug, enforcer, requested_by=self.bench.author,
                numbers=[self.current], pick=pick,
            )  # fmt: skip
        except DeskError as exc:
            self.refuse("apply glossary fixes", exc)
            return
        applied = len(report.fixed.get(self.current, []))
        self.post_message(self.Fixed(self.current, applied))
        if not applied:
            self.notify("Nothing to fix automatically in this segment.")
            return
        self.reload()
        self.show_segment(self.current)

    def action_revert(self) -> None:
        """Put the machine draft back as the English and save it."""
        seg = self.story.segment(self.current)
        if not seg.draft:
            self.notify("This segment has no draft.", severity="warning")
            return
        self.query_one(EnglishEditor).load_text(seg.draft)
        self.save()

    def action_toggle_diff(self) -> None:
        """Show or hide the diff."""
        self.query_one(DiffView).toggle_class("-hidden")

    def action_history(self) -> None:
        """Save, then show the story's history."""
        if self.save():
            self.app.push_screen(HistoryScreen(self.bench, self.slug))

    def action_segment_history(self) -> None:
        """Save, then show the history of this segment."""
        if self.save():
            self.app.push_screen(HistoryScreen(self.bench, self.slug, segment=self.current))

    def action_glossary(self) -> None:
        """Save, then show the story's glossary entries; a change re-checks the story."""
        selected = self.query_one(EnglishEditor).selected_text
        if not self.save():
            return

        def closed(changed: bool | None) -> None:
            """The glossary files changed: scan the story again with the new glossary."""
            if changed:
                self.bench.reload_glossary()
                self.findings = None
                self.refresh_all()
                self.scan(self.story)

        self.app.push_screen(GlossaryPanelScreen(self.bench, self.story, selected), closed)
