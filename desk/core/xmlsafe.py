"""Reading XML from outside (TBX glossaries, TMX memories) with defusedxml's rules.

The readers stream a file through expat a chunk at a time. This module holds what they
share: the parser's guard against entities (`refuse_entities`), the chunks of a stream
up to a size cap (`chunks`), and expat's errors as InputError naming the file and line
(`feed`). What each format counts and caps (elements, depth, entries) is its reader's.
"""

from __future__ import annotations

import pyexpat
from collections.abc import Iterator
from typing import Protocol

from desk.core.errors import InputError

CHUNK_BYTES = 1024 * 1024
"""How much of a file is read and parsed at a time."""


class Readable(Protocol):
    """What the readers read from: a binary file, standard input, a checking wrapper."""

    def read(self, size: int, /) -> bytes:
        """Up to `size` bytes; b"" at the end."""
        ...


def refuse_entities(parser: pyexpat.XMLParserType, source: str) -> None:
    """Make `parser` refuse what defusedxml forbids: a file that declares entities
    (billion laughs, external entities) never gets one expanded. An external DTD is
    named but never read (the handler says "done" without opening anything), and an
    entity it would have defined is refused where it is used. `source` names the file
    in the messages."""

    def declared(*args: object) -> None:
        raise InputError(
            f"{source}:{parser.CurrentLineNumber}: refused: the file declares XML entities "
            "(<!ENTITY> in its DOCTYPE); desk does not expand them"
        )

    def skipped(name: str, is_parameter_entity: bool) -> None:
        raise InputError(
            f"{source}:{parser.CurrentLineNumber}: refers to the entity &{name}; from a DTD, "
            "which desk does not read"
        )

    parser.EntityDeclHandler = declared
    parser.UnparsedEntityDeclHandler = declared
    parser.ExternalEntityRefHandler = lambda *args: 1
    parser.SkippedEntityHandler = skipped
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE)


def chunks(
    stream: Readable, source: str, max_bytes: int, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[bytes]:
    """The stream's bytes a chunk at a time, then one empty chunk (the end); InputError
    once more than `max_bytes` have come, or when the stream cannot be read."""
    size = 0
    while True:
        try:
            chunk = stream.read(chunk_bytes)
        except OSError as exc:
            raise InputError(f"{source}: cannot read ({exc.strerror})") from None
        size += len(chunk)
        if size > max_bytes:
            raise InputError(f"{source}: larger than {max_bytes // 2**20} MiB")
        yield chunk
        if not chunk:
            return


def feed(parser: pyexpat.XMLParserType, chunk: bytes, source: str) -> None:
    """Parse one chunk (the empty one ends the document); XML that is not well-formed
    is an InputError naming the file and line."""
    try:
        parser.Parse(chunk, not chunk)
    except pyexpat.ExpatError as exc:
        what = pyexpat.ErrorString(exc.code)
        raise InputError(f"{source}:{exc.lineno}: not well-formed XML ({what})") from None
