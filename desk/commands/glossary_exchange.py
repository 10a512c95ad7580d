"""`desk glossary import` and `export`: the glossary for other tools (TBX, CSV/TSV, OmegaT).

The commands are added to the `desk glossary` group by desk/commands/glossary.py.

Data goes to the file or, for `-`, alone to standard output; what desk says about it
(how many entries, what was skipped) goes to standard error, so a pipe gets the data only.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from desk.app.glossary import GlossaryFolder
from desk.commands.output import say, write_all
from desk.core.errors import InputError
from desk.core.glossary.model import Entry

EXPORT_FORMATS = ["tbx", "tbx-v2", "csv", "tsv", "omegat"]
"""What `desk glossary export --format` takes."""
IMPORT_FORMATS = ["tbx", "csv", "tsv", "omegat"]
"""What `desk glossary import --format` takes (`omegat` is OmegaT's tab-separated file)."""

pass_folder = click.make_pass_decorator(GlossaryFolder)
"""Hand a command the glossary folder of this invocation (`desk glossary --glossary`)."""


def exchange_format(path: Path, given: str | None) -> str:
    """The format: --format, else from the file's extension; InputError if it cannot tell."""
    from desk.core.glossary.tabular import FORMATS

    if given:
        return given
    suffix = path.suffix.lower()
    if suffix in (".tbx", ".xml"):
        return "tbx"
    if suffix in FORMATS:
        return FORMATS[suffix]
    raise InputError(f"{path}: cannot tell the format from {suffix!r}; give --format")


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(IMPORT_FORMATS),
    help="tbx (v2 or v3), csv, tsv or omegat (tab-separated); default: from the extension.",
)
@click.option(
    "--into",
    "into",
    help="Glossary file in the folder to add to, e.g. people.toml or people (.toml is "
    "added); default: imported.toml.",
)
@pass_folder
def import_cmd(g: GlossaryFolder, path: Path, fmt: str | None, into: str | None) -> None:
    """Add entries from TBX (v2 or v3) or CSV/TSV (OmegaT's columns); `-` is standard input.

    Entries whose id or canonical spelling the glossary has already are skipped and
    listed; nothing is written if the file cannot be read in full.

    \b
    Example:
      desk glossary import names.tbx --into people.toml
      desk glossary import omegat/glossary/glossary.txt
    """
    from desk.core.glossary.tabular import read_table
    from desk.core.glossary.tbx import read_tbx

    kind = exchange_format(path, fmt)
    kind = "tsv" if kind == "omegat" else kind
    languages: Counter[str] = Counter()
    if str(path) == "-":
        entries = _read_stdin(kind, languages)
    else:
        entries = read_tbx(path, languages) if kind == "tbx" else read_table(path, kind)
    target, new, skipped = g.import_entries(entries, into)
    for entry in skipped:
        say(f"skipped {entry.id} ({entry.canonical}): already in the glossary", err=True)
    if languages:
        # Said, not silently dropped: a tool may label the Arabic column otherwise
        # (translate-toolkit's csv2tbx writes `xx`).
        found = ", ".join(f"{lang} ({n} entries)" for lang, n in sorted(languages.items()))
        where = "standard input" if str(path) == "-" else str(path)
        say(f"{where}: terms in {found} not imported: desk reads English (en) and Arabic (ar)",
            err=True)  # fmt: skip
    say(f"Imported {len(new)} of {len(entries)} entries into {target}", err=True)


@click.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    help="Default: from the extension (.tbx: tbx; .csv: csv; .tsv, .txt, .tab, .utf8: tsv).",
)
@pass_folder
def export_cmd(g: GlossaryFolder, path: Path, fmt: str | None) -> None:
    """Write the whole glossary for another tool; `-` is standard output.

    \b
    Formats:
      tbx     TBX-Basic v3 (ISO 30042:2019), the current standard
      tbx-v2  TBX-Basic v2 (<martif>), for tools that read no v3: translate-toolkit
              (and Weblate, which reads TBX through it), OmegaT 3.6 (which offers the
              variants as translations too: for OmegaT, use omegat)
      csv     Arabic, English, comment: every field kept, `import` reads it back
      tsv     the same, tab-separated
      omegat  OmegaT's own glossary: Arabic, English, "[kind] notes", tab-separated;
              the name must end .utf8, .txt or .tab (OmegaT ignores any other)

    \b
    Example:
      desk glossary export house.tbx
      desk glossary export house.tbx --format tbx-v2
      desk glossary export project/glossary/house.utf8 --format omegat
      desk glossary export - --format tsv > house.tsv
    """
    kind = exchange_format(path, fmt)
    entries = g.load().entries
    if str(path) == "-":  # the data alone on standard output
        write_all(sys.stdout.buffer, export_bytes(entries, kind))
        where = "standard output"
    else:
        _write(entries, kind, path)
        where = str(path)
    if kind == "omegat":
        rows = sum(len(e.arabic) for e in entries)
        left = sum(1 for e in entries if not e.arabic)
        said = f"Wrote {rows} rows for {len(entries) - left} entries to {where}"
        if left:
            said += f" ({left} entries without an Arabic form left out: OmegaT needs one)"
        say(said, err=True)
    else:
        say(f"Wrote {len(entries)} entries to {where}", err=True)


def export_bytes(entries: list[Entry], kind: str) -> bytes:
    """An export in `kind` (a name from EXPORT_FORMATS) as bytes, for standard output."""
    from desk.core.glossary.tabular import to_omegat_bytes, to_table_text
    from desk.core.glossary.tbx_export import to_tbx_bytes

    if kind in ("tbx", "tbx-v2"):
        return to_tbx_bytes(entries, 2 if kind == "tbx-v2" else 3)
    if kind == "omegat":
        return to_omegat_bytes(entries)
    return to_table_text(entries, kind).encode("utf-8")


def _write(entries: list[Entry], kind: str, path: Path) -> None:
    """Write an export in `kind` to the file `path`, whole or not at all."""
    from desk.core.glossary.tabular import write_omegat, write_table
    from desk.core.glossary.tbx_export import write_tbx

    if kind in ("tbx", "tbx-v2"):
        write_tbx(entries, path, 2 if kind == "tbx-v2" else 3)
    elif kind == "omegat":
        write_omegat(entries, path)  # refuses a name OmegaT would ignore
    else:
        write_table(entries, path, kind)


def _read_stdin(kind: str, languages: Counter[str]) -> list[Entry]:
    """The entries of a TBX, CSV or TSV glossary on standard input (at most the size a
    file may have: TBX is streamed, a table read whole); a TBX's other languages counted
    in `languages`."""
    from desk.core.glossary.model import MAX_FILE_BYTES
    from desk.core.glossary.tabular import parse_table
    from desk.core.glossary.tbx import read_tbx_stream

    if kind == "tbx":
        return read_tbx_stream(sys.stdin.buffer, "standard input", languages)
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"standard input: larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"standard input: not UTF-8 (byte {exc.start})") from None
    return parse_table(text, "standard input", kind)
