"""Choosing what drafts: the engine (argos, libretranslate, none) and the Argos package.

The drafts themselves are written by the application service (`Desk.draft`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from desk.core.clock import Clock
from desk.core.engine.argos import DEFAULT_BEAM, ArgosEngine, Settings
from desk.core.engine.base import DEMO_LABEL, Engine, EngineError, NoneEngine
from desk.core.engine.packages import (
    PackageInfo,
    ar_en_packages,
    find_package,
    install_demo,
    installed_packages,
)
from desk.core.errors import InputError
from desk.core.store import Store

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
    """CPU threads (0: all cores)."""
    batch_size: int = 64
    """Segments per model call."""
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
        batch_size=options.batch_size,
        threads=options.threads,
    )
    return EngineChoice(ArgosEngine(package, settings, clock), notices)
