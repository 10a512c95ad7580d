"""`desk export`: the story as Markdown with front matter, for the CMS."""

from __future__ import annotations

from pathlib import Path

import click

from desk.app.service import GateRefused
from desk.commands.common import (
    DeskFailure,
    Home,
    author_option,
    complete_slug,
    pass_home,
    resolve_author,
)
from desk.commands.output import say
from desk.core.export import PROFILES


@click.command("export")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--profile", type=click.Choice(PROFILES), help="CMS profile (default from config).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (default from config, else export/ in the desk home).",
)
@click.option("--tz", help="Time zone for dates, e.g. Asia/Damascus (default from config).")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print instead of writing a file.")
@click.option("--force", is_flag=True, help="Export past the QA gate (logged).")
@author_option
@pass_home
def export_cmd(
    home: Home,
    slug: str,
    profile: str | None,
    out: Path | None,
    tz: str | None,
    to_stdout: bool,
    force: bool,
    author: str | None,
) -> None:
    """Write the story as Markdown with front matter for the CMS.

    Only approved or published stories with every segment confirmed pass the
    QA gate; --force overrides it and the override is logged. The file written
    is named on stderr; with --stdout the Markdown alone goes to stdout.

    \b
    Example:
      desk export lattakia-offensive --profile jekyll --out ~/site/_posts
    """
    try:
        done = home.export(
            slug, author=resolve_author(author), profile=profile, tz=tz, out=out, force=force,
            to_stdout=to_stdout,
        )  # fmt: skip
    except GateRefused as exc:
        raise DeskFailure(f"{exc} (--force overrides)", exc.exit_code) from None
    if done.path is None:
        click.echo(done.content.decode("utf-8"), nl=False)
        return
    # A message, not data: standard output stays for the export itself (--stdout).
    say(f"Wrote {done.path}", err=True)


COMMANDS = [export_cmd]
