"""TBX (TermBase eXchange): import of v2 and v3 files (export: `tbx_export`).

Import reads TBX v2 (TBX 2008, ISO 30042:2008: `<martif>`, `<termEntry>`, `<langSet>`,
`<tig>`/`<ntig>`) and v3 (ISO 30042:2019: `<tbx>`, `<conceptEntry>`, `<langSec>`,
`<termSec>`), data categories either as `<descrip|termNote|admin type="…">` (v2, v3 DCA)
or as elements of a module namespace such as `<min:administrativeStatus>` (v3 DCT).
For each concept:

- canonical: the first English (`en`, `en-*`) term whose administrativeStatus is
  preferred (`preferredTerm-admn-sts`, TBX-Min `preferred`), else the first English term
  that is not deprecated; a concept with neither is an error;
- variants: English terms that are deprecated, superseded, notRecommended or obsolete;
  other English terms (admitted, or a second preferred one) are not spellings to
  replace, so they go to the notes as `Admitted: …`;
- arabic: every Arabic (`ar`, `ar-*`) term, in order;
- kind: the first subjectField that names a kind (person, place, organisation or
  organization, other); other subject fields go to the notes; default `other`;
- notes: definitions and `<note>`s of the concept and its English and Arabic sections,
  in document order; a note `only_with_arabic: <form>` is one only_with_arabic form;
- id: the concept's `id` when it is a valid entry id (`_1st-brigade` gives
  `1st-brigade`, since an XML id cannot start with a digit), else the id lowercased
  with other characters turned into `-`, else one made from the canonical.

Transactions, admin data, cross-references and other languages are ignored; a caller
that passes a Counter as `languages` learns which languages were left out, and in how
many concepts (translate-toolkit's csv2tbx, for one, labels the target column `xx`).

Parsing streams the file through expat, keeping one concept at a time (see `_Reader`),
with defusedxml's rules: a file that declares entities (billion laughs, external
entities) is refused with the file and line; a DOCTYPE that only names an external DTD
(common in v2 files) is accepted but the DTD is never read. Costs are bounded: a file
is at most MAX_TBX_BYTES, MAX_ELEMENTS elements, MAX_ENTRIES concepts, each of at most
MAX_CONCEPT_ELEMENTS elements, nested at most MAX_DEPTH deep; past any of these the
file is refused with its line, nothing imported. Export is `tbx_export`.
"""

from __future__ import annotations

import io
import pyexpat
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from desk.core.errors import InputError
from desk.core.glossary.files import IdPool
from desk.core.glossary.model import ID_PATTERN, Entry, Kind, parse_entry
from desk.core.xmlsafe import CHUNK_BYTES, chunks, feed, refuse_entities

TBX_NS = "urn:iso:std:iso:30042:ed-2"
"""The namespace of TBX v3 core elements."""
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_TBX_BYTES = 256 * 1024 * 1024
"""Larger files are refused. The reader streams (memory follows the largest concept, not
the file), so this is room for 200,000 entries as desk exports them (about 800 bytes an
entry, indented), not a bound on memory."""
MAX_DEPTH = 100
"""Deeper nesting than any TBX needs is refused (it would only slow the reader down)."""
MAX_ENTRIES = 200_000
"""The most concepts one file may hold (twice the largest glossary desk is measured on)."""
MAX_ELEMENTS = 5_000_000
"""The most XML elements one file may hold: 25 an entry (a rich TBX entry has 10 to 20);
a file of millions of empty elements is refused after a few seconds."""
MAX_CONCEPT_ELEMENTS = 10_000
"""The most elements one concept may hold (one has tens): the reader keeps one concept
at a time in memory, so this bounds what it keeps."""
ONLY_WITH_ARABIC = "only_with_arabic:"
"""Prefix of the `<note>` that carries one only_with_arabic form."""

_CONCEPTS = ("termEntry", "conceptEntry")
_LANGS = ("langSet", "langSec")
_HOLDERS = ("tig", "ntig", "termSec")
_STATUS = ("administrativeStatus", "normativeAuthorization")
_DEPRECATED_WORDS = ("deprecated", "superseded", "notrecommended", "obsolete")
_KINDS = {k.value: k for k in Kind} | {"organization": Kind.ORGANISATION}


@dataclass(slots=True)
class _Node:
    """An element: namespace, local name, attributes, line, and text and children in order."""

    ns: str
    name: str
    attrs: dict[str, str]
    line: int
    parts: list[str | _Node] = field(default_factory=list)
    kids: list[_Node] = field(default_factory=list)
    """The elements among `parts`."""

    def children(self) -> list[_Node]:
        """Child elements in document order."""
        return self.kids

    def walk(self) -> Iterator[_Node]:
        """This element and every element below it, in document order."""
        stack: list[_Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack += reversed(node.children())

    def text(self) -> str:
        """All the text inside the element, markup removed, ends stripped."""
        parts = self.parts
        if len(parts) == 1 and isinstance(parts[0], str):
            return parts[0].strip()  # the common case: a term, a note
        out: list[str] = []
        stack: list[str | _Node] = [self]
        while stack:
            part = stack.pop()
            if isinstance(part, str):
                out.append(part)
            else:
                stack.extend(reversed(part.parts))
        return "".join(out).strip()


class _Reader:
    """Streams a TBX document through expat, one concept at a time.

    Only the elements of the concept being read are kept (with their text and line);
    each is turned into an entry when it closes, then dropped, so memory follows the
    largest concept, not the file. Elements outside concepts are counted and forgotten.
    """

    def __init__(self, source: str, languages: Counter[str] | None = None) -> None:
        """A reader for the file `source` (its name in messages); `languages`, if given,
        counts the concepts with a section in each language desk does not read."""
        self.source = source
        self.languages = languages
        self.parser = pyexpat.ParserCreate(namespace_separator=" ")
        self.root: _Node | None = None
        self.core: set[str] = set()
        self.stack: list[_Node] = []
        """The open elements of the current concept, outermost first."""
        self.depth = 0
        self.elements = 0
        self.concept_elements = 0
        self.nested = False
        """Whether the concept being read holds another concept."""
        self.entries: list[Entry] = []
        self.taken = IdPool()

    def line(self) -> int:
        """The line the parser is on."""
        return int(self.parser.CurrentLineNumber)

    def error(self, what: str) -> InputError:
        """InputError naming the file and the line the parser is on."""
        return InputError(f"{self.source}:{self.line()}: {what}")

    def parse(self, stream: BinaryIO) -> list[Entry]:
        """The entries of the document read from `stream`, fed to expat a chunk at a time
        (at most MAX_TBX_BYTES of it)."""
        parser = self.parser
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        refuse_entities(parser, self.source)
        for chunk in chunks(stream, self.source, MAX_TBX_BYTES, CHUNK_BYTES):
            feed(parser, chunk, self.source)
        if self.root is None:
            raise InputError(f"{self.source}: no XML element")
        return self.entries

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        """Open an element: refused past MAX_DEPTH, MAX_ELEMENTS or MAX_CONCEPT_ELEMENTS."""
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_DEPTH:
            raise self.error("elements nested too deeply")
        if self.elements > MAX_ELEMENTS:
            raise self.error(f"more than {MAX_ELEMENTS:,} XML elements; desk reads at most "
                             f"{MAX_ENTRIES:,} entries from one file")  # fmt: skip
        ns, _, name = tag.rpartition(" ")
        if self.root is None:
            self.root = _Node(ns, name, {}, self.line())
            if name not in ("martif", "tbx"):
                raise self.error(
                    f"not a TBX file (the root element is <{name}>, not <tbx> or <martif>)"
                )
            self.core = {"", ns}
            return
        stack = self.stack
        if not stack and not (name in _CONCEPTS and ns in self.core):
            return  # outside any concept: nothing to keep
        found: dict[str, str] = {}
        if attrs:
            for key, value in attrs.items():
                uri, _, local = key.rpartition(" ")
                found["xml:" + local if uri == XML_NS else local] = value
        node = _Node(ns, name, found, self.parser.CurrentLineNumber)
        if stack:
            self.concept_elements += 1
            if name in _CONCEPTS:
                self.nested = True
            if self.concept_elements > MAX_CONCEPT_ELEMENTS:
                where = f"{self.source}:{stack[0].line}"
                raise InputError(
                    f"{where} (entry {stack[0].attrs.get('id') or 'without id'}): "
                    f"more than {MAX_CONCEPT_ELEMENTS:,} elements in one concept"
                )
            parent = stack[-1]
            parent.parts.append(node)
            parent.kids.append(node)
        else:
            self.concept_elements, self.nested = 0, False
        stack.append(node)

    def end(self, tag: str) -> None:
        """Close an element; a concept that closes becomes entries."""
        self.depth -= 1
        if not self.stack:
            return
        node = self.stack.pop()
        if self.stack:
            return
        # The outermost concept: it and any concept inside it, in document order.
        for inner in node.walk() if self.nested else (node,):
            if inner.name in _CONCEPTS and inner.ns in self.core:
                if len(self.entries) >= MAX_ENTRIES:
                    raise self.error(f"more than {MAX_ENTRIES:,} entries (desk reads at most "
                                     f"{MAX_ENTRIES:,} from one file)")  # fmt: skip
                entry = _concept(inner, self.core, self.source, self.taken, self.languages)
                self.taken.add(entry.id)
                self.entries.append(entry)

    def characters(self, content: str) -> None:
        """Text of the open element (kept inside a concept only)."""
        if self.stack:
            self.stack[-1].parts.append(content)


def read_tbx(path: Path, languages: Counter[str] | None = None) -> list[Entry]:
    """The entries of a TBX v2 or v3 file; InputError naming the file (and line) otherwise.
    `languages`, if given, counts the concepts with a section in each other language."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with handle:
        return read_tbx_stream(handle, str(path), languages)


def read_tbx_stream(
    stream: BinaryIO, source: str, languages: Counter[str] | None = None
) -> list[Entry]:
    """The entries of a TBX document read from `stream` (standard input, a file); `source`
    names it in messages; `languages` as for `read_tbx`."""
    return _Reader(source, languages).parse(stream)


def parse_tbx(data: bytes, source: str) -> list[Entry]:
    """The entries of a TBX document's bytes; `source` names it in messages."""
    return read_tbx_stream(io.BytesIO(data), source)


def _category(node: _Node, core: set[str]) -> str | None:
    """The data category an element carries (DCA `type`, DCT element name), or `note`."""
    if node.ns not in core:
        return node.name
    if node.name in ("descrip", "termNote", "admin"):
        return node.attrs.get("type", "")
    return "note" if node.name == "note" else None


def _language(node: _Node) -> str:
    """The primary language subtag of a langSet/langSec (`ar-SY` -> `ar`)."""
    lang = node.attrs.get("xml:lang") or node.attrs.get("lang") or ""
    return re.split(r"[-_]", lang.strip().lower())[0]


@dataclass
class _Term:
    """One term of a concept: language, text, status (preferred/deprecated/admitted)."""

    lang: str
    text: str
    status: str


def _read_status(node: _Node, term: _Term) -> None:
    """Set the term's status from an administrativeStatus/normativeAuthorization element."""
    value = node.text().lower()
    if value.startswith("preferred"):
        term.status = "preferred"
    elif value.startswith(_DEPRECATED_WORDS):
        term.status = "deprecated"


def _concept(
    concept: _Node,
    core: set[str],
    source: str,
    taken: IdPool,
    languages: Counter[str] | None = None,
) -> Entry:
    """One entry from a termEntry/conceptEntry (its other languages counted in `languages`)."""
    raw_id = concept.attrs.get("id", "")
    where = f"{source}:{concept.line} (entry {raw_id or 'without id'})"
    # One walk of the concept: each term holder (tig, ntig, termSec) starts a term, which
    # the first <term> below it names and a status element below it qualifies; notes,
    # definitions and subject fields are gathered wherever they are.
    held: list[_Term] = []
    notes: dict[str, None] = {}  # in order, each once
    only: list[str] = []
    subjects: list[str] = []
    others: set[str] = set()
    stack: list[tuple[_Node, str, _Term | None]] = [(concept, "", None)]
    while stack:
        node, lang, term = stack.pop()
        name, in_core = node.name, node.ns in core
        if in_core and name in _LANGS:
            lang = _language(node)
        if lang not in ("", "en", "ar"):
            others.add(lang)
            continue
        if name == "transacGrp":
            continue
        if in_core and lang and name in _HOLDERS:
            term = _Term(lang, "", "admitted")
            held.append(term)
        elif term is not None and in_core and name == "term":
            if not term.text:
                term.text = node.text()
        else:
            category = _category(node, core)
            if term is not None and category in _STATUS:
                _read_status(node, term)
            elif category == "subjectField" and (text := node.text()):
                subjects.append(text)
            elif category in ("definition", "note") and (text := node.text()):
                if category == "note" and text.startswith(ONLY_WITH_ARABIC):
                    only.append(text.removeprefix(ONLY_WITH_ARABIC).strip())
                else:
                    notes.setdefault(text)
        children = node.children()
        if children:
            stack += [(child, lang, term) for child in reversed(children)]
    if languages is not None:
        languages.update(others)
    terms = [t for t in held if t.text]
    english = [t for t in terms if t.lang == "en"]
    canonical = next((t for t in english if t.status == "preferred"), None)
    canonical = canonical or next((t for t in english if t.status != "deprecated"), None)
    if canonical is None:
        what = "only deprecated English terms" if english else "no English term"
        raise InputError(f"{where}: {what}, so no house spelling")
    admitted = [t.text for t in english if t.status != "deprecated" and t is not canonical]
    lines = list(notes)
    if admitted:
        lines.append("Admitted: " + "; ".join(admitted))
    kinds = [_KINDS[s.lower()] for s in subjects if s.lower() in _KINDS]
    lines += [f"Subject field: {s}" for s in subjects if s.lower() not in _KINDS]
    table = {
        "canonical": canonical.text,
        "arabic": [t.text for t in terms if t.lang == "ar"],
        "variants": [t.text for t in english if t.status == "deprecated"],
        "kind": str(kinds[0] if kinds else Kind.OTHER),
        "notes": "\n".join(lines),
        "only_with_arabic": only,
    }
    return parse_entry(_entry_id(raw_id, canonical.text, taken), table, source, concept.line)


def _entry_id(raw: str, canonical: str, taken: IdPool) -> str:
    """A valid, unused entry id from a concept's id, else from its canonical spelling."""
    if raw.startswith("_") and ID_PATTERN.match(raw[1:]):
        raw = raw[1:]
    cleaned = raw if ID_PATTERN.match(raw) else re.sub(r"[^a-z0-9_-]+", "-", raw.lower())
    cleaned = cleaned.lstrip("-_")
    if not ID_PATTERN.match(cleaned):
        return taken.new(canonical)
    return taken.unique(cleaned)
