"""The workbench command: `desk open SLUG` (a bare `desk` opens the story list)."""

from __future__ import annotations

import click

from desk.cli import Env, author_option, main, pass_env


@main.command("open")
@click.argument("slug")
@author_option
@pass_env
def open_cmd(env: Env, slug: str, author: str | None) -> None:
    """Open a story in the workbench (the TUI); Esc goes to the story list.

    \b
    Example:
      desk open lattakia-offensive --as rania
    """
    from desk.tui import make_app  # lazily: the CLI starts without textual

    make_app(env, author=author, slug=slug).run()
