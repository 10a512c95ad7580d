"""Markdown with YAML front matter for the CMS (Hugo and Jekyll), deterministic and atomic.

Which front-matter values are Markdown and which are text:

* ``summary`` (the standfirst) is Markdown. Hugo renders a front-matter summary with its
  Markdown renderer for ``.Summary`` (with ``markup.goldmark.renderer.unsafe = true`` raw HTML
  in it would reach the page live), and themes pipe it through ``markdownify``. So it gets the
  body's escaping (`mdescape.escape_inline`): rendered, it reads as exactly the standfirst, with
  no backslash left; only a template that prints ``.Params.summary`` without rendering it shows
  the escapes.
* Every other value is text: ``title``, ``tags``/``keywords``, the slug and the story's
  details (source, byline, credit, correction notes...). Hugo and Jekyll never render them as
  Markdown and their templates HTML-escape them (``{{ .Title }}``, ``{{ page.title | escape }}``),
  and they also reach places no Markdown renderer runs (``<title>``, feeds, taxonomy pages), so
  Markdown escapes would show there as stray backslashes. A theme that pipes the title through
  ``markdownify`` treats text as Markdown on its own account; the credit and correction notes
  also appear in the body, escaped there.

Where the fields go, so that the CMSs read them:

* Everything is at the top level of the front matter, in both profiles. Hugo reads unknown
  top-level keys into ``.Params`` in every version; a ``params:`` map is merged into ``.Params``
  only since 0.123, and Hugo 0.111 (Debian bookworm's) leaves ``.Params.editors`` empty, with
  no warning.
* Jekyll posts name ``layout: post``, the post layout of minima (a stock ``jekyll new`` site)
  and most themes; without it a post is built as a bare fragment. They carry the standfirst as
  ``description`` too, which minima's jekyll-seo-tag reads (``summary`` it ignores).
  jekyll-seo-tag renders ``description`` as Markdown, so it is escaped like ``summary``; it
  renders the title as Markdown too, for ``<title>`` and its meta tags only, and strips tags
  from it, so there a title loses what looks like HTML (never run as HTML).

YAML: a string that a CMS's YAML parser would read as something else is quoted. PyYAML quotes
what YAML 1.1 types, but Hugo 0.111 (go-yaml v2) also reads ``y``/``n`` as booleans and
``1e3`` as a number, and Jekyll (Ruby's Psych) reads ``1,000`` and ``01:30`` as numbers,
``yEs`` as a boolean and ``:x`` as a symbol, which Jekyll's safe loader refuses outright.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from desk.core.atomic import write_atomic
from desk.core.errors import InputError
from desk.core.mdescape import escape_inline, heading, normalize_text, paragraph
from desk.core.store import Revision
from desk.core.story import RevisionKind, Role, Story, StoryStatus

PROFILES = ("hugo", "jekyll")


# Plain scalars some CMS's YAML parser types (see the module docstring): anything starting like
# a number, date or time, a boolean or null word in any case, a Ruby symbol.
_TYPED_RE = re.compile(r"[-+]?\.?[0-9]|:|(?i:y|n|yes|no|true|false|on|off|null|~)$")


class _FrontMatterDumper(yaml.SafeDumper):
    """A YAML dumper for every CMS's parser: strings quoted wherever one of them would type
    them, repeated values written out in full, never as &anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        """CMS front-matter parsers vary in alias support, so never use them."""
        return True

    def represent_str(self, data: str) -> yaml.ScalarNode:
        """A string, single-quoted when some CMS would read it plain as another type."""
        if _TYPED_RE.match(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return super().represent_str(data)


_FrontMatterDumper.add_representer(str, _FrontMatterDumper.represent_str)


# Changes by people. A glossary fix is authored by "glossary" (the person who asked is in
# its note) and machine drafts are credited under `engine`, so neither makes an editor.
TEXT_CHANGES = (RevisionKind.EDIT, RevisionKind.CORRECTION)


@dataclass(frozen=True)
class Correction:
    """A published correction: when it was opened and what it says."""

    at: str
    note: str


@dataclass(frozen=True)
class Export:
    """One rendered export: the file name and its exact bytes."""

    filename: str
    content: bytes


def zone(name: str) -> ZoneInfo:
    """The time zone `name` (IANA, e.g. Asia/Damascus); InputError names it if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {name!r}; use an IANA name like UTC") from None


def people(story: Story, revisions: Sequence[Revision]) -> tuple[str, list[str]]:
    """The translator (who imported the story) and editors (others who changed or approved it)."""
    translator = next((r.author for r in revisions if r.kind == RevisionKind.IMPORT), "")
    editors: list[str] = []
    for rev in revisions:
        changed_text = rev.segment_n is not None and rev.kind in TEXT_CHANGES
        approved = rev.segment_n is None and rev.after == StoryStatus.APPROVED.value
        if (changed_text or approved) and rev.author not in editors and rev.author != translator:
            editors.append(rev.author)
    return translator, editors


def corrections(revisions: Sequence[Revision]) -> list[Correction]:
    """Every correction opened on the story, oldest first."""
    return [
        Correction(rev.at, rev.note)
        for rev in revisions
        if rev.kind == RevisionKind.CORRECTION and rev.segment_n is None
    ]


def engines(story: Story) -> list[str]:
    """Where the drafts came from, e.g. `import: draft.en.md`, each listed once."""
    seen: list[str] = []
    for seg in story.segments:
        if seg.engine:
            label = f"{seg.engine}: {seg.model}" if seg.model else seg.engine
            if label not in seen:
                seen.append(label)
    return seen


def glossaries(revisions: Sequence[Revision]) -> list[str]:
    """The glossary versions whose fixes the story carries, each listed once."""
    seen: list[str] = []
    for rev in revisions:
        if rev.kind != RevisionKind.GLOSSARY:
            continue
        try:
            version = json.loads(rev.note).get("glossary", "")
        except (ValueError, AttributeError):
            continue
        if isinstance(version, str) and version and version not in seen:
            seen.append(version)
    return seen


def build(story: Story, revisions: Sequence[Revision], profile: str, tz: str = "UTC") -> Export:
    """Render a story for a CMS profile; the same story and log always give the same bytes."""
    if profile not in PROFILES:
        raise InputError(f"unknown export profile {profile!r}; use one of {', '.join(PROFILES)}")
    zinfo = zone(tz)
    moment = datetime.fromisoformat(story.published_at or story.updated_at).astimezone(zinfo)
    translator, editors = people(story, revisions)
    fixes = corrections(revisions)
    published = story.status == StoryStatus.PUBLISHED
    title = normalize_text(story.headline_en)
    tags = [normalize_text(k) for k in story.keywords]
    # Markdown in the CMS (see the module docstring): escaped as the body is.
    summary = escape_inline(story.standfirst)
    details: dict[str, Any] = {
        "lang": "en",
        "source": normalize_text(story.outlet),
        "source_url": normalize_text(story.source_url),
        "source_date": story.source_date,
        "source_byline": normalize_text(story.byline),
        "translator": translator,
        "editors": editors,
        "credit": normalize_text(story.credit),
        "engine": engines(story),
        "glossary": glossaries(revisions),
        "corrections": [
            {"date": _local(fix.at, zinfo), "note": normalize_text(fix.note)} for fix in fixes
        ],
    }
    if not details["glossary"]:
        del details["glossary"]
    front: dict[str, Any] = {"title": title, "date": moment.isoformat(timespec="seconds")}
    if fixes:
        updated = datetime.fromisoformat(story.updated_at).astimezone(zinfo)
        front["lastmod"] = updated.isoformat(timespec="seconds")
    front["slug"] = story.slug
    if profile == "hugo":
        front |= {"draft": not published, "summary": summary}
        filename = f"{story.slug}.md"
    else:
        # Layout first, as `jekyll new` writes it; description for jekyll-seo-tag.
        front = {"layout": "post"} | front
        front |= {"published": published, "lang": details.pop("lang"), "summary": summary}
        front["description"] = summary
        filename = f"{moment.date().isoformat()}-{story.slug}.md"
    front |= {"tags": tags, "keywords": tags, "translationKey": story.slug} | details
    matter = yaml.dump(
        front,
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
    )
    text = f"---\n{matter}---\n\n{body(story, fixes, zinfo)}"
    return Export(filename, text.encode("utf-8"))


def body(story: Story, fixes: Sequence[Correction], zinfo: ZoneInfo) -> str:
    """The story's English as Markdown: paragraphs, subheadings, corrections, credit, keywords."""
    blocks: list[str] = []
    current: list[str] = []
    current_paragraph = -1
    for seg in story.segments:
        if seg.role == Role.HEADLINE:
            continue
        if seg.paragraph != current_paragraph and current:
            blocks.append(paragraph(" ".join(current)))
            current = []
        current_paragraph = seg.paragraph
        if seg.role == Role.SUBHEADING:
            if normalize_text(seg.text):
                blocks.append(heading(seg.text, 2))
        elif normalize_text(seg.text):
            current.append(seg.text)
    if current:
        blocks.append(paragraph(" ".join(current)))
    for fix in fixes:
        blocks.append(f"**Correction ({_local(fix.at, zinfo)}):** " + paragraph(fix.note))
    if normalize_text(story.credit):
        blocks.append(paragraph(story.credit))
    if story.keywords:
        blocks.append(paragraph("Helpful keywords: " + ", ".join(story.keywords)))
    return "\n\n".join(blocks) + "\n"


def _local(at: str, zinfo: ZoneInfo) -> str:
    """A stored UTC time as a calendar date in the export's time zone."""
    return datetime.fromisoformat(at).astimezone(zinfo).date().isoformat()


def write_export(folder: Path, export: Export) -> Path:
    """Write the export into `folder` whole or not at all (`atomic.write_atomic`); a file
    name that is not one plain name in `folder` (a slug such as `../x`) is refused."""
    name = export.filename
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise InputError(f"{name!r} is not a file name desk writes: export refused")
    target = folder / name
    write_atomic(target, export.content)
    return target
