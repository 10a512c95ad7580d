"""Engine commands: manage Argos packages, and draft stories with an engine."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from desk.cli import (
    Env,
    author_option,
    emit_json,
    json_option,
    main,
    parse_numbers,
    pass_env,
    resolve_author,
)
from desk.commands.glossary import draft_enforcer
from desk.core.drafting import (
    ENGINE_SETTING,
    ENGINES,
    LIBRETRANSLATE_URL_SETTING,
    PACKAGE_SETTING,
    DraftReport,
    choose_engine,
    draft_story,
)
from desk.core.engine.base import Draft, Engine
from desk.core.engine.packages import (
    PackageInfo,
    argos_packages_dir,
    desk_engine_dir,
    find_package,
    install_file,
    installed_packages,
    remove_package,
)
from desk.core.errors import InputError
from desk.core.service import number_ranges

if TYPE_CHECKING:
    from desk.core.glossary.enforce import Enforcer


@main.group("engine")
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
    }


def package_in_use(env: Env) -> str:
    """The name of the package `desk draft` would use now ('' if none)."""
    store = env.desk.store
    if store.setting(ENGINE_SETTING, "argos") != "argos":
        return ""
    pinned = store.setting(PACKAGE_SETTING)
    if pinned:
        return pinned
    ar_en = [p for p in installed_packages(env.home)[0] if (p.from_code, p.to_code) == ("ar", "en")]
    ar_en.sort(key=lambda p: p.demo)
    return ar_en[0].name if ar_en else ""


@engine_group.command("list")
@json_option
@pass_env
def list_cmd(env: Env, as_json: bool) -> None:
    """List installed Argos packages, which one drafts, and where each lives.

    \b
    Example:
      desk engine list --json
    """
    packages, problems = installed_packages(env.home)
    in_use = package_in_use(env)
    if as_json:
        emit_json([package_json(p, p.name == in_use) for p in packages])
        return
    engine = env.desk.store.setting(ENGINE_SETTING, "argos")
    if engine == "libretranslate":
        engine += f" at {env.desk.store.setting(LIBRETRANSLATE_URL_SETTING)}"
    click.echo(f"Engine: {engine}" + (f" (package {in_use})" if in_use else ""))
    click.echo(f"desk's packages: {desk_engine_dir(env.home)}")
    click.echo(f"Argos packages:  {argos_packages_dir()}")
    if not packages:
        click.echo("No packages installed; the first draft installs desk's demo model.")
    for p in packages:
        mark = "*" if p.name == in_use else " "
        label = " (demo model)" if p.demo else ""
        click.echo(f"{mark} {p.name:36} {p.from_code}→{p.to_code} {p.version:8} {p.where}{label}")
    for problem in problems:
        click.echo(f"  broken: {problem}", err=True)


@engine_group.command("install")
@click.argument("what", nargs=-1, required=True)
@click.option("--replace", is_flag=True, help="Replace an installed package of the same name.")
@pass_env
def install_cmd(env: Env, what: tuple[str, ...], replace: bool) -> None:
    """Install an Argos package: `ar en` from the package index, or a .argosmodel file.

    The index is $ARGOS_PACKAGE_INDEX (as for Argos), else Argos's public index;
    this is the one command that uses the network.

    \b
    Example:
      desk engine install ar en
      desk engine install translate-ar_en-1_0.argosmodel
    """
    # The index code (and its HTTP stack) is loaded only by the one command that uses it.
    from desk.core.engine.index import index_url, install_from_index

    if len(what) == 1:
        package = install_file(Path(what[0]), env.home, replace=replace)
    elif len(what) == 2:
        click.echo(f"Fetching the package index {index_url()}index.json", err=True)
        package = install_from_index(env.home, what[0], what[1], replace=replace)
    else:
        raise InputError("give a language pair (ar en) or one .argosmodel file")
    click.echo(f"Installed {package.name} {package.version} into {package.path.parent}")


@engine_group.command("remove")
@click.argument("name")
@pass_env
def remove_cmd(env: Env, name: str) -> None:
    """Remove an installed package by name (see `desk engine list`).

    \b
    Example:
      desk engine remove translate-ar_en-demo
    """
    package = remove_package(env.home, name)
    if env.desk.store.setting(PACKAGE_SETTING) == name:
        env.desk.store.set_setting(PACKAGE_SETTING, None, resolve_author(None))
    click.echo(f"Removed {package.name} from {package.path.parent}")


@engine_group.command("use")
@click.argument("name")
@click.option("--url", help="The LibreTranslate server (with `use libretranslate`).")
@author_option
@pass_env
def use_cmd(env: Env, name: str, url: str | None, author: str | None) -> None:
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
    store = env.desk.store
    if url is not None and name != "libretranslate":
        raise InputError("--url goes with `desk engine use libretranslate`")
    if name == "libretranslate":
        from desk.core.engine.libretranslate import check_url

        if not url:
            raise InputError("`desk engine use libretranslate` needs --url http://HOST:PORT")
        store.set_setting(ENGINE_SETTING, name, who)
        store.set_setting(LIBRETRANSLATE_URL_SETTING, check_url(url), who)
        store.set_setting(PACKAGE_SETTING, None, who)
        click.echo(f"Drafting with the LibreTranslate server at {check_url(url)}")
        return
    if name in ENGINES:
        store.set_setting(ENGINE_SETTING, name, who)
        store.set_setting(PACKAGE_SETTING, None, who)
        click.echo(
            f"Drafting with {name}" + (" (best installed package)" if name == "argos" else "")
        )
        return
    package = find_package(env.home, name)
    if (package.from_code, package.to_code) != ("ar", "en"):
        raise InputError(f"{name} translates {package.from_code}→{package.to_code}, not ar→en")
    store.set_setting(ENGINE_SETTING, "argos", who)
    store.set_setting(PACKAGE_SETTING, name, who)
    click.echo(f"Drafting with {name}")


def engine_options(func: Any) -> Any:
    """Options choosing and tuning the engine."""
    for option in reversed(
        [
            click.option("--engine", type=click.Choice(ENGINES), help="Engine (default: desk's)."),
            click.option("--beam", type=int, help="Beam size (default 4, as Argos)."),
            click.option("--fast", is_flag=True, help="Greedy decoding: a quicker, rougher draft."),
            click.option("--threads", type=int, default=0, help="CPU threads (0: all cores)."),
            click.option("--batch-size", type=int, default=64, help="Segments per model call."),
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
    env: Env,
    slug: str,
    engine: Engine,
    requested_by: str,
    numbers: list[int] | None = None,
    force: bool = False,
    enforcer: Enforcer | None = None,
) -> DraftReport:
    """Draft with a progress bar on a terminal, then say what happened."""
    story = env.desk.store.load_story(slug)
    total = len(numbers) if numbers is not None else len(story.segments)
    click.echo(f"Drafting {slug} with {engine.describe()}", err=True)
    start = time.perf_counter()
    if sys.stderr.isatty() and total > 1:
        with click.progressbar(length=total, label="Drafting", file=sys.stderr) as bar:

            def advance(draft: Draft) -> None:
                bar.update(1)

            report = draft_story(
                env.desk, slug, engine, requested_by=requested_by, numbers=numbers,
                force=force, on_draft=advance, enforcer=enforcer,
            )  # fmt: skip
    else:
        report = draft_story(
            env.desk, slug, engine, requested_by=requested_by, numbers=numbers, force=force,
            enforcer=enforcer,
        )  # fmt: skip
    seconds = time.perf_counter() - start
    click.echo(f"Drafted {len(report.drafted)} segment(s) in {seconds:.1f} s")
    if report.glossary_fixed:
        click.echo(
            f"Applied the glossary's house spellings in {len(report.glossary_fixed)} "
            f"segment(s): {number_ranges(report.glossary_fixed)} (see `desk log --kind glossary`)"
        )
    if report.skipped:
        click.echo(
            f"Left {len(report.skipped)} segment(s) people have worked on: "
            f"{number_ranges(report.skipped)} (--force overwrites them)"
        )
    return report


@main.command("draft")
@click.argument("slug")
@click.option("--segments", help="Only these segments, e.g. 1-5,9.")
@click.option("--force", is_flag=True, help="Also redraft segments people have edited.")
@click.option("--no-glossary", is_flag=True, help="Leave the drafts' spellings alone.")
@engine_options
@author_option
@pass_env
def draft_cmd(
    env: Env,
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
    choice = choose_engine(
        env.home, env.desk, name=engine, beam=beam, fast=fast, threads=threads,
        batch_size=batch_size, url=url, api_key=api_key,
    )  # fmt: skip
    for notice in choice.notices:
        click.echo(notice, err=True)
    enforcer = None if no_glossary else draft_enforcer(env)
    run_draft(env, slug, choice.engine, resolve_author(author), numbers, force, enforcer)
