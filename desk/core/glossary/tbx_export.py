"""TBX export: a glossary as TBX-Basic, v3 (DCA style) or v2 (`martif`); import is `tbx`.

Both versions hold the same data the same way: `preferredTerm-admn-sts` on the canonical,
`deprecatedTerm-admn-sts` on each variant, Arabic forms in an `ar` language section, the
kind as `<descrip type="subjectField">`, notes and only_with_arabic forms as `<note>`s.
Only the names differ:

    v3 (ISO 30042:2019)    <tbx>     <tbxHeader>     <conceptEntry>  <langSec>  <termSec>
    v2 (ISO 30042:2008)    <martif>  <martifHeader>  <termEntry>     <langSet>  <tig>

v3 is the current standard; v2 is what older readers take (OmegaT 3.6, translate-toolkit
3.20, which stop at a `<tbx>` root). The same entries always give the same bytes, and
`tbx.read_tbx` reads either back as it was.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from desk.core.atomic import write_atomic
from desk.core.errors import InputError
from desk.core.glossary.model import Entry
from desk.core.glossary.tbx import ONLY_WITH_ARABIC, TBX_NS, XML_NS

VERSIONS = (3, 2)
"""The TBX versions desk writes, the default first."""

# Where the TBX project (LTAC-Global) keeps the schemas a v3 TBX-Basic DCA file is
# checked against, as its own DCA example names them since the 2023 release (1.2.1),
# which deleted the integrated TBX-Basic RNG: the core structure RNG in TBX_Core_RNG,
# and the dialect's Schematron rules.
_V3_SCHEMAS = (
    '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/'
    'master/TBXcoreStructV03.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/'
    'master/DCA/TBX-Basic_DCA.sch" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
)
_PREFERRED = "preferredTerm-admn-sts"
_DEPRECATED = "deprecatedTerm-admn-sts"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SOURCE_DESC = "House glossary exported by desk."


@dataclass(frozen=True)
class _Names:
    """The element names of one TBX version."""

    header: str
    concept: str
    lang: str
    term: str


_V3 = _Names("tbxHeader", "conceptEntry", "langSec", "termSec")
_V2 = _Names("martifHeader", "termEntry", "langSet", "tig")


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


def _term(parent: ET.Element, names: _Names, text: str, status: str | None) -> None:
    """Append a term holder (termSec, tig) with its term and, if given, its status."""
    holder = ET.SubElement(parent, names.term)
    ET.SubElement(holder, "term").text = text
    if status:
        ET.SubElement(holder, "termNote", {"type": "administrativeStatus"}).text = status


def _concepts(body: ET.Element, names: _Names, entries: Iterable[Entry]) -> None:
    """Append one concept per entry to `body`."""
    for entry in entries:
        _check_xml_text(entry)
        # An XML id cannot start with a digit; the reader drops the underscore again.
        concept_id = f"_{entry.id}" if entry.id[:1].isdigit() else entry.id
        concept = ET.SubElement(body, names.concept, {"id": concept_id})
        ET.SubElement(concept, "descrip", {"type": "subjectField"}).text = str(entry.kind)
        if entry.notes:
            ET.SubElement(concept, "note").text = entry.notes
        for form in entry.only_with_arabic:
            ET.SubElement(concept, "note").text = f"{ONLY_WITH_ARABIC} {form}"
        english = ET.SubElement(concept, names.lang, {f"{{{XML_NS}}}lang": "en"})
        _term(english, names, entry.canonical, _PREFERRED)
        for variant in entry.variants:
            _term(english, names, variant, _DEPRECATED)
        if entry.arabic:
            arabic = ET.SubElement(concept, names.lang, {f"{{{XML_NS}}}lang": "ar"})
            for form in entry.arabic:
                _term(arabic, names, form, None)


def to_tbx_bytes(entries: Iterable[Entry], version: int = 3) -> bytes:
    """Entries as a TBX-Basic document, v3 (DCA) or v2: UTF-8, indented, deterministic."""
    lang = {f"{{{XML_NS}}}lang": "en"}
    if version == 3:
        names, prolog = _V3, _V3_SCHEMAS
        root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", **lang, "xmlns": TBX_NS})
    elif version == 2:
        # No DOCTYPE: no reader needs one, and a Java reader left at its defaults would
        # go looking for the DTD file it names, which is not beside the export.
        names, prolog = _V2, ""
        root = ET.Element("martif", {"type": "TBX-Basic-V1", **lang})
    else:
        raise InputError(f"TBX version {version} is not one desk writes (3 or 2)")
    header = ET.SubElement(root, names.header)
    source = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(source, "p").text = _SOURCE_DESC
    if version == 2:
        # TBX-Basic v2 names its data categories (XCS) in the header.
        xcs = ET.SubElement(ET.SubElement(header, "encodingDesc"), "p", {"type": "XCSURI"})
        xcs.text = "TBXBasicXCSV02.xcs"
    _concepts(ET.SubElement(ET.SubElement(root, "text"), "body"), names, entries)
    ET.indent(root, space="  ")
    # ElementTree leaves a carriage return raw in text, and XML readers turn it into a
    # newline; as a character reference it survives.
    xml = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + prolog + xml + "\n").encode("utf-8")


def write_tbx(entries: Iterable[Entry], path: Path, version: int = 3) -> None:
    """Write entries as TBX-Basic v3 (or v2) to `path`, atomically."""
    write_atomic(path, to_tbx_bytes(entries, version))
