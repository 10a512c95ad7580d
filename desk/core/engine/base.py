"""What every engine is: segments in, drafts out one by one, each with its provenance."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from desk.core.errors import DeskError

DEMO_LABEL = "demo model"


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


class Engine(Protocol):
    """A machine-translation engine: takes segments, yields their drafts as they are ready."""

    name: str

    def describe(self) -> str:
        """One line saying what this engine will use (package, server), for people."""
        ...

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """Yield a Draft for each (number, Arabic) segment, in order, as each is ready."""
        ...


class NoneEngine:
    """The engine that drafts nothing: the translator writes from scratch."""

    name = "none"

    def describe(self) -> str:
        """Say that there is no machine draft."""
        return "no engine: translate from scratch"

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """Yield nothing."""
        return iter(())
