"""What every engine is: segments in, drafts out one by one, each with its provenance."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from desk.core.errors import DeskError

DEMO_LABEL = "demo model"

DRAFT_RATIO = 10
"""A machine draft may be at most this many times as long as its source, in characters
(English runs longer than Arabic, but not by this much)..."""
DRAFT_FLOOR = 1_000
"""...and is always allowed this many (a one-word headline's draft may be a phrase)."""

# Text no draft can hold: a lone surrogate is not Unicode text at all (it cannot be stored
# as UTF-8), and control characters other than tab and line breaks are no translation of
# a news sentence (NUL cuts strings short in C tools; ESC and CSI drive terminals).
_IMPOSSIBLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class EngineError(DeskError):
    """An engine cannot run: no package, a broken package, an unreachable server."""

    exit_code = 7


@dataclass(frozen=True)
class Provenance:
    """Which engine, model and options produced a draft, and when."""

    engine: str
    """The engine's name: argos, libretranslate, none."""
    package: str = ""
    """The model's name (an Argos package directory, a server's model)."""
    version: str = ""
    demo: bool = False
    """True for desk's bundled demo model, which only knows its training corpus."""
    options: dict[str, Any] = field(default_factory=dict)
    """Decoding options such as beam size."""
    at: str = ""

    @property
    def model(self) -> str:
        """The model as people read it, e.g. `translate-ar_en-demo 0.1.0 (demo model)`."""
        label = " ".join(part for part in (self.package, self.version) if part)
        return f"{label} ({DEMO_LABEL})" if self.demo else label

    def to_json(self, **extra: str) -> str:
        """The provenance as a JSON object for the revision log, with `extra` fields."""
        data: dict[str, Any] = {
            "engine": self.engine,
            "package": self.package,
            "version": self.version,
            "demo": self.demo,
            "options": self.options,
            "at": self.at,
        } | extra
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Draft:
    """The machine draft of one segment."""

    n: int
    """The segment's number in its story."""
    text: str
    provenance: Provenance


def draft_limit(source: str) -> int:
    """The most characters a draft of `source` may have: DRAFT_RATIO times the source's
    length, and never under DRAFT_FLOOR."""
    return max(DRAFT_RATIO * len(source), DRAFT_FLOOR)


def draft_problem(source: str, text: str) -> str:
    """What makes `text` impossible as an engine's draft of `source`, as a phrase to follow
    "the draft of segment N" ('' when nothing does): too long, or not text."""
    limit = draft_limit(source)
    if len(text) > limit:
        return (
            f"is {len(text):,} characters long, over desk's cap of {limit:,} for a source of "
            f"{len(source):,} ({DRAFT_RATIO} times the source, at least {DRAFT_FLOOR:,})"
        )
    bad = _IMPOSSIBLE.search(text)
    if bad is None:
        return ""
    char = f"U+{ord(bad.group()):04X}"
    what = "a lone surrogate" if "\ud800" <= bad.group() <= "\udfff" else "the control character"
    return f"holds {what} {char} at character {bad.start() + 1:,}, which is not text"


class Engine(Protocol):
    """A machine-translation engine: takes segments, yields their drafts as they are ready."""

    name: str

    def describe(self) -> str:
        """One line saying what this engine will use (package, server), for people."""
        ...

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """Yield a Draft for each (number, Arabic) segment, in order, as each is ready."""
        ...


def planned_provenance(engine: Engine) -> Provenance | None:
    """The provenance `engine` would give a draft made now, for an engine that can say so
    before drafting (argos and libretranslate can: `provenance()`); None otherwise."""
    method = getattr(engine, "provenance", None)
    if not callable(method):
        return None
    provenance = method()
    return provenance if isinstance(provenance, Provenance) else None


class NoneEngine:
    """The engine that drafts nothing: the translator writes from scratch."""

    name = "none"

    def describe(self) -> str:
        """Say that there is no machine draft."""
        return "no engine: translate from scratch"

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """Yield nothing."""
        return iter(())
