"""Choosing what drafts: the engine (argos, libretranslate, none) and the Argos package,
and which of a story's segments a drafting run drafts (`plan_draft`).

The drafts themselves are written by the application service (`Desk.draft`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desk.core.clock import Clock
from desk.core.engine.argos import DEFAULT_BATCH_TOKENS, DEFAULT_BEAM, ArgosEngine, Settings
from desk.core.engine.base import DEMO_LABEL, Engine, EngineError, NoneEngine, planned_provenance
from desk.core.engine.packages import (
    PackageInfo,
    ar_en_packages,
    find_package,
    install_demo,
    installed_packages,
)
from desk.core.errors import InputError
from desk.core.store import Store
from desk.core.story import RevisionKind, Segment, SegmentStatus, Story

ENGINES = ("argos", "libretranslate", "none")
ENGINE_SETTING = "engine"
PACKAGE_SETTING = "engine.package"
LIBRETRANSLATE_URL_SETTING = "engine.libretranslate.url"
# The key is a secret: it is never stored in the shared database, only read from here.
LIBRETRANSLATE_KEY_VARIABLE = "DESK_LIBRETRANSLATE_API_KEY"


@dataclass(frozen=True)
class EngineOptions:
    """What a person may ask of the engine for one run (`desk draft`'s options)."""

    name: str | None = None
    """argos, libretranslate or none (default: the desk's choice, else argos)."""
    beam: int | None = None
    """Beam size (default: Argos's, 4)."""
    fast: bool = False
    """Greedy decoding: a quicker, rougher draft."""
    threads: int = 0
    """CPU threads desk may use (0: all cores)."""
    batch_tokens: int = DEFAULT_BATCH_TOKENS
    """Most source tokens in one model call (bounds the memory a draft takes)."""
    url: str | None = None
    """The LibreTranslate server (default: the one chosen with `desk engine use`)."""
    api_key: str | None = None
    """The LibreTranslate key (default: $DESK_LIBRETRANSLATE_API_KEY; never stored)."""


@dataclass
class EngineChoice:
    """The engine to draft with, and anything desk did to get it that a person should know."""

    engine: Engine
    notices: list[str] = field(default_factory=list)


def chosen_package(home: Path, store: Store) -> PackageInfo | None:
    """The Argos package that drafts: the one pinned with `desk engine use`, else the
    best installed Arabic→English one (a real model before the demo); None if none."""
    pinned = store.setting(PACKAGE_SETTING)
    if pinned:
        return find_package(home, pinned)
    packages = ar_en_packages(home)
    return packages[0] if packages else None


def package_in_use(home: Path, store: Store) -> str:
    """The name of the package a draft would use now ('' if none, or not drafting with Argos)."""
    if store.setting(ENGINE_SETTING, "argos") != "argos":
        return ""
    try:
        package = chosen_package(home, store)
    except EngineError:  # pinned, then removed by hand: still the desk's choice
        return store.setting(PACKAGE_SETTING)
    return package.name if package else ""


def choose_engine(
    home: Path,
    store: Store,
    clock: Clock,
    options: EngineOptions = EngineOptions(),
) -> EngineChoice:
    """The engine `options` name (else the desk's choice, else argos), ready to draft.

    With no Argos package installed, desk's demo model is installed and a notice says so.
    """
    name, beam, url = options.name, options.beam, options.url
    name = name or store.setting(ENGINE_SETTING, "argos")
    if name == "none":
        return EngineChoice(NoneEngine())
    if name == "libretranslate":
        # Loaded only here: its HTTP stack would cost every desk command start-up time.
        from desk.core.engine.libretranslate import LibreTranslateEngine

        url = url or store.setting(LIBRETRANSLATE_URL_SETTING)
        if not url:
            raise InputError(
                "the libretranslate engine needs the server's URL: --url http://HOST:PORT "
                "(or choose one with `desk engine use libretranslate --url URL`)"
            )
        key = options.api_key or os.environ.get(LIBRETRANSLATE_KEY_VARIABLE) or None
        return EngineChoice(LibreTranslateEngine(url, key, clock))
    if name != "argos":
        raise InputError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")
    if beam is not None and beam < 1:
        raise InputError(f"--beam must be at least 1, not {beam}")
    notices: list[str] = []
    package = chosen_package(home, store)
    if package is None:
        _, broken = installed_packages(home)
        package = install_demo(home)
        notices.append(
            f"No Arabic→English Argos package was installed, so desk installed its "
            f"{DEMO_LABEL} into {package.path.parent}. It only knows its training corpus; "
            "install a real one with `desk engine install ar en`."
        )
        if broken:
            names = ", ".join(b.name for b in broken[:3]) + (", …" if len(broken) > 3 else "")
            notices.append(
                f"{len(broken)} package folder(s) could not be used ({names}); "
                "`desk engine list` says why."
            )
    settings = Settings(
        beam=1 if options.fast else (beam or DEFAULT_BEAM),
        batch_tokens=options.batch_tokens,
        threads=options.threads,
    )
    return EngineChoice(ArgosEngine(package, settings, clock), notices)


@dataclass
class DraftPlan:
    """Which of a story's segments a drafting run drafts, and which it leaves alone."""

    todo: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    """Segments a person has edited or confirmed (force overwrites them)."""
    current: list[int] = field(default_factory=list)
    """Segments nobody has edited whose draft this engine made with the same model and
    options: drafting them again would make the same drafts (force does)."""
    current_by: str = ""
    """That engine and model, as people read it (e.g. `argos translate-ar_en-1_0 1.0`)."""


def plan_draft(
    store: Store, story: Story, engine: Engine, numbers: Sequence[int] | None, force: bool
) -> DraftPlan:
    """The segments of `story` (or of `numbers`) that drafting with `engine` drafts: with
    `force` all of them; else those nobody has worked on, less those already drafted
    alike (`DraftPlan.current`)."""
    targets = story.segments if numbers is None else [story.segment(n) for n in numbers]
    plan = DraftPlan()
    if force:
        plan.todo = [seg.n for seg in targets]
        return plan
    # Every edit by a person makes a segment `edited`; a `draft` segment whose text differs
    # from its draft holds only the glossary's fixes.
    untouched = [seg for seg in targets if seg.status == SegmentStatus.DRAFT]
    plan.skipped = [seg.n for seg in targets if seg.status != SegmentStatus.DRAFT]
    current = _drafted_alike(store, story, engine, untouched)
    plan.todo = [seg.n for seg in untouched if seg.n not in current]
    plan.current = [seg.n for seg in untouched if seg.n in current]
    now = planned_provenance(engine)
    if plan.current and now is not None:
        plan.current_by = f"{now.engine} {now.model}"
    return plan


def _drafted_alike(store: Store, story: Story, engine: Engine, segments: list[Segment]) -> set[int]:
    """The numbers of `segments` whose draft `engine` made with the model and options it
    would use now (a deterministic engine makes the same draft again)."""
    now = planned_provenance(engine)
    if now is None or story.id is None:
        return set()
    alike = {
        seg.n
        for seg in segments
        if seg.draft and (seg.engine, seg.model) == (now.engine, now.model)
    }
    if not alike:
        return set()
    # The options (beam size, server) are in each draft's `mt` revision, not on the segment;
    # the last one of a segment made its draft.
    options: dict[int, object] = {}
    for revision in store.revisions(story.id):
        if revision.kind == RevisionKind.MT and revision.segment_n in alike:
            options[revision.segment_n] = _draft_options(revision.note)
    return {n for n in alike if options.get(n) == now.options}


def _draft_options(note: str) -> object:
    """The engine options an `mt` revision's note records (None when it cannot be read)."""
    try:
        data = json.loads(note)
    except ValueError:
        return None
    return data.get("options") if isinstance(data, dict) else None
