"""Story commands: delete, list, show, edit, confirm, status, publish, correct (import is
in desk/commands/importing.py)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import click

from desk.commands import output
from desk.commands.common import (
    ROW_NUMBER,
    Home,
    author_option,
    complete_slug,
    emit_json,
    json_option,
    parse_numbers,
    pass_home,
    resolve_author,
    status_option,
)
from desk.core.errors import DeskError, InputError
from desk.core.importer import MAX_IMPORT_BYTES
from desk.core.qa import number_ranges
from desk.core.store import StorySummary
from desk.core.story import StoryStatus


@click.command("delete")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@author_option
@pass_home
def delete_cmd(home: Home, slug: str, yes: bool, author: str | None) -> None:
    """Delete a story nobody has worked on yet (status `new`).

    The story disappears from every command and its slug can be imported again; its
    revisions stay in the append-only log, with the deletion.

    \b
    Example:
      desk delete lattakia-offensive --yes
    """
    home.desk.store.load_story(slug)  # a clear "no story" before asking anything
    if not yes:
        click.confirm(f"Delete {slug}?", abort=True, err=True)
    home.desk.delete_story(slug, author=resolve_author(author))
    click.echo(f"Deleted {slug}")


LIST_LIMIT = 100
"""Stories `desk list` shows unless told otherwise: a screenful or two, newest first."""


@click.command("list")
@status_option
@click.option(
    "--limit",
    type=ROW_NUMBER,
    default=LIST_LIMIT,
    show_default=True,
    help="Show at most this many (the most recently updated); 0 shows all.",
)
@json_option
@pass_home
def list_cmd(home: Home, status: str | None, limit: int, as_json: bool) -> None:
    """List stories, most recently updated first.

    \b
    Example:
      desk list --status review
      desk list --limit 0        # every story
    """
    which = StoryStatus(status) if status else None
    store = home.desk.store
    if not limit and not as_json:
        _stream_list(home, which)
        return
    rows = store.list_stories(which, limit=limit or None)
    if as_json:
        emit_json([output.summary_json(r) for r in rows])
        return
    if not rows:
        _say_none(home, which)
        return
    click.echo(output.story_list(rows))
    if limit and len(rows) == limit:
        total = store.count_stories(which)
        if total > limit:
            click.echo(f"({limit} of {total} stories shown; --limit 0 shows all)", err=True)


def _stream_list(home: Home, which: StoryStatus | None) -> None:
    """Every story as `desk list` prints it, printed a page at a time as the store reads
    them: the first lines appear at once and memory stays bounded in any archive."""
    pages = _pages(home.desk.store.iter_stories(which))
    first = next(pages, None)
    if first is None:
        _say_none(home, which)
        return
    try:
        # story_list's header line, then each page's lines without it: the same text as
        # one call with every story.
        click.echo(output.story_list(first))
        for page in pages:
            click.echo(output.story_list(page).split("\n", 1)[1])
    except BrokenPipeError:
        # The reader has gone (`desk list --limit 0 | head -1`): stop quietly with
        # click's exit status for it, and point stdout at /dev/null so that Python's
        # flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


def _pages(summaries: Iterator[StorySummary], size: int = 50) -> Iterator[list[StorySummary]]:
    """`summaries` in lists of at most `size`, so that lines reach the pipe in chunks."""
    page: list[StorySummary] = []
    for summary in summaries:
        page.append(summary)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page


def _say_none(home: Home, which: StoryStatus | None) -> None:
    """Tell the person (on stderr) that no story is listed; stdout stays empty, for a
    script counting lines."""
    if which is not None and home.desk.store.count_stories():
        click.echo(f"No story is {which.phrase}.", err=True)
    else:
        click.echo("No stories yet. Import one with `desk import FILE`.", err=True)


@click.command("show")
@click.argument("slug", shell_complete=complete_slug)
@json_option
@pass_home
def show_cmd(home: Home, slug: str, as_json: bool) -> None:
    """Show a story segment by segment, Arabic and English.

    \b
    Example:
      desk show lattakia-offensive
    """
    story = home.desk.store.load_story(slug)
    if as_json:
        emit_json(output.story_json(story))
    else:
        click.echo(output.story_text(story))


@click.command("edit")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("n", type=ROW_NUMBER)
@click.option("--text", help="The new English (default: read from standard input).")
@click.option(
    "--expect-version",
    type=ROW_NUMBER,
    help="Refuse with a conflict unless the segment is still at this version.",
)
@author_option
@pass_home
def edit_cmd(
    home: Home, slug: str, n: int, text: str | None, expect_version: int | None, author: str | None
) -> None:
    """Replace the English of segment N.

    \b
    Example:
      desk edit lattakia-offensive 3 --text "Regime forces advanced in Lattakia." --as rania
      echo "Regime forces advanced." | desk edit lattakia-offensive 3
    """
    if text is None:
        if sys.stdin.isatty():
            raise InputError("give the English with --text, or pipe it on standard input")
        text = _stdin_text()
    result = home.desk.edit(
        slug, n, text, author=resolve_author(author), expected_version=expect_version
    )
    click.echo(f"Segment {n} {'saved' if result.changed else 'unchanged'} ({result.status.value})")


def _stdin_text() -> str:
    """The English piped on standard input: UTF-8 text of at most the import limit, not
    empty."""
    data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError(f"standard input: over the limit of {MAX_IMPORT_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"standard input: not UTF-8 text (byte {exc.start + 1})") from None
    if not text.strip():
        # A pipe that broke or a script that forgot its text: the segment keeps its words.
        raise InputError(
            "standard input is empty, so nothing was saved (to clear the English, --text '')"
        )
    return text


@click.command("confirm")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("numbers", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Confirm every segment.")
@author_option
@pass_home
def confirm_cmd(
    home: Home, slug: str, numbers: tuple[str, ...], all_: bool, author: str | None
) -> None:
    """Confirm segments (numbers, ranges like 3-5, or --all).

    \b
    Example:
      desk confirm lattakia-offensive 1-4 7
      desk confirm lattakia-offensive --all --as editor
    """
    if all_ == bool(numbers):
        raise InputError("give segment numbers or --all (not both)")
    wanted = None if all_ else parse_numbers(numbers)
    done = home.desk.confirm(slug, wanted, author=resolve_author(author))
    message = f"Confirmed {len(done)} segment(s)" + (f": {number_ranges(done)}" if done else "")
    already = sorted(set(wanted) - set(done)) if wanted is not None else []
    if already:
        # e.g. during a correction, where an edit keeps its segment confirmed.
        message += f"; already confirmed: {number_ranges(already)}"
    click.echo(message)


@click.command("status")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("state", type=click.Choice([s.value for s in StoryStatus]))
@click.option("--note", default="", help="Why (recorded in the log).")
@click.option("--force", is_flag=True, help="Approve or publish past the QA gate (logged).")
@author_option
@pass_home
def status_cmd(
    home: Home, slug: str, state: str, note: str, force: bool, author: str | None
) -> None:
    """Move a story through the workflow.

    new → translating → review → approved → published → correcting → published;
    review can go back to translating and approved back to review.

    \b
    Example:
      desk status lattakia-offensive review --as rania
      desk status lattakia-offensive approved --as editor
    """
    target = StoryStatus(state)
    status = home.desk.set_status(
        slug, target, author=resolve_author(author), note=note, force=force
    )
    click.echo(f"{slug} is now {status.phrase}")
    if status == StoryStatus.REVIEW:
        warn_open_items(home, slug)


def warn_open_items(home: Home, slug: str) -> None:
    """Say (on stderr) what the QA gate would still refuse approval for."""
    from desk.core.qa import describe

    try:
        items = [p for p in home.desk.open_items(slug) if p.code != "unconfirmed"]
    except DeskError as exc:  # e.g. a broken glossary file: the move stands
        output.say(f"Warning: could not check the QA gate: {exc}", err=True)
        return
    if items:
        output.say(
            f"Warning: {len(items)} open QA item(s) will block approval: {describe(items)} "
            f"(`desk qa {slug}` lists them)",
            err=True,
        )


@click.command("publish")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--force", is_flag=True, help="Publish past the QA gate (logged).")
@author_option
@pass_home
def publish_cmd(home: Home, slug: str, force: bool, author: str | None) -> None:
    """Publish an approved story, or close a correction. The story is then frozen.

    \b
    Example:
      desk publish lattakia-offensive --as editor
    """
    home.desk.publish(slug, author=resolve_author(author), force=force)
    click.echo(f"{slug} is published")


@click.command("correct")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--note", required=True, help="The correction note published with the story.")
@author_option
@pass_home
def correct_cmd(home: Home, slug: str, note: str, author: str | None) -> None:
    """Open a correction of a published story; edit, then publish again.

    \b
    Example:
      desk correct lattakia-offensive --note "An earlier version misspelt Tel Tamer."
    """
    home.desk.correct(slug, note, author=resolve_author(author))
    click.echo(f"{slug} is open for correction; edit it, then `desk publish {slug}`")


COMMANDS = [
    delete_cmd,
    list_cmd,
    show_cmd,
    edit_cmd,
    confirm_cmd,
    status_cmd,
    publish_cmd,
    correct_cmd,
]
