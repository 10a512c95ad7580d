"""`desk import`: a new story from an Arabic file or standard input, with a draft pasted
from elsewhere or made by the desk's engine."""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from desk.commands import output
from desk.commands.common import Home, author_option, pass_home, resolve_author, say_notices
from desk.commands.engine import run_draft
from desk.core.engine.base import NoneEngine
from desk.core.errors import DeskError, InputError
from desk.core.importer import MAX_IMPORT_BYTES, ImportOptions

MAX_NOTES_SHOWN = 50
"""Notes an import prints on how the draft lined up; a draft that matches nothing would
otherwise print one line per sentence."""


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


COMMANDS = [import_cmd]
