"""Every operation that changes a story, written once for the CLI and the workbench.

Import, draft, glossary fixes, edit, revert, undo, confirm, status moves through the QA
gate, publish, correct, delete and export. Each is checked against the workflow and
written in one transaction; every revision goes through the store's one writer,
`Store.record`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from desk.app.engines import DraftPlan, plan_draft
from desk.app.memory import pretranslations, propagate
from desk.app.results import EditResult as EditResult  # callers import it from here
from desk.core import qa
from desk.core.clock import Clock
from desk.core.engine.base import Draft, Engine, EngineError, draft_problem
from desk.core.errors import DeskError, InputError, NotFoundError, RefusedError
from desk.core.export import Export, build
from desk.core.glossary.findings import Finding, FindingKind, apply_fixes
from desk.core.glossary.stories import fix_note
from desk.core.history import fold_visits
from desk.core.importer import ImportOptions, ImportResult, load_source
from desk.core.qa import number_ranges
from desk.core.slugs import slug_from_text
from desk.core.store import Revision, Store, utc_now
from desk.core.story import (
    RevisionKind,
    Role,
    Roles,
    Segment,
    SegmentStatus,
    Story,
    StoryStatus,
    check_editable,
    check_transition,
)

if TYPE_CHECKING:
    from desk.core.glossary.enforce import Enforcer

T = TypeVar("T")

DEFAULT_CREDIT = "Translated and edited by The Syrian Observer"

MAX_SEGMENT_CHARS = 10_000
"""The longest English one segment may hold (a sentence, a headline): checks of a
segment cost more than linearly in its length, and no sentence is this long."""
MAX_REASON_CHARS = 1_000
"""The longest reason a dismissal may give."""
_UNPRINTABLE = re.compile(
    "[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
"""Control, bidi and zero-width characters: no place in a name or a reason."""


def one_line(text: str, what: str, option: str, *, required: str = "") -> str:
    """A reason or note a person gives (logged; a correction note is also published), its
    whitespace runs made single spaces. InputError when it holds control, bidi or
    zero-width characters or runs past MAX_REASON_CHARS, and with the message `required`
    when it is empty and that message is given."""
    text = " ".join(text.split())
    if required and not _UNPRINTABLE.sub("", text).strip():
        raise InputError(required)
    if _UNPRINTABLE.search(text):
        raise InputError(f"{what} may not hold control, bidi or zero-width characters")
    if len(text) > MAX_REASON_CHARS:
        raise InputError(f"{what} holds at most {MAX_REASON_CHARS:,} characters ({option})")
    return text


TEXT_KINDS = (
    RevisionKind.EDIT,
    RevisionKind.MT,
    RevisionKind.GLOSSARY,
    RevisionKind.CORRECTION,
    RevisionKind.TM,
)
"""Revision kinds that change a segment's English (status revisions only confirm it)."""


class GateRefused(RefusedError):
    """The QA gate refused an action; `problems` says what blocks it, segment by segment."""

    def __init__(self, message: str, problems: Sequence[qa.Problem]) -> None:
        """Carry the refusal and the problems behind it."""
        super().__init__(message)
        self.problems = list(problems)


@dataclass
class DraftReport:
    """What a drafting run did."""

    drafted: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    """Segments a person had changed, left alone (use force to overwrite them)."""
    glossary_fixed: list[int] = field(default_factory=list)
    """Drafted segments the glossary then fixed."""
    current: list[int] = field(default_factory=list)
    """Segments left alone because this engine, model and options drafted them already."""
    current_by: str = ""
    """That engine and model, as people read it."""
    unchanged: list[int] = field(default_factory=list)
    """Drafted segments (in `drafted` too) that came out exactly as they were, from the
    same engine and model: no `mt` revision was written for them."""


@dataclass
class FixReport:
    """What a fix run changed."""

    fixed: dict[int, list[Finding]] = field(default_factory=dict)
    """Segment number → the findings applied to it."""
    left: int = 0
    """Findings that have no automatic fix (missing names, numbers, unlisted variants)."""


class Desk:
    """The operations of the desk over one store, with one clock and one QA gate."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock = utc_now,
        default_credit: str = DEFAULT_CREDIT,
        checks: Sequence[qa.Check] = qa.DEFAULT_CHECKS,
        roles: Roles | None = None,
        glossary: Callable[[], Enforcer | None] | None = None,
    ) -> None:
        """Work on `store`, stamping revisions with `clock`; `checks` make the QA gate,
        `roles` say who may approve, publish, force and correct; `glossary` gives the
        house glossary's enforcer when one is needed (a slug made at import)."""
        self.store = store
        self.clock = clock
        self.default_credit = default_credit
        self.checks = tuple(checks)
        self.roles = roles or Roles()
        self.glossary = glossary or (lambda: None)

    # -- import and drafts ---------------------------------------------------------

    def import_story(
        self,
        path: Path,
        options: ImportOptions,
        *,
        author: str,
        before_storing: Callable[[], object] | None = None,
    ) -> ImportResult:
        """Import an Arabic source (and optional draft) as a new story.

        A slug not given is made here, once, from the draft's English headline with the
        glossary's listed spellings, else from the Arabic: a slug names the story for
        good, so a later edit of the headline does not rename it. `before_storing` runs
        once the files are read and the slug is free, before anything is stored (e.g.
        getting the engine ready), so a bad file is told before it and its failure
        stores nothing.
        """
        notes: list[str] = []
        result = load_source(
            path, options, self.default_credit,
            lambda english, arabic: self._listed_spellings(english, arabic, notes),
        )  # fmt: skip
        result.notes.extend(notes)
        story = result.story
        if self.store.has_story(story.slug):
            raise RefusedError(
                f"a story with slug {story.slug!r} already exists; give another with --slug"
            )
        if before_storing is not None:
            before_storing()
        now = self.clock()
        story.created_at = story.updated_at = now
        for seg in story.segments:
            seg.updated_at = now
            seg.updated_by = author
            if seg.draft:
                seg.drafted_at = now
        with self.store.write() as conn:
            if self.store.has_story(story.slug):
                raise RefusedError(f"a story with slug {story.slug!r} already exists")
            story_id = self.store.insert_story(conn, story)
            note = f"imported {story.source_file}, {len(story.segments)} segments"
            if options.draft is not None:
                note += f", draft {options.draft.name}"
            self.store.record(
                conn, story_id, author=author, at=now, kind=RevisionKind.IMPORT,
                after=StoryStatus.NEW.value, note=note,
            )  # fmt: skip
            for seg in story.segments:
                if seg.draft:
                    self.store.record(
                        conn, story_id, author=author, at=now, kind=RevisionKind.IMPORT,
                        segment=seg, after=seg.draft, note=seg.model,
                    )  # fmt: skip
        return result

    def _listed_spellings(self, english: str, arabic: str, notes: list[str]) -> str:
        """`english` with the glossary's listed spellings, as a machine draft gets them; as
        it is without a glossary, or with one that cannot be read (said in `notes`)."""
        try:
            enforcer = self.glossary()
        except DeskError as exc:
            notes.append(f"the slug keeps the headline's own spellings: {exc}")
            return english
        if enforcer is None:
            return english
        listed = [f for f in enforcer.check(english, arabic) if f.kind == FindingKind.VARIANT]
        return apply_fixes(english, listed)

    def draft(
        self,
        slug: str,
        engine: Engine,
        *,
        requested_by: str,
        numbers: Sequence[int] | None = None,
        force: bool = False,
        on_draft: Callable[[Draft], None] | None = None,
        enforcer: Enforcer | None = None,
        memory: bool = True,
    ) -> DraftReport:
        """Draft the story's segments with `engine`, each draft an `mt` revision: all of
        them in one write once the engine has made every one, or none.

        With `memory`, a segment with an exact match in the translation memory (100 or
        101 %) takes that unit's English as its draft (engine `tm`, the unit named), and
        the engine drafts only the rest (desk/app/memory.py `pretranslations`).

        `on_draft` hears each draft as the engine makes it (progress; it is not saved yet).
        An engine that fails, or makes a draft that is no text or too long for its source
        (`draft_problem`), leaves the story as it was: EngineError. Segments a person has
        worked on, and any that someone changes while the engine runs, are left alone
        unless `force`. With `enforcer`, each draft then gets the glossary's listed
        spellings (variants and the article's case) as a `glossary` revision right after
        its `mt` one.

        Unless `force`, a segment nobody has edited whose draft this engine made with the
        same model and options is not drafted again (`DraftPlan.current`); with `force`, a
        draft that comes out exactly as the segment already is writes nothing
        (`DraftReport.unchanged`).
        """
        story = self.store.load_story(slug)
        check_editable(story.status)
        plan = plan_draft(self.store, story, engine, numbers, force)
        report = DraftReport(skipped=plan.skipped, current=plan.current, current_by=plan.current_by)
        todo = [story.segment(n) for n in plan.todo]
        drafts: list[Draft] = []
        if memory and todo:
            drafts = pretranslations(self, story, [seg.n for seg in todo])
            for draft in drafts:
                if on_draft is not None:
                    on_draft(draft)
        taken = {draft.n for draft in drafts}
        todo_engine = [seg for seg in todo if seg.n not in taken]
        sources = {seg.n: seg.source for seg in todo_engine}
        for draft in engine.translate([(seg.n, seg.source) for seg in todo_engine]):
            if draft.n not in sources:
                raise EngineError(f"{engine.describe()}: drafted segment {draft.n}, not asked for")
            problem = draft_problem(sources[draft.n], draft.text)
            if problem:
                raise EngineError(f"{engine.describe()}: the draft of segment {draft.n} {problem}")
            drafts.append(draft)
            if on_draft is not None:
                on_draft(draft)
        versions = {seg.n: seg.version for seg in todo}
        self._save_drafts(slug, drafts, versions, requested_by, force, enforcer, report)
        return report

    def draft_plan(
        self, slug: str, engine: Engine, numbers: Sequence[int] | None = None, force: bool = False
    ) -> DraftPlan:
        """What `draft` would do with these arguments: the segments it would draft and those
        it would leave alone (e.g. to size a progress bar before the engine starts)."""
        return plan_draft(self.store, self.store.load_story(slug), engine, numbers, force)

    def _save_drafts(
        self,
        slug: str,
        drafts: Sequence[Draft],
        versions: dict[int, int],
        requested_by: str,
        force: bool,
        enforcer: Enforcer | None,
        report: DraftReport,
    ) -> None:
        """Write the drafts in one transaction, each unless someone changed its segment
        since `versions` (then it is reported skipped)."""
        if not drafts:
            return
        with self.store.write(story=slug) as conn:
            story = self.store.load_story(slug)
            check_editable(story.status)
            assert story.id is not None
            for draft in drafts:
                seg = story.segment(draft.n)
                if seg.version != versions[draft.n] and not force:
                    report.skipped.append(draft.n)
                    continue
                provenance = draft.provenance
                if (
                    seg.status == SegmentStatus.DRAFT
                    and seg.text == seg.draft == draft.text
                    and (seg.engine, seg.model) == (provenance.engine, provenance.model)
                ):
                    # The engine drafted it again, word for word: a revision would change
                    # nothing (the glossary, which may have changed, still gets its say).
                    report.drafted.append(draft.n)
                    report.unchanged.append(draft.n)
                    if enforcer is not None:
                        self._listed_fix(story, seg, enforcer, requested_by, report)
                    continue
                before = seg.text
                now = self.clock()
                seg.text = seg.draft = draft.text
                seg.status = SegmentStatus.DRAFT
                seg.engine, seg.model, seg.drafted_at = provenance.engine, provenance.model, now
                seg.updated_at, seg.updated_by = now, provenance.engine
                self.store.record(
                    conn, story.id, author=provenance.engine, at=now, kind=RevisionKind.MT,
                    segment=seg, expected_version=seg.version, before=before, after=draft.text,
                    note=provenance.to_json(requested_by=requested_by),
                )  # fmt: skip
                report.drafted.append(draft.n)
                if enforcer is not None:
                    self._listed_fix(story, seg, enforcer, requested_by, report)

    def _listed_fix(
        self, story: Story, seg: Segment, enforcer: Enforcer, requested_by: str, report: DraftReport
    ) -> None:
        """Give a fresh draft the glossary's listed spellings (inside the drafts' write)."""
        # Only listed spellings are fixed unasked; a fuzzy match on the Arabic's names
        # (SOURCE) waits for a person (`desk glossary fix`, the workbench).
        findings = [
            f for f in enforcer.check(seg.text, seg.source) if f.kind == FindingKind.VARIANT
        ]
        fixed = apply_fixes(seg.text, findings)
        if fixed != seg.text:
            applied = [f for f in findings if f.fixable]
            self._write_fix(story, seg, fixed, applied, requested_by, enforcer.version)
            report.glossary_fixed.append(seg.n)

    # -- the glossary's fixes --------------------------------------------------------

    def fix(
        self,
        slug: str,
        enforcer: Enforcer,
        *,
        requested_by: str,
        numbers: Sequence[int] | None = None,
    ) -> FixReport:
        """Apply the automatic fixes (listed variants, source-aware renderings) in one write.

        Each changed segment gets one `glossary` revision by the person who asked; a
        segment keeps its status (a house spelling is not a change of meaning). Every
        other suggestion (unlisted spellings, look-alikes) is left for a person to accept
        (`accept`). A published story is refused, as for any edit.
        """
        report = FixReport()
        with self.store.write(story=slug):
            story = self.store.load_story(slug)
            check_editable(story.status)
            targets = story.segments if numbers is None else [story.segment(n) for n in numbers]
            for seg in targets:
                findings = enforcer.check(seg.text, seg.source)
                fixes = [f for f in findings if f.automatic]
                new_text = apply_fixes(seg.text, fixes)
                report.left += len(findings) - len(fixes)
                if new_text != seg.text:
                    self._write_fix(story, seg, new_text, fixes, requested_by, enforcer.version)
                    report.fixed[seg.n] = fixes
        return report

    def accept(self, slug: str, n: int, number: int, enforcer: Enforcer, *, author: str) -> Finding:
        """Accept segment `n`'s suggestion number `number` (1-based, among its findings that
        suggest a change, as `desk glossary check` and the workbench number them), as a
        `glossary` revision by `author`; returns the finding applied."""
        with self.store.write(story=slug):
            story = self.store.load_story(slug)
            check_editable(story.status)
            seg = story.segment(n)
            suggestions = [f for f in enforcer.check(seg.text, seg.source) if f.fixable]
            if not 1 <= number <= len(suggestions):
                raise NotFoundError(
                    f"segment {n} has {len(suggestions)} suggestion(s), no number {number} "
                    f"(see `desk glossary check {slug}`)"
                )
            chosen = suggestions[number - 1]
            new_text = apply_fixes(seg.text, [chosen])
            self._write_fix(story, seg, new_text, [chosen], author, enforcer.version, accepted=True)
        return chosen

    def _write_fix(
        self,
        story: Story,
        seg: Segment,
        new_text: str,
        applied: Sequence[Finding],
        author: str,
        version: str,
        *,
        accepted: bool = False,
    ) -> None:
        """Save `seg`'s fixed text and its `glossary` revision by `author` (inside a write)."""
        before = seg.text
        now = self.clock()
        seg.text = new_text
        seg.updated_at, seg.updated_by = now, author
        assert story.id is not None
        self.store.record(
            self.store.conn, story.id, author=author, at=now, kind=RevisionKind.GLOSSARY,
            segment=seg, expected_version=seg.version, before=before, after=new_text,
            note=fix_note(applied, author, version, accepted=accepted),
        )  # fmt: skip

    # -- editing ---------------------------------------------------------------------

    def edit(
        self,
        slug: str,
        n: int,
        text: str,
        *,
        author: str,
        expected_version: int | None = None,
        visit: str = "",
        kind: RevisionKind = RevisionKind.EDIT,
        note: str = "",
        keep_status: bool = False,
    ) -> EditResult:
        """Set segment `n`'s English; a conflict if it changed since `expected_version`.

        `visit` names the workbench's visit to the segment: its saves undo as one.
        `kind` and `note` say where the text came from (`tm`: the translation memory,
        desk/app/memory.py); `keep_status` leaves the segment's status as it was (a
        repeat filled by propagation still waits for a person).
        """
        text = text.strip()
        if len(text) > MAX_SEGMENT_CHARS:
            raise InputError(
                f"segment {n}: the English has {len(text):,} characters; a segment holds at "
                f"most {MAX_SEGMENT_CHARS:,} (one sentence)"
            )
        if "\x00" in text:  # PostgreSQL cannot store it; no story needs it
            raise InputError(f"segment {n}: the English holds a NUL character (U+0000)")
        with self.store.write(story=slug) as conn:
            story, seg = self.store.load_segment(slug, n)
            check_editable(story.status)
            version = seg.version if expected_version is None else expected_version
            if text == seg.text and version == seg.version:
                return EditResult(n, False, story.status)
            now = self.clock()
            correcting = story.status == StoryStatus.CORRECTING
            before = seg.text
            seg.text = text
            seg.updated_at, seg.updated_by = now, author
            # During a correction the editor's change is itself the sign-off.
            if not correcting and not keep_status:
                seg.status = SegmentStatus.EDITED
            assert story.id is not None
            if correcting and kind == RevisionKind.EDIT:
                kind = RevisionKind.CORRECTION
            self.store.record(
                conn, story.id, author=author, at=now, kind=kind, segment=seg,
                expected_version=version, before=before, after=text, visit=visit, note=note,
            )  # fmt: skip
            status = story.status
            if status == StoryStatus.NEW:
                status = self._move(story, StoryStatus.TRANSLATING, author, now, note="first edit")
        return EditResult(n, True, status)

    def revert(
        self, slug: str, n: int, *, author: str, expected_version: int | None = None
    ) -> EditResult:
        """Put segment `n`'s machine draft back as its English (an edit by `author`)."""
        seg = self.store.load_story(slug).segment(n)
        if not seg.draft:
            raise RefusedError(f"segment {n} has no draft to revert to")
        return self.edit(slug, n, seg.draft, author=author, expected_version=expected_version)

    def last_change(self, slug: str, n: int) -> Revision | None:
        """Segment `n`'s last revision that changed its English (None: none yet); the
        saves of one workbench visit count as one change (`fold_visits`)."""
        story = self.store.load_story(slug)
        story.segment(n)
        changes = [
            r
            for r in fold_visits(self.store.revisions(story.id or 0))
            if r.segment_n == n and r.kind in TEXT_KINDS and r.before != r.after
        ]
        return changes[-1] if changes else None

    def undo(
        self, slug: str, n: int, *, author: str, expected_version: int | None = None
    ) -> Revision | None:
        """Put back segment `n`'s English before its last saved change, as a new edit.

        Returns the revision undone (None: the segment has no change to undo). Undoing
        twice undoes the undo.
        """
        check_editable(self.store.load_story(slug).status)
        last = self.last_change(slug, n)
        if last is not None:
            self.edit(slug, n, last.before, author=author, expected_version=expected_version)
        return last

    def confirm(self, slug: str, numbers: Sequence[int] | None, *, author: str) -> list[int]:
        """Confirm the given segments (all when None); returns those newly confirmed.

        Each newly confirmed segment becomes a unit of the translation memory in the same
        transaction; then its English goes to the story's repeats of the same sentence
        that nobody has worked on yet (`memory.propagate`: `tm` revisions, undoable).
        """
        done = self._confirm(slug, numbers, author=author)
        for n in done:
            propagate(self, slug, n, author=author)
        return done

    def _confirm(self, slug: str, numbers: Sequence[int] | None, *, author: str) -> list[int]:
        """`confirm` without the propagation of repeats."""
        with self.store.write(story=slug) as conn:
            story = self.store.load_story(slug)
            check_editable(story.status)
            targets = story.segments if numbers is None else [story.segment(n) for n in numbers]
            empty = [seg.n for seg in targets if not seg.text.strip()]
            if empty:
                raise RefusedError(
                    f"cannot confirm segments with no English: {number_ranges(empty)}; "
                    "write them with `desk edit` first"
                )
            now = self.clock()
            assert story.id is not None
            done: list[int] = []
            for seg in targets:
                if seg.status == SegmentStatus.CONFIRMED:
                    continue
                before = seg.status
                seg.status = SegmentStatus.CONFIRMED
                seg.updated_at, seg.updated_by = now, author
                self.store.record(
                    conn, story.id, author=author, at=now, kind=RevisionKind.STATUS,
                    segment=seg, expected_version=seg.version, before=before.value,
                    after=seg.status.value,
                )  # fmt: skip
                done.append(seg.n)
            if done and story.status == StoryStatus.NEW:
                self._move(story, StoryStatus.TRANSLATING, author, now, note="first confirm")
        return done

    # -- the workflow ------------------------------------------------------------------

    def set_status(
        self, slug: str, target: StoryStatus, *, author: str, note: str = "", force: bool = False
    ) -> StoryStatus:
        """Move a story through the workflow; publishing and correcting have their own calls."""
        note = one_line(note, "a status note", "--note")
        if target == StoryStatus.PUBLISHED:
            return self.publish(slug, author=author, force=force)
        if target == StoryStatus.CORRECTING:
            return self.correct(slug, note, author=author)
        with self.store.write(story=slug):
            story = self.store.load_story(slug)
            check_transition(story.status, target)
            if target == StoryStatus.APPROVED:
                self.roles.require_editor(author, "approve")
                self.roles.check_approver(author, story, self._writers(story))
                note = self._gate(story, "approve", force, note, author)
            return self._move(story, target, author, self.clock(), note=note)

    def publish(self, slug: str, *, author: str, force: bool = False) -> StoryStatus:
        """Publish an approved story, or close a correction; the QA gate applies."""
        with self.store.write(story=slug) as conn:
            story = self.store.load_story(slug)
            check_transition(story.status, StoryStatus.PUBLISHED)
            self.roles.require_editor(author, "publish")
            note = self._gate(story, "publish", force, "", author)
            now = self.clock()
            status = self._move(story, StoryStatus.PUBLISHED, author, now, note=note)
            if not story.published_at:
                assert story.id is not None
                self.store.set_story_fields(conn, story.id, published_at=now)
            return status

    def correct(self, slug: str, note: str, *, author: str) -> StoryStatus:
        """Open a correction of a published story; the note is published with it."""
        needed = "a correction needs a note saying what is corrected (--note)"
        note = one_line(note, "a correction note", "--note", required=needed)
        self.roles.require_editor(author, "start a correction")
        with self.store.write(story=slug):
            story = self.store.load_story(slug)
            check_transition(story.status, StoryStatus.CORRECTING)
            return self._move(
                story, StoryStatus.CORRECTING, author, self.clock(), note=note,
                kind=RevisionKind.CORRECTION,
            )  # fmt: skip

    def name_from_draft(self, slug: str, *, author: str) -> str:
        """After an import's machine draft: the story's slug made again from its English
        headline (the draft, with the glossary's listed spellings), when the import made
        it from the Arabic for want of English and nobody has worked on the story yet.
        Returns the slug the story now has (the same one when any of that does not hold,
        or the new slug is taken). The rename is logged."""
        with self.store.write() as conn:
            story = self.store.load_story(slug)
            head = story.segments[0] if story.segments else None
            if head is None or head.role != Role.HEADLINE or not head.text.strip():
                return slug
            if slug != slug_from_text(story.headline_ar, story.source_date):
                return slug  # given by the person, or made from an English headline
            assert story.id is not None
            kinds = {r.kind for r in self.store.revisions(story.id)}
            if not kinds <= {RevisionKind.IMPORT, RevisionKind.MT, RevisionKind.GLOSSARY}:
                return slug
            new = slug_from_text(head.text, story.source_date)
            if new == slug or self.store.slug_taken(new):
                return slug
            now = self.clock()
            self.store.record(
                conn, story.id, author=author, at=now, kind=RevisionKind.STATUS,
                before=story.status.value, after=story.status.value,
                note=f"slug {slug} renamed {new}, from the drafted English headline",
            )  # fmt: skip
            self.store.set_story_fields(conn, story.id, slug=new, updated_at=now)
        return new

    def delete_story(self, slug: str, *, author: str) -> None:
        """Delete a story nobody has worked on yet (status `new`).

        The revision log is append-only, so the story is not erased: it is hidden from
        every command, its slug is freed for a new import, and the deletion is logged.
        """
        with self.store.write() as conn:
            story = self.store.load_story(slug)
            if story.status != StoryStatus.NEW:
                raise RefusedError(
                    f"{slug} is {story.status.value}: only a story still `new` can be deleted "
                    "(work on it is kept in the log)"
                )
            assert story.id is not None
            now = self.clock()
            self.store.record(
                conn, story.id, author=author, at=now, kind=RevisionKind.STATUS,
                before=story.status.value, after="deleted", note=f"deleted; slug was {slug}",
            )  # fmt: skip
            self.store.set_story_fields(
                conn, story.id, slug=f"{slug}~deleted-{story.id}", deleted_at=now, updated_at=now
            )

    # -- export ------------------------------------------------------------------------

    def export(
        self,
        slug: str,
        *,
        profile: str,
        tz: str,
        author: str,
        force: bool = False,
        deliver: Callable[[Export], T] | None = None,
    ) -> tuple[Export, T | None]:
        """The story as Markdown for the CMS, through the export gate, and what `deliver`
        made of it (the file written). An editor's `force` exports past the gate, logged:
        under the write lock (busy: nothing written) the log row is written, then
        `deliver` runs, in one transaction: a log that cannot be written leaves any earlier
        export as it was, a failed write logs nothing, and a commit that fails after the
        write removes the file written.
        """
        story = self.store.load_story(slug)
        revisions = self.store.revisions(story.id or 0)
        problems = qa.export_gate(story, self.checks, _dismissed(revisions))
        rendered = build(story, revisions, profile, tz)
        if not problems:
            return rendered, deliver(rendered) if deliver is not None else None
        if not force:
            raise GateRefused(f"cannot export {slug}: {qa.describe(problems)}", problems)
        self.roles.require_editor(author, "export past the QA gate (--force)")
        delivered: T | None = None
        try:
            with self.store.write(story=slug) as conn:
                story = self.store.load_story(slug)
                self.store.record(
                    conn, story.id or 0, author=author, at=self.clock(), kind=RevisionKind.STATUS,
                    before=story.status.value, after=story.status.value,
                    note=f"export forced past the QA gate: {qa.describe(problems)}",
                )  # fmt: skip
                delivered = deliver(rendered) if deliver is not None else None
        except BaseException:
            if isinstance(delivered, Path):  # written, but the commit of its log failed
                Path(os.path.realpath(delivered)).unlink(missing_ok=True)
            raise
        return rendered, delivered

    def _gate(self, story: Story, action: str, force: bool, note: str, author: str) -> str:
        """Refuse `action` on a story the QA gate blocks, unless an editor forces it (then
        the note lists what was overridden)."""
        problems = qa.gate(story, self.checks, _dismissed(self.store.revisions(story.id or 0)))
        if not problems:
            return note
        if not force:
            raise GateRefused(f"cannot {action} {story.slug}: {qa.describe(problems)}", problems)
        self.roles.require_editor(author, f"{action} past the QA gate (--force)")
        forced = f"forced past the QA gate: {qa.describe(problems)}"
        return f"{note}; {forced}" if note else forced

    def _writers(self, story: Story) -> dict[int, str]:
        """Who last wrote each segment's English: a person's edit or correction; a draft
        (the engine's, or one brought at import) is no one's."""
        writers: dict[int, str] = {}
        for rev in self.store.revisions(story.id or 0):
            if rev.segment_n is None:
                continue
            if rev.kind in (RevisionKind.EDIT, RevisionKind.CORRECTION):
                writers[rev.segment_n] = rev.author
            elif rev.kind in (RevisionKind.MT, RevisionKind.IMPORT):
                writers.pop(rev.segment_n, None)
        return writers

    # -- the QA gate's items -------------------------------------------------------------

    def open_items(self, slug: str) -> list[qa.Problem]:
        """What the QA gate says of the story now, dismissed items left out (empty: it
        would let the story through)."""
        story = self.store.load_story(slug)
        return qa.gate(story, self.checks, _dismissed(self.store.revisions(story.id or 0)))

    def dismiss(self, slug: str, n: int, number: int, reason: str, *, author: str) -> qa.Problem:
        """An editor closes segment `n`'s open item number `number` (1-based, as `desk qa`
        numbers them) with `reason`, without changing the text: a `dismiss` revision."""
        reason = one_line(reason, "a dismissal's reason", "--reason",
                          required="a dismissal needs a reason (--reason)")  # fmt: skip
        self.roles.require_editor(author, "dismiss a QA item")
        with self.store.write(story=slug) as conn:
            story = self.store.load_story(slug)
            check_editable(story.status)
            seg = story.segment(n)
            items = segment_items(self.open_items(slug), n)
            if not 1 <= number <= len(items):
                raise NotFoundError(
                    f"segment {n} has {len(items)} open item(s) to dismiss, no number {number} "
                    f"(see `desk qa {slug}`)"
                )
            item = items[number - 1]
            assert story.id is not None
            self.store.record(
                conn, story.id, author=author, at=self.clock(), kind=RevisionKind.DISMISS,
                segment=seg, after=str(item), note=qa.dismissal_note(item, reason),
            )  # fmt: skip
        return item

    def _move(
        self,
        story: Story,
        target: StoryStatus,
        author: str,
        now: str,
        *,
        note: str = "",
        kind: RevisionKind = RevisionKind.STATUS,
    ) -> StoryStatus:
        """Record a status move and write it to the story row."""
        assert story.id is not None
        self.store.record(
            self.store.conn, story.id, author=author, at=now, kind=kind,
            before=story.status.value, after=target.value, note=note,
        )  # fmt: skip
        self.store.set_story_fields(self.store.conn, story.id, status=target.value)
        story.status = target
        return target


def segment_items(problems: Sequence[qa.Problem], n: int) -> list[qa.Problem]:
    """Segment `n`'s dismissable items, in the gate's order (what `dismiss` numbers)."""
    return [p for p in problems if p.dismissable and p.segments == (n,)]


def _dismissed(revisions: Sequence[Revision]) -> set[str]:
    """The keys of the QA items editors dismissed."""
    return {qa.dismissed_key(r.note) for r in revisions if r.kind == RevisionKind.DISMISS} - {""}
