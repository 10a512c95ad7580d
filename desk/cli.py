"""The `desk` command line: a thin click layer over the application layer (desk.app).

This module only builds the `desk` group and adds the commands, which live in
desk/commands/ by area; each command parses, calls desk.app and prints.
"""

from __future__ import annotations

from pathlib import Path

import click

from desk.app.home import Home
from desk.commands import db, engine, export, glossary, log, qa, search, stories, tm, workbench
from desk.commands.common import DeskGroup


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
    ctx.obj = Home.at(home)
    ctx.call_on_close(ctx.obj.close)
    ctx.meta["desk.arabic_display"] = arabic_display  # `desk open` falls back to it
    if ctx.invoked_subcommand is None:
        workbench.run(ctx.obj, arabic_display=arabic_display)


for module in (stories, qa, engine, glossary, log, export, search, tm, db, workbench):
    for command in module.COMMANDS:
        main.add_command(command)
