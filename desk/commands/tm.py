"""`desk tm`: the translation memory from the shell: TMX import and export, its size,
removal of an import, the concordance, and the matches of one segment."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from desk import __version__
from desk.app import memory as app_memory
from desk.commands import output
from desk.commands.common import (
    ROW_NUMBER,
    Home,
    complete_slug,
    emit_json,
    json_option,
    pass_home,
)
from desk.commands.output import say, write_all
from desk.core.atomic import write_atomic
from desk.core.errors import InputError, NotFoundError, RefusedError
from desk.core.store import memory as store_memory
from desk.core.tm.match import Match, Unit
from desk.core.tm.text import key

MAX_ORIGIN = 200
"""The longest origin name, in characters."""
_UNFIT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@click.group("tm")
def tm_group() -> None:
    """The translation memory: every confirmed segment pair, and units imported from TMX.

    \b
    Example:
      desk tm import agency.tmx
      desk tm search 'المرصد السوري'
      desk tm matches lattakia-offensive 3
      desk tm export memory.tmx --status published
    """


def _origin(given: str | None, path: Path) -> str:
    """The origin the units of `path` get: `--origin`, else `tmx:FILE NAME`."""
    origin = given if given is not None else f"tmx:{path.name if str(path) != '-' else 'stdin'}"
    if origin.strip() != origin or not origin:
        raise InputError(f"--origin {origin!r}: an origin is a name without spaces at its ends")
    if _UNFIT.search(origin) or len(origin) > MAX_ORIGIN:
        raise InputError(f"--origin: one line of at most {MAX_ORIGIN} characters, please")
    if origin == store_memory.DESK:
        raise RefusedError(
            "the origin `desk` is the desk's own confirmed segments; give the import "
            "another --origin"
        )
    return origin


@tm_group.command("import")
@click.argument("path", metavar="FILE.tmx", type=click.Path(path_type=Path))
@click.option(
    "--origin",
    metavar="NAME",
    help="The origin its units are listed under (default: tmx:FILE NAME); "
    "`desk tm remove --origin NAME` takes them out again.",
)
@json_option
@pass_home
def import_cmd(home: Home, path: Path, origin: str | None, as_json: bool) -> None:
    """Add the units of a TMX file (1.4b, 1.4 or 1.1; Arabic source, English target).

    The whole file is read and checked first, then goes in one transaction: a file that
    cannot be read in full adds nothing, and saves wait only for the writing. Pairs the
    memory already holds under the same origin are skipped; units without both an
    Arabic and an English segment are left out.

    \b
    Example:
      desk tm import agency.tmx
      desk tm import omegat-project.tmx --origin omegat:aleppo
    """
    from desk.core.tm.tmx import STATUS, TmxReader, read_tmx

    name = _origin(origin, path)
    source = "standard input" if str(path) == "-" else str(path)
    reader = TmxReader(source)
    units = reader.read(sys.stdin.buffer) if str(path) == "-" else read_tmx(path, reader)
    counts = {"no_arabic": 0}

    def new_units() -> Iterator[store_memory.NewUnit]:
        for unit in units:
            if not key(unit.source):  # no Arabic word to match on (a Latin "ar" segment)
                counts["no_arabic"] += 1
                continue
            yield store_memory.NewUnit(
                source=unit.source, target=unit.target, origin=name, author=unit.author,
                created_at=unit.created_at, updated_at=unit.updated_at, story=unit.story,
                props=unit.props, published=unit.props.get(STATUS) == "published",
            )  # fmt: skip

    # The whole file is read and checked before the write lock is taken: editors' saves
    # wait for the writing only, never for a slow or stalled input.
    ready = list(new_units())
    with home.desk.store.write() as conn:
        added = store_memory.add_units(conn, ready)
    held = reader.units - counts["no_arabic"] - added
    report = {
        "file": source,
        "origin": name,
        "added": added,
        "held": held,
        "without_arabic_words": counts["no_arabic"],
        "incomplete": reader.incomplete,
    }
    if as_json:
        emit_json(report)
        return
    say(f"Imported {added} units from {source} as {name}")
    for count, what in (
        (held, "already in the memory under this origin: skipped"),
        (counts["no_arabic"], "with no Arabic word in the Arabic segment: left out"),
        (reader.incomplete, "without both an Arabic and an English segment: left out"),
    ):
        if count:
            say(f"  {count} {'unit' if count == 1 else 'units'} {what}", err=True)


@tm_group.command("export")
@click.argument("path", metavar="FILE.tmx", type=click.Path(path_type=Path))
@click.option(
    "--status",
    type=click.Choice(["all", "published"]),
    default="all",
    show_default=True,
    help="`published`: only the units of published stories.",
)
@pass_home
def export_cmd(home: Home, path: Path, status: str) -> None:
    """Write the memory as TMX 1.4b (Arabic source, English target; author, dates,
    story, segment, origin and status on each unit); `-` writes to standard output.

    \b
    Example:
      desk tm export memory.tmx
      desk tm export - --status published > published.tmx
    """
    from desk.core.tm.tmx import tmx_text

    desk = home.desk
    count = [0]

    def counted(units: Iterable[Unit]) -> Iterator[Unit]:
        for unit in units:
            count[0] += 1
            yield unit

    units = counted(store_memory.all_units(desk.store.conn, published=status == "published"))
    pieces = tmx_text(units, version=__version__, created=desk.clock())
    if str(path) == "-":  # standard output: the data only, the count on stderr
        for piece in pieces:
            write_all(sys.stdout.buffer, piece.encode(), flush=False)
        sys.stdout.buffer.flush()
        say(f"Wrote {count[0]} units to standard output", err=True)
        return
    write_atomic(path, "".join(pieces).encode())
    say(f"Wrote {count[0]} units to {path}")


@tm_group.command("stats")
@json_option
@pass_home
def stats_cmd(home: Home, as_json: bool) -> None:
    """How many units the memory holds, by origin, and the size of its index.

    \b
    Example:
      desk tm stats
    """
    summary = store_memory.summary(home.desk.store.conn)
    if as_json:
        emit_json(summary)
        return
    origins = summary["origins"]
    if not origins:
        click.echo("The memory is empty: confirm segments, or `desk tm import FILE.tmx`.", err=True)
        return
    width = max(12, *(len(o) for o in origins))
    click.echo(f"{'ORIGIN':{width}} {'UNITS':>10} {'PUBLISHED':>10}")
    for origin, row in origins.items():
        click.echo(f"{output.safe(origin):{width}} {row['units']:>10,} {row['published']:>10,}")
    click.echo(f"{summary['units']:,} units; {summary['postings']:,} index postings")


@tm_group.command("remove")
@click.option("--origin", metavar="NAME", required=True, help="The origin of the import.")
@pass_home
def remove_cmd(home: Home, origin: str) -> None:
    """Remove every unit imported under an origin (`desk tm stats` lists them).

    The desk's own units (origin `desk`) are its confirmed segments and are refused.

    \b
    Example:
      desk tm remove --origin tmx:agency.tmx
    """
    removed = app_memory.remove_origin(home.desk, origin)
    if not removed:
        raise NotFoundError(f"no imported units of origin {origin!r} (`desk tm stats` lists them)")
    say(f"Removed {removed} units of origin {origin}")


def unit_json(unit: Unit) -> dict[str, Any]:
    """A unit as JSON-ready data."""
    return {
        "id": unit.id,
        "source": unit.source,
        "target": unit.target,
        "origin": unit.origin,
        "story": unit.story,
        "segment": unit.segment,
        "author": unit.author,
        "created_at": unit.created_at,
        "updated_at": unit.updated_at,
        "published": unit.published,
        "where": unit.where(),
    }


@tm_group.command("search")
@click.argument("query")
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=ROW_NUMBER.max),
    default=20,
    show_default=True,
    help="Show at most this many units (published first, then the newest).",
)
@json_option
@pass_home
def search_cmd(home: Home, query: str, limit: int, as_json: bool) -> None:
    """The concordance: units whose Arabic or English holds QUERY's words in a row.

    Arabic is matched as the memory matches it (harakat, tatweel and letter forms
    folded; و, ف and the article apart); English without regard to case.

    \b
    Example:
      desk tm search 'المرصد السوري'
      desk tm search 'regime forces' --limit 5
    """
    units, more = app_memory.concordance(home.desk, query, limit=limit)
    if as_json:
        emit_json({"units": [unit_json(u) for u in units], "more": more})
        return
    if not units:
        say(f"Nothing in the memory for {query!r}.", err=True)
        return
    for unit in units:
        click.echo(click.style(output.safe(unit.where()), bold=True))
        say(f"  ar: {unit.source}")
        say(f"  en: {unit.target}")
    if more:
        say(f"(more may exist: {len(units)} shown; --limit for more)", err=True)


def match_json(m: Match) -> dict[str, Any]:
    """A match as JSON-ready data."""
    return {
        "score": m.score,
        "label": m.label(),
        "kind": m.kind,
        "target": m.target,
        "repairs": list(m.repairs),
        "diff": output.ops_json(m.diff),
        "unit": unit_json(m.unit),
    }


@tm_group.command("matches")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("n", type=click.IntRange(min=1, max=ROW_NUMBER.max))
@json_option
@pass_home
def matches_cmd(home: Home, slug: str, n: int, as_json: bool) -> None:
    """The memory's matches for segment N of a story, best first, down to the
    `[memory] threshold` of the config (default 70%).

    Each shows its percentage, its English, the word diff of its Arabic against the
    segment's ([-the match's-] {+the segment's+}), and where it came from.

    \b
    Example:
      desk tm matches lattakia-offensive 3
    """
    found = app_memory.matches(home.desk, slug, n, threshold=home.config.memory_threshold)
    if as_json:
        emit_json([match_json(m) for m in found])
        return
    if not found:
        say(f"No match of {home.config.memory_threshold}% or more for {slug} [{n}].", err=True)
        return
    for m in found:
        click.echo(click.style(f"{m.label():>14}  {m.kind}", bold=True))
        say(f"  en:   {m.target}")
        click.echo(f"  ar:   {output.diff_line(m.diff)}")
        if m.repairs:
            say(f"  repaired: {'; '.join(m.repairs)}")
        say(f"  from: {m.unit.where()}")


COMMANDS = [tm_group]
