"""TBX (TermBase eXchange): import of v2 and v3 files, export as v3 TBX-Basic.

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

Transactions, admin data, cross-references and other languages are ignored.

Parsing goes through defusedxml only: a file that declares entities (billion laughs,
external entities) is refused with the file and line; a DOCTYPE that only names an
external DTD (common in v2 files) is accepted but the DTD is never read. Export writes
TBX v3, TBX-Basic, DCA style: `preferredTerm-admn-sts` on the canonical,
`deprecatedTerm-admn-sts` on each variant, Arabic forms in an `ar` langSec, the kind as
`<descrip type="subjectField">`, notes and only_with_arabic forms as `<note>`s. The same
entries always give the same bytes.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax import InputSource, SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_namespaces
from xml.sax.xmlreader import AttributesNSImpl, Locator

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.sax import make_parser

from desk.core.atomic import write_atomic
from desk.core.errors import InputError
from desk.core.glossary.files import new_id, unique_id
from desk.core.glossary.model import ID_PATTERN, Entry, Kind, parse_entry, read_limited

TBX_NS = "urn:iso:std:iso:30042:ed-2"
"""The namespace of TBX v3 core elements."""
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_TBX_BYTES = 64 * 1024 * 1024
"""Larger files are refused before parsing."""
MAX_DEPTH = 100
"""Deeper nesting than any TBX needs is refused (it would only slow the reader down)."""
ONLY_WITH_ARABIC = "only_with_arabic:"
"""Prefix of the `<note>` that carries one only_with_arabic form."""

_SCHEMAS = (
    '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/'
    'master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/'
    'master/DCA/TBX-Basic_DCA.sch" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
)
_PREFERRED = "preferredTerm-admn-sts"
_DEPRECATED = "deprecatedTerm-admn-sts"
_CONCEPTS = ("termEntry", "conceptEntry")
_LANGS = ("langSet", "langSec")
_HOLDERS = ("tig", "ntig", "termSec")
_STATUS = ("administrativeStatus", "normativeAuthorization")
_DEPRECATED_WORDS = ("deprecated", "superseded", "notrecommended", "obsolete")
_KINDS = {k.value: k for k in Kind} | {"organization": Kind.ORGANISATION}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class _Node:
    """An element: namespace, local name, attributes, line, and text and children in order."""

    ns: str
    name: str
    attrs: dict[str, str]
    line: int
    parts: list[str | _Node] = field(default_factory=list)

    def children(self) -> Iterator[_Node]:
        """Child elements in document order."""
        return (p for p in self.parts if isinstance(p, _Node))

    def walk(self) -> Iterator[_Node]:
        """This element and every element below it, in document order."""
        stack: list[_Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(list(node.children())))

    def text(self) -> str:
        """All the text inside the element, markup removed, ends stripped."""
        out: list[str] = []
        stack: list[str | _Node] = [self]
        while stack:
            part = stack.pop()
            if isinstance(part, str):
                out.append(part)
            else:
                stack.extend(reversed(part.parts))
        return "".join(out).strip()


class _TreeBuilder(ContentHandler):
    """Builds `_Node`s from SAX events, noting each element's line."""

    def __init__(self, source: str) -> None:
        """An empty tree for the file `source`."""
        super().__init__()
        self.source = source
        self.root: _Node | None = None
        self.stack: list[_Node] = []
        self.locator: Locator | None = None

    def line(self) -> int:
        """The line the parser is on."""
        return (self.locator.getLineNumber() or 0) if self.locator else 0

    def setDocumentLocator(self, locator: Locator) -> None:
        """Keep the locator: it gives every element its line."""
        self.locator = locator

    def startElementNS(
        self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl
    ) -> None:
        """Open an element (refused past MAX_DEPTH)."""
        if len(self.stack) >= MAX_DEPTH:
            raise InputError(f"{self.source}:{self.line()}: elements nested too deeply")
        found: dict[str, str] = {}
        for (uri, local), value in attrs.items():
            found["xml:" + local if uri == XML_NS else local] = value
        node = _Node(name[0] or "", name[1], found, self.line())
        if self.stack:
            self.stack[-1].parts.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        """Close the element."""
        self.stack.pop()

    def characters(self, content: str) -> None:
        """Text of the open element."""
        if self.stack:
            self.stack[-1].parts.append(content)

    def skippedEntity(self, name: str) -> None:
        """An entity from a DTD desk does not read: refuse rather than drop text."""
        raise InputError(
            f"{self.source}:{self.line()}: refers to the entity &{name}; from a DTD, "
            "which desk does not read"
        )


def _parse_xml(data: bytes, source: str) -> _Node:
    """The element tree of an XML document, parsed by defusedxml (no entities, no DTD)."""
    handler = _TreeBuilder(source)
    parser = make_parser()
    parser.forbid_dtd = False  # a DOCTYPE naming an external DTD is fine: it is never read
    parser.forbid_entities = True
    parser.forbid_external = False  # then expat skips the external DTD instead of failing
    parser.setFeature(feature_namespaces, True)
    parser.setFeature(feature_external_ges, False)
    parser.setContentHandler(handler)
    stream = InputSource()
    stream.setByteStream(io.BytesIO(data))
    try:
        parser.parse(stream)
    except SAXParseException as exc:
        raise InputError(
            f"{source}:{exc.getLineNumber()}: not well-formed XML ({exc.getMessage()})"
        ) from None
    except EntitiesForbidden:
        raise InputError(
            f"{source}:{handler.line()}: refused: the file declares XML entities "
            "(<!ENTITY> in its DOCTYPE); desk does not expand them"
        ) from None
    except ExternalReferenceForbidden:
        raise InputError(
            f"{source}:{handler.line()}: refused: the file refers to an external resource"
        ) from None
    except DefusedXmlException as exc:
        raise InputError(f"{source}:{handler.line()}: refused: {exc}") from None
    if handler.root is None:
        raise InputError(f"{source}: no XML element")
    return handler.root


def read_tbx(path: Path) -> list[Entry]:
    """The entries of a TBX v2 or v3 file; InputError naming the file (and line) otherwise."""
    return parse_tbx(read_limited(path, MAX_TBX_BYTES), str(path))


def parse_tbx(data: bytes, source: str) -> list[Entry]:
    """The entries of a TBX document's bytes; `source` names it in messages."""
    root = _parse_xml(data, source)
    if root.name not in ("martif", "tbx"):
        raise InputError(
            f"{source}:{root.line}: not a TBX file (the root element is <{root.name}>, "
            "not <tbx> or <martif>)"
        )
    core = {"", root.ns}
    entries: list[Entry] = []
    taken: set[str] = set()
    for node in root.walk():
        if node.name in _CONCEPTS and node.ns in core:
            entry = _concept(node, core, source, taken)
            taken.add(entry.id)
            entries.append(entry)
    return entries


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


def _term(holder: _Node, lang: str, core: set[str]) -> _Term | None:
    """The term of a tig/ntig/termSec, with its administrative status."""
    status = "admitted"
    text = ""
    for node in holder.walk():
        if node.name == "term" and node.ns in core and not text:
            text = node.text()
        elif _category(node, core) in _STATUS:
            value = node.text().lower()
            if value.startswith("preferred"):
                status = "preferred"
            elif value.startswith(_DEPRECATED_WORDS):
                status = "deprecated"
    return _Term(lang, text, status) if text else None


def _concept(concept: _Node, core: set[str], source: str, taken: set[str]) -> Entry:
    """One entry from a termEntry/conceptEntry."""
    raw_id = concept.attrs.get("id", "")
    where = f"{source}:{concept.line} (entry {raw_id or 'without id'})"
    terms: list[_Term] = []
    notes: list[str] = []
    only: list[str] = []
    subjects: list[str] = []
    stack: list[tuple[_Node, str]] = [(concept, "")]
    while stack:
        node, lang = stack.pop()
        if node.name in _LANGS and node.ns in core:
            lang = _language(node)
        if lang not in ("", "en", "ar") or node.name == "transacGrp":
            continue
        category = _category(node, core)
        if node.name in _HOLDERS and node.ns in core and lang:
            term = _term(node, lang, core)
            if term:
                terms.append(term)
        elif category == "subjectField" and node.text():
            subjects.append(node.text())
        elif category in ("definition", "note") and node.text():
            text = node.text()
            if category == "note" and text.startswith(ONLY_WITH_ARABIC):
                only.append(text.removeprefix(ONLY_WITH_ARABIC).strip())
            elif text not in notes:
                notes.append(text)
        stack.extend((child, lang) for child in reversed(list(node.children())))
    english = [t for t in terms if t.lang == "en"]
    canonical = next((t for t in english if t.status == "preferred"), None)
    canonical = canonical or next((t for t in english if t.status != "deprecated"), None)
    if canonical is None:
        what = "only deprecated English terms" if english else "no English term"
        raise InputError(f"{where}: {what}, so no house spelling")
    admitted = [t.text for t in english if t.status != "deprecated" and t is not canonical]
    if admitted:
        notes.append("Admitted: " + "; ".join(admitted))
    kinds = [_KINDS[s.lower()] for s in subjects if s.lower() in _KINDS]
    notes += [f"Subject field: {s}" for s in subjects if s.lower() not in _KINDS]
    table = {
        "canonical": canonical.text,
        "arabic": [t.text for t in terms if t.lang == "ar"],
        "variants": [t.text for t in english if t.status == "deprecated"],
        "kind": str(kinds[0] if kinds else Kind.OTHER),
        "notes": "\n".join(notes),
        "only_with_arabic": only,
    }
    return parse_entry(_entry_id(raw_id, canonical.text, taken), table, source, concept.line)


def _entry_id(raw: str, canonical: str, taken: set[str]) -> str:
    """A valid, unused entry id from a concept's id, else from its canonical spelling."""
    if raw.startswith("_") and ID_PATTERN.match(raw[1:]):
        raw = raw[1:]
    cleaned = raw if ID_PATTERN.match(raw) else re.sub(r"[^a-z0-9_-]+", "-", raw.lower())
    cleaned = cleaned.lstrip("-_")
    if not ID_PATTERN.match(cleaned):
        return new_id(canonical, taken)
    return unique_id(cleaned, taken)


def _check_xml_text(entry: Entry) -> None:
    """InputError if a field holds a character XML 1.0 cannot carry."""
    for name in ("canonical", "arabic", "variants", "notes", "only_with_arabic"):
        value = getattr(entry, name)
        for text in value if isinstance(value, tuple) else (value,):
            bad = _NOT_XML.search(text)
            if bad:
                raise InputError(
                    f"{entry.where()}: {name} has U+{ord(bad.group()):04X}, which XML cannot carry"
                )


def _term_sec(parent: ET.Element, text: str, status: str | None) -> None:
    """Append a termSec with its term and, if given, its administrative status."""
    sec = ET.SubElement(parent, "termSec")
    ET.SubElement(sec, "term").text = text
    if status:
        ET.SubElement(sec, "termNote", {"type": "administrativeStatus"}).text = status


def to_tbx_bytes(entries: Iterable[Entry]) -> bytes:
    """Entries as a TBX v3 TBX-Basic (DCA) document: UTF-8, indented, deterministic."""
    root = ET.Element(
        "tbx", {"type": "TBX-Basic", "style": "dca", f"{{{XML_NS}}}lang": "en", "xmlns": TBX_NS}
    )
    source = ET.SubElement(
        ET.SubElement(ET.SubElement(root, "tbxHeader"), "fileDesc"), "sourceDesc"
    )
    ET.SubElement(source, "p").text = "House glossary exported by desk."
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for entry in entries:
        _check_xml_text(entry)
        # An XML id cannot start with a digit; the reader drops the underscore again.
        concept_id = f"_{entry.id}" if entry.id[:1].isdigit() else entry.id
        concept = ET.SubElement(body, "conceptEntry", {"id": concept_id})
        ET.SubElement(concept, "descrip", {"type": "subjectField"}).text = str(entry.kind)
        if entry.notes:
            ET.SubElement(concept, "note").text = entry.notes
        for form in entry.only_with_arabic:
            ET.SubElement(concept, "note").text = f"{ONLY_WITH_ARABIC} {form}"
        english = ET.SubElement(concept, "langSec", {f"{{{XML_NS}}}lang": "en"})
        _term_sec(english, entry.canonical, _PREFERRED)
        for variant in entry.variants:
            _term_sec(english, variant, _DEPRECATED)
        if entry.arabic:
            arabic = ET.SubElement(concept, "langSec", {f"{{{XML_NS}}}lang": "ar"})
            for form in entry.arabic:
                _term_sec(arabic, form, None)
    ET.indent(root, space="  ")
    # ElementTree leaves a carriage return raw in text, and XML readers turn it into a
    # newline; as a character reference it survives.
    xml = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + _SCHEMAS + xml + "\n").encode("utf-8")


def write_tbx(entries: Iterable[Entry], path: Path) -> None:
    """Write entries as TBX v3 TBX-Basic to `path`, atomically."""
    write_atomic(path, to_tbx_bytes(entries))
