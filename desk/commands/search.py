"""`desk search`: full-text search over every story's Arabic and English."""

from __future__ import annotations

import click

from desk.commands import output
from desk.commands.common import (
    Home,
    emit_json,
    json_option,
    pass_home,
    status_option,
)
from desk.core.fulltext import MAX_HITS, search
from desk.core.story import StoryStatus


@click.command("search")
@click.argument("query")
@status_option
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=MAX_HITS),
    default=20,
    show_default=True,
    help=f"Show at most this many segments (the newest; at most {MAX_HITS:,}).",
)
@json_option
@pass_home
def search_cmd(home: Home, query: str, status: str | None, limit: int, as_json: bool) -> None:
    """Find segments whose Arabic or English has every word of QUERY, newest first.

    Arabic is matched without harakat and with alef, ta marbuta and alef maqsura
    forms folded; English without regard to case or accents. "Quoted words" must
    come together; a word ending in * matches every word it starts (give it at least
    three letters, after the article ال in Arabic).

    \b
    Example:
      desk search Lattakia
      desk search 'اللاذقية'
      desk search '"al-Akrad mountain"' --status published
      desk search 'Hass*'
    """
    hits = search(
        home.desk.store.conn, query, status=StoryStatus(status) if status else None, limit=limit
    )
    if as_json:
        emit_json([output.hit_json(hit) for hit in hits])
        return
    if not hits:  # stdout: the hits alone, here none
        output.say(f"Nothing found for {query!r}.", err=True)
        return
    click.echo(output.hits(hits))
    if len(hits) == limit:
        click.echo(f"(the newest {limit} shown; --limit for more)", err=True)


COMMANDS = [search_cmd]
