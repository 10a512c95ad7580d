"""Story commands: import, list, show, edit, confirm, status, publish, correct."""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import Any

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
    say_notices,
    status_option,
)
from desk.commands.engine import run_draft
from desk.core.engine.base import NoneEngine
from desk.core.errors import DeskError, InputError
from desk.core.importer import MAX_IMPORT_BYTES, ImportOptions
from desk.core.qa import number_ranges
from desk.core.story import StoryStatus


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--slug", help="The story's slug (default: made from the headline).")
@click.option("--outlet", help="The source outlet, e.g. 'Enab Baladi'.")
@click.option("--source-url", help="The source article's URL.")
@click.option("--date", help="The source's publication date, e.g. 2015-05-16.")
@click.option("--byline", help="The source's author.")
@click.option("--keywords", help="Comma-separated keywords (house spellings).")
@click.option("--standfirst", help="The English summary under the headline.")
@click.option("--credit", help="The credit line (default from the config).")
@click.option("--no-mt", is_flag=True, help="Do not make a machine draft.")
@click.option("--no-glossary", is_flag=True, help="Leave the machine draft's spellings alone.")
@click.option(
    "--draft",
    "draft",
    type=click.Path(path_type=Path, allow_dash=True),
    help="An English draft from elsewhere, aligned paragraph by paragraph.",
)
@author_option
@pass_home
def import_cmd(
    home: Home,
    /,
    file: Path,
    draft: Path | None,
    no_mt: bool,
    no_glossary: bool,
    author: str | None,
    **meta: Any,
) -> None:
    """Import an Arabic story (UTF-8 plain text or Markdown) as a new story; `-` reads
    it (or, as `--draft -`, the draft) from standard input.

    The headline is the `# ` line, or the first line; blank lines separate
    paragraphs; `## ` lines are subheadings. A YAML front matter block may give
    slug, outlet, source_url, date, byline, keywords, standfirst and credit;
    options override it. Without --draft, the story gets a machine draft from
    the desk's engine (see `desk engine`), unless --no-mt, and the glossary's
    house spellings are applied to it (`glossary` revisions), unless --no-glossary.
    The engine and the glossary are checked before the story is stored; if the
    draft itself then fails, the story stays imported: `desk draft SLUG` drafts it.

    \b
    Example:
      desk import samples/lattakia-offensive.ar.md --as rania
      desk import samples/lattakia-offensive.ar.md \\
          --draft samples/lattakia-offensive.draft.en.md --as rania
      wl-paste | desk import - --slug douma-raids --as rania    # the clipboard
    """
    if str(file) == "-" and draft is not None and str(draft) == "-":
        raise InputError("standard input can carry the story or its draft, not both")
    with tempfile.TemporaryDirectory(prefix="desk-import-") as folder:
        piped = Path(folder) / STDIN_NAME
        if str(file) == "-":
            file = _save_stdin(piped, "the Arabic story")
        elif draft is not None and str(draft) == "-":
            draft = _save_stdin(piped, "the English draft")
        try:
            _import(home, file, draft, no_mt, no_glossary, author, meta)
        except DeskError as exc:
            # The saved copy is an implementation detail: the message names the pipe.
            exc.args = (str(exc).replace(str(piped), "standard input"),)
            raise


STDIN_NAME = "stdin"
"""The file name a story or draft read from standard input is recorded under (in its
import revision and the story's source file), as `desk tm import -` records `tmx:stdin`."""


def _save_stdin(path: Path, what: str) -> Path:
    """Save standard input (at most the import limit) to `path`, which the import then
    reads and checks as it checks any file."""
    if sys.stdin.isatty():
        click.echo(f"Reading {what} from standard input; end it with Ctrl-D.", err=True)
    data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError(
            f"standard input: over the import limit of {MAX_IMPORT_BYTES // 1024 // 1024} MiB; "
            "is this really one story?"
        )
    path.write_bytes(data)
    return path


def _import(
    home: Home,
    file: Path,
    draft: Path | None,
    no_mt: bool,
    no_glossary: bool,
    author: str | None,
    meta: dict[str, Any],
) -> None:
    """`desk import` once its files are on disk: store the story, then draft it."""
    keywords = meta.pop("keywords")
    options = ImportOptions(
        draft=draft,
        keywords=[k for k in re.split(r"[,،]", keywords)] if keywords is not None else None,
        **meta,
    )
    who = resolve_author(author)
    drafting = draft is None and not no_mt
    result = home.desk.import_story(
        file, options, author=who,
        before_storing=(lambda: get_ready_to_draft(home, glossary=not no_glossary))
        if drafting else None,
    )  # fmt: skip
    story = result.story
    drafted = sum(1 for s in story.segments if s.draft)
    click.echo(
        f"Imported {story.slug}: {len(story.segments)} segments"
        + (f", {drafted} with a draft from {draft.name}" if draft else "")
    )
    for note in result.notes[:MAX_NOTES_SHOWN]:
        output.say(f"  note: {note}", err=True)
    if len(result.notes) > MAX_NOTES_SHOWN:
        more = len(result.notes) - MAX_NOTES_SHOWN
        output.say(f"  ... and {more:,} more notes on how the draft lines up", err=True)
    glossary = home.glossary()
    if not no_glossary and not glossary.paths():
        click.echo(
            f"No glossary files in {glossary.folder}: house spellings are not "
            "checked (see `desk glossary list`).",
            err=True,
        )
    say_notices(home)
    if drafting:
        try:
            run_draft(home, story.slug, who, glossary=not no_glossary, skip_none=True)
        except DeskError as exc:
            # The story is in (the Arabic is what the translator brought); importing it
            # again would be refused as a duplicate, so say how to draft it instead.
            raise ImportedWithoutDraft(
                f"{exc}; {story.slug} was imported without a machine draft: "
                f"`desk draft {story.slug}` drafts it",
                exc.exit_code,
            ) from None
        # A slug the import made from the Arabic now comes from the drafted headline.
        named = home.desk.name_from_draft(story.slug, author=who)
        if named != story.slug:
            click.echo(f"Slug: {named} (from the drafted English headline)")


class ImportedWithoutDraft(DeskError):
    """The story was imported, then its machine draft failed (with the failure's code)."""

    def __init__(self, message: str, exit_code: int) -> None:
        """Carry the message and the exit code of what failed."""
        super().__init__(message)
        self.exit_code = exit_code


def get_ready_to_draft(home: Home, *, glossary: bool) -> None:
    """Choose the engine (installing the demo model if need be) and read the glossary, before
    an import stores anything: a broken engine setting or glossary file then refuses the
    import with nothing stored, and the same command works once it is fixed."""
    choice = home.engine()
    for notice in choice.notices:
        output.say(notice, err=True)
    if glossary and not isinstance(choice.engine, NoneEngine):
        home.enforcer()


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


MAX_NOTES_SHOWN = 50
"""Notes an import prints on how the draft lined up; a draft that matches nothing would
otherwise print one line per sentence."""

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
    rows = store.list_stories(which, limit=limit or None)
    if as_json:
        emit_json([output.summary_json(r) for r in rows])
        return
    if not rows:  # stdout stays empty, for a script counting lines; the person is told
        if which is not None and store.count_stories():
            click.echo(f"No story is {which.phrase}.", err=True)
        else:
            click.echo("No stories yet. Import one with `desk import FILE`.", err=True)
        return
    click.echo(output.story_list(rows))
    if limit and len(rows) == limit:
        total = store.count_stories(which)
        if total > limit:
            click.echo(f"({limit} of {total} stories shown; --limit 0 shows all)", err=True)


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
    import_cmd,
    delete_cmd,
    list_cmd,
    show_cmd,
    edit_cmd,
    confirm_cmd,
    status_cmd,
    publish_cmd,
    correct_cmd,
]
