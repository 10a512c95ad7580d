"""The `desk` command line: a thin click layer over desk.core."""

from __future__ import annotations

import getpass
import json
import os
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import click

from desk import render
from desk.core import history
from desk.core.clock import clock_from_env
from desk.core.config import Config, load_config
from desk.core.errors import DeskError, InputError, RefusedError
from desk.core.export import PROFILES, write_atomic
from desk.core.export import render as render_export
from desk.core.importer import ImportOptions
from desk.core.service import Desk, number_ranges, qa_problems
from desk.core.store import Store
from desk.core.story import StoryStatus
from desk.locations import config_path, database_path, desk_home, export_dir

F = TypeVar("F", bound=Callable[..., Any])


class DeskFailure(click.ClickException):
    """A DeskError as click reports it: one line on stderr and the error's exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        """Carry the message and exit code."""
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it per class


class DeskGroup(click.Group):
    """A click group that turns desk's own errors into clean messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; DeskError and locked databases become DeskFailure."""
        try:
            return super().invoke(ctx)
        except DeskError as exc:
            raise DeskFailure(str(exc), exc.exit_code) from None
        except sqlite3.OperationalError as exc:
            raise DeskFailure(f"the desk database is unavailable: {exc}", 6) from None


@dataclass
class Env:
    """What every command needs: the desk home, and (opened on first use) the store."""

    home: Path

    @cached_property
    def config(self) -> Config:
        """The desk home's config."""
        return load_config(config_path(self.home))

    @cached_property
    def desk(self) -> Desk:
        """The operations over this home's store."""
        store = Store(database_path(self.home))
        return Desk(store, clock=clock_from_env(), default_credit=self.config.credit)


def author_option(func: F) -> F:
    """Add `--as NAME`: who is making the change."""
    return click.option(
        "--as",
        "author",
        metavar="NAME",
        help="Who makes the change (default: $DESK_USER, else your login name).",
    )(func)


def json_option(func: F) -> F:
    """Add `--json`: machine-readable output."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(func)


def resolve_author(given: str | None) -> str:
    """The author: --as, else $DESK_USER, else the OS login name."""
    name = given or os.environ.get("DESK_USER") or _login_name()
    name = " ".join(name.split())
    if not name:
        raise InputError("--as: the author name is empty")
    return name


def _login_name() -> str:
    """The OS user, or 'unknown' where there is none (e.g. a container without passwd)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def emit_json(data: Any) -> None:
    """Print data as indented UTF-8 JSON."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


pass_env = click.make_pass_decorator(Env)


@click.group(cls=DeskGroup)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    help="The desk home holding the database (default: $DESK_HOME, else the user data dir).",
)
@click.version_option(package_name="desk")
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """desk: translate and edit Arabic news stories into English, every change kept.

    \b
    Example:
      desk import samples/lattakia-offensive.ar.md \\
          --draft samples/lattakia-offensive.draft.en.md --as rania
      desk show lattakia-offensive
    """
    ctx.obj = Env(desk_home(home))


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--slug", help="The story's slug (default: made from the headline).")
@click.option("--outlet", help="The source outlet, e.g. 'Enab Baladi'.")
@click.option("--source-url", help="The source article's URL.")
@click.option("--date", help="The source's publication date, e.g. 2015-05-16.")
@click.option("--byline", help="The source's author.")
@click.option("--keywords", help="Comma-separated keywords (house spellings).")
@click.option("--standfirst", help="The English summary under the headline.")
@click.option("--credit", help="The credit line (default from the config).")
@click.option(
    "--draft",
    "draft",
    type=click.Path(path_type=Path),
    help="An English draft from elsewhere, aligned paragraph by paragraph.",
)
@author_option
@pass_env
def import_cmd(
    env: Env, /, file: Path, draft: Path | None, author: str | None, **meta: Any
) -> None:
    """Import an Arabic story (UTF-8 plain text or Markdown) as a new story.

    The headline is the `# ` line, or the first line; blank lines separate
    paragraphs; `## ` lines are subheadings. A YAML front matter block may give
    slug, outlet, source_url, date, byline, keywords, standfirst and credit;
    options override it.

    \b
    Example:
      desk import samples/lattakia-offensive.ar.md \\
          --draft samples/lattakia-offensive.draft.en.md --as rania
    """
    keywords = meta.pop("keywords")
    options = ImportOptions(
        draft=draft,
        keywords=[k for k in re.split(r"[,،]", keywords)] if keywords is not None else None,
        **meta,
    )
    result = env.desk.import_story(file, options, author=resolve_author(author))
    story = result.story
    drafted = sum(1 for s in story.segments if s.draft)
    click.echo(
        f"Imported {story.slug}: {len(story.segments)} segments"
        + (f", {drafted} with a draft from {draft.name}" if draft else "")
    )
    for note in result.notes:
        click.echo(f"  note: {note}", err=True)


@main.command("list")
@click.option(
    "--status",
    type=click.Choice([s.value for s in StoryStatus]),
    help="Only stories in this status.",
)
@json_option
@pass_env
def list_cmd(env: Env, status: str | None, as_json: bool) -> None:
    """List stories, most recently updated first.

    \b
    Example:
      desk list --status review
    """
    rows = env.desk.store.list_stories(StoryStatus(status) if status else None)
    if as_json:
        emit_json([render.summary_json(r) for r in rows])
    else:
        click.echo(render.story_list(rows))


@main.command("show")
@click.argument("slug")
@json_option
@pass_env
def show_cmd(env: Env, slug: str, as_json: bool) -> None:
    """Show a story segment by segment, Arabic and English.

    \b
    Example:
      desk show lattakia-offensive
    """
    story = env.desk.store.load_story(slug)
    if as_json:
        emit_json(render.story_json(story))
    else:
        click.echo(render.story_text(story))


@main.command("edit")
@click.argument("slug")
@click.argument("n", type=int)
@click.option("--text", help="The new English (default: read from standard input).")
@click.option(
    "--expect-version",
    type=int,
    help="Refuse with a conflict unless the segment is still at this version.",
)
@author_option
@pass_env
def edit_cmd(
    env: Env, slug: str, n: int, text: str | None, expect_version: int | None, author: str | None
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
        text = sys.stdin.read()
    result = env.desk.edit(
        slug, n, text, author=resolve_author(author), expected_version=expect_version
    )
    click.echo(f"Segment {n} {'saved' if result.changed else 'unchanged'} ({result.status.value})")


def parse_numbers(values: tuple[str, ...]) -> list[int]:
    """Segment numbers from arguments like `3`, `5-8` or `1,2`."""
    numbers: list[int] = []
    for value in values:
        for part in value.split(","):
            match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
            if not match:
                raise InputError(f"{part!r} is not a segment number or range like 3-5")
            low, high = int(match.group(1)), int(match.group(2) or match.group(1))
            numbers.extend(range(low, high + 1))
    return numbers


@main.command("confirm")
@click.argument("slug")
@click.argument("numbers", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Confirm every segment.")
@author_option
@pass_env
def confirm_cmd(
    env: Env, slug: str, numbers: tuple[str, ...], all_: bool, author: str | None
) -> None:
    """Confirm segments (numbers, ranges like 3-5, or --all).

    \b
    Example:
      desk confirm lattakia-offensive 1-4 7
      desk confirm lattakia-offensive --all --as editor
    """
    if all_ == bool(numbers):
        raise InputError("give segment numbers or --all (not both)")
    done = env.desk.confirm(
        slug, None if all_ else parse_numbers(numbers), author=resolve_author(author)
    )
    click.echo(f"Confirmed {len(done)} segment(s)" + (f": {number_ranges(done)}" if done else ""))


@main.command("status")
@click.argument("slug")
@click.argument("state", type=click.Choice([s.value for s in StoryStatus]))
@click.option("--note", default="", help="Why (recorded in the log).")
@click.option("--force", is_flag=True, help="Approve or publish past the QA gate (logged).")
@author_option
@pass_env
def status_cmd(env: Env, slug: str, state: str, note: str, force: bool, author: str | None) -> None:
    """Move a story through the workflow.

    new → translating → review → approved → published → correcting → published;
    review can go back to translating and approved back to review.

    \b
    Example:
      desk status lattakia-offensive review --as rania
      desk status lattakia-offensive approved --as editor
    """
    target = StoryStatus(state)
    status = env.desk.set_status(
        slug, target, author=resolve_author(author), note=note, force=force
    )
    click.echo(f"{slug} is now {status.value}")


@main.command("publish")
@click.argument("slug")
@click.option("--force", is_flag=True, help="Publish past the QA gate (logged).")
@author_option
@pass_env
def publish_cmd(env: Env, slug: str, force: bool, author: str | None) -> None:
    """Publish an approved story, or close a correction. The story is then frozen.

    \b
    Example:
      desk publish lattakia-offensive --as editor
    """
    env.desk.publish(slug, author=resolve_author(author), force=force)
    click.echo(f"{slug} is published")


@main.command("correct")
@click.argument("slug")
@click.option("--note", required=True, help="The correction note published with the story.")
@author_option
@pass_env
def correct_cmd(env: Env, slug: str, note: str, author: str | None) -> None:
    """Open a correction of a published story; edit, then publish again.

    \b
    Example:
      desk correct lattakia-offensive --note "An earlier version misspelt Tel Tamer."
    """
    env.desk.correct(slug, note, author=resolve_author(author))
    click.echo(f"{slug} is open for correction; edit it, then `desk publish {slug}`")


@main.command("log")
@click.argument("slug")
@click.option("--by", "by", metavar="AUTHOR", help="Only this author's revisions.")
@click.option("--kind", help="Only revisions of this kind (mt, glossary, edit, status, ...).")
@json_option
@pass_env
def log_cmd(env: Env, slug: str, by: str | None, kind: str | None, as_json: bool) -> None:
    """Show the story's revision log: who changed what, when.

    \b
    Example:
      desk log lattakia-offensive --by editor
    """
    store = env.desk.store
    revisions = store.revisions(store.story_id(slug))
    revisions = [
        r for r in revisions if (by is None or r.author == by) and (kind is None or r.kind == kind)
    ]
    if as_json:
        emit_json([render.revision_json(r) for r in revisions])
    else:
        click.echo(render.log_text(revisions) or "No revisions match.")


@main.command("diff")
@click.argument("slug")
@click.option("--from", "start", default="draft", show_default=True, help=history.POINT_HELP)
@click.option("--to", "end", default="now", show_default=True, help="As --from.")
@click.option("--by", "by", metavar="AUTHOR", help="Only the changes this author made.")
@click.option("--segment", "segment", type=int, metavar="N", help="Only segment N.")
@json_option
@pass_env
def diff_cmd(
    env: Env, slug: str, start: str, end: str, by: str | None, segment: int | None, as_json: bool
) -> None:
    """Word diff of the story's English between two points.

    \b
    Example:
      desk diff lattakia-offensive --from mt --to published
      desk diff lattakia-offensive --by editor
      desk diff lattakia-offensive --segment 4 --from r12
    """
    store = env.desk.store
    story = store.load_story(slug)
    if segment is not None:
        story.segment(segment)  # refuses a number out of range
    revisions = store.revisions(story.id or 0)
    if by is not None:
        changes = history.author_diffs(revisions, by, start, end)
        changes = [c for c in changes if segment in (None, c.revision.segment_n)]
        if as_json:
            emit_json(
                [
                    render.revision_json(c.revision) | {"diff": render.ops_json(c.ops)}
                    for c in changes
                ]
            )
            return
        if not changes:
            click.echo(f"No changes by {by} between {start} and {end}.")
        for c in changes:
            rev = c.revision
            click.echo(
                f"[{rev.segment_n}] r{rev.id} {rev.at[:19]} {rev.kind.value}: "
                + render.diff_line(c.ops)
            )
        return
    diffs = history.story_diff(story, revisions, start, end)
    diffs = [d for d in diffs if segment in (None, d.n)]
    if as_json:
        emit_json(
            [
                {
                    "segment": d.n,
                    "before": d.before,
                    "after": d.after,
                    "diff": render.ops_json(d.ops),
                }
                for d in diffs
            ]
        )
    else:
        click.echo(render.segment_diffs_text(diffs))


@main.command("stats")
@click.argument("slug")
@click.option("--from", "start", default="draft", show_default=True, help=history.POINT_HELP)
@click.option("--to", "end", default="now", show_default=True, help="As --from.")
@json_option
@pass_env
def stats_cmd(env: Env, slug: str, start: str, end: str, as_json: bool) -> None:
    """Post-edit distance per segment and story, share edited, work by author.

    \b
    Example:
      desk stats lattakia-offensive --to published
    """
    store = env.desk.store
    story = store.load_story(slug)
    stats = history.story_stats(story, store.revisions(story.id or 0), start, end)
    if as_json:
        emit_json(render.stats_json(stats, start, end))
    else:
        click.echo(render.stats_text(stats, start, end))


@main.command("export")
@click.argument("slug")
@click.option("--profile", type=click.Choice(PROFILES), help="CMS profile (default from config).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (default from config, else export/ in the desk home).",
)
@click.option("--tz", help="Time zone for dates, e.g. Asia/Damascus (default from config).")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print instead of writing a file.")
@click.option("--force", is_flag=True, help="Export past the QA gate (logged).")
@author_option
@pass_env
def export_cmd(
    env: Env,
    slug: str,
    profile: str | None,
    out: Path | None,
    tz: str | None,
    to_stdout: bool,
    force: bool,
    author: str | None,
) -> None:
    """Write the story as Markdown with front matter for the CMS.

    Only approved or published stories with every segment confirmed pass the
    QA gate; --force overrides it and the override is logged.

    \b
    Example:
      desk export lattakia-offensive --profile jekyll --out site/_posts
    """
    store = env.desk.store
    story = store.load_story(slug)
    problems = qa_problems(story)
    if story.status not in (StoryStatus.APPROVED, StoryStatus.PUBLISHED):
        problems.insert(0, f"the story is {story.status.value}, not approved or published")
    config = env.config
    rendered = render_export(
        story,
        store.revisions(story.id or 0),
        profile or config.export_profile,
        tz or config.timezone,
    )
    if problems and not force:
        raise RefusedError(f"cannot export {slug}: " + "; ".join(problems) + " (--force overrides)")
    if problems:
        env.desk.record_override(
            slug,
            author=resolve_author(author),
            note="export forced past the QA gate: " + "; ".join(problems),
        )
    if to_stdout:
        click.echo(rendered.content.decode("utf-8"), nl=False)
        return
    folder = out or (Path(config.export_folder).expanduser() if config.export_folder else None)
    target = write_atomic(folder or export_dir(env.home), rendered)
    click.echo(f"Wrote {target}")
