"""TBX export: a glossary as TBX v3, TBX-Basic, DCA style (import is `tbx`).

`preferredTerm-admn-sts` on the canonical, `deprecatedTerm-admn-sts` on each variant,
Arabic forms in an `ar` langSec, the kind as `<descrip type="subjectField">`, notes and
only_with_arabic forms as `<note>`s. The same entries always give the same bytes, and
`tbx.read_tbx` reads them back as they were.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from desk.core.atomic import write_atomic
from desk.core.errors import InputError
from desk.core.glossary.model import Entry
from desk.core.glossary.tbx import ONLY_WITH_ARABIC, TBX_NS, XML_NS

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
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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
