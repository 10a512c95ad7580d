"""The editing session of one story: the state and rules behind the workbench's editor.

A plain object, no UI: which segment is current, the version its English was read at
(so a save over someone else's is a conflict, not a loss), the glossary findings, and
every action the editor offers (save, confirm, move, fix, revert, undo, status moves,
export, corrections, the translation memory's matches and inserting one). Each action
calls the application service and raises DeskError when refused (ConflictError when
someone else saved the segment first, GateRefused with the QA gate's problems); the
screen shows the refusal and redraws.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from desk.app import memory, recovery
from desk.app.finding_numbers import FindingNumbers
from desk.app.home import Home
from desk.app.segment_filter import SegmentFilter, matches, shown
from desk.app.service import Desk, EditResult, GateRefused
from desk.app.spelling import Spelling
from desk.core.errors import DeskError, InputError, RefusedError, UnavailableError
from desk.core.glossary.findings import Finding
from desk.core.glossary.stories import check_story
from desk.core.qa import Problem
from desk.core.store import Revision
from desk.core.store.live import LEASE_SECONDS
from desk.core.story import (
    EDITABLE_STATUSES,
    Segment,
    SegmentStatus,
    Story,
    StoryStatus,
    check_editable,
    check_transition,
)
from desk.core.tm.match import Match

MATCHES_SHOWN = 5
"""The translation memory's matches the editor shows for a segment at most."""


class EditorSession:
    """One person editing one story of a desk home."""

    def __init__(self, home: Home, slug: str, author: str) -> None:
        """Open story `slug` (NotFoundError if there is none) at its first segment."""
        self.home = home
        self.slug = slug
        self.author = author
        self.story: Story = self.desk.store.load_story(slug)
        self.current = self.story.segments[0].n if self.story.segments else 0
        """The segment being edited."""
        self.base_version = self.segment().version if self.story.segments else 0
        """The current segment's version when its English was read: a save expects it."""
        self.search_text = ""
        """The last text searched for in the story (the search starts with it)."""
        self.kept = recovery.kept(home.path, slug)
        """English typed but never saved (recovery file), by segment: offered back."""
        self.findings: dict[int, list[Finding]] | None = None
        """Glossary findings per segment (segments without any left out); None: not
        scanned yet."""
        self.filter = SegmentFilter()
        """Which segments the editor shows (and its moves keep to)."""
        self.numbers = FindingNumbers()
        """The current segment's finding numbers, held while it stays open."""
        self.visit = ""
        """The present visit to the current segment: its saves undo as one change."""
        self.spelling = Spelling()
        """Words of the English the dictionary does not know (advice, not a gate item)."""
        self.session_id = uuid.uuid4().hex
        """This editor's session, as its leases name it."""
        self.others: dict[int, str] = {}
        """Segments others are typing in now (their leases), by number: who."""
        self._leased: tuple[int, float] | None = None
        """The segment this session holds a lease on, and when it was last renewed."""
        self.matches: list[Match] | None = None
        """The translation memory's matches for the current segment, best first (None:
        not looked up yet)."""
        self.matches_n = 0
        """The segment `matches` were looked up for (0: none yet)."""
        self.pick = 0
        """The match chosen among `matches`: the one an insert takes (the best at first)."""

    @property
    def desk(self) -> Desk:
        """The application service over the home's store."""
        return self.home.desk

    # -- reading -------------------------------------------------------------------

    def segment(self, n: int | None = None) -> Segment:
        """Segment `n`, else the current one, as last read."""
        return self.story.segment(self.current if n is None else n)

    @property
    def editable(self) -> bool:
        """Whether the story's English may change now (not published)."""
        return self.story.status in EDITABLE_STATUSES

    def open(self, n: int) -> Segment:
        """Make segment `n` current; its English is read at its present version. Opening
        another segment starts a new visit and numbers its findings afresh."""
        seg = self.story.segment(n)
        if n != self.current or not self.visit:
            self.new_visit()
        if n != self.current:
            self.leave()
        if n != self.matches_n:
            self.matches, self.matches_n, self.pick = None, 0, 0
        self.current = n
        self.numbers.start(n)
        self.base_version = seg.version
        return seg

    # -- the live desk: leases -------------------------------------------------------

    def typing(self) -> str | None:
        """The person typed in the current segment: take or renew its lease (at most
        every third of its life); the name of someone else who holds it, if anyone."""
        now = time.monotonic()
        leased = self._leased
        if leased and leased[0] == self.current and now - leased[1] < LEASE_SECONDS / 3:
            return None
        try:
            other = self.desk.store.take_lease(
                self.story.id or 0, self.current, self.author, self.session_id
            )
        except (DeskError, sqlite3.Error, OSError):
            return None  # a lease is a courtesy: the save says what is wrong with the store
        if other is None:
            self._leased = (self.current, now)
        return other

    def leave(self) -> None:
        """Drop this session's lease, if it holds one (never fails the caller)."""
        if self._leased is None:
            return
        self._leased = None
        with contextlib.suppress(DeskError, sqlite3.Error, OSError):
            self.desk.store.drop_lease(self.story.id or 0, self.session_id)

    def refresh_leases(self) -> dict[int, str]:
        """Read who else is typing where (kept in `others`; unchanged if the store is away)."""
        with contextlib.suppress(DeskError, sqlite3.Error):
            self.others = self.desk.store.leases(self.story.id or 0, besides=self.session_id)
        return self.others

    def new_visit(self) -> None:
        """Saves from now on are a change of their own (an undo is never folded into the
        typing before or after it)."""
        self.visit = uuid.uuid4().hex[:16]

    # -- where the person was ----------------------------------------------------------

    @property
    def _position_key(self) -> str:
        """The desk setting holding where this person left this story."""
        return f"position:{self.author}:{self.slug}"

    def last_position(self) -> int | None:
        """The segment this person was on when they last left the story (None: never
        opened, or that segment is gone)."""
        try:
            n = int(self.desk.store.setting(self._position_key, "0"))
        except (ValueError, sqlite3.Error, DeskError):
            return None
        return n if any(s.n == n for s in self.story.segments) else None

    def remember_position(self) -> None:
        """Note the current segment for the next open (never fails the caller: a locked
        store only means the next open starts at segment 1)."""
        with contextlib.suppress(DeskError, sqlite3.Error, OSError):
            if self.last_position() != self.current:
                self.desk.store.set_setting(self._position_key, str(self.current), self.author)

    def first_n(self) -> int:
        """Where the editor opens: the first segment with unsaved English kept for it, else
        where this person left the story, else the first segment."""
        return self.first_recovered() or self.last_position() or self.current

    def go_to_n(self, typed: str) -> int:
        """The segment a typed "go to" names (InputError: not a segment of the story)."""
        if not typed.strip():
            raise InputError(f"type a segment number, 1 to {len(self.story.segments)}")
        try:
            n = int(typed.strip().lstrip("#"))
        except ValueError:
            raise InputError(f"{typed.strip()!r} is not a segment number") from None
        if not any(s.n == n for s in self.story.segments):
            raise InputError(f"this story has segments 1 to {len(self.story.segments)}, no {n}")
        return n

    # -- the segments shown ------------------------------------------------------------

    def shown(self) -> list[int]:
        """The segments the filter shows, in order, and the current one: a segment you
        are on stays shown until you leave it (a fix or a confirm that takes it out of
        the filter does not move you)."""
        numbers = shown(self.story.segments, self.filter, self.findings or {})
        if self.current not in numbers and any(s.n == self.current for s in self.story.segments):
            numbers = sorted([*numbers, self.current])
        return numbers

    def set_filter(self, chosen: SegmentFilter) -> list[int]:
        """Show only the segments `chosen` keeps; those, in order. A filter that keeps
        none is not applied (the one before stays) and [] is returned."""
        matching = shown(self.story.segments, chosen, self.findings or {})
        if matching:
            self.filter = chosen
        return matching

    def reload(self) -> None:
        """Read the story again (after a write, or someone else's) and re-check it."""
        self.story = self.desk.store.load_story(self.slug)
        for seg in self.story.segments:
            self.recheck(seg)

    def next_n(self) -> int:
        """The next segment the filter shows (the last stays the last)."""
        later = [n for n in self.shown() if n > self.current]
        return later[0] if later else self.current

    def previous_n(self) -> int:
        """The previous segment the filter shows (the first stays the first)."""
        earlier = [n for n in self.shown() if n < self.current]
        return earlier[-1] if earlier else self.current

    def find_next(self, text: str) -> int | None:
        """The next segment after the current one whose English or Arabic holds `text`,
        wrapping round to the current one (None: no segment holds it)."""
        return next_match(self.story.segments, self.current, text)

    def next_finding_n(self) -> int | None:
        """The next segment with glossary findings among those shown, wrapping round
        (None: there is none)."""
        if not self.findings:
            return None
        visible = set(self.shown())
        numbers = [n for n in sorted(self.findings) if n in visible]
        if not numbers:
            return None
        later = [n for n in numbers if n > self.current]
        return (later or numbers)[0]

    # -- the translation memory ---------------------------------------------------------

    def find_matches(self, desk: Desk, n: int) -> list[Match]:
        """The memory's matches for segment `n`, best first, down to `[memory] threshold`
        (from a worker: it reads through `desk`, a connection of the worker's own)."""
        threshold = self.home.config.memory_threshold
        return memory.matches(desk, self.slug, n, threshold=threshold, limit=MATCHES_SHOWN)

    def found_matches(self, n: int, found: list[Match]) -> bool:
        """Take the matches looked up for segment `n`, the best one picked; False (and
        dropped) when the person has left segment `n` meanwhile."""
        if n != self.current:
            return False
        self.matches, self.matches_n, self.pick = found, n, 0
        return True

    def picked(self) -> Match | None:
        """The match chosen among the current segment's (None: none, or not looked up)."""
        if not self.matches:
            return None
        return self.matches[min(self.pick, len(self.matches) - 1)]

    def pick_match(self, step: int) -> Match | None:
        """Choose the next (`step` 1) or previous (-1) match, wrapping round; the one
        chosen (None: there are none)."""
        if not self.matches:
            return None
        self.pick = (self.pick + step) % len(self.matches)
        return self.matches[self.pick]

    def insert_match(self) -> tuple[EditResult, Match]:
        """Put the chosen match's English (repaired where it was) into the current segment:
        a `tm` revision naming the unit and its origin, expecting the version the English
        was read at (ConflictError if someone else saved it meanwhile). It is a change of
        its own: an undo takes it back alone. RefusedError when there is no match."""
        chosen = self.picked()
        if chosen is None:
            raise RefusedError(f"segment {self.current} has no match in the translation memory")
        self.new_visit()
        try:
            result, inserted = memory.insert(
                self.desk, self.slug, self.current, chosen.unit.id, author=self.author,
                expected_version=self.base_version, visit=self.visit,
            )  # fmt: skip
        except (sqlite3.Error, OSError) as exc:
            raise NotSaved(
                f"the desk database is unavailable: {exc}. The match was not inserted"
            ) from None
        finally:
            self.new_visit()
        self.saved(self.current)
        self._after_write()
        return result, inserted

    # -- the glossary ----------------------------------------------------------------

    def scan(self, story: Story) -> dict[int, list[Finding]]:
        """Findings of every segment of `story` (safe from a worker: reads no store)."""
        enforcer = self.home.enforcer()
        if enforcer is None:
            return {}
        return {r.n: r.findings for r in check_story(story, enforcer)}

    def misspelt(self, n: int | None = None) -> list[str]:
        """Segment `n`'s (else the current one's) misspelt words, less those a glossary
        finding names already (its fix is the house spelling)."""
        n = self.current if n is None else n
        named = " ".join(f.found for f in (self.findings or {}).get(n, []))
        return [w for w in self.spelling.words.get(n, []) if _bare(w) not in named]

    def spell_scan(self, story: Story) -> dict[int, list[str]]:
        """Check the spelling of every segment (from a worker: the dictionary takes about
        a second to load, once per process); InputError if the dictionary cannot be read."""
        return self.spelling.scan(story, self.home.config.spelling, self.home.enforcer())

    def recheck(self, seg: Segment) -> None:
        """Check one segment again after a change (once a scan has loaded the glossary)."""
        enforcer = self.home.enforcer_if_loaded()
        if self.findings is None or enforcer is None:
            return
        found = enforcer.check(seg.text, seg.source)
        if found:
            self.findings[seg.n] = found
        else:
            self.findings.pop(seg.n, None)
        self.spelling.recheck(seg)

    def numbered(self, n: int | None = None) -> list[tuple[int | None, Finding]] | None:
        """Segment `n`'s (else the current one's) findings with the numbers Shift+F<N>
        takes (None: not scanned yet); the current segment's numbers hold while it is open."""
        if self.findings is None:
            return None
        found = self.findings.get(self.current if n is None else n, [])
        if n is None or n == self.current:
            return self.numbers.number(found)
        return FindingNumbers().number(found)

    def counts(self) -> dict[int, int]:
        """Segment → number of findings."""
        return {n: len(f) for n, f in (self.findings or {}).items()}

    def total_findings(self) -> int | None:
        """Open findings in the story (None: not scanned yet)."""
        return None if self.findings is None else sum(len(f) for f in self.findings.values())

    def fix(self, pick: int | None = None) -> int:
        """Apply the current segment's automatic glossary fixes (listed spellings), or with
        `pick` accept its pick-th suggestion of any kind, as a `glossary` revision by the
        person; returns how many were applied."""
        enforcer = self.home.enforcer_if_loaded()
        if enforcer is None:
            raise RefusedError("no glossary loaded (yet)")
        if pick is None:
            report = self.desk.fix(
                self.slug, enforcer, requested_by=self.author, numbers=[self.current]
            )
            applied = len(report.fixed.get(self.current, []))
        else:
            # `pick` is the number shown, held since the segment was opened.
            found = enforcer.check(self.segment().text, self.segment().source)
            index = self.numbers.index(found, pick)
            if index is None:
                raise RefusedError(f"segment {self.current} has no finding number {pick} now")
            self.desk.accept(self.slug, self.current, index, enforcer, author=self.author)
            applied = 1
        if applied:
            self.reload()
            self.open(self.current)
        return applied

    def save(self, text: str) -> EditResult:
        """Save `text` as the current segment's English, expecting the version it was
        read at (ConflictError if someone else saved it meanwhile). When the store or
        the disk refuses (locked past the timeout, full), the text is kept in the
        recovery file and NotSaved says so."""
        n = self.current
        try:
            result = self.desk.edit(
                self.slug, n, text, author=self.author, expected_version=self.base_version,
                visit=self.visit,
            )  # fmt: skip
        except (sqlite3.Error, OSError, UnavailableError) as exc:
            where = self.keep(n, text)
            kept = f"kept in {where}" if where else "the disk refused to keep it too"
            raise NotSaved(
                f"the desk database is unavailable: {exc}. Your English of segment {n} "
                f"stays in the box ({kept})"
            ) from None
        self.saved(n)
        self._after_write()
        return result

    def save_or_keep(self, text: str) -> None:
        """On quit or hang-up: save `text`, or keep it for the next open; never raises."""
        try:
            self.save(text)
        except (DeskError, sqlite3.Error, OSError):
            self.keep(self.current, text)

    def keep(self, n: int, text: str) -> Path | None:
        """Keep segment `n`'s unsaved English in the recovery file (None: the disk
        refused that too)."""
        try:
            where = recovery.keep(self.home.path, self.slug, n, text, self.base_version)
        except (OSError, DeskError):  # write_atomic says "cannot write" as an InputError
            return None
        self.kept[n] = recovery.Kept(n, text, self.base_version, "")
        return where

    def saved(self, n: int) -> None:
        """Segment `n` is saved: what was kept for it is no longer needed."""
        if n in self.kept:
            del self.kept[n]
            # A stale entry would only offer back the text just saved, which is skipped.
            with contextlib.suppress(OSError):
                recovery.forget(self.home.path, self.slug, n)

    def recovered(self, n: int) -> recovery.Kept | None:
        """The kept English of segment `n` to offer back now, if it differs from the
        saved one; the version it was typed over becomes the one a save expects."""
        back = self.kept.get(n)
        if back is None or back.text.strip() == self.segment(n).text.strip():
            if back is not None:
                self.saved(n)
            return None
        self.base_version = back.base_version
        return back

    def first_recovered(self) -> int | None:
        """The first segment with kept English, if any."""
        numbers = [n for n in sorted(self.kept) if any(s.n == n for s in self.story.segments)]
        return numbers[0] if numbers else None

    def theirs(self, n: int) -> Segment:
        """After a conflict on segment `n`: the story read again, their segment."""
        self.story = self.desk.store.load_story(self.slug)
        return self.story.segment(n)

    def rebase(self, seg: Segment) -> None:
        """Take `seg`'s version as the one the English was read at (after a conflict)."""
        self.base_version = seg.version

    def revert(self) -> EditResult:
        """Put the current segment's machine draft back as its English."""
        result = self.desk.revert(
            self.slug, self.current, author=self.author, expected_version=self.base_version
        )
        self._after_write()
        return result

    def last_change(self) -> Revision | None:
        """The current segment's last saved change of its English (None: none yet)."""
        return self.desk.last_change(self.slug, self.current)

    def undo(self, last: Revision | None = None) -> Revision | None:
        """Undo the current segment's last saved change (`last`, if looked up already) as
        a new edit; the revision undone, or None when there is nothing to undo."""
        last = last or self.last_change()
        if last is None:
            return None
        self.new_visit()
        self.save(last.before)
        self.new_visit()
        self.reload()
        self.open(self.current)
        return last

    def confirm(self, numbers: list[int] | None) -> list[int]:
        """Confirm these segments (every one with None); those newly confirmed."""
        done = self.desk.confirm(self.slug, numbers, author=self.author)
        self.reload()
        return done

    def _after_write(self) -> None:
        """Read the story again and take the current segment's new version."""
        self.story = self.desk.store.load_story(self.slug)
        seg = self.segment()
        self.base_version = seg.version
        self.recheck(seg)

    # -- the workflow ------------------------------------------------------------------

    def move(self, target: StoryStatus) -> StoryStatus:
        """Move the story to `target` (GateRefused names what blocks approve/publish)."""
        if target == StoryStatus.PUBLISHED:
            status = self.desk.publish(self.slug, author=self.author)
        else:
            status = self.desk.set_status(self.slug, target, author=self.author)
        self.reload()
        return status

    def export(self) -> Path:
        """Export like `desk export SLUG` with the config's profile and folder."""
        done = self.home.export(self.slug, author=self.author)
        assert done.path is not None
        return done.path

    def may_correct(self) -> bool:
        """True if a correction may start now; else WorkflowError says why."""
        check_transition(self.desk.store.load_story(self.slug).status, StoryStatus.CORRECTING)
        return True

    def correct(self, note: str) -> StoryStatus:
        """Open a correction of the published story with `note`."""
        status = self.desk.correct(self.slug, note, author=self.author)
        self.reload()
        return status

    def may_edit(self) -> bool:
        """True if the story may change now (as the store has it); else WorkflowError."""
        check_editable(self.desk.store.load_story(self.slug).status)
        return True

    def untouched(self) -> list[int]:
        """Segments nobody has edited or confirmed (a story-wide redraft takes these)."""
        return [s.n for s in self.story.segments if s.status == SegmentStatus.DRAFT]


def next_match(segments: Iterable[Segment], current: int, query: str) -> int | None:
    """The first matching segment after `current`, wrapping round to `current` itself."""
    ordered = sorted(segments, key=lambda s: s.n)
    later = [s for s in ordered if s.n > current]
    earlier = [s for s in ordered if s.n <= current]
    for seg in later + earlier:
        if matches(seg, query):
            return seg.n
    return None


class NotSaved(DeskError):
    """A save the store or the disk refused; the English is kept for a retry."""

    exit_code = 6


def gate_problems(exc: Exception) -> list[Problem]:
    """The QA gate's problems behind a refusal (empty for any other refusal)."""
    return exc.problems if isinstance(exc, GateRefused) else []


def _bare(word: str) -> str:
    """`word` without a possessive ending (Latakia's, Latakia’s, Idlib' → the name)."""
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)]
    return word
