"""What every command shares: the home it works on, its options, errors and JSON output."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from click.shell_completion import CompletionItem

from desk.app.home import Home, resolve_author
from desk.commands.output import safe, shorten
from desk.core.errors import DeskError, InputError, NotFoundError
from desk.core.importer import MAX_IMPORT_BYTES
from desk.core.store import Store
from desk.core.store.opening import failure
from desk.core.story import StoryStatus
from desk.locations import database_path

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "ROW_NUMBER",
    "DeskFailure",
    "DeskGroup",
    "Home",
    "author_option",
    "complete_slug",
    "emit_json",
    "json_option",
    "parse_numbers",
    "pass_home",
    "resolve_author",
    "say_notices",
    "status_option",
]


class DeskFailure(click.ClickException):
    """A DeskError as click reports it: one line on stderr and the error's exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        """Carry the message (its control characters made visible: it may quote a file,
        a story or a server) and exit code."""
        super().__init__(safe(message))
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it per class


ENVIRONMENT = (
    "DESK_USER", "DESK_HOME", "DESK_GLOSSARY", "DESK_TZ", "DESK_CLOCK", "DESK_BUSY_TIMEOUT_MS",
    "ARGOS_PACKAGE_INDEX", "ARGOS_PACKAGES_DIR", "DESK_LIBRETRANSLATE_API_KEY", "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
)  # fmt: skip
"""The environment variables desk reads."""


def undecodable(args: Sequence[str]) -> str | None:
    """Why desk cannot take these arguments or its environment variables: bytes that
    are not UTF-8 (Python keeps them as lone surrogates, which nothing can store or
    print); None when all is text."""
    for i, arg in enumerate(args, start=1):
        if _SURROGATE.search(arg):
            return f"argument {i} ({arg.encode('utf-8', 'replace').decode()!r}) is not UTF-8 text"
    for name in ENVIRONMENT:
        if _SURROGATE.search(os.environ.get(name, "")):
            return f"${name} is not UTF-8 text"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


class DeskGroup(click.Group):
    """A click group that turns desk's own errors into clean messages and exit codes."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        """Refuse arguments or environment that are not UTF-8 (a usage error, exit 2)
        before anything runs, then run as click does."""
        given = list(sys.argv[1:] if args is None else args)
        problem = undecodable(given)
        if problem is not None:
            click.echo(f"Error: {problem}", err=True)
            sys.exit(2)
        try:
            return super().main(given, *rest, **options)
        except OSError as exc:
            # Outside a command (`desk --help > /dev/full`: help and --version print
            # before any command runs, where `invoke` turns such failures into one line).
            with contextlib.suppress(OSError):
                click.echo(f"Error: {os_message(exc)}", err=True)
            sys.exit(1)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; DeskError, SQLite's failures (locked, read-only, damaged, a
        full disk) and the file system's, wherever in the command they happen, become
        DeskFailure."""
        try:
            return super().invoke(ctx)
        except DeskError as exc:
            raise DeskFailure(str(exc), exc.exit_code) from None
        except sqlite3.Error as exc:
            if isinstance(exc, sqlite3.ProgrammingError | sqlite3.InterfaceError):
                raise  # desk's own misuse of SQLite: a bug to see whole
            home = ctx.obj if isinstance(ctx.obj, Home) else Home.at()
            error = failure(exc, database_path(home.path))
            raise DeskFailure(str(error), error.exit_code) from None
        except BrokenPipeError as exc:
            if stdout_reader_gone():
                raise  # `desk ... | head`: click ends quietly, exit 1, as for any command
            raise DeskFailure(os_message(exc), 1) from None
        except OSError as exc:
            # A file system refusal no check foresaw (a name or path too long, a disk that
            # fills, a permission): one line naming the file, exit 1, not a traceback.
            raise DeskFailure(os_message(exc), 1) from None


def stdout_reader_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it (`desk glossary list
    | head -2`), rather than a broken pipe of desk's own (a server's connection)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no such file, or no poll here
        return False


pass_home = click.make_pass_decorator(Home)
"""Hand a command the desk home `desk --home` (or the default) names."""


def os_message(exc: OSError) -> str:
    """An OSError as one line: the file (shortened when very long), what went wrong."""
    name = str(exc.filename) if exc.filename is not None else ""
    if len(name) > 200:
        name = name[:100] + "…" + name[-60:]
    what = exc.strerror or str(exc)
    return f"{name}: {what}" if name else what


MAX_COMPLETIONS = 200
"""Slugs offered for one Tab at most: a shell shows a screenful, and an archive of
100,000 stories must not be read for a prefix of one letter."""

COMPLETION_WAIT_MS = 500
"""How long Tab waits for a database another desk has locked before offering nothing."""

_SLUG_PREFIX = re.compile(r"[a-z0-9-]*")
"""What can begin a slug (lowercase ASCII words and hyphens, see desk.core.slugs)."""


def complete_slug(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of a SLUG argument: the desk's stories whose slug starts with what
    is typed, each with its status and headline (zsh and fish show them)."""
    if not _SLUG_PREFIX.fullmatch(incomplete):
        return []  # no slug holds capitals, spaces or quotes: nothing to look up
    home_option = ctx.find_root().params.get("home")
    try:
        database = Home.at(home_option).database
        if isinstance(database, Path) and not database.is_file():
            return []  # no desk here yet: pressing Tab must not create one
        # Never migrate on Tab (a big archive's upgrade takes minutes): an older schema
        # is refused, and offers nothing until a command upgrades it.
        store = Store(database, busy_timeout_ms=COMPLETION_WAIT_MS, migrate_schema=False)
        try:
            rows = store.conn.execute(
                """
                SELECT s.slug, s.status, s.headline_ar,
                       COALESCE((SELECT text FROM segments g
                                 WHERE g.story_id = s.id AND g.role = 'headline'
                                 ORDER BY n LIMIT 1), '')
                FROM stories s
                WHERE s.deleted_at = '' AND substr(s.slug, 1, ?) = ?
                ORDER BY s.slug LIMIT ?
                """,
                (len(incomplete), incomplete, MAX_COMPLETIONS),
            ).fetchall()
        finally:
            store.close()
    except (DeskError, sqlite3.Error, OSError, UnicodeDecodeError):
        # A shell runs this on Tab, where a message would garble the command line being
        # typed; the command itself, once run, says what is wrong with the desk.
        return []
    return [
        CompletionItem(str(slug), help=f"{status} · {shorten(str(en or ar), 60)}")
        for slug, status, ar, en in rows
    ]


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


def status_option(func: F) -> F:
    """Add `--status STATUS`: only stories in this status."""
    return click.option(
        "--status",
        type=click.Choice([s.value for s in StoryStatus]),
        help="Only stories in this status.",
    )(func)


def emit_json(data: Any) -> None:
    """Print data as indented UTF-8 JSON; DEL, the C1 controls and U+2028/9 are escaped
    as json.dumps escapes ESC and the other C0 controls (a terminal acts on them; a JSON
    reader reads the escapes back as the same text)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    click.echo(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


_C1 = re.compile("[\x7f-\x9f\u2028\u2029]")
"""What json.dumps(ensure_ascii=False) leaves raw that a terminal or a JavaScript reader
acts on: DEL, the C1 controls and the line and paragraph separators."""


def say_notices(home: Home) -> None:
    """Print (on stderr) what desk did on its own, once each."""
    while home.notices:
        click.echo(safe(home.notices.pop(0)), err=True)


MAX_SEGMENT = MAX_IMPORT_BYTES
"""No story has more segments than this (each takes at least a character of a source
file of at most MAX_IMPORT_BYTES), so a larger number is out of range for every story."""

ROW_NUMBER = click.IntRange(min=0, max=2**63 - 1)
"""A count or a version as SQLite stores it (a larger one cannot be asked for)."""


def parse_numbers(values: tuple[str, ...]) -> list[int]:
    """Segment numbers from arguments like `3`, `5-8` or `1,2`, ascending, each once.

    A range that runs backwards (`5-1`) is refused, and so is a number past MAX_SEGMENT:
    `1-3000000000` would otherwise be a list of three billion numbers."""
    ranges: list[tuple[int, int]] = []
    for value in values:
        for part in value.split(","):
            match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
            if not match:
                raise InputError(f"{part!r} is not a segment number or range like 3-5")
            low, high = match.group(1), match.group(2) or match.group(1)
            digits = max(len(low.lstrip("0")), len(high.lstrip("0")))  # int() of 10**6 digits
            if digits > len(str(MAX_SEGMENT)) or int(high) > MAX_SEGMENT:
                raise NotFoundError(f"segment {part.strip()} is out of range (no story has "
                               f"{MAX_SEGMENT:,} segments)")  # fmt: skip
            if int(low) > int(high):
                raise InputError(f"{part.strip()!r} runs backwards; write it {high}-{low}")
            ranges.append((int(low), int(high)))
    numbers: list[int] = []
    for low, high in sorted(ranges):  # overlapping ranges are joined, never repeated
        start = max(low, numbers[-1] + 1) if numbers else low
        numbers.extend(range(start, high + 1))
    return numbers
