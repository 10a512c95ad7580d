"""History and output commands: log, diff, stats, export."""

from __future__ import annotations

from pathlib import Path

import click

from desk import render
from desk.cli import Env, author_option, emit_json, json_option, main, pass_env, resolve_author
from desk.core import history
from desk.core.errors import RefusedError
from desk.core.export import PROFILES, write_export
from desk.core.export import render as render_export
from desk.core.service import export_problems
from desk.locations import export_dir


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
    problems = export_problems(story)
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
    target = write_export(out or export_dir(env.home, config.export_folder), rendered)
    click.echo(f"Wrote {target}")
