"""The revision log and what it tells: `desk log`, `desk diff`, `desk stats`."""

from __future__ import annotations

import click

from desk.app import memory
from desk.commands import output
from desk.commands.common import (
    ROW_NUMBER,
    Home,
    complete_slug,
    emit_json,
    json_option,
    pass_home,
)
from desk.core import history


@click.command("log")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--by", "by", metavar="AUTHOR", help="Only this author's revisions.")
@click.option("--kind", help="Only revisions of this kind (mt, glossary, edit, status, ...).")
@json_option
@pass_home
def log_cmd(home: Home, slug: str, by: str | None, kind: str | None, as_json: bool) -> None:
    """Show the story's revision log: who changed what, when.

    \b
    Example:
      desk log lattakia-offensive --by editor
    """
    store = home.desk.store
    # The autosaves of one workbench visit to a segment are one line (`saves` counts them).
    revisions = history.fold_visits(store.revisions(store.story_id(slug)))
    revisions = [
        r for r in revisions if (by is None or r.author == by) and (kind is None or r.kind == kind)
    ]
    if as_json:
        emit_json([output.revision_json(r) for r in revisions])
    elif revisions:
        click.echo(output.log_text(revisions))
    else:
        click.echo("No revisions match.", err=True)  # stdout: the log alone, here empty


@click.command("diff")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--from", "start", default="draft", show_default=True, help=history.POINT_HELP)
@click.option("--to", "end", default="now", show_default=True, help="As --from.")
@click.option("--by", "by", metavar="AUTHOR", help="Only the changes this author made.")
@click.option("--segment", "segment", type=ROW_NUMBER, metavar="N", help="Only segment N.")
@json_option
@pass_home
def diff_cmd(
    home: Home, slug: str, start: str, end: str, by: str | None, segment: int | None, as_json: bool
) -> None:
    """Word diff of the story's English between two points.

    \b
    Example:
      desk diff lattakia-offensive --from mt --to published
      desk diff lattakia-offensive --by editor
      desk diff lattakia-offensive --segment 4 --from r12
    """
    store = home.desk.store
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
                    output.revision_json(c.revision) | {"diff": output.ops_json(c.ops)}
                    for c in changes
                ]
            )
            return
        if not changes:
            output.say(f"No changes by {by} between {start} and {end}.", err=True)
        for c in changes:
            rev = c.revision
            click.echo(
                f"[{rev.segment_n}] r{rev.id} {rev.at[:19]} {rev.kind.value}: "
                + output.diff_line(c.ops)
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
                    "diff": output.ops_json(d.ops),
                }
                for d in diffs
            ]
        )
    elif diffs:
        click.echo(output.segment_diffs_text(diffs))
    else:
        click.echo("No differences.", err=True)


@click.command("stats")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--from", "start", default="draft", show_default=True, help=history.POINT_HELP)
@click.option("--to", "end", default="now", show_default=True, help="As --from.")
@json_option
@pass_home
def stats_cmd(home: Home, slug: str, start: str, end: str, as_json: bool) -> None:
    """Post-edit distance per segment and story, share edited, work by author, and the
    translation memory's leverage (Arabic words by where their English began).

    \b
    Example:
      desk stats lattakia-offensive --to published
    """
    store = home.desk.store
    story = store.load_story(slug)
    revisions = store.revisions(story.id or 0)
    stats = history.story_stats(story, revisions, start, end)
    used = memory.leverage(story, revisions)
    if as_json:
        emit_json(output.stats_json(stats, start, end) | {"leverage": leverage_json(used)})
    else:
        click.echo(output.stats_text(stats, start, end) + "\n\n" + leverage_text(used))


LEVERAGE_NAMES = {
    "exact": "exact matches (100-101%)",
    "repaired": "repaired matches",
    "fuzzy": "fuzzy matches",
    "engine": "machine draft",
    "scratch": "from scratch",
}


def leverage_text(used: memory.Leverage) -> str:
    """Translation-memory leverage: Arabic words and segments by where the English began."""
    total = sum(used.words.values())
    lines = [f"{'TM LEVERAGE':28} {'WORDS':>6} {'SHARE':>6} {'SEGMENTS':>8}"]
    for category in memory.Leverage.CATEGORIES:
        words = used.words[category]
        share = words / total if total else 0.0
        lines.append(
            f"{LEVERAGE_NAMES[category]:28} {words:>6} {share:>6.0%} {used.segments[category]:>8}"
        )
    return "\n".join(lines)


def leverage_json(used: memory.Leverage) -> dict[str, dict[str, int]]:
    """Leverage as JSON-ready data: category → words and segments."""
    return {
        category: {"words": used.words[category], "segments": used.segments[category]}
        for category in memory.Leverage.CATEGORIES
    }


COMMANDS = [log_cmd, diff_cmd, stats_cmd]
