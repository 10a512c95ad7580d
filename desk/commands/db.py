"""`desk db`: the desk database: its state, its schema, checks, backups and copies."""

from __future__ import annotations

from pathlib import Path

import click

from desk.app.home import busy_timeout_ms
from desk.commands.common import DeskFailure, Home, emit_json, json_option, pass_home
from desk.commands.output import say
from desk.core.errors import InputError
from desk.core.store import Store
from desk.core.store.copying import copy, fingerprint
from desk.core.store.maintenance import backup, check, describe_schema
from desk.core.store.postgres import check_url, describe, is_url
from desk.locations import database_path, expand


@click.group("db")
def db_group() -> None:
    """The desk database: its state, its schema, checks, backups and copies.

    A desk keeps its stories in an SQLite file in the desk home, or, for a shared desk,
    in the PostgreSQL database named by $DESK_DATABASE_URL or `[desk] database_url`.
    `check` and `backup` only read it: they work on a damaged one, on a read-only
    mount, and while others use it.

    \b
    Example:
      desk db status
      desk db check
      desk db backup ~/backups/desk-2015-05-17.sqlite3
      desk db migrate
      desk db copy --to postgresql://desk@db.example.org/desk
    """


@db_group.command("status")
@json_option
@pass_home
def status_command(home: Home, as_json: bool) -> None:
    """Show which database this desk uses, its schema and what it holds.

    A PostgreSQL URL is shown without its password.

    \b
    Example:
      desk db status
    """
    store = home.desk.store
    counts = {
        table: int(store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        for table in ("stories", "segments", "revisions", "settings", "tm_units")
    }
    by_status = {
        str(row[0]): int(row[1])
        for row in store.conn.execute(
            "SELECT status, COUNT(*) FROM stories WHERE deleted_at = '' GROUP BY status "
            "ORDER BY status"
        ).fetchall()
    }
    schema = describe_schema(store.applied_migrations())
    if as_json:
        emit_json({"backend": store.dialect, "database": store.where, "schema": schema,
                   "migrations": len(store.applied_migrations()), "counts": counts,
                   "stories_by_status": by_status})  # fmt: skip
        return
    say(f"backend:   {store.dialect}")
    say(f"database:  {store.where}")
    say(f"schema:    {schema}")
    statuses = ", ".join(f"{n:,} {s}" for s, n in by_status.items()) or "none"
    say(
        f"holds:     {counts['stories']:,} stories ({statuses}), "
        f"{counts['segments']:,} segments, {counts['revisions']:,} revisions, "
        f"{counts['settings']:,} settings, {counts['tm_units']:,} translation memory units"
    )


@db_group.command("migrate")
@pass_home
def migrate_command(home: Home) -> None:
    """Bring the database's schema up to date with this desk.

    An SQLite desk is migrated whenever it opens; a shared PostgreSQL desk only by this
    command (run once, by whoever upgrades desk, for everyone). A database made by a
    newer desk is refused and left as it is.

    \b
    Example:
      DESK_DATABASE_URL=postgresql://desk@db.example.org/desk desk db migrate
    """
    store = Store(home.database, busy_timeout_ms=busy_timeout_ms(), migrate_schema=True)
    try:
        done = store.migrated
        current = describe_schema(store.applied_migrations())
    finally:
        store.close()
    if done:
        say(f"Applied {len(done)} migration(s) to {store.where}: {', '.join(done)}")
    say(f"{store.where}: schema {current}")


@db_group.command("copy")
@click.option(
    "--to", "to", required=True, metavar="URL|FILE",
    help="An empty PostgreSQL database (postgresql://...) or a new SQLite file.",
)  # fmt: skip
@pass_home
def copy_command(home: Home, to: str) -> None:
    """Copy this desk (stories, every revision, settings) to another database.

    The target is an empty PostgreSQL database, which desk migrates first, or a new
    SQLite file (a backup of a shared desk in one file). Counts and a SHA-256 over every
    row are compared before the copy is kept; nothing half-copied stays behind. The
    desk itself is only read.

    \b
    Example:
      desk db copy --to postgresql://desk@db.example.org/desk
      desk db copy --to ~/backups/desk-2015-05-17.sqlite3
    """
    target: Path | str = check_url(to, "--to") if is_url(to) else expand(to, "--to")
    store = home.desk.store
    own = store.path if isinstance(store.path, Path) else None
    if isinstance(target, Path) and own is not None and target.resolve() == own.resolve():
        raise InputError(f"{target} is this desk's own database: name a new file")
    copied = copy(store, target, busy_timeout_ms=busy_timeout_ms())
    where = str(target) if isinstance(target, Path) else describe(target)
    again = fingerprint(store)
    say(
        f"Copied {store.where} to {where}: {copied.counts['stories']:,} stories, "
        f"{copied.counts['segments']:,} segments, {copied.counts['revisions']:,} revisions, "
        f"{copied.counts['settings']:,} settings, {copied.counts['tm_units']:,} translation "
        f"memory units; counts and SHA-256 {copied.digest[:16]} "
        "match on both sides"
    )
    if again != copied:
        say(f"Note: {store.where} changed while desk copied; the copy is the desk as it was.")


@db_group.command("check")
@json_option
@pass_home
def check_command(home: Home, as_json: bool) -> None:
    """Run SQLite's integrity and foreign-key checks; exit 6 and list what is damaged.

    \b
    Example:
      desk db check
    """
    location = home.database
    if isinstance(location, str):
        store = home.desk.store
        say(f"schema: {describe_schema(store.applied_migrations())}")
        say(
            f"{store.where}: PostgreSQL checks its own pages and enforces the revision "
            "log's references; the schema is desk's"
        )
        return
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
    if isinstance(home.database, str):
        raise InputError(
            "this desk is on PostgreSQL: `desk db copy --to FILE` backs it up to a new "
            "SQLite file (or use the server's own pg_dump)"
        )
    path = database_path(home.path)
    size = backup(path, file, force=force, busy_timeout_ms=busy_timeout_ms())
    say(f"Backed up {path} to {file} ({size:,} bytes)")


COMMANDS = [db_group]
