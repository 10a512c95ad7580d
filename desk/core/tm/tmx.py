"""TMX (Translation Memory eXchange): reading 1.4b (and the 1.4 and 1.1 files other tools
write) into units of the memory, and writing the memory as TMX 1.4b.

Reading keeps, for each `<tu>`, its Arabic segment (`ar`, `ar-*`) and its English one
(`en`, `en-*`), the first of each; a unit without both is counted as incomplete and
left out. The source language (the header's `srclang`, or the unit's own) must be
Arabic or `*all*`: a memory made from English (or French...) sources is refused. Per
unit: the author (`changeid`, else `creationid`, of the unit, else of its English
variant, else of the header), the dates (`creationdate`, `changedate`: YYYYMMDDThhmmssZ,
made ISO 8601 in UTC), the properties (`<prop type="…">`, notes under "note"), and the
story from desk's own `x-desk-story`. Inline markup inside `<seg>` keeps its text
(`<hi>`, `<sub>`) and drops its codes (`<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>`).

The file streams through expat (desk/core/xmlsafe.py: entity declarations refused, an
external DTD never read), a chunk at a time, one unit kept at a time; costs are bounded
by MAX_TMX_BYTES, MAX_ELEMENTS, MAX_UNITS, MAX_UNIT_ELEMENTS, MAX_DEPTH and
MAX_TEXT_CHARS, past any of which the file is refused with its line. A file in UTF-8
(no BOM, or a declaration saying so) that holds other bytes is refused with the line.

Writing (`tmx_text`) escapes text and attributes, and drops the characters XML 1.0
cannot hold (C0 controls but tab and line breaks, lone surrogates, U+FFFE/U+FFFF): a
file desk writes is always one a reader can read.
"""

from __future__ import annotations

import codecs
import pyexpat
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from desk.core.errors import InputError
from desk.core.tm.match import Unit
from desk.core.xmlsafe import CHUNK_BYTES, chunks, feed, refuse_entities

MAX_TMX_BYTES = 512 * 1024 * 1024
"""Larger files are refused: room for 500,000 units as desk writes them (about 900 bytes
a unit). The reader streams, so this bounds the time an import takes, not memory."""
MAX_UNITS = 500_000
"""The most units one file may hold."""
MAX_ELEMENTS = 20 * MAX_UNITS
"""The most XML elements one file may hold (desk writes 10 a unit)."""
MAX_UNIT_ELEMENTS = 1_000
"""The most elements one `<tu>` may hold (inline codes included): what the reader keeps."""
MAX_DEPTH = 100
"""Deeper nesting than any TMX needs is refused."""
MAX_AUTHOR_CHARS = 200
"""An author (`changeid`, `creationid`) is cut to this: a header's is copied to every
unit, and a long one would multiply the memory's size."""
MAX_TEXT_CHARS = 10_000
"""The longest segment or property kept, in characters (a long paragraph is 2,000)."""
MAX_SILENT_BYTES = 8 * 1024 * 1024
"""The most bytes read without expat reporting anything (an element, text, a comment):
expat (before 2.6) scans an unfinished token again with every chunk, so a file of one
endless comment, tag or attribute would take minutes to reach MAX_TMX_BYTES."""
STORY, SEGMENT, STATUS, ORIGIN = "x-desk-story", "x-desk-segment", "x-desk-status", "x-desk-origin"
"""The properties desk writes on each unit."""

_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})
"""Inline elements whose content is native code, not text (a `<sub>` inside is text)."""
_LANGUAGE_ALIASES = {"ara": "ar", "arb": "ar", "eng": "en"}
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot hold, even as a character reference."""
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def language(tag: str) -> str:
    """The primary language of a language tag, lower-cased (`ar-SY` → `ar`)."""
    primary = re.split(r"[-_]", tag.strip().lower())[0]
    return _LANGUAGE_ALIASES.get(primary, primary)


def tmx_date(value: str) -> str:
    """A TMX date (YYYYMMDDThhmmssZ) as ISO 8601 in UTC, as desk writes its own dates;
    "" for a value that is not one."""
    try:
        moment = datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ")
    except ValueError:
        return ""
    return moment.replace(tzinfo=UTC).isoformat(timespec="microseconds")


def to_tmx_date(value: str) -> str:
    """An ISO 8601 date-time as TMX writes it (UTC, YYYYMMDDThhmmssZ); "" if it is not one."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class TmxUnit:
    """A unit as a TMX file holds it: the Arabic, the English, who and when, properties."""

    source: str
    target: str
    author: str = ""
    created_at: str = ""
    """ISO 8601 (UTC), or "" when the file gives none."""
    updated_at: str = ""
    story: str = ""
    """desk's `x-desk-story` property, if the file has it."""
    props: dict[str, str] = field(default_factory=dict)
    """The unit's `<prop type="…">` values (several of one type joined by lines), and its
    notes under "note"."""


@dataclass
class _Variant:
    """One `<tuv>`: its language, attributes, and the text of its `<seg>`."""

    lang: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)
    size: int = 0


@dataclass
class _Tu:
    """The `<tu>` being read."""

    line: int
    attrs: dict[str, str]
    props: dict[str, str] = field(default_factory=dict)
    variants: list[_Variant] = field(default_factory=list)
    elements: int = 0


class _Utf8Checked:
    """A byte stream that refuses what is not UTF-8, naming the line, when the document
    says (or leaves it to mean) UTF-8; one that declares another encoding, or starts
    with a UTF-16 mark, is left to expat."""

    def __init__(self, stream: BinaryIO, source: str) -> None:
        """Check `stream`, named `source` in messages."""
        self.stream, self.source = stream, source
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.checking: bool | None = None
        self.line = 1
        self.size = 0

    def read(self, size: int) -> bytes:
        """Up to `size` bytes, checked."""
        chunk = self.stream.read(size)
        self.size += len(chunk)
        if self.checking is None:
            self.checking = _utf8_expected(chunk)
        if not self.checking:
            return chunk
        pending = len(self.decoder.getstate()[0])
        try:
            self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            at = max(0, exc.start - pending)
            line = self.line + chunk.count(b"\n", 0, at)
            bad = chunk[at : at + 1].hex().upper() or "end of file"
            raise InputError(
                f"{self.source}:{line}: not UTF-8 text (byte 0x{bad}); save the file as UTF-8"
            ) from None
        self.line += chunk.count(b"\n")
        return chunk


def _utf8_expected(first: bytes) -> bool:
    """Whether a document beginning with `first` is UTF-8 by its mark or declaration."""
    if first.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        return False  # UTF-16: expat reads it
    found = _DECLARED.match(first.removeprefix(codecs.BOM_UTF8))
    return found is None or found.group(1).lower() in (b"utf-8", b"utf8")


class TmxReader:
    """Streams a TMX document through expat, one unit at a time (see the module)."""

    def __init__(self, source: str) -> None:
        """A reader for the file `source` (its name in messages)."""
        self.source = source
        self.parser = pyexpat.ParserCreate()
        self.root = ""
        self.header: dict[str, str] = {}
        self.units = 0
        """Units read with Arabic and English."""
        self.incomplete = 0
        """Units without an Arabic or an English segment, left out."""
        self.languages: dict[str, None] = {}
        """Every language of a variant seen, in order."""
        self.depth = 0
        self.elements = 0
        self.tu: _Tu | None = None
        self.variant: _Variant | None = None
        self.prop: tuple[str, list[str]] | None = None
        self.in_seg = 0
        self.codes: list[bool] = []
        """Inside the segment: for each open element, whether its text is code."""
        self.ready: list[TmxUnit] = []
        self.events = 0
        """Elements, text and comments reported so far (see MAX_SILENT_BYTES)."""

    def error(self, what: str, line: int | None = None) -> InputError:
        """InputError naming the file and the line (the parser's, unless given)."""
        at = self.parser.CurrentLineNumber if line is None else line
        return InputError(f"{self.source}:{at}: {what}")

    def read(self, stream: BinaryIO) -> Iterator[TmxUnit]:
        """The units of the document on `stream`, as they are read; InputError for a file
        that is not a TMX of Arabic and English, or is past a limit."""
        parser = self.parser
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        parser.CommentHandler = self.comment
        refuse_entities(parser, self.source)
        checked = _Utf8Checked(stream, self.source)
        silent, events = 0, 0
        for chunk in chunks(checked, self.source, MAX_TMX_BYTES, CHUNK_BYTES):
            if not chunk and checked.size == 0:
                raise InputError(f"{self.source}: empty file, not a TMX memory")
            feed(parser, chunk, self.source)
            silent, events = (
                (silent + len(chunk), events) if self.events == events else (0, self.events)
            )
            if silent > MAX_SILENT_BYTES:
                raise self.error(
                    f"more than {MAX_SILENT_BYTES // 2**20} MiB without a complete element "
                    "(an unterminated comment, tag or attribute?)"
                )
            yield from self.ready
            self.ready.clear()
        if not self.units:
            seen = ", ".join(self.languages) or "none"
            raise InputError(
                f"{self.source}: no unit holds both an Arabic and an English segment "
                f"(languages found: {seen}); desk's memory is Arabic → English"
            )

    def comment(self, text: str) -> None:
        """A comment: nothing to keep, but the parser is moving."""
        self.events += 1

    def start(self, name: str, attrs: dict[str, str]) -> None:
        """Open an element: refused past MAX_DEPTH, MAX_ELEMENTS or MAX_UNIT_ELEMENTS."""
        self.events += 1
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_DEPTH:
            raise self.error("elements nested too deeply")
        if self.elements > MAX_ELEMENTS:
            raise self.error(f"more than {MAX_ELEMENTS:,} XML elements; desk reads at most "
                             f"{MAX_UNITS:,} units from one file")  # fmt: skip
        if not self.root:
            self.root = name
            if name != "tmx":
                raise self.error(f"not a TMX file (the root element is <{name}>, not <tmx>)")
            return
        tu = self.tu
        if tu is None:
            if name == "header" and self.depth == 2:
                self.header = dict(attrs)
                self._check_source(attrs.get("srclang", ""))
            elif name == "tu":
                self._check_source(attrs.get("srclang", ""))
                self.tu = _Tu(self.parser.CurrentLineNumber, dict(attrs))
            return
        if name == "tu":  # a unit inside a unit: whose English is whose?
            raise self.error(f"a <tu> inside the <tu> of line {tu.line}")
        tu.elements += 1
        if tu.elements > MAX_UNIT_ELEMENTS:
            raise self.error(f"more than {MAX_UNIT_ELEMENTS:,} elements in one unit", tu.line)
        if self.in_seg:
            self.in_seg += 1
            self.codes.append(name in _CODES or (name != "sub" and self.codes[-1]))
        elif name == "seg" and self.variant is not None:
            self.in_seg, self.codes = 1, [False]
        elif name == "tuv":
            lang = language(attrs.get("xml:lang") or attrs.get("lang") or "")
            self.languages.setdefault(lang or "(none)")
            self.variant = _Variant(lang, dict(attrs))
        elif name in ("prop", "note") and self.variant is None:
            self.prop = (attrs.get("type", "") if name == "prop" else "note", [])

    def _check_source(self, srclang: str) -> None:
        """Refuse a source language other than Arabic (or `*all*`, any)."""
        if srclang and srclang.strip() != "*all*" and language(srclang) != "ar":
            raise self.error(
                f"the memory's source language is {srclang!r}; desk imports Arabic → English "
                "memories (srclang ar, ar-* or *all*)"
            )

    def characters(self, content: str) -> None:
        """Text of a segment (not its codes) or of a property."""
        self.events += 1
        if self.in_seg and self.variant is not None:
            if not self.codes[-1] and self.variant.lang in ("ar", "en"):
                self.variant.parts.append(content)
                self.variant.size += len(content)
                if self.variant.size > MAX_TEXT_CHARS:
                    raise self.error(f"a segment longer than {MAX_TEXT_CHARS:,} characters")
        elif self.prop is not None:
            self.prop[1].append(content)
            if sum(len(p) for p in self.prop[1]) > MAX_TEXT_CHARS:
                raise self.error(f"a property longer than {MAX_TEXT_CHARS:,} characters")

    def end(self, name: str) -> None:
        """Close an element; a unit that closes is ready."""
        self.events += 1
        self.depth -= 1
        tu = self.tu
        if tu is None:
            return
        if self.in_seg:
            self.in_seg -= 1
            self.codes.pop()
        elif name == "tuv":
            if self.variant is not None:
                tu.variants.append(self.variant)
            self.variant = None
        elif name in ("prop", "note") and self.prop is not None:
            kind, parts = self.prop
            text = "".join(parts).strip()
            if kind and text:
                old = tu.props.get(kind)
                tu.props[kind] = f"{old}\n{text}" if old else text
            self.prop = None
        elif name == "tu":
            self.tu = None
            self._finish(tu)

    def _finish(self, tu: _Tu) -> None:
        """Make the unit read into a TmxUnit, or count it incomplete."""
        arabic = next((v for v in tu.variants if v.lang == "ar" and v.size), None)
        english = next((v for v in tu.variants if v.lang == "en" and v.size), None)
        source = "".join(arabic.parts).strip() if arabic else ""
        target = "".join(english.parts).strip() if english else ""
        if english is None or not source or not target:
            self.incomplete += 1
            return
        if self.units >= MAX_UNITS:
            raise self.error(f"more than {MAX_UNITS:,} units (desk reads at most "
                             f"{MAX_UNITS:,} from one file)", tu.line)  # fmt: skip
        self.units += 1

        def attr(name: str) -> str:
            return tu.attrs.get(name) or english.attrs.get(name) or self.header.get(name) or ""

        created = tmx_date(attr("creationdate"))
        self.ready.append(
            TmxUnit(
                source=source,
                target=target,
                author=(attr("changeid") or attr("creationid")).strip()[:MAX_AUTHOR_CHARS],
                created_at=created,
                updated_at=tmx_date(attr("changedate")) or created,
                story=tu.props.get(STORY, ""),
                props=tu.props,
            )
        )


def read_tmx(path: Path, reader: TmxReader | None = None) -> Iterator[TmxUnit]:
    """The units of a TMX file as they are read; `reader` (made for the path if not
    given) counts them (see TmxReader)."""
    reader = reader or TmxReader(str(path))
    if path.exists() and not path.is_file():  # a FIFO would wait for a writer for ever
        raise InputError(f"{path}: not a regular file (`-` reads standard input)")
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with handle:
        yield from reader.read(handle)


# -- writing ---------------------------------------------------------------------------


def _text(value: str) -> str:
    """Element text, escaped, without what XML 1.0 cannot hold (a CR kept as a reference,
    since a reader would make a raw one a line feed)."""
    return escape(_FORBIDDEN.sub("", value)).replace("\r", "&#13;")


def _attr(value: str) -> str:
    """An attribute value, quoted and escaped."""
    return quoteattr(_FORBIDDEN.sub("", value))


def tmx_text(units: Iterable[Unit], *, version: str, created: str = "") -> Iterator[str]:
    """A TMX 1.4b document of `units`, a piece at a time: Arabic source, English target,
    each unit with its author, dates, and desk's properties for story, segment, origin
    and status. `version` is desk's; `created` the export's date (ISO 8601)."""
    stamp = to_tmx_date(created)
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
    yield (
        f'  <header creationtool="desk" creationtoolversion={_attr(version)} '
        'datatype="plaintext" segtype="sentence" adminlang="en" srclang="ar" o-tmf="desk"'
        + (f' creationdate="{stamp}"' if stamp else "")
        + "/>\n  <body>\n"
    )
    for unit in units:
        attrs = [f'tuid="{unit.id}"']
        if unit.author:
            attrs.append(f"creationid={_attr(unit.author)}")
        for name, value in (("creationdate", unit.created_at), ("changedate", unit.updated_at)):
            if tmx_date_value := to_tmx_date(value):
                attrs.append(f'{name}="{tmx_date_value}"')
        props = [(ORIGIN, unit.origin)]
        if unit.story:
            props.append((STORY, unit.story))
        if unit.segment:
            props.append((SEGMENT, str(unit.segment)))
        props.append((STATUS, "published" if unit.published else "unpublished"))
        lines = [f"    <tu {' '.join(attrs)}>\n"]
        lines += [f"      <prop type={_attr(k)}>{_text(v)}</prop>\n" for k, v in props]
        lines.append(f'      <tuv xml:lang="ar"><seg>{_text(unit.source)}</seg></tuv>\n')
        lines.append(f'      <tuv xml:lang="en"><seg>{_text(unit.target)}</seg></tuv>\n')
        lines.append("    </tu>\n")
        yield "".join(lines)
    yield "  </body>\n</tmx>\n"
