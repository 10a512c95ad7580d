"""Stories, segments, their statuses and the legal workflow moves between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from desk.core.errors import NotFoundError, RefusedError


class SegmentStatus(StrEnum):
    """Where one segment's English stands."""

    DRAFT = "draft"
    EDITED = "edited"
    CONFIRMED = "confirmed"


class StoryStatus(StrEnum):
    """Where a story stands on its way to the CMS."""

    NEW = "new"
    TRANSLATING = "translating"
    REVIEW = "review"
    APPROVED = "approved"
    PUBLISHED = "published"
    CORRECTING = "correcting"

    @property
    def phrase(self) -> str:
        """This status as words after "is now": in review, approved, open for correction."""
        return _STATUS_PHRASES[self]


_STATUS_PHRASES = {
    StoryStatus.NEW: "new",
    StoryStatus.TRANSLATING: "in translation",
    StoryStatus.REVIEW: "in review",
    StoryStatus.APPROVED: "approved",
    StoryStatus.PUBLISHED: "published",
    StoryStatus.CORRECTING: "open for correction",
}


class Role(StrEnum):
    """What a segment is within the story's layout."""

    HEADLINE = "headline"
    SUBHEADING = "subheading"
    BODY = "body"


class RevisionKind(StrEnum):
    """Why a revision was written."""

    IMPORT = "import"
    MT = "mt"
    GLOSSARY = "glossary"
    EDIT = "edit"
    STATUS = "status"
    CORRECTION = "correction"
    DISMISS = "dismiss"
    """An editor closed a QA gate item without changing the text, with a reason."""
    TM = "tm"
    """English from the translation memory: a match a person inserted, or a repeat
    filled from the story's confirmed segment; the note names the unit and its origin."""


# The story workflow. Moves back (review -> translating, approved -> review) let an
# editor send work back; publishing is only reachable from approved or correcting.
STORY_TRANSITIONS: dict[StoryStatus, tuple[StoryStatus, ...]] = {
    StoryStatus.NEW: (StoryStatus.TRANSLATING,),
    StoryStatus.TRANSLATING: (StoryStatus.REVIEW,),
    StoryStatus.REVIEW: (StoryStatus.TRANSLATING, StoryStatus.APPROVED),
    StoryStatus.APPROVED: (StoryStatus.REVIEW, StoryStatus.PUBLISHED),
    StoryStatus.PUBLISHED: (StoryStatus.CORRECTING,),
    StoryStatus.CORRECTING: (StoryStatus.PUBLISHED,),
}

# Statuses in which segment text may change.
EDITABLE_STATUSES = frozenset(
    {StoryStatus.NEW, StoryStatus.TRANSLATING, StoryStatus.REVIEW, StoryStatus.CORRECTING}
)


class WorkflowError(RefusedError):
    """A move the workflow does not allow; the message says what is allowed."""


def check_transition(current: StoryStatus, target: StoryStatus) -> None:
    """Raise WorkflowError unless a story may move from `current` to `target`."""
    allowed = STORY_TRANSITIONS[current]
    if target in allowed:
        return
    if target == current:
        raise WorkflowError(f"the story is already {current.value}")
    if target == StoryStatus.CORRECTING:
        hint = "; only a published story can be corrected"
    elif target == StoryStatus.PUBLISHED:
        hint = "; use `desk publish`, which needs an approved story"
    else:
        hint = ""
    allowed_text = ", ".join(s.value for s in allowed)
    raise WorkflowError(
        f"cannot move a {current.value} story to {target.value}: "
        f"from {current.value} it can go to {allowed_text}{hint}"
    )


def check_editable(status: StoryStatus) -> None:
    """Raise WorkflowError unless segment text may change in a story of this status."""
    if status in EDITABLE_STATUSES:
        return
    if status == StoryStatus.PUBLISHED:
        raise WorkflowError(
            "the story is published and frozen; start a correction with "
            "`desk correct SLUG --note ...` to change it"
        )
    raise WorkflowError(
        f"the story is {status.value}; send it back to review "
        "(`desk status SLUG review`) before editing"
    )


@dataclass
class Segment:
    """One Arabic sentence (or headline, or subheading) and its English."""

    n: int
    """1-based position in the story; what the CLI calls a segment."""
    paragraph: int
    """1-based paragraph the segment belongs to (the headline is paragraph 0)."""
    role: Role
    source: str
    """The Arabic, in logical order."""
    draft: str = ""
    """The machine or imported draft, as first written."""
    text: str = ""
    """The current English."""
    status: SegmentStatus = SegmentStatus.DRAFT
    engine: str = ""
    """What produced the draft: an engine name, `import` for a pasted draft, or empty."""
    model: str = ""
    """The engine's model id and version, or the draft file's name."""
    drafted_at: str = ""
    version: int = 1
    """Bumped on every change; a save that expected another version is a conflict."""
    updated_at: str = ""
    updated_by: str = ""
    id: int | None = None


@dataclass
class Story:
    """One story from its Arabic source to the English the CMS receives."""

    slug: str
    headline_ar: str
    status: StoryStatus = StoryStatus.NEW
    standfirst: str = ""
    """The English summary under the headline (front matter `summary`)."""
    outlet: str = ""
    source_url: str = ""
    source_date: str = ""
    """The source's publication date, ISO 8601."""
    byline: str = ""
    keywords: list[str] = field(default_factory=list)
    credit: str = ""
    source_file: str = ""
    created_at: str = ""
    updated_at: str = ""
    published_at: str = ""
    """When the story was first published; corrections keep it."""
    segments: list[Segment] = field(default_factory=list)
    id: int | None = None

    @property
    def headline_en(self) -> str:
        """The English headline: the headline segment's current text."""
        for seg in self.segments:
            if seg.role == Role.HEADLINE:
                return seg.text
        return ""

    def segment(self, n: int) -> Segment:
        """The segment numbered `n` (1-based); NotFoundError names the valid range."""
        if not 1 <= n <= len(self.segments):
            raise out_of_range(self.slug, n, len(self.segments))
        return self.segments[n - 1]

    @property
    def confirmed_count(self) -> int:
        """How many segments are confirmed."""
        return sum(1 for s in self.segments if s.status == SegmentStatus.CONFIRMED)


@dataclass(frozen=True)
class Roles:
    """Who may approve, publish, force the gate and correct: the desk's editors.

    With no editors named (`[desk] editors` in the config), everyone is an editor and
    a desk that has not set roles works as before. Once editors are named, an editor
    may not approve a story whose English they wrote most of, unless `self_approve`
    (a one-person desk).
    """

    editors: tuple[str, ...] = ()
    self_approve: bool = False

    def is_editor(self, person: str) -> bool:
        """Whether `person` may act as an editor."""
        return not self.editors or person in self.editors

    def require_editor(self, person: str, action: str) -> None:
        """Refuse `action` unless `person` is an editor, saying who may."""
        if not self.is_editor(person):
            raise RefusedError(
                f"only an editor may {action}: {', '.join(self.editors)} "
                "([desk] editors in the desk home's config.toml)"
            )

    def check_approver(self, person: str, story: Story, writers: dict[int, str]) -> None:
        """Refuse `person` approving `story` whose English they wrote most of.

        `writers` maps a segment number to who last wrote its English (a person's edit
        or correction; the engine's draft and the import count for no one).
        """
        if self.self_approve or not self.editors:
            return
        written = sum(1 for seg in story.segments if writers.get(seg.n) == person)
        if story.segments and written * 2 > len(story.segments):
            others = [e for e in self.editors if e != person]
            who = f" ({', '.join(others)})" if others else ""
            raise RefusedError(
                f"{person} wrote most of this story's English ({written} of "
                f"{len(story.segments)} segments): another editor{who} approves it "
                "([desk] self_approve = true allows it on a one-person desk)"
            )


def out_of_range(slug: str, n: int, count: int) -> NotFoundError:
    """The error for segment `n` of a story `slug` of `count` segments."""
    return NotFoundError(f"segment {n} is out of range: {slug} has segments 1-{count}")
