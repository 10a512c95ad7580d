"""The translation memory in the editor: matches looked up in the background, one picked,
inserted into the English, and the concordance.

A non-visual widget the editor mounts. Its worker looks the current segment's matches up
through the application layer (desk/app/memory.py) on a store connection of its own and
posts them back; a result for a segment the person has left is dropped. The editing
session keeps the matches and the one picked; inserting goes through it as a `tm`
revision, with the same version check and conflict dialog as any save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from desk.app.editing import EditorSession
from desk.core.errors import ConflictError, DeskError
from desk.core.tm.match import Match
from desk.tui.context import Workbench
from desk.tui.screens.concordance import ConcordanceScreen
from desk.tui.screens.editor_keys import EDITOR_BINDINGS
from desk.tui.screens.editor_messages import tell_refusal
from desk.tui.screens.keymap import keys_of
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.matches_pane import MatchesPane
from desk.tui.widgets.segment_detail import SegmentDetail

ARROWS = {"up": "↑", "down": "↓", "left": "←", "right": "→"}
"""Arrow keys as the matches pane's header names them."""


class MemoryMatches(Widget):
    """The current segment's matches from the translation memory, and what to do with them."""

    DEFAULT_CSS = "MemoryMatches { display: none; }"

    @dataclass
    class Found(Message):
        """The memory's matches for segment `n` of story `slug` (or why there are none:
        `error`)."""

        slug: str
        n: int
        matches: list[Match] = field(default_factory=list)
        error: str = ""

    @dataclass
    class Inserted(Message):
        """A match's English went into segment `n`: unit `unit_id` of `origin`."""

        n: int
        unit_id: int
        origin: str
        label: str

    def __init__(
        self,
        workbench: Workbench,
        session: EditorSession,
        *,
        save: Callable[[], bool],
        conflict: Callable[[int, str, Callable[[], None]], None],
        redraw: Callable[[], None],
    ) -> None:
        """Matches for `session`'s segments; `save()` saves the English typed (False:
        refused), `conflict(n, text, again)` shows the conflict dialog (`again()` when the
        person keeps their text), `redraw()` draws the segment after an insert."""
        super().__init__()
        self.workbench = workbench
        self.session = session
        self.save = save
        self.conflict = conflict
        self.redraw = redraw

    @property
    def detail(self) -> SegmentDetail:
        """The segment's panes, the matches pane and the diff among them."""
        return self.screen.query_one(SegmentDetail)

    def opened(self, n: int) -> None:
        """Segment `n` is open: look its matches up unless they are known already."""
        if self.session.matches is None:
            self.draw()
            self.look_up(n)

    @work(thread=True, exclusive=True, exit_on_error=False, group="memory")
    def look_up(self, n: int) -> None:
        """Find segment `n`'s matches on a connection of the worker's own; post them."""
        slug = self.session.slug
        try:
            with self.workbench.home.open() as desk:
                found = self.session.find_matches(desk, n)
        except Exception as exc:  # the memory is advice: failing, it must not stop the editor
            reason = str(exc) if isinstance(exc, DeskError) else type(exc).__name__
            self.post_message(self.Found(slug, n, [], reason))
            return
        self.post_message(self.Found(slug, n, found))

    @on(Found)
    def _found(self, event: Found) -> None:
        """Show the matches, unless the person has moved on from their segment."""
        event.stop()
        if event.slug == self.session.slug and self.session.found_matches(event.n, event.matches):
            self.draw(event.error)

    def draw(self, error: str = "") -> None:
        """Draw the matches pane (and the diff, which may compare with the one picked)."""
        s = self.session
        if error:
            note = f"unavailable ({error})"
        else:
            note = f"no match of {self.workbench.home.config.memory_threshold}% or more"
        keys = f"{self.key('insert_match')} inserts ▶, {self.key('next_match')} picks"
        self.detail.show_matches(s.matches, s.pick, note=note, keys=keys)

    def key(self, action: str) -> str:
        """The first key of `action` as a person names it (`Ctrl+Shift+↓`); the config may
        have rebound it."""
        for binding in EDITOR_BINDINGS:
            if isinstance(binding, Binding) and binding.action == action:
                key = keys_of(binding, self.app._keymap)[0]
                return "+".join(ARROWS.get(part, part.capitalize()) for part in key.split("+"))
        return action

    def pick(self, step: int) -> None:
        """Mark the next (1) or previous (-1) match."""
        if self.session.pick_match(step) is None:
            self.notify("No match from the memory for this segment.")
            return
        self.draw()
        self.screen.query_one(MatchesPane).scroll_visible(animate=False)

    def insert(self) -> None:
        """Save the English typed, then put the picked match's English in its place (a
        `tm` revision); someone else's save meanwhile opens the conflict dialog."""
        picked = self.session.picked()
        if picked is None:
            self.notify("No match from the memory for this segment.")
            return
        if not self.save():
            return
        n = self.session.current
        try:
            _, inserted = self.session.insert_match()
        except ConflictError:
            self.conflict(n, picked.target, self.insert)
            return
        except DeskError as exc:
            tell_refusal(self, "insert the match", exc)
            return
        self.redraw()
        unit = inserted.unit
        self.post_message(self.Inserted(n, unit.id, unit.origin, inserted.label()))
        self.notify(f"Inserted the {inserted.label()} match from {unit.where()}.")

    def concordance(self) -> None:
        """Search the whole memory; the English chosen goes into the box at the cursor."""
        editor = self.screen.query_one(EnglishEditor)

        def chosen(english: str | None) -> None:
            if not english:
                return
            if editor.read_only:
                self.notify("The story is published: F12 starts a correction.", severity="warning")
                return
            editor.insert_at_cursor(english)
            editor.focus()

        self.app.push_screen(ConcordanceScreen(self.workbench, editor.selected_text), chosen)
