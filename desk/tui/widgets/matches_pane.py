"""The translation memory's matches for the current segment, best first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from desk.core.diffing import DiffOp
from desk.core.tm.match import EXACT, Match
from desk.tui.arabic import DEFAULT_ARABIC_DISPLAY, display_arabic_runs
from desk.tui.visible import printable, visible_text
from desk.tui.widgets.diff_view import DELETED, INSERTED

PICKED = "▶"
"""The mark beside the match an insert takes."""


def arabic_runs(ops: Sequence[DiffOp]) -> list[tuple[str, str]]:
    """The word diff of a match's Arabic (before) against the segment's (after) as styled
    runs in the segment's order: the match's words the segment lacks struck, the
    segment's words the match lacks underlined."""
    runs: list[tuple[str, str]] = []
    for op in ops:
        if op.tag == "equal":
            runs.append((printable(op.after_text), ""))
            continue
        if op.before:
            runs.append((printable(op.before_text), DELETED))
        if op.after:
            runs.append((printable(op.after_text), INSERTED))
    return runs


class MatchesPane(Static):
    """Each match: its percentage, where it came from, the diff of its Arabic against the
    segment's (right to left), and its English; the one an insert takes is marked.

    Text from the memory (another tool's TMX among it) is drawn as text: markers for
    invisible characters, `�` for control characters, never markup."""

    DEFAULT_CSS = """
    MatchesPane {
        padding: 0 1;
    }
    MatchesPane.-quiet {
        color: $text-muted;
    }
    """

    def __init__(self, *, arabic_display: str = DEFAULT_ARABIC_DISPLAY, id: str | None = None):
        """A pane drawing the matches' Arabic in `arabic_display` mode."""
        super().__init__(id=id)
        self.arabic_display = arabic_display
        self.matches: list[Match] | None = None
        """The matches shown (None: being looked up)."""
        self.pick = 0
        """The match marked as the one an insert takes."""
        self.note = ""
        """Why there are none (the threshold), or why the memory could not be read."""
        self.keys = ""
        """The keys of the matches, as the header names them."""

    def show(
        self, matches: Sequence[Match] | None, pick: int = 0, *, note: str = "", keys: str = ""
    ) -> None:
        """Show `matches` (None: being looked up) with number `pick` (from 0) marked; `note`
        says why there are none; `keys` names the keys that insert and pick."""
        self.matches = None if matches is None else list(matches)
        self.pick, self.note, self.keys = pick, note, keys
        self._draw()

    def on_resize(self, event: Resize) -> None:
        """Wrap the Arabic to the new width."""
        self._draw()

    @property
    def lines(self) -> list[str]:
        """The lines as drawn (for the tests)."""
        return self.text.plain.splitlines()

    @property
    def text(self) -> Text:
        """The pane's text: a header, then each match."""
        width = max(self.content_size.width or 78, 20)
        if self.matches is None:
            return Text("Memory: looking…")
        if not self.matches:
            return Text(f"Memory: {self.note or 'no match'}")
        count = len(self.matches)
        out = Text(f"Memory: {count} match{'' if count == 1 else 'es'}", style="bold")
        if self.keys:
            out.append(f"  ({self.keys})")
        for i, m in enumerate(self.matches):
            out.append("\n")
            out.append_text(self._match(i, m, width))
        return out

    def _match(self, i: int, m: Match, width: int) -> Text:
        """One match: its header line, its Arabic diff right-aligned, its English."""
        picked = i == self.pick
        text = Text(f"{PICKED if picked else ' '} {i + 1}. ", style="bold" if picked else "")
        text.append(m.label(), style="bold green" if m.score >= EXACT else "bold yellow")
        text.append("  ")
        visible_text(printable(m.unit.where()), "italic", into=text)
        if m.repairs:
            text.append("  ")
            visible_text(printable(", ".join(m.repairs)), into=text)
        for line in display_arabic_runs(arabic_runs(m.diff), self.arabic_display, width):
            text.append("\n" + " " * max(0, width - line.cell_len))
            text.append_text(line)
        text.append("\n")
        visible_text(printable(m.target), into=text)
        return text

    def _draw(self) -> None:
        """Put the text on screen (the quiet look when there is no match to show)."""
        self.set_class(not self.matches, "-quiet")
        self.update(self.text)
