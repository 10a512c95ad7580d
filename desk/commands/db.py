"""`desk db`: check the desk database and back it up; neither writes to it."""

from __future__ import annotations

from pathlib import Path

import click

from desk.app.home import busy_timeout_ms
from desk.commands.common import DeskFailure, Home, emit_json, json_option, pass_home
from desk.commands.output import say
from desk.core.store.maintenance import backup, check
from desk.locations import database_path


@click.group("db")
def db_group() -> None:
    """Check the desk database for damage, or back it up to a file.

    Both read the database without writing to it: they work on a damaged one, on a
    read-only mount, and while others use it.

    \b
    Example:
      desk db check
      desk db backup ~/backups/desk-2015-05-17.sqlite3
    """


@db_group.command("check")
@json_option
@pass_home
def check_command(home: Home, as_json: bool) -> None:
    """Run SQLite's integrity and foreign-key checks; exit 6 and list what is damaged.

    \b
    Example:
      desk db check
    """
    path = database_path(home.path)
    found = check(path, busy_timeout_ms=busy_timeout_ms())
    if as_json:
        emit_json({"database": str(path), "ok": not found.problems,
                   "problems": found.problems, "schema": found.schema})  # fmt: skip
    else:
        say(f"schema: {found.schema}")
        for problem in found.problems:
            say(problem)
    if found.problems:
        raise DeskFailure(
            f"the desk database {path} is damaged: {len(found.problems)} problem(s) listed; "
            "restore your last backup, or `desk db backup FILE` to keep what can be read",
            6,
        )
    if not as_json:
        say(f"{path}: sound (integrity and foreign keys check out)")


@db_group.command("backup")
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists (a regular file only).")
@pass_home
def backup_command(home: Home, file: Path, force: bool) -> None:
    """Copy the desk database to a new FILE, safely while others use it.

    SQLite's online backup makes one consistent copy, written to a temporary file and
    renamed, so FILE is whole or absent. An existing FILE is replaced only with
    --force; a symbolic link, folder or device never is.

    \b
    Example:
      desk db backup ~/backups/desk-2015-05-17.sqlite3
    """
    path = database_path(home.path)
    size = backup(path, file, force=force, busy_timeout_ms=busy_timeout_ms())
    say(f"Backed up {path} to {file} ({size:,} bytes)")


COMMANDS = [db_group]
