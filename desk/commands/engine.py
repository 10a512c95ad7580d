"""Engine commands: manage Argos packages, and draft stories with an engine."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from desk.app.engines import (
    ENGINE_SETTING,
    ENGINES,
    LIBRETRANSLATE_URL_SETTING,
    PACKAGE_SETTING,
    EngineOptions,
    package_in_use,
)
from desk.app.service import DraftReport
from desk.commands.common import (
    Home,
    author_option,
    emit_json,
    json_option,
    parse_numbers,
    pass_home,
    resolve_author,
    say_notices,
)
from desk.commands.output import say
from desk.core.engine.base import Draft, Engine
from desk.core.engine.packages import (
    BrokenPackage,
    PackageInfo,
    argos_packages_dir,
    clean_leftovers,
    desk_engine_dir,
    find_package,
    install_file,
    installed_packages,
    remove_package,
    shown,
)
from desk.core.errors import InputError
from desk.core.qa import number_ranges


@click.group("engine")
def engine_group() -> None:
    """Manage machine-translation engines and Argos packages.

    \b
    Example:
      desk engine list
      desk engine install ar en
    """


def package_json(package: PackageInfo, in_use: bool) -> dict[str, Any]:
    """An installed package as JSON-ready data."""
    return {
        "name": package.name,
        "from": package.from_code,
        "to": package.to_code,
        "version": package.version,
        "demo": package.demo,
        "in_use": in_use,
        "where": package.where,
        "path": str(package.path),
        "broken": None,
    }


def broken_json(problem: BrokenPackage) -> dict[str, Any]:
    """A package folder desk cannot use, as JSON-ready data (`broken` says why)."""
    return {
        "name": problem.name,
        "from": None,
        "to": None,
        "version": None,
        "demo": False,
        "in_use": False,
        "where": problem.where,
        "path": shown(str(problem.path)),
        "broken": problem.reason,
    }


@engine_group.command("list")
@json_option
@pass_home
def list_cmd(home: Home, as_json: bool) -> None:
    """List installed Argos packages, which one drafts, and where each lives.

    A package folder desk cannot use is listed as broken, with the reason.

    \b
    Example:
      desk engine list --json
    """
    clean_leftovers(desk_engine_dir(home.path))
    packages, problems = installed_packages(home.path)
    in_use = package_in_use(home.path, home.desk.store)
    if as_json:
        emit_json(
            [package_json(p, p.name == in_use) for p in packages]
            + [broken_json(b) for b in problems]
        )
        return
    engine = home.desk.store.setting(ENGINE_SETTING, "argos")
    if engine == "libretranslate":
        engine += f" at {home.desk.store.setting(LIBRETRANSLATE_URL_SETTING)}"
    say(f"Engine: {engine}" + (f" (package {in_use})" if in_use else ""))
    say(f"desk's packages: {desk_engine_dir(home.path)}")
    say(f"Argos packages:  {argos_packages_dir()}")
    if not packages:
        say("No packages installed; the first draft installs desk's demo model.")
    for p in packages:
        mark = "*" if p.name == in_use else " "
        label = " (demo model)" if p.demo else ""
        line = f"{mark} {p.name:36} {p.from_code}→{p.to_code} {p.version:8} {p.where}{label}"
        say(line)
    for problem in problems:
        say(f"! {problem.name:36} broken ({problem.where}): {problem.reason}")


@engine_group.command("install")
@click.argument("what", nargs=-1, required=True)
@click.option("--replace", is_flag=True, help="Replace an installed package of the same name.")
@pass_home
def install_cmd(home: Home, what: tuple[str, ...], replace: bool) -> None:
    """Install an Argos package: `ar en` from the package index, or a .argosmodel file.

    The index is $ARGOS_PACKAGE_INDEX (as for Argos), else Argos's public index;
    this is the one command that uses the network. Each fetch gives up after
    $DESK_FETCH_TIMEOUT seconds of silence (30) or $DESK_FETCH_DEADLINE seconds in all
    (1800), and a package over $DESK_DOWNLOAD_LIMIT_MB (1024) is refused.

    \b
    Example:
      desk engine install ar en
      desk engine install translate-ar_en-1_0.argosmodel
    """
    # The index code (and its HTTP stack) is loaded only by the one command that uses it.
    from desk.core.engine.index import index_url, install_from_index

    if len(what) == 1:
        package = install_file(Path(what[0]), home.path, replace=replace)
    elif len(what) == 2:
        say(f"Fetching the package index {index_url()}index.json", err=True)
        progress = DownloadProgress() if sys.stderr.isatty() else None
        try:
            package = install_from_index(
                home.path, what[0], what[1], replace=replace, progress=progress
            )
        finally:
            if progress is not None:
                progress.close()
    else:
        raise InputError("give a language pair (ar en) or one .argosmodel file")
    say(f"Installed {package.name} {package.version} into {package.path.parent}")


class DownloadProgress:
    """The package download's progress on a terminal's stderr, redrawn a few times a second."""

    def __init__(self) -> None:
        """Nothing drawn yet."""
        self.drawn = 0.0
        self.shown = False

    def __call__(self, received: int, total: int | None) -> None:
        """Redraw the line: megabytes so far, of how many, and the percentage."""
        now = time.monotonic()
        if now - self.drawn < 0.2 and received != total:
            return
        self.drawn = now
        done = f"{received / 1024**2:.1f} MB"
        if total:
            done += f" of {total / 1024**2:.1f} MB ({100 * received // total}%)"
        sys.stderr.write(f"\rDownloading the package: {done}\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        """End the progress line."""
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


@engine_group.command("remove")
@click.argument("name")
@pass_home
def remove_cmd(home: Home, name: str) -> None:
    """Remove an installed package by name (see `desk engine list`), a broken one too.

    \b
    Example:
      desk engine remove translate-ar_en-demo
    """
    removed = remove_package(home.path, name)
    if home.desk.store.setting(PACKAGE_SETTING) == name:
        home.desk.store.set_setting(PACKAGE_SETTING, None, resolve_author(None))
    say(f"Removed {name} from {removed.parent}")


@engine_group.command("use")
@click.argument("name")
@click.option("--url", help="The LibreTranslate server (with `use libretranslate`).")
@author_option
@pass_home
def use_cmd(home: Home, name: str, url: str | None, author: str | None) -> None:
    """Choose what drafts: a package name, `argos` (best installed), `libretranslate`
    (a LibreTranslate server, with --url) or `none`.

    A LibreTranslate API key is never stored: set $DESK_LIBRETRANSLATE_API_KEY or
    give `desk draft --api-key`.

    \b
    Example:
      desk engine use translate-ar_en-1_0
      desk engine use libretranslate --url http://gpu-server:5000
      desk engine use none
    """
    who = resolve_author(author)
    store = home.desk.store
    if url is not None and name != "libretranslate":
        raise InputError("--url goes with `desk engine use libretranslate`")
    if name == "libretranslate":
        from desk.core.engine.libretranslate import check_url

        if not url:
            raise InputError("`desk engine use libretranslate` needs --url http://HOST:PORT")
        store.set_setting(ENGINE_SETTING, name, who)
        store.set_setting(LIBRETRANSLATE_URL_SETTING, check_url(url), who)
        store.set_setting(PACKAGE_SETTING, None, who)
        say(f"Drafting with the LibreTranslate server at {check_url(url)}")
        return
    if name in ENGINES:
        store.set_setting(ENGINE_SETTING, name, who)
        store.set_setting(PACKAGE_SETTING, None, who)
        say(f"Drafting with {name}" + (" (best installed package)" if name == "argos" else ""))
        return
    package = find_package(home.path, name)
    if (package.from_code, package.to_code) != ("ar", "en"):
        raise InputError(f"{name} translates {package.from_code}→{package.to_code}, not ar→en")
    store.set_setting(ENGINE_SETTING, "argos", who)
    store.set_setting(PACKAGE_SETTING, name, who)
    say(f"Drafting with {name}")


MAX_BEAM, MAX_THREADS, MAX_BATCH = 16, 256, 1024
"""Bounds on the engine's tuning: a beam of 5,000 took a minute and 1.9 GB on three
segments (Argos uses 4; quality stops improving long before 16)."""


def engine_options(func: Any) -> Any:
    """Options choosing and tuning the engine."""
    for option in reversed(
        [
            click.option("--engine", type=click.Choice(ENGINES), help="Engine (default: desk's)."),
            click.option(
                "--beam", type=click.IntRange(1, MAX_BEAM), help="Beam size (default 4, as Argos)."
            ),
            click.option("--fast", is_flag=True, help="Greedy decoding: a quicker, rougher draft."),
            click.option(
                "--threads",
                type=click.IntRange(0, MAX_THREADS),
                default=0,
                help="CPU threads (0: all cores).",
            ),
            click.option(
                "--batch-size",
                type=click.IntRange(1, MAX_BATCH),
                default=64,
                help="Segments per model call.",
            ),
            click.option("--url", help="LibreTranslate server (with --engine libretranslate)."),
            click.option(
                "--api-key",
                help="LibreTranslate API key (default: $DESK_LIBRETRANSLATE_API_KEY).",
            ),
        ]
    ):
        func = option(func)
    return func


def run_draft(
    home: Home,
    slug: str,
    author: str,
    *,
    options: EngineOptions | None = None,
    numbers: list[int] | None = None,
    force: bool = False,
    glossary: bool = True,
    skip_none: bool = False,
) -> DraftReport | None:
    """Draft through the application layer, with a progress bar on a terminal, then say
    what happened (`desk draft` and `desk import`)."""
    start = time.perf_counter()
    bar: Any = None

    def started(engine: Engine, total: int) -> None:
        """Say which engine drafts; a progress bar for more than one segment."""
        nonlocal bar, start
        say(f"Drafting {slug} with {engine.describe()}", err=True)
        start = time.perf_counter()
        if sys.stderr.isatty() and total > 1:
            bar = click.progressbar(length=total, label="Drafting", file=sys.stderr)
            bar.__enter__()

    def advance(draft: Draft) -> None:
        """One more segment drafted."""
        if bar is not None:
            bar.update(1)

    try:
        report = home.draft(
            slug, author=author, options=options, numbers=numbers, force=force,
            glossary=glossary, skip_none=skip_none,
            on_notice=lambda notice: say(notice, err=True),
            on_start=started, on_draft=advance,
        )  # fmt: skip
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    say_notices(home)
    if report is None:
        return None
    seconds = time.perf_counter() - start
    say(f"Drafted {len(report.drafted)} segment(s) in {seconds:.1f} s")
    if report.glossary_fixed:
        say(
            f"Applied the glossary's house spellings in {len(report.glossary_fixed)} "
            f"segment(s): {number_ranges(report.glossary_fixed)} (see `desk log --kind glossary`)"
        )
    if report.skipped:
        say(
            f"Left {len(report.skipped)} segment(s) people have worked on: "
            f"{number_ranges(report.skipped)} (--force overwrites them)"
        )
    return report


@click.command("draft")
@click.argument("slug")
@click.option("--segments", help="Only these segments, e.g. 1-5,9.")
@click.option("--force", is_flag=True, help="Also redraft segments people have edited.")
@click.option("--no-glossary", is_flag=True, help="Leave the drafts' spellings alone.")
@engine_options
@author_option
@pass_home
def draft_cmd(
    home: Home,
    slug: str,
    segments: str | None,
    force: bool,
    no_glossary: bool,
    engine: str | None,
    beam: int | None,
    fast: bool,
    threads: int,
    batch_size: int,
    url: str | None,
    api_key: str | None,
    author: str | None,
) -> None:
    """Fill a story's drafts with machine translation, each logged as an `mt` revision.

    Segments someone has edited or confirmed are left alone unless --force. The
    glossary's house spellings are then applied to each draft as a `glossary`
    revision, unless --no-glossary.

    \b
    Example:
      desk draft lattakia-offensive
      desk draft lattakia-offensive --segments 3-5 --fast
      desk draft lattakia-offensive --engine libretranslate --url http://gpu-server:5000
    """
    numbers = parse_numbers((segments,)) if segments else None
    options = EngineOptions(
        name=engine, beam=beam, fast=fast, threads=threads, batch_size=batch_size, url=url,
        api_key=api_key,
    )  # fmt: skip
    run_draft(
        home, slug, resolve_author(author), options=options, numbers=numbers, force=force,
        glossary=not no_glossary,
    )  # fmt: skip


COMMANDS = [engine_group, draft_cmd]
