"""The workbench: a bare `desk` opens the story list, `desk open SLUG` one story.

The only command module that imports desk.tui, and only when the workbench runs, so
that every other command starts without textual.
"""

from __future__ import annotations

import os
import sys

import click

from desk.commands.common import Home, author_option, complete_slug, pass_home


def has_terminal() -> bool:
    """Whether desk reads keys from and draws on a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def run(
    home: Home,
    *,
    author: str | None = None,
    slug: str | None = None,
    arabic_display: str | None = None,
) -> None:
    """Open the workbench on `home` (on `slug`, if given) and run it until it quits.

    Without a terminal (a pipe, a cron job, CI) there is nothing to draw on: a usage
    error (exit 2) says so instead of writing escape codes and waiting forever. With
    `desk --no-color` (or $NO_COLOR) the workbench draws without colour.
    """
    if not has_terminal():
        raise click.UsageError(
            "the workbench needs a terminal; give a command instead (`desk --help` lists them)"
        )
    from desk.tui import make_app

    context = click.get_current_context(silent=True)
    if context is not None and context.color is False:
        # `desk --no-color`: Textual's only switch is $NO_COLOR, read as the app is made.
        os.environ["NO_COLOR"] = "1"
    make_app(home, author=author, slug=slug, arabic_display=arabic_display).run()


@click.command("open")
@click.argument("slug", shell_complete=complete_slug)
@author_option
@click.option(
    "--arabic-display",
    type=click.Choice(["shaped", "raw"]),
    default=None,
    help="`shaped`: desk joins and reorders Arabic (terminals without bidi); `raw`: the "
    "terminal does (VTE-based, Konsole, mlterm). Default: config [tui], else shaped.",
)
@pass_home
def open_cmd(home: Home, slug: str, author: str | None, arabic_display: str | None) -> None:
    """Open a story in the workbench (the TUI); Esc goes to the story list.

    \b
    Example:
      desk open lattakia-offensive --as rania --arabic-display raw
    """
    arabic_display = arabic_display or click.get_current_context().meta.get("desk.arabic_display")
    run(home, author=author, slug=slug, arabic_display=arabic_display)


COMMANDS = [open_cmd]
