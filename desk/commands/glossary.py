"""Glossary commands: keep the house spellings in `glossaries/*.toml` and enforce them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.shell_completion import CompletionItem

from desk.app.glossary import GlossaryFolder
from desk.app.home import busy_timeout_ms
from desk.commands.common import (
    MAX_COMPLETIONS,
    DeskFailure,
    Home,
    author_option,
    complete_slug,
    emit_json,
    json_option,
    parse_numbers,
    pass_home,
    resolve_author,
    say_notices,
)
from desk.commands.glossary_exchange import export_cmd, import_cmd
from desk.commands.output import Progress, say, shorten
from desk.core.errors import DeskError, InputError
from desk.core.glossary.model import Entry, Kind, glossary_files, load_files
from desk.locations import glossary_dir, house_glossary_dir

# The heavier parts (fuzzy matching, TOML editing, XML) are imported by the commands
# that use them, so that `desk --help` and the other commands start fast.
if TYPE_CHECKING:
    from desk.core.glossary.findings import Finding
    from desk.core.store import Store
    from desk.core.store.connection import Connection

KINDS = [k.value for k in Kind]


class HomeGlossary(GlossaryFolder):
    """The glossary folder of this invocation (--glossary or the home's), with its home."""

    def __init__(self, home: Home, override: Path | None) -> None:
        """Resolve the folder as `Home.glossary` does."""
        folder = home.glossary(override)
        super().__init__(folder.folder, lock_wait_ms=busy_timeout_ms, cache=folder.cache)
        self.home = home


pass_glossary = click.make_pass_decorator(HomeGlossary)


def complete_entry_id(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of an ENTRY_ID argument: the glossary's ids that start with what
    is typed, each with its house spelling and kind (zsh and fish show them)."""
    group = ctx.parent.params if ctx.parent is not None else {}
    try:
        home = Home.at(ctx.find_root().params.get("home"))
        folder = glossary_dir(home.path, group.get("folder"), home.config.glossary_folder)
        if folder == home.path / "glossaries" and not folder.exists():
            # The house glossary the first glossary command copies there; pressing Tab
            # must not copy it.
            folder = house_glossary_dir()
        entries = load_files(glossary_files(folder)).entries
    except (DeskError, OSError, UnicodeDecodeError):
        # A shell runs this on Tab, where a message would garble the command line being
        # typed; the command itself, once run, says what is wrong with the glossary.
        return []
    found = sorted((e for e in entries if e.id.startswith(incomplete)), key=lambda e: e.id)
    return [
        CompletionItem(e.id, help=f"{shorten(e.canonical, 50)} ({e.kind.value})")
        for e in found[:MAX_COMPLETIONS]
    ]


def complete_story_or_file(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of `check`'s TARGET: the story slugs that start with what is
    typed, and the shell's own completion of file names."""
    return [*complete_slug(ctx, param, incomplete), CompletionItem(incomplete, type="file")]


@click.group("glossary")
@click.option(
    "--glossary",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="The glossary folder (default: $DESK_GLOSSARY, [glossary] folder, ./glossaries).",
)
@pass_home
@click.pass_context
def glossary_group(ctx: click.Context, home: Home, folder: Path | None) -> None:
    """Keep the house spellings of names and enforce them on drafts.

    The glossary is every `*.toml` file in the glossary folder, one table per name.

    \b
    Example:
      desk glossary search Latakia
      desk glossary check lattakia-offensive
    """
    ctx.obj = HomeGlossary(home, folder)
    say_notices(home)


def entry_json(entry: Entry) -> dict[str, Any]:
    """An entry as JSON-ready data."""
    return {
        "id": entry.id,
        "canonical": entry.canonical,
        "arabic": list(entry.arabic),
        "variants": list(entry.variants),
        "kind": entry.kind.value,
        "notes": entry.notes,
        "only_with_arabic": list(entry.only_with_arabic),
        "not_variants": list(entry.not_variants),
        "file": entry.source,
        "line": entry.line,
    }


def entry_line(entry: Entry) -> str:
    """One line: id, canonical, Arabic, variants."""
    variants = f"  not: {', '.join(entry.variants)}" if entry.variants else ""
    return f"{entry.id:28} {entry.canonical:28} {'، '.join(entry.arabic)}{variants}"


@glossary_group.command("list")
@click.option("--kind", type=click.Choice(KINDS), help="Only entries of this kind.")
@json_option
@pass_glossary
def list_cmd(g: HomeGlossary, kind: str | None, as_json: bool) -> None:
    """List the entries of every glossary file.

    \b
    Example:
      desk glossary list --kind person
    """
    entries = [e for e in g.load().entries if kind is None or e.kind.value == kind]
    if as_json:
        emit_json([entry_json(e) for e in entries])
        return
    for entry in entries:
        say(entry_line(entry))
    say(f"{len(entries)} entries in {g.folder}", err=True)


@glossary_group.command("show")
@click.argument("entry_id", shell_complete=complete_entry_id)
@json_option
@pass_glossary
def show_cmd(g: HomeGlossary, entry_id: str, as_json: bool) -> None:
    """Show one entry in full.

    \b
    Example:
      desk glossary show lattakia
    """
    entry = g.entry(entry_id)
    if as_json:
        emit_json(entry_json(entry))
        return
    say(f"{entry.id} ({entry.kind.value}) {entry.where()}")
    say(f"  canonical: {entry.canonical}")
    say(f"  arabic:    {'، '.join(entry.arabic)}")
    say(f"  variants:  {', '.join(entry.variants) or '-'}")
    if entry.only_with_arabic:
        say(f"  only with: {'، '.join(entry.only_with_arabic)}")
    if entry.not_variants:
        say(f"  never:     {', '.join(entry.not_variants)} (other names: never suggested)")
    if entry.notes:
        say(f"  notes:     {entry.notes}")


@glossary_group.command("search")
@click.argument("text")
@json_option
@pass_glossary
def search_cmd(g: HomeGlossary, text: str, as_json: bool) -> None:
    """Find entries by any spelling, Arabic form or note (case-insensitive).

    \b
    Example:
      desk glossary search Hasakah
      desk glossary search الحسكة
    """
    from desk.core.glossary.lookup import search

    found = search(g.load(), text)
    if as_json:
        emit_json([entry_json(e) for e in found])
        return
    for entry in found:
        say(entry_line(entry))
    if not found:
        say(f"No entry matches {text!r}.", err=True)


@glossary_group.command("add")
@click.argument("entry_id")
@click.option("--canonical", required=True, help="The house spelling.")
@click.option("--arabic", multiple=True, required=True, help="An Arabic form (repeatable).")
@click.option("--variant", multiple=True, help="A spelling to replace (repeatable).")
@click.option("--kind", type=click.Choice(KINDS), default="other", show_default=True)
@click.option("--notes", default="", help="Notes for the desk.")
@click.option("--only-with-arabic", multiple=True, help="Scope: only when the Arabic has this.")
@click.option(
    "--file",
    "file_name",
    help="Glossary file in the folder, e.g. people.toml or people (.toml is added); "
    "default: by kind, e.g. places.toml.",
)
@pass_glossary
def add_cmd(
    g: HomeGlossary,
    entry_id: str,
    canonical: str,
    arabic: tuple[str, ...],
    variant: tuple[str, ...],
    kind: str,
    notes: str,
    only_with_arabic: tuple[str, ...],
    file_name: str | None,
) -> None:
    """Add an entry (the file keeps its comments and order).

    \b
    Example:
      desk glossary add tel-tamer --canonical "Tel Tamer" --arabic "تل تمر" \\
          --variant "Tal Tamr" --kind place
    """
    entry = Entry(
        id=entry_id,
        canonical=canonical,
        arabic=arabic,
        variants=variant,
        kind=Kind(kind),
        notes=notes,
        only_with_arabic=only_with_arabic,
    )
    written = g.add(entry, file_name)
    say(f"Added {entry_id} to {written.source}", err=True)


@glossary_group.command("edit")
@click.argument("entry_id", shell_complete=complete_entry_id)
@click.option("--canonical", help="A new house spelling.")
@click.option("--add-variant", multiple=True, help="Add a spelling to replace.")
@click.option("--remove-variant", multiple=True, help="Remove a variant.")
@click.option("--add-arabic", multiple=True, help="Add an Arabic form.")
@click.option("--remove-arabic", multiple=True, help="Remove an Arabic form.")
@click.option("--kind", type=click.Choice(KINDS))
@click.option("--notes", help="Replace the notes.")
@pass_glossary
def edit_cmd(
    g: HomeGlossary,
    entry_id: str,
    canonical: str | None,
    add_variant: tuple[str, ...],
    remove_variant: tuple[str, ...],
    add_arabic: tuple[str, ...],
    remove_arabic: tuple[str, ...],
    kind: str | None,
    notes: str | None,
) -> None:
    """Change an entry in place (comments and order of the file are kept).

    \b
    Example:
      desk glossary edit hassakeh --add-variant Hasake
    """

    def change(entry: Entry) -> Entry:
        for name, values, current in (
            ("variant", remove_variant, entry.variants),
            ("Arabic form", remove_arabic, entry.arabic),
        ):
            for value in values:
                if value not in current:
                    raise InputError(f"{entry.where()}: has no {name} {value!r}")
        return replace(
            entry,
            canonical=canonical if canonical is not None else entry.canonical,
            variants=_merge(entry.variants, add_variant, remove_variant),
            arabic=_merge(entry.arabic, add_arabic, remove_arabic),
            kind=Kind(kind) if kind else entry.kind,
            notes=notes if notes is not None else entry.notes,
        )

    old, new = g.update(entry_id, change)
    if new == old:
        say(f"{entry_id}: nothing to change", err=True)
        return
    say(f"Updated {entry_id} in {old.source}", err=True)


def _merge(
    current: tuple[str, ...], add: tuple[str, ...], remove: tuple[str, ...]
) -> tuple[str, ...]:
    """`current` without `remove`, then `add` (no duplicates, order kept)."""
    out = [v for v in current if v not in remove]
    out += [v for v in add if v not in out]
    return tuple(out)


@glossary_group.command("remove")
@click.argument("entry_id", shell_complete=complete_entry_id)
@pass_glossary
def remove_cmd(g: HomeGlossary, entry_id: str) -> None:
    """Remove an entry from its file.

    \b
    Example:
      desk glossary remove tel-tamer
    """
    entry = g.remove(entry_id)
    say(f"Removed {entry_id} from {entry.source}", err=True)


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as JSON-ready data."""
    return {
        "kind": finding.kind.value,
        "start": finding.start,
        "end": finding.end,
        "found": finding.found,
        "suggestion": finding.suggestion,
        "entry": finding.entry.id if finding.entry else None,
        "message": finding.message,
    }


@glossary_group.command("check")
@click.argument("target", shell_complete=complete_story_or_file)
@click.option("--source", "source", type=click.Path(path_type=Path), help="The Arabic of FILE.")
@json_option
@pass_glossary
def check_cmd(g: HomeGlossary, target: str, source: Path | None, as_json: bool) -> None:
    """Report glossary findings in a story (SLUG) or an English file (FILE).

    With a file, --source gives its Arabic original, aligned as `desk import --draft`
    does, for the source-aware and number checks. Exit code: 0 clean, 1 findings,
    2 error.

    \b
    Example:
      desk glossary check lattakia-offensive
      desk glossary check samples/lattakia-offensive.draft.en.md \\
          --source samples/lattakia-offensive.ar.md
    """
    from desk.core.glossary.stories import check_story
    from desk.core.glossary.text import check_file

    try:
        enforcer = g.enforcer()
        if Path(target).is_file():
            results = check_file(Path(target), source, enforcer, g.home.config.credit)
            label = target
        else:
            if source is not None:
                raise InputError("--source goes with a FILE, not a story slug")
            story = g.home.desk.store.load_story(target)
            results = check_story(story, enforcer)
            label = story.slug
    except DeskError as exc:
        raise DeskFailure(str(exc), 2) from None
    count = sum(len(r.findings) for r in results)
    if as_json:
        emit_json(
            [
                {
                    "segment": r.n,
                    "text": r.text,
                    "findings": [
                        finding_json(f) | {"suggestion_number": number, "automatic": f.automatic}
                        for f, number in zip(
                            r.findings, suggestion_numbers(r.findings), strict=True
                        )
                    ],
                }
                for r in results
            ]
        )
    else:
        story_slug = None if Path(target).is_file() else label
        for r in results:
            for f, number in zip(r.findings, suggestion_numbers(r.findings), strict=True):
                line = f"{label}:{r.n}: {f.kind.value}: {f.message}"
                if number and not f.automatic and story_slug:
                    line += f" (to accept: desk glossary accept {story_slug} {r.n} {number})"
                say(line)
        say(
            f"{count} finding(s) in {len(results)} segment(s)" if count else "No findings.",
            err=True,
        )
    if count:
        sys.exit(1)


def suggestion_numbers(findings: list[Finding]) -> list[int | None]:
    """Each finding's number among those that suggest a change (None for the others):
    what `desk glossary accept` and the workbench's Shift+F<N> take."""
    numbers: list[int | None] = []
    count = 0
    for f in findings:
        if f.fixable:
            count += 1
        numbers.append(count if f.fixable else None)
    return numbers


@glossary_group.command("fix")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--segments", help="Only these segments, e.g. 1-5,9.")
@author_option
@pass_glossary
def fix_cmd(g: HomeGlossary, slug: str, segments: str | None, author: str | None) -> None:
    """Apply the glossary's listed spellings to a story, each a `glossary` revision.

    Listed variants and renderings of names the Arabic gives are fixed, as revisions by
    you (--as). Unlisted spellings and look-alikes are suggestions a person accepts one
    by one (`desk glossary accept`); missing names and numbers need a person's edit.

    \b
    Example:
      desk glossary fix lattakia-offensive --as rania
    """
    numbers = parse_numbers((segments,)) if segments else None
    report = g.home.desk.fix(
        slug, g.enforcer(), requested_by=resolve_author(author), numbers=numbers
    )
    for n, applied in sorted(report.fixed.items()):
        changes = ", ".join(f"{f.found} → {f.suggestion}" for f in applied)
        say(f"[{n}] {changes}")
    fixes = sum(len(a) for a in report.fixed.values())
    say(f"Applied {fixes} fix(es) in {len(report.fixed)} segment(s)", err=True)
    if report.left:
        say(f"{report.left} finding(s) need a person: desk glossary check {slug}", err=True)


@glossary_group.command("accept")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("segment", type=int)
@click.argument("number", type=int)
@author_option
@pass_glossary
def accept_cmd(g: HomeGlossary, slug: str, segment: int, number: int, author: str | None) -> None:
    """Accept one suggestion: segment SEGMENT's suggestion NUMBER, as `check` numbers them.

    For what `fix` leaves to a person: an unlisted spelling, a look-alike. The change
    is a `glossary` revision by you (--as).

    \b
    Example:
      desk glossary check lattakia-offensive
      desk glossary accept lattakia-offensive 12 1 --as rania
    """
    done = g.home.desk.accept(slug, segment, number, g.enforcer(), author=resolve_author(author))
    say(f"[{segment}] {done.found} → {done.suggestion} ({done.kind.value}, accepted)")


@glossary_group.command("lint")
@json_option
@pass_glossary
def lint_cmd(g: HomeGlossary, as_json: bool) -> None:
    """Check the glossary files for clashes, duplicates, empty fields and risky variants.

    \b
    Example:
      desk glossary lint
    """
    from desk.core.glossary.lint import lint

    glossary = g.load()
    problems = lint(glossary)
    if as_json:
        emit_json([{"entry": p.entry_id, "code": p.code, "message": p.message} for p in problems])
    else:
        for p in problems:
            say(f"{p.where}: {p.code}: {p.message}")
        say(
            f"{len(glossary.entries)} entries in {len(g.paths())} file(s), "
            f"{len(problems)} problem(s)",
            err=True,
        )
    if problems:
        sys.exit(1)


@glossary_group.command("audit")
@click.option("--min-stories", type=int, default=1, show_default=True)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Show the most used clusters only; 0 shows all.",
)
@json_option
@pass_glossary
def audit_cmd(g: HomeGlossary, min_stories: int, limit: int, as_json: bool) -> None:
    """Scan every story for spellings that look like one name and propose entries.

    \b
    Example:
      desk glossary audit --min-stories 3 --limit 20
    """
    from desk.core.glossary.audit import audit, name_stories
    from desk.core.store.spelling_index import pending

    store = g.home.desk.store
    waiting = pending(store.conn)
    if waiting > 5_000:
        say(f"Indexing the names of {waiting:,} segments (once; later audits reuse it)...",
                   err=True)  # fmt: skip
    if waiting:
        _index_with_progress(store, waiting)
    clusters = audit(store, g.load(), min_stories=min_stories)
    shown = clusters[:limit] if limit else clusters
    name_stories(store, shown)
    if as_json:
        emit_json([c.to_json() for c in shown])
        return
    for cluster in shown:
        say(cluster.describe())
    more = f", the {len(shown)} most used shown" if len(shown) < len(clusters) else ""
    say(f"{len(clusters)} cluster(s) in {store.count_stories()} stories{more}", err=True)


def _index_with_progress(store: Store, waiting: int) -> None:
    """Bring the spelling index up to date as `audit` would, with a progress bar on a
    terminal's stderr that moves as each batch of segments is committed."""
    from desk.core.glossary.spellings import spellings_in
    from desk.core.store.spelling_index import BATCH, refresh

    with Progress(waiting, "Indexing names") as progress:

        @contextmanager
        def batch() -> Iterator[Connection]:
            """One batch's write transaction; the bar moves once it is committed."""
            with store.write() as conn:
                yield conn
            # Every batch but the last holds BATCH segments; the queue may have grown
            # since it was counted, so the bar stops at its end.
            progress.advance(min(BATCH, waiting - progress.done))

        with store.decoding("the spelling index"):
            refresh(batch, extract=spellings_in)


glossary_group.add_command(import_cmd)
glossary_group.add_command(export_cmd)

COMMANDS = [glossary_group]
