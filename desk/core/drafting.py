"""Machine drafts for a story: choosing the engine, and writing each draft as it arrives."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desk.core.engine.argos import DEFAULT_BEAM, ArgosEngine, Settings
from desk.core.engine.base import DEMO_LABEL, Draft, Engine, NoneEngine
from desk.core.engine.packages import ar_en_packages, find_package, install_demo
from desk.core.errors import ConflictError, InputError
from desk.core.glossary.findings import FindingKind, apply_fixes
from desk.core.glossary.stories import write_fix
from desk.core.service import Desk
from desk.core.story import RevisionKind, SegmentStatus, check_editable

if TYPE_CHECKING:
    from desk.core.glossary.enforce import Enforcer

ENGINES = ("argos", "libretranslate", "none")
ENGINE_SETTING = "engine"
PACKAGE_SETTING = "engine.package"
LIBRETRANSLATE_URL_SETTING = "engine.libretranslate.url"
# The key is a secret: it is never stored in the shared database, only read from here.
LIBRETRANSLATE_KEY_VARIABLE = "DESK_LIBRETRANSLATE_API_KEY"


@dataclass
class EngineChoice:
    """The engine to draft with, and anything desk did to get it that a person should know."""

    engine: Engine
    notices: list[str] = field(default_factory=list)


def choose_engine(
    home: Path,
    desk: Desk,
    *,
    name: str | None = None,
    beam: int | None = None,
    fast: bool = False,
    threads: int = 0,
    batch_size: int = 64,
    url: str | None = None,
    api_key: str | None = None,
) -> EngineChoice:
    """The engine named (else the desk's choice, else argos), ready to draft.

    `url` and `api_key` are for LibreTranslate: the URL defaults to the one chosen with
    `desk engine use libretranslate --url`, the key to $DESK_LIBRETRANSLATE_API_KEY.
    """
    name = name or desk.store.setting(ENGINE_SETTING, "argos")
    if name == "none":
        return EngineChoice(NoneEngine())
    if name == "libretranslate":
        # Loaded only here: its HTTP stack would cost every desk command start-up time.
        from desk.core.engine.libretranslate import LibreTranslateEngine

        url = url or desk.store.setting(LIBRETRANSLATE_URL_SETTING)
        if not url:
            raise InputError(
                "the libretranslate engine needs the server's URL: --url http://HOST:PORT "
                "(or choose one with `desk engine use libretranslate --url URL`)"
            )
        key = api_key or os.environ.get(LIBRETRANSLATE_KEY_VARIABLE) or None
        return EngineChoice(LibreTranslateEngine(url, key, desk.clock))
    if name != "argos":
        raise InputError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")
    if beam is not None and beam < 1:
        raise InputError(f"--beam must be at least 1, not {beam}")
    notices: list[str] = []
    pinned = desk.store.setting(PACKAGE_SETTING)
    if pinned:
        package = find_package(home, pinned)
    else:
        packages = ar_en_packages(home)
        if packages:
            package = packages[0]
        else:
            package = install_demo(home)
            notices.append(
                f"No Arabic→English Argos package was installed, so desk installed its "
                f"{DEMO_LABEL} into {package.path.parent}. It only knows its training corpus; "
                "install a real one with `desk engine install ar en`."
            )
    settings = Settings(
        beam=1 if fast else (beam or DEFAULT_BEAM), batch_size=batch_size, threads=threads
    )
    return EngineChoice(ArgosEngine(package, settings, desk.clock), notices)


@dataclass
class DraftReport:
    """What a drafting run did."""

    drafted: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    """Segments a person had changed, left alone (use force to overwrite them)."""
    glossary_fixed: list[int] = field(default_factory=list)
    """Drafted segments the glossary then fixed."""


def draft_story(
    desk: Desk,
    slug: str,
    engine: Engine,
    *,
    requested_by: str,
    numbers: Sequence[int] | None = None,
    force: bool = False,
    on_draft: Callable[[Draft], None] | None = None,
    enforcer: Enforcer | None = None,
) -> DraftReport:
    """Draft the story's segments with `engine`, saving each draft as an `mt` revision.

    With `enforcer`, each draft then gets the glossary's listed spellings (variants
    and the article's case) as a `glossary` revision right after its `mt` one.
    """
    story = desk.store.load_story(slug)
    check_editable(story.status)
    targets = story.segments if numbers is None else [story.segment(n) for n in numbers]
    report = DraftReport()
    todo = []
    for seg in targets:
        if not force and _touched(seg.status):
            report.skipped.append(seg.n)
        else:
            todo.append(seg)
    versions = {seg.n: seg.version for seg in todo}
    for draft in engine.translate([(seg.n, seg.source) for seg in todo]):
        try:
            saved = _save_draft(
                desk, slug, draft, versions[draft.n], requested_by, force, enforcer, report
            )
        except ConflictError:
            saved = False
        (report.drafted if saved else report.skipped).append(draft.n)
        if on_draft is not None:
            on_draft(draft)
    return report


def _touched(status: SegmentStatus) -> bool:
    """Whether a person has worked on the segment (edited or confirmed it).

    Every edit by a person makes a segment `edited`; a text that differs from the draft
    while the segment is still `draft` comes from the glossary's fixes.
    """
    return status != SegmentStatus.DRAFT


def _save_draft(
    desk: Desk,
    slug: str,
    draft: Draft,
    version: int,
    requested_by: str,
    force: bool,
    enforcer: Enforcer | None,
    report: DraftReport,
) -> bool:
    """Write one draft unless someone changed the segment meanwhile; True if written."""
    with desk.store.write() as conn:
        story = desk.store.load_story(slug)
        check_editable(story.status)
        seg = story.segment(draft.n)
        if seg.version != version and not force:
            return False
        before = seg.text
        now = desk.clock()
        provenance = draft.provenance
        seg.text = seg.draft = draft.text
        seg.status = SegmentStatus.DRAFT
        seg.engine, seg.model, seg.drafted_at = provenance.engine, provenance.model, now
        seg.updated_at, seg.updated_by = now, provenance.engine
        desk.store.save_segment(conn, seg, expected_version=seg.version)
        assert story.id is not None
        note = provenance.to_json(requested_by=requested_by)
        desk.store.add_revision(
            conn, story.id, author=provenance.engine, at=now, kind=RevisionKind.MT,
            segment_id=seg.id, before=before, after=draft.text, note=note,
        )  # fmt: skip
        desk.store.set_story_fields(conn, story.id, updated_at=now)
        if enforcer is not None:
            # Only listed spellings are fixed unasked; a fuzzy match on the Arabic's
            # names (SOURCE) waits for a person (`desk glossary fix`, the TUI).
            findings = [
                f for f in enforcer.check(seg.text, seg.source) if f.kind == FindingKind.VARIANT
            ]
            fixed = apply_fixes(seg.text, findings)
            if fixed != seg.text:
                applied = [f for f in findings if f.fixable]
                write_fix(desk, conn, story, seg.n, fixed, applied, requested_by, enforcer.version)
                report.glossary_fixed.append(seg.n)
    return True
