"""What the editor tells the app and the tests: small messages, one per kind of event."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message
from textual.widget import Widget

from desk.core.errors import DeskError
from desk.core.story import StoryStatus


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
class SpellingScanned(Message):
    """The spelling check of the story finished (segment → misspelt words), or could not
    run (`error`)."""

    slug: str
    words: dict[int, list[str]]
    error: str = ""


@dataclass
class StatusMoved(Message):
    """The story moved to `status`."""

    status: StoryStatus


@dataclass
class Exported(Message):
    """The story was written to `path`."""

    path: Path


@dataclass
class Refused(Message):
    """An action was refused; `reason` says why."""

    action: str
    reason: str


@dataclass
class Undone(Message):
    """Segment `n`'s English went back to its text before revision `revision_id`."""

    n: int
    revision_id: int


def tell_refusal(node: Widget, action: str, exc: DeskError) -> None:
    """Tell the person why `action` was refused (never a traceback), and post `Refused`."""
    reason = str(exc)
    if "`desk correct" in reason:  # the core's words are the CLI's: say the key here
        reason = reason.split("; ")[0] + "; F12 starts a correction"
    node.notify(reason, title=f"Cannot {action}", severity="error", timeout=8)
    node.post_message(Refused(action, str(exc)))
