"""Operations on stories: import, edit, confirm, move through the workflow, correct.

Every change goes through here so that it is checked against the workflow and written
together with its revision, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desk.core.clock import Clock
from desk.core.errors import InputError, RefusedError
from desk.core.importer import ImportOptions, ImportResult, load_source
from desk.core.store import Store, utc_now
from desk.core.story import (
    RevisionKind,
    SegmentStatus,
    Story,
    StoryStatus,
    check_editable,
    check_transition,
)

DEFAULT_CREDIT = "Translated and edited by The Syrian Observer"


@dataclass(frozen=True)
class EditResult:
    """What an edit did: the segment number, whether the text changed, the story's status."""

    n: int
    changed: bool
    status: StoryStatus


class Desk:
    """The operations of the desk over one store, with one clock."""

    def __init__(
        self, store: Store, *, clock: Clock = utc_now, default_credit: str = DEFAULT_CREDIT
    ) -> None:
        """Work on `store`, stamping revisions with `clock`."""
        self.store = store
        self.clock = clock
        self.default_credit = default_credit

    def import_story(self, path: Path, options: ImportOptions, *, author: str) -> ImportResult:
        """Import an Arabic source (and optional draft) as a new story."""
        result = load_source(path, options, self.default_credit)
        story = result.story
        if self.store.has_story(story.slug):
            raise RefusedError(
                f"a story with slug {story.slug!r} already exists; give another with --slug"
            )
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
            self.store.add_revision(
                conn, story_id, author=author, at=now, kind=RevisionKind.IMPORT,
                after=StoryStatus.NEW.value, note=note,
            )  # fmt: skip
            for seg in story.segments:
                if seg.draft:
                    self.store.add_revision(
                        conn, story_id, author=author, at=now, kind=RevisionKind.IMPORT,
                        segment_id=seg.id, after=seg.draft, note=seg.model,
                    )  # fmt: skip
        return result

    def edit(
        self,
        slug: str,
        n: int,
        text: str,
        *,
        author: str,
        expected_version: int | None = None,
    ) -> EditResult:
        """Set segment `n`'s English; a conflict if it changed since `expected_version`."""
        text = text.strip()
        with self.store.write() as conn:
            story = self.store.load_story(slug)
            check_editable(story.status)
            seg = story.segment(n)
            version = seg.version if expected_version is None else expected_version
            if text == seg.text and version == seg.version:
                return EditResult(n, False, story.status)
            now = self.clock()
            correcting = story.status == StoryStatus.CORRECTING
            before = seg.text
            seg.text = text
            seg.updated_at, seg.updated_by = now, author
            # During a correction the editor's change is itself the sign-off.
            if not correcting:
                seg.status = SegmentStatus.EDITED
            self.store.save_segment(conn, seg, expected_version=version)
            assert story.id is not None
            kind = RevisionKind.CORRECTION if correcting else RevisionKind.EDIT
            self.store.add_revision(
                conn, story.id, author=author, at=now, kind=kind, segment_id=seg.id,
                before=before, after=text,
            )  # fmt: skip
            status = story.status
            if status == StoryStatus.NEW:
                status = self._move(story, StoryStatus.TRANSLATING, author, now, note="first edit")
            self.store.set_story_fields(conn, story.id, updated_at=now)
        return EditResult(n, True, status)

    def confirm(self, slug: str, numbers: Sequence[int] | None, *, author: str) -> list[int]:
        """Confirm the given segments (all when None); returns those newly confirmed."""
        with self.store.write() as conn:
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
                self.store.save_segment(conn, seg, expected_version=seg.version)
                self.store.add_revision(
                    conn, story.id, author=author, at=now, kind=RevisionKind.STATUS,
                    segment_id=seg.id, before=before.value, after=seg.status.value,
                )  # fmt: skip
                done.append(seg.n)
            if done:
                if story.status == StoryStatus.NEW:
                    self._move(story, StoryStatus.TRANSLATING, author, now, note="first confirm")
                self.store.set_story_fields(conn, story.id, updated_at=now)
        return done

    def set_status(
        self, slug: str, target: StoryStatus, *, author: str, note: str = "", force: bool = False
    ) -> StoryStatus:
        """Move a story through the workflow; publishing and correcting have their own calls."""
        if target == StoryStatus.PUBLISHED:
            return self.publish(slug, author=author, force=force)
        if target == StoryStatus.CORRECTING:
            return self.correct(slug, note, author=author)
        with self.store.write():
            story = self.store.load_story(slug)
            check_transition(story.status, target)
            if target == StoryStatus.APPROVED:
                note = self._gate(story, "approve", force, note)
            return self._move(story, target, author, self.clock(), note=note)

    def publish(self, slug: str, *, author: str, force: bool = False) -> StoryStatus:
        """Publish an approved story, or close a correction; the QA gate applies."""
        with self.store.write() as conn:
            story = self.store.load_story(slug)
            check_transition(story.status, StoryStatus.PUBLISHED)
            note = self._gate(story, "publish", force, "")
            now = self.clock()
            status = self._move(story, StoryStatus.PUBLISHED, author, now, note=note)
            if not story.published_at:
                assert story.id is not None
                self.store.set_story_fields(conn, story.id, published_at=now)
            return status

    def correct(self, slug: str, note: str, *, author: str) -> StoryStatus:
        """Open a correction of a published story; the note is published with it."""
        note = " ".join(note.split())
        if not note:
            raise InputError("a correction needs a note saying what is corrected (--note)")
        with self.store.write():
            story = self.store.load_story(slug)
            check_transition(story.status, StoryStatus.CORRECTING)
            return self._move(
                story, StoryStatus.CORRECTING, author, self.clock(), note=note,
                kind=RevisionKind.CORRECTION,
            )  # fmt: skip

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
            self.store.add_revision(
                conn, story.id, author=author, at=now, kind=RevisionKind.STATUS,
                before=story.status.value, after="deleted", note=f"deleted; slug was {slug}",
            )  # fmt: skip
            self.store.set_story_fields(
                conn, story.id, slug=f"{slug}~deleted-{story.id}", deleted_at=now, updated_at=now
            )

    def record_override(self, slug: str, *, author: str, note: str) -> None:
        """Log that someone overrode a check (e.g. exported past the QA gate)."""
        with self.store.write() as conn:
            story = self.store.load_story(slug)
            assert story.id is not None
            self.store.add_revision(
                conn, story.id, author=author, at=self.clock(), kind=RevisionKind.STATUS,
                before=story.status.value, after=story.status.value, note=note,
            )  # fmt: skip

    # -- helpers (inside a write transaction) -----------------------------------

    def _gate(self, story: Story, action: str, force: bool, note: str) -> str:
        """Refuse `action` on a story with unconfirmed segments, unless forced (then noted)."""
        problems = qa_problems(story)
        if not problems:
            return note
        if not force:
            raise RefusedError(f"cannot {action} {story.slug}: " + "; ".join(problems))
        forced = f"forced past the QA gate: {'; '.join(problems)}"
        return f"{note}; {forced}" if note else forced

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
        self.store.add_revision(
            self.store.conn, story.id, author=author, at=now, kind=kind,
            before=story.status.value, after=target.value, note=note,
        )  # fmt: skip
        self.store.set_story_fields(self.store.conn, story.id, status=target.value, updated_at=now)
        story.status = target
        return target


def qa_problems(story: Story) -> list[str]:
    """What stands between a story and publication: unconfirmed or empty segments."""
    problems: list[str] = []
    unconfirmed = [s.n for s in story.segments if s.status != SegmentStatus.CONFIRMED]
    if unconfirmed:
        problems.append(f"segments not confirmed: {number_ranges(unconfirmed)}")
    empty = [s.n for s in story.segments if not s.text.strip()]
    if empty:
        problems.append(f"segments with no English: {number_ranges(empty)}")
    return problems


def export_problems(story: Story) -> list[str]:
    """What stops `story` from being exported: its status, then the QA gate's problems."""
    problems = qa_problems(story)
    if story.status not in (StoryStatus.APPROVED, StoryStatus.PUBLISHED):
        problems.insert(0, f"the story is {story.status.value}, not approved or published")
    return problems


def number_ranges(ns: Sequence[int]) -> str:
    """Segment numbers as compact ranges: 1-3, 7, 9-10."""
    out: list[str] = []
    start = prev = None
    for n in ns:
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if start != prev else f"{start}")
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else f"{start}")
    return ", ".join(out)
