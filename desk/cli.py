"""The `desk` command line: a thin click layer over the application layer (desk.app).

This module only builds the `desk` group and adds the commands, which live in
desk/commands/ by area; each command parses, calls desk.app and prints.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from desk.app.home import Home
from desk.commands import (
    db,
    engine,
    export,
    glossary,
    importing,
    log,
    qa,
    search,
    stories,
    tm,
    workbench,
)
from desk.commands.common import DeskGroup
from desk.commands.output import say
from desk.core.config import move_config
from desk.locations import old_config_path, user_config_path

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
"""`-h` is help, as in sqlite-utils, llm and httpie (subcommands inherit it)."""


def colour_choice(flag: bool | None) -> bool | None:
    """Whether to colour the output: --color or --no-color as given, else never when
    $NO_COLOR is set to anything but empty (no-color.org), else None (click colours a
    terminal and strips colour from a pipe or a file)."""
    if flag is not None:
        return flag
    return False if os.environ.get("NO_COLOR") else None


def move_old_config(home: Home) -> None:
    """Move the default desk home's config.toml from the data dir, where older desks kept
    it, to the user config dir, saying so once (on stderr): the next run finds it there."""
    old = old_config_path(home.path)
    if old is not None:
        message = move_config(old, user_config_path())
        if message is not None:
            say(message, err=True)


@click.group(cls=DeskGroup, invoke_without_command=True, context_settings=CONTEXT_SETTINGS)
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
@click.option(
    "--color/--no-color",
    "color",
    default=None,
    help="Colour the output even through a pipe (--color), or never (--no-color, as "
    "$NO_COLOR does). Default: colour on a terminal only.",
)
@click.version_option(package_name="desk")
@click.pass_context
def main(
    ctx: click.Context, home: Path | None, arabic_display: str | None, color: bool | None
) -> None:
    """desk: translate and edit Arabic news stories into English, every change kept.

    \b
    Example:
      desk import samples/lattakia-offensive.ar.md \\
          --draft samples/lattakia-offensive.draft.en.md --as rania
      desk show lattakia-offensive
      desk                              # the workbench (TUI); `desk open SLUG` opens a story

    \b
    Config: config.toml in the user config dir (on Linux $XDG_CONFIG_HOME/desk, by
    default ~/.config/desk); a home named by --home or $DESK_HOME keeps its own inside.
    Completion of commands, options and slugs, in ~/.bashrc (zsh: zsh_source in
    ~/.zshrc; fish: see docs/commands.md, "Completion"):
      eval "$(_DESK_COMPLETE=bash_source desk)"
    """
    ctx.color = colour_choice(color)  # every subcommand's context inherits it
    ctx.obj = Home.at(home)
    ctx.call_on_close(ctx.obj.close)
    move_old_config(ctx.obj)
    ctx.meta["desk.arabic_display"] = arabic_display  # `desk open` falls back to it
    if ctx.invoked_subcommand is None:
        workbench.run(ctx.obj, arabic_display=arabic_display)


def set_colour(ctx: click.Context, _param: click.Parameter, value: bool | None) -> None:
    """A command's own --color/--no-color: over what `desk` chose, for this command."""
    if value is not None:
        ctx.color = value


def colour_anywhere(command: click.Command) -> None:
    """Let --color/--no-color also follow a command's name (`desk show SLUG --no-color`),
    as people type it; hidden from the command's help, which `desk -h` covers."""
    if not any(param.name == "color" for param in command.params):  # once, if imported again
        command.params.append(
            click.Option(
                ["--color/--no-color"], default=None, expose_value=False, is_eager=True,
                callback=set_colour, hidden=True,
            )
        )  # fmt: skip
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            colour_anywhere(sub)


for module in (importing, stories, qa, engine, glossary, log, export, search, tm, db, workbench):
    for command in module.COMMANDS:
        colour_anywhere(command)
        main.add_command(command)
