"""The QA gate from the command line: `desk qa` lists what blocks a story, `desk dismiss`
closes one item with a reason (an editor's decision, logged)."""

from __future__ import annotations

import sys

import click

from desk.commands.common import (
    Home,
    author_option,
    complete_slug,
    emit_json,
    json_option,
    pass_home,
    resolve_author,
)
from desk.commands.output import say
from desk.core.qa import Problem


@click.command("qa")
@click.argument("slug", shell_complete=complete_slug)
@json_option
@pass_home
def qa_cmd(home: Home, slug: str, as_json: bool) -> None:
    """List what the QA gate says blocks the story, each item with its segment.

    Items numbered within a segment can be dismissed by an editor (`desk dismiss`);
    unconfirmed or empty segments only go away when confirmed or written. Exit code:
    0 when the gate is open, 1 when something blocks.

    \b
    Example:
      desk qa lattakia-offensive
      desk dismiss lattakia-offensive 17 1 --reason "The repetition is in the quote." --as omar
    """
    problems = home.desk.open_items(slug)
    numbered: list[tuple[Problem, int | None]] = []
    counts: dict[int, int] = {}
    for p in problems:  # the order `desk dismiss` numbers them in (segment_items)
        number = None
        if p.dismissable:
            number = counts[p.segments[0]] = counts.get(p.segments[0], 0) + 1
        numbered.append((p, number))
    if as_json:
        emit_json(
            [
                {
                    "segments": list(p.segments),
                    "check": p.code,
                    "problem": p.what,
                    "dismissable": p.dismissable,
                    "number": number,
                }
                for p, number in numbered
            ]
        )
    else:
        for p, number in numbered:
            say(f"{slug}: {p}" + (f"  (item {number})" if number else ""))
        say(f"{len(problems)} open item(s)" if problems else "The QA gate is open.", err=True)
    if problems:
        sys.exit(1)


@click.command("dismiss")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("segment", type=int)
@click.argument("number", type=int)
@click.option("--reason", required=True, help="Why the item does not block (logged).")
@author_option
@pass_home
def dismiss_cmd(
    home: Home, slug: str, segment: int, number: int, reason: str, author: str | None
) -> None:
    """Dismiss segment SEGMENT's open QA item NUMBER (as `desk qa` numbers them), with a
    reason: an editor's decision, a `dismiss` revision shown by `desk log`.

    \b
    Example:
      desk dismiss lattakia-offensive 17 1 --reason "The repetition is in the quote." --as omar
    """
    item = home.desk.dismiss(slug, segment, number, reason, author=resolve_author(author))
    say(f"Dismissed {item}")


COMMANDS = [qa_cmd, dismiss_cmd]
