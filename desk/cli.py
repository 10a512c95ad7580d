"""The `desk` command line: a thin click layer over desk.core."""

from __future__ import annotations

import getpass
import json
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import click

from desk.core.clock import clock_from_env
from desk.core.config import Config, load_config
from desk.core.errors import DeskError, InputError
from desk.core.service import Desk
from desk.core.store import Store
from desk.locations import config_path, database_path, desk_home

F = TypeVar("F", bound=Callable[..., Any])


class DeskFailure(click.ClickException):
    """A DeskError as click reports it: one line on stderr and the error's exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        """Carry the message and exit code."""
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it per class


class DeskGroup(click.Group):
    """A click group that turns desk's own errors into clean messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; DeskError and locked databases become DeskFailure."""
        try:
            return super().invoke(ctx)
        except DeskError as exc:
            raise DeskFailure(str(exc), exc.exit_code) from None
        except sqlite3.OperationalError as exc:
            raise DeskFailure(f"the desk database is unavailable: {exc}", 6) from None


@dataclass
class Env:
    """What every command needs: the desk home, and (opened on first use) the store."""

    home: Path

    @cached_property
    def config(self) -> Config:
        """The desk home's config."""
        return load_config(config_path(self.home))

    @cached_property
    def desk(self) -> Desk:
        """The operations over this home's store."""
        store = Store(database_path(self.home))
        return Desk(store, clock=clock_from_env(), default_credit=self.config.credit)


def author_option(func: F) -> F:
    """Add `--as NAME`: who is making the change."""
    return click.option(
        "--as",
        "author",
        metavar="NAME",
        help="Who makes the change (default: $DESK_USER, else your login name).",
    )(func)


def json_option(func: F) -> F:
    """Add `--json`: machine-readable output."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(func)


def resolve_author(given: str | None) -> str:
    """The author: --as, else $DESK_USER, else the OS login name."""
    name = given or os.environ.get("DESK_USER") or _login_name()
    name = " ".join(name.split())
    if not name:
        raise InputError("--as: the author name is empty")
    return name


def _login_name() -> str:
    """The OS user, or 'unknown' where there is none (e.g. a container without passwd)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def emit_json(data: Any) -> None:
    """Print data as indented UTF-8 JSON."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def parse_numbers(values: tuple[str, ...]) -> list[int]:
    """Segment numbers from arguments like `3`, `5-8` or `1,2`."""
    numbers: list[int] = []
    for value in values:
        for part in value.split(","):
            match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
            if not match:
                raise InputError(f"{part!r} is not a segment number or range like 3-5")
            low, high = int(match.group(1)), int(match.group(2) or match.group(1))
            numbers.extend(range(low, high + 1))
    return numbers


pass_env = click.make_pass_decorator(Env)


@click.group(cls=DeskGroup, invoke_without_command=True)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    help="The desk home holding the database (default: $DESK_HOME, else the user data dir).",
)
@click.option(
    "--arabic-display",
    type=click.Choice(["shaped", "raw"]),
    default=None,
    help="Workbench only: `shaped` joins and reorders Arabic for terminals without bidi, "
    "`raw` leaves it to terminals that do their own (default: config [tui], else shaped).",
)
@click.version_option(package_name="desk")
@click.pass_context
def main(ctx: click.Context, home: Path | None, arabic_display: str | None) -> None:
    """desk: translate and edit Arabic news stories into English, every change kept.

    \b
    Example:
      desk import samples/lattakia-offensive.ar.md \\
          --draft samples/lattakia-offensive.draft.en.md --as rania
      desk show lattakia-offensive
      desk                              # the workbench (TUI); `desk open SLUG` opens a story
    """
    ctx.obj = Env(desk_home(home))
    ctx.meta["desk.arabic_display"] = arabic_display  # `desk open` falls back to it
    if ctx.invoked_subcommand is None:
        # Imported here so that the CLI starts fast and desk.core never sees textual.
        from desk.tui import make_app

        make_app(ctx.obj, arabic_display=arabic_display).run()


# The commands live in their own modules and register themselves on `main`.
import desk.commands.engine  # noqa: E402
import desk.commands.glossary  # noqa: E402
import desk.commands.history  # noqa: E402
import desk.commands.search  # noqa: E402
import desk.commands.stories  # noqa: E402
import desk.commands.tui  # noqa: E402, F401
