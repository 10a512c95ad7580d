"""Engine commands: manage Argos packages, and draft stories with an engine."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from desk.app.engines import (
    ENGINE_SETTING,
    ENGINES,
    LIBRETRANSLATE_URL_SETTING,
    PACKAGE_SETTING,
    package_in_use,
)
from desk.commands.common import (
    Home,
    author_option,
    emit_json,
    json_option,
    pass_home,
    resolve_author,
)
from desk.commands.draft import draft_cmd
from desk.commands.draft import run_draft as run_draft  # `desk import` calls it from here
from desk.commands.output import Progress, say
from desk.core.engine.argos_settings import argos_packages_location, settings_problem
from desk.core.engine.packages import (
    BrokenPackage,
    PackageInfo,
    clean_leftovers,
    desk_engine_dir,
    find_package,
    install_file,
    installed_packages,
    remove_package,
    shown,
)
from desk.core.errors import DeskError, InputError
from desk.locations import desk_home


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

    Argos's package folder is found as Argos finds it: $ARGOS_PACKAGES_DIR, else
    ARGOS_PACKAGES_DIR in Argos's settings.json, else its default; the listing says
    which. A package folder desk cannot use is listed as broken, with the reason.

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
    argos_dir, chosen_by = argos_packages_location()
    named = f" (ARGOS_PACKAGES_DIR in {chosen_by})" if chosen_by.endswith(".json") else ""
    named = f" (from {chosen_by})" if chosen_by.startswith("$") else named
    say(f"Argos packages:  {argos_dir}{named}")
    unread = "" if chosen_by else settings_problem()
    if unread:
        say(f"! Argos's settings are not used ({unread}); Argos's default folder is listed")
    if not packages:
        say("No packages installed; the first draft installs desk's demo model.")
    for p in packages:
        mark = "*" if p.name == in_use else " "
        label = " (demo model)" if p.demo else ""
        line = f"{mark} {p.name:36} {p.from_code}→{p.to_code} {p.version:8} {p.where}{label}"
        say(line)
    for problem in problems:
        say(f"! {problem.name:36} broken ({problem.where}): {problem.reason}")


def complete_file(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of a package file: the shell's own file names."""
    return [CompletionItem(incomplete, type="file")]


@engine_group.command("install")
@click.argument("what", nargs=-1, required=True, shell_complete=complete_file)
@click.option("--replace", is_flag=True, help="Replace an installed package of the same name.")
@pass_home
def install_cmd(home: Home, what: tuple[str, ...], replace: bool) -> None:
    """Install an Argos package: `ar en` from the package index, or a .argosmodel file.

    The index is $ARGOS_PACKAGE_INDEX, else that key in Argos's settings.json (as
    Argos reads it), else Argos's public index; this is the one command that uses the
    network. Each fetch gives up after $DESK_FETCH_TIMEOUT seconds of silence (30) or
    $DESK_FETCH_DEADLINE seconds in all (1800), and a package over
    $DESK_DOWNLOAD_LIMIT_MB (1024) is refused. On a terminal, the download's progress
    is drawn on stderr.

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
    """The package download's progress on a terminal's stderr: a bar with the time left
    when the server says the size, else the megabytes so far, redrawn a few times a second."""

    def __init__(self) -> None:
        """Nothing drawn yet."""
        self.bar: Progress | None = None
        self.received = 0
        self.drawn = 0.0
        self.shown = False

    def __call__(self, received: int, total: int | None) -> None:
        """Count the bytes received so far (of `total`, when known) and redraw."""
        if received < self.received:  # another link, from the start
            self.close()
        if total:
            if self.bar is None:
                self.bar = Progress(total, "Downloading the package").__enter__()
            self.bar.advance(received - self.received)
            self.received = received
            return
        self.received = received
        now = time.monotonic()
        if now - self.drawn < 0.2:
            return
        self.drawn = now
        sys.stderr.write(f"\rDownloading the package: {received / 1024**2:.1f} MB\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        """End the progress line."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.shown = False
        self.received = 0


def complete_package(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of a package name: the installed packages (and for `use`, the
    engines) whose name starts with what is typed, each with its languages and folder."""
    items: list[CompletionItem] = []
    if ctx.command.name == "use":
        items = [CompletionItem(name, help="engine") for name in ENGINES]
    try:
        home = desk_home(ctx.find_root().params.get("home"))
        packages, broken = installed_packages(home)
    except (DeskError, OSError):
        # A shell runs this on Tab, where a message would garble the command line being
        # typed; the command itself, once run, says what is wrong.
        return [item for item in items if item.value.startswith(incomplete)]
    for p in packages:
        if ctx.command.name == "use" and (p.from_code, p.to_code) != ("ar", "en"):
            continue
        demo = ", demo model" if p.demo else ""
        where = "desk" if p.where == "desk" else "Argos's shared folder"
        about = f"{p.from_code}→{p.to_code} {p.version} ({where}{demo})"
        items.append(CompletionItem(p.name, help=shown(about)))
    if ctx.command.name == "remove":
        folders = (desk_engine_dir(home), argos_packages_location()[0])
        items += [
            CompletionItem(b.name, help=f"broken ({b.where})")
            for b in broken
            if b.path.parent in folders  # a package folder, not a folder that cannot be listed
        ]
    return [item for item in items if item.value.startswith(incomplete)]


@engine_group.command("remove")
@click.argument("name", shell_complete=complete_package)
@click.option(
    "--yes",
    is_flag=True,
    help="Remove it even from Argos's shared package folder, which argospm and "
    "LibreTranslate use too.",
)
@pass_home
def remove_cmd(home: Home, name: str, yes: bool) -> None:
    """Remove an installed package by name (see `desk engine list`), a broken one too.

    A package in desk's own folder is removed at once. Argos's package folder is
    shared: Argos Translate, argospm and a LibreTranslate server on this machine load
    their models from it, so a package there is removed only with --yes.

    \b
    Example:
      desk engine remove translate-ar_en-0_1_0-demo
      desk engine remove translate-ar_en-1_0 --yes
    """
    removed = remove_package(home.path, name, shared=yes)
    if home.desk.store.setting(PACKAGE_SETTING) == name:
        home.desk.store.set_setting(PACKAGE_SETTING, None, resolve_author(None))
    say(f"Removed {name} from {removed.parent}")


@engine_group.command("use")
@click.argument("name", shell_complete=complete_package)
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


COMMANDS = [engine_group, draft_cmd]
