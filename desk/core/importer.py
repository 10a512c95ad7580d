"""Reading an Arabic source (plain text or Markdown) and an optional English draft into a Story."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from desk.core.align import AlignmentError, align_paragraphs, align_sentences
from desk.core.errors import InputError
from desk.core.segment import Block, parse_document, split_sentences
from desk.core.slugs import check_slug, slug_from_text
from desk.core.story import Role, Segment, SegmentStatus, Story

MAX_IMPORT_BYTES = 2 * 1024 * 1024
"""Largest file desk imports: a long news story is well under 100 KB."""

FRONT_MATTER_KEYS = (
    "slug",
    "outlet",
    "source_url",
    "date",
    "byline",
    "keywords",
    "standfirst",
    "credit",
)


def read_text_file(path: Path, what: str = "file") -> str:
    """Read a UTF-8 text file, refusing missing, huge, binary, non-UTF-8 or empty ones."""
    if not path.exists():
        raise InputError(f"{path}: no such {what}")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise InputError(
            f"{path}: {size / 1024 / 1024:.1f} MiB is over the import limit of "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MiB; is this really one story?"
        )
    data = path.read_bytes()
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(f"{path}: line {line}: binary data (NUL byte); expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); save the file as UTF-8 and import again"
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return text


@dataclass
class FrontMatter:
    """Story metadata from a YAML block at the top of the source file."""

    values: dict[str, Any] = field(default_factory=dict)
    body_line: int = 1
    """The file line where the text after the front matter starts."""


def _bad_value_line(lines: list[str]) -> int:
    """The file line (front matter starts on line 2) of the first value YAML cannot build."""
    for number, line in enumerate(lines, start=2):
        try:
            yaml.safe_load(line)
        except (ValueError, OverflowError, yaml.YAMLError):
            return number
    return 2


def split_front_matter(path: Path, text: str) -> tuple[FrontMatter, str]:
    """Separate an optional `---` YAML block from the body; errors name file and line."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return FrontMatter(), text
    end = next(
        (i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "...")), 0
    )
    if not end:
        raise InputError(f"{path}: line 1: front matter opened with --- is never closed")
    try:
        values = yaml.safe_load("".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}" if mark is not None else "front matter"
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{path}: {where}: invalid front matter: {problem}") from None
    except (ValueError, OverflowError) as exc:  # a date YAML reads but cannot build
        raise InputError(
            f"{path}: line {_bad_value_line(lines[1:end])}: invalid front matter value: {exc}"
        ) from None
    except RecursionError:  # [[[[... or {a: {a: ... thousands deep
        raise InputError(
            f"{path}: front matter: nested too deeply (its values are text or lists of text)"
        ) from None
    if not isinstance(values, dict):
        raise InputError(f"{path}: line 2: front matter must be a mapping of key: value")
    for number, line in enumerate(lines[1:end], start=2):
        key = line.split(":", 1)[0].strip()
        if line[:1].strip() and ":" in line and key not in FRONT_MATTER_KEYS:
            raise InputError(
                f"{path}: line {number}: unknown front matter key {key!r} "
                f"(known: {', '.join(FRONT_MATTER_KEYS)})"
            )
    return FrontMatter(values, end + 2), "".join(lines[end + 1 :])


@dataclass
class ImportOptions:
    """What the person importing said on the command line (None = not given)."""

    slug: str | None = None
    outlet: str | None = None
    source_url: str | None = None
    date: str | None = None
    byline: str | None = None
    keywords: list[str] | None = None
    standfirst: str | None = None
    credit: str | None = None
    draft: Path | None = None


@dataclass
class ImportResult:
    """A story ready to store, plus notes on how the draft was aligned."""

    story: Story
    notes: list[str]


def load_source(
    path: Path,
    options: ImportOptions,
    default_credit: str,
    house_spelling: Callable[[str, str], str] | None = None,
) -> ImportResult:
    """Read, parse, segment and (with a draft) align one story; nothing is stored here.

    Without a slug given, it is made from the English headline as `house_spelling`
    (English, Arabic) writes it (the glossary's listed spellings), else from the Arabic.
    """
    text = read_text_file(path, "source file")
    front, body = split_front_matter(path, text)
    blocks = parse_document(body, first_line=front.body_line)
    if not blocks:
        raise InputError(f"{path}: no text after the front matter")
    meta = front.values

    def pick(name: str, given: str | None, key: str | None = None) -> str:
        value = given if given is not None else meta.get(key or name, "")
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str | int | float):
            raise InputError(f"{path}: front matter {key or name!r} must be text")
        return str(value).strip()

    source_date = pick("date", options.date)
    if source_date:
        source_date = _check_date(source_date, path)
    keywords = options.keywords if options.keywords is not None else meta.get("keywords", [])
    if isinstance(keywords, str):
        keywords = [k for k in re.split(r"[,،]", keywords)]
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise InputError(f"{path}: front matter 'keywords' must be a list of text")

    segments = _segments(blocks)
    notes: list[str] = []
    if options.draft is not None:
        notes = _apply_draft(options.draft, blocks, segments)
    slug = pick("slug", options.slug)
    if slug:
        try:
            check_slug(slug)
        except InputError as exc:
            if options.slug is not None:  # given on the command line: the message is enough
                raise
            raise InputError(f"{path}: front matter 'slug': {exc}") from None
    else:
        headline_en = segments[0].text if segments[0].role == Role.HEADLINE else ""
        if headline_en and house_spelling is not None:
            headline_en = house_spelling(headline_en, segments[0].source)
        slug = slug_from_text(headline_en or blocks[0].text, source_date)
    story = Story(
        slug=slug,
        headline_ar=blocks[0].text,
        standfirst=pick("standfirst", options.standfirst),
        outlet=pick("outlet", options.outlet),
        source_url=pick("source_url", options.source_url),
        source_date=source_date,
        byline=pick("byline", options.byline),
        keywords=[k.strip() for k in keywords if k.strip()],
        credit=pick("credit", options.credit) or default_credit,
        source_file=path.name,
        segments=segments,
    )
    return ImportResult(story, notes)


def _check_date(value: str, path: Path) -> str:
    """Accept an ISO date or date-time; say what is wrong otherwise."""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"{path}: date {value!r} is not an ISO date like 2015-05-16") from None


def _segments(blocks: list[Block]) -> list[Segment]:
    """One segment per headline or subheading, one per sentence of each paragraph."""
    segments: list[Segment] = []
    for paragraph, block in enumerate(blocks):
        pieces = [block.text] if block.role != Role.BODY else split_sentences(block.text, "ar")
        for piece in pieces:
            segments.append(
                Segment(n=len(segments) + 1, paragraph=paragraph, role=block.role, source=piece)
            )
    return segments


def _english(text: str, wanted: int) -> list[str]:
    """English sentences of a draft paragraph, split at `;` too when the Arabic split at `؛`."""
    sentences = split_sentences(text, "en")
    if len(sentences) >= wanted:
        return sentences
    # MT renders the Arabic semicolon as `;`, which is no sentence end in English.
    finer = [part for s in sentences for part in re.split(r"(?<=;)\s+", s) if part]
    return finer if abs(len(finer) - wanted) < abs(len(sentences) - wanted) else sentences


def _apply_draft(draft_path: Path, blocks: list[Block], segments: list[Segment]) -> list[str]:
    """Align an English draft to the segments, paragraph by paragraph; returns notes."""
    draft_text = read_text_file(draft_path, "draft file")
    draft_front, draft_body = split_front_matter(draft_path, draft_text)
    draft_blocks = parse_document(draft_body, first_line=draft_front.body_line)
    try:
        pairs = align_paragraphs(blocks, draft_blocks, draft_name=draft_path.name)
    except AlignmentError as exc:
        raise InputError(f"{draft_path}: cannot align the draft: {exc}") from None
    notes: list[str] = []
    by_paragraph: dict[int, list[Segment]] = {}
    for seg in segments:
        by_paragraph.setdefault(seg.paragraph, []).append(seg)
    for paragraph, (_, draft_block) in enumerate(pairs):
        segs = by_paragraph[paragraph]
        if len(segs) == 1:
            texts = [" ".join(draft_block.text.split())]
        else:
            aligned = align_sentences(
                [s.source for s in segs], _english(draft_block.text, len(segs))
            )
            texts = aligned.texts
            notes.extend(
                f"paragraph {paragraph} (draft line {draft_block.line}): {note}"
                for note in aligned.notes
            )
        for seg, text in zip(segs, texts, strict=True):
            seg.draft = seg.text = text
            seg.engine = "import"
            seg.model = draft_path.name
            seg.status = SegmentStatus.DRAFT
    return notes
