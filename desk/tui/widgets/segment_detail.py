"""The current segment in full: Arabic, machine draft, the English box, findings, diff, and
the translation memory's matches."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll

from desk.core.glossary.findings import Finding
from desk.core.story import Segment
from desk.core.tm.match import Match
from desk.tui.visible import printable
from desk.tui.widgets.diff_view import DiffView
from desk.tui.widgets.draft_pane import DraftPane
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.findings_list import FindingsList
from desk.tui.widgets.hidden_notice import HiddenNotice
from desk.tui.widgets.matches_pane import MatchesPane
from desk.tui.widgets.source_pane import SourcePane
from desk.tui.widgets.spelling_notice import SpellingNotice


class SegmentDetail(VerticalScroll):
    """The panes of one segment; the diff and hidden-character notice follow the typing."""

    def __init__(self, *, arabic_display: str, id: str | None = None) -> None:
        """Panes drawing Arabic in `arabic_display` mode."""
        super().__init__(id=id)
        self.arabic_display = arabic_display
        self.segment: Segment | None = None
        """The segment shown."""

    def compose(self) -> ComposeResult:
        """Arabic, draft, English box, then the notices, findings, diff and matches below it."""
        yield SourcePane(arabic_display=self.arabic_display, id="source")
        yield DraftPane(id="draft")
        yield EnglishEditor(id="english")
        with Vertical(id="below"):
            yield HiddenNotice(id="hidden")
            yield FindingsList(arabic_display=self.arabic_display, id="findings")
            yield SpellingNotice(id="spelling")
            yield DiffView(id="diff")
            yield MatchesPane(arabic_display=self.arabic_display, id="matches")

    def show(
        self,
        seg: Segment,
        findings: Sequence[tuple[int | None, Finding]] | None,
        spelling: Sequence[str] = (),
        variant: str = "",
    ) -> None:
        """Draw `seg` (its English as the box holds it), its numbered findings (None: not
        scanned yet) and its misspelt words (`variant`: the dictionary's name)."""
        self.segment = seg
        self.query_one(SourcePane).show(seg)
        self.query_one(DraftPane).show(seg)
        self.query_one(FindingsList).show(findings)
        self.query_one(SpellingNotice).show(spelling, variant)
        self._follow(self.query_one(EnglishEditor).text)

    def show_matches(
        self, matches: Sequence[Match] | None, pick: int, *, note: str = "", keys: str = ""
    ) -> None:
        """Draw the memory's matches (None: being looked up), number `pick` marked; the
        diff compares with that one when it is set to (Ctrl+T)."""
        self.query_one(MatchesPane).show(matches, pick, note=note, keys=keys)
        picked = matches[pick] if matches and 0 <= pick < len(matches) else None
        diff = self.query_one(DiffView)
        diff.match = None if picked is None else (picked.label(), printable(picked.target))
        self._follow(self.query_one(EnglishEditor).text)

    def compare_with(self, against: str) -> None:
        """Diff the English against the `draft` or the `match` chosen."""
        self.query_one(DiffView).against = against
        self._follow(self.query_one(EnglishEditor).text)

    @on(EnglishEditor.Changed)
    def _typed(self, event: EnglishEditor.Changed) -> None:
        """Keep the diff and the hidden-character notice in step with the typing."""
        self._follow(event.text_area.text)

    def _follow(self, english: str) -> None:
        """Redraw what depends on the English being typed."""
        self.query_one(HiddenNotice).show(english)
        if self.segment is not None:
            self.query_one(DiffView).show(self.segment, english)
