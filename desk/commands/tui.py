"""The workbench command: `desk open SLUG` (a bare `desk` opens the story list)."""

from __future__ import annotations

import click

from desk.cli import Env, author_option, main, pass_env


@main.command("open")
@click.argument("slug")
@author_option
@click.option(
    "--arabic-display",
    type=click.Choice(["shaped", "raw"]),
    default=None,
    help="`shaped`: desk joins and reorders Arabic (terminals without bidi); `raw`: the "
    "terminal does (VTE-based, Konsole, mlterm). Default: config [tui], else shaped.",
)
@pass_env
def open_cmd(env: Env, slug: str, author: str | None, arabic_display: str | None) -> None:
    """Open a story in the workbench (the TUI); Esc goes to the story list.

    \b
    Example:
      desk open lattakia-offensive --as rania --arabic-display raw
    """
    from desk.tui import make_app  # lazily: the CLI starts without textual

    arabic_display = arabic_display or click.get_current_context().meta.get("desk.arabic_display")
    make_app(env, author=author, slug=slug, arabic_display=arabic_display).run()
