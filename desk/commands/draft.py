"""`desk draft`: fill a story's drafts with machine translation (also run by `desk import`)."""

from __future__ import annotations

import time
from contextlib import ExitStack
from typing import Any

import click

from desk.app.engines import ENGINES, EngineOptions
from desk.app.service import DraftReport
from desk.commands.common import (
    Home,
    author_option,
    complete_slug,
    parse_numbers,
    pass_home,
    resolve_author,
    say_notices,
)
from desk.commands.output import Progress, say
from desk.core.engine.argos import DEFAULT_BATCH_TOKENS
from desk.core.engine.base import Draft, Engine
from desk.core.qa import number_ranges

MAX_BEAM, MAX_THREADS, MAX_BATCH_TOKENS = 16, 256, 65_536
"""Bounds on the engine's tuning: a beam of 5,000 took a minute and 1.9 GB on three
segments (Argos uses 4; quality stops improving long before 16)."""


def engine_options(func: Any) -> Any:
    """Options choosing and tuning the engine."""
    for option in reversed(
        [
            click.option("--engine", type=click.Choice(ENGINES), help="Engine (default: desk's)."),
            click.option(
                "--beam", type=click.IntRange(1, MAX_BEAM), help="Beam size (default 4, as Argos)."
            ),
            click.option("--fast", is_flag=True, help="Greedy decoding: a quicker, rougher draft."),
            click.option(
                "--threads",
                type=click.IntRange(0, MAX_THREADS),
                default=0,
                help="CPU threads desk may use (0: all cores).",
            ),
            click.option(
                "--batch-tokens",
                type=click.IntRange(1, MAX_BATCH_TOKENS),
                default=DEFAULT_BATCH_TOKENS,
                show_default=True,
                help="Most source tokens per model call (bounds the memory a draft takes).",
            ),
            click.option("--url", help="LibreTranslate server (with --engine libretranslate)."),
            click.option(
                "--api-key",
                help="LibreTranslate API key (default: $DESK_LIBRETRANSLATE_API_KEY).",
            ),
        ]
    ):
        func = option(func)
    return func


def run_draft(
    home: Home,
    slug: str,
    author: str,
    *,
    options: EngineOptions | None = None,
    numbers: list[int] | None = None,
    force: bool = False,
    glossary: bool = True,
    skip_none: bool = False,
) -> DraftReport | None:
    """Draft through the application layer, with a progress bar on a terminal, then say
    what happened (`desk draft` and `desk import`)."""
    start = time.perf_counter()
    progress: Progress | None = None
    with ExitStack() as bar:

        def started(engine: Engine, total: int) -> None:
            """Say which engine drafts, and count what it will draft for the bar."""
            nonlocal progress, start
            # `total` counts every segment asked for; the bar counts those the engine
            # drafts (not those people worked on, nor those it drafted alike already).
            todo = len(home.desk.draft_plan(slug, engine, numbers, force).todo)
            if not todo:
                return
            say(f"Drafting {slug} with {engine.describe()}", err=True)
            start = time.perf_counter()
            progress = bar.enter_context(Progress(todo, "Drafting"))

        def advance(draft: Draft) -> None:
            """One more segment drafted."""
            if progress is not None:
                progress.advance()

        report = home.draft(
            slug, author=author, options=options, numbers=numbers, force=force,
            glossary=glossary, skip_none=skip_none,
            on_notice=lambda notice: say(notice, err=True),
            on_start=started, on_draft=advance,
        )  # fmt: skip
    say_notices(home)
    if report is not None:
        say_report(report, time.perf_counter() - start)
    return report


def say_report(report: DraftReport, seconds: float) -> None:
    """Say what a drafting run drafted (stdout), and what it left alone and why (stderr,
    with the other messages for the person at the terminal)."""
    if report.drafted or not (report.skipped or report.current):
        say(f"Drafted {len(report.drafted)} segment(s) in {seconds:.1f} s")
    else:
        say("Nothing to draft.", err=True)
    if report.unchanged:
        say(
            f"{len(report.unchanged)} of them came out exactly as they were, so nothing was "
            f"written for those: {number_ranges(report.unchanged)}",
            err=True,
        )
    if report.glossary_fixed:
        say(
            f"Applied the glossary's house spellings in {len(report.glossary_fixed)} "
            f"segment(s): {number_ranges(report.glossary_fixed)} (see `desk log --kind glossary`)"
        )
    if report.current:
        say(
            f"Left {len(report.current)} segment(s) already drafted by {report.current_by} "
            f"with the same options: {number_ranges(report.current)} (drafting them again "
            "would give the same drafts; --force redrafts them)",
            err=True,
        )
    if report.skipped:
        say(
            f"Left {len(report.skipped)} segment(s) people have worked on: "
            f"{number_ranges(report.skipped)} (--force overwrites them)",
            err=True,
        )


@click.command("draft")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--segments", help="Only these segments, e.g. 1-5,9.")
@click.option(
    "--force",
    is_flag=True,
    help="Redraft every segment asked for: those people have edited or confirmed, and "
    "those this engine has drafted already.",
)
@click.option("--no-glossary", is_flag=True, help="Leave the drafts' spellings alone.")
@engine_options
@author_option
@pass_home
def draft_cmd(
    home: Home,
    slug: str,
    segments: str | None,
    force: bool,
    no_glossary: bool,
    engine: str | None,
    beam: int | None,
    fast: bool,
    threads: int,
    batch_tokens: int,
    url: str | None,
    api_key: str | None,
    author: str | None,
) -> None:
    """Fill a story's drafts with machine translation, each logged as an `mt` revision.

    Segments someone has edited or confirmed are left alone, and so are those this
    engine has already drafted with the same model and options (as `desk import`
    does): a second run says so and writes nothing for them. --force redrafts them
    all. The glossary's house spellings are then applied to each draft as a
    `glossary` revision, unless --no-glossary. On a terminal, a bar on stderr shows
    the progress.

    \b
    Example:
      desk draft lattakia-offensive
      desk draft lattakia-offensive --segments 3-5 --fast
      desk draft lattakia-offensive --engine libretranslate --url http://gpu-server:5000
    """
    numbers = parse_numbers((segments,)) if segments else None
    options = EngineOptions(
        name=engine, beam=beam, fast=fast, threads=threads, batch_tokens=batch_tokens, url=url,
        api_key=api_key,
    )  # fmt: skip
    run_draft(
        home, slug, resolve_author(author), options=options, numbers=numbers, force=force,
        glossary=not no_glossary,
    )  # fmt: skip
