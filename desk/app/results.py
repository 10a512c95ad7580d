"""What the desk's operations return, where more than one module of the application
layer needs it."""

from __future__ import annotations

from dataclasses import dataclass

from desk.core.story import StoryStatus


@dataclass(frozen=True)
class EditResult:
    """What an edit did: the segment number, whether the text changed, the story's status."""

    n: int
    changed: bool
    status: StoryStatus
