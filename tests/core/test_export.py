"""Markdown export: hostile text reaches the CMS as text; files are deterministic and atomic."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from desk.core.errors import InputError
from desk.core.export import Export, build, write_export
from desk.core.mdescape import normalize_text
from desk.core.story import Role, Segment, SegmentStatus, Story, StoryStatus

HOSTILE = [
    "<script>alert('x')</script>",
    "---",
    "# not a heading",
    "* not a list",
    "[x](y)",
    "![img](http://example.com/a.png)",
    "{{< shortcode >}} and {% liquid %}",
    "a | b | c",
    "&amp; &#60; entity",
    "1. not a list",
    "> not a quote",
    "`code` and **bold** and _em_",
    "trailing backslash \\",
]


def make_story(
    paragraphs: list[list[str]],
    headline: str = "Headline",
    sub: str = "",
    standfirst: str = "A summary",
) -> Story:
    """A published story whose body paragraphs hold the given sentences."""
    segments = [Segment(1, 0, Role.HEADLINE, "عنوان", text=headline)]
    for p, sentences in enumerate(paragraphs, start=1):
        if sub and p == 2:
            segments.append(
                Segment(len(segments) + 1, 2 * p - 1, Role.SUBHEADING, "عنوان فرعي", text=sub)
            )
        for sentence in sentences:
            segments.append(Segment(len(segments) + 1, 2 * p, Role.BODY, "جملة.", text=sentence))
    for seg in segments:
        seg.status = SegmentStatus.CONFIRMED
    return Story(
        slug="hostile",
        headline_ar="عنوان",
        status=StoryStatus.PUBLISHED,
        standfirst=standfirst,
        keywords=["Lattakia", "al-Akrad mountain"],
        credit="Translated and edited by The Syrian Observer",
        updated_at="2015-05-17T06:00:00+00:00",
        published_at="2015-05-17T06:00:00+00:00",
        segments=segments,
    )


def split(export: Export) -> tuple[dict[str, object], str]:
    """The parsed front matter and the Markdown body of an export."""
    text = export.content.decode("utf-8")
    assert text.startswith("---\n")
    matter, body = text[4:].split("\n---\n", 1)
    data = yaml.safe_load(matter)
    assert isinstance(data, dict)
    return data, body


def rendered_blocks(body: str) -> list[tuple[str, str]]:
    """(tag, text) of each top-level block CommonMark (HTML off) renders from the body."""
    out = MarkdownIt("commonmark", {"html": False}).render(body)
    blocks = re.findall(r"<(p|h2)>(.*?)</\1>\n", out, flags=re.S)
    assert "".join(f"<{t}>{x}</{t}>\n" for t, x in blocks) == out, out
    return [
        (tag, html.unescape(re.sub(r"<strong>(.*?)</strong>", r"\1", text))) for tag, text in blocks
    ]


def rendered_summary(summary: object) -> str:
    """The text a CMS shows for a front-matter summary rendered as Markdown with raw HTML on."""
    assert isinstance(summary, str)
    out = MarkdownIt("commonmark", {"html": True}).render(summary)
    if not out:
        return ""
    match = re.fullmatch(r"<p>([^<>]*)</p>\n", out)
    assert match, f"summary {summary!r} renders as markup: {out!r}"
    return html.unescape(match.group(1))


def expected_blocks(story: Story, sub: str) -> list[tuple[str, str]]:
    """What the CMS must show for `make_story`'s story: its text, normalized, block by block."""
    blocks: list[tuple[str, str]] = []
    by_paragraph: dict[int, list[str]] = {}
    for seg in story.segments:
        if seg.role == Role.SUBHEADING and normalize_text(seg.text):
            blocks.append(("h2", normalize_text(seg.text)))
        elif seg.role == Role.BODY:
            by_paragraph.setdefault(seg.paragraph, []).append(seg.text)
            if len(by_paragraph[seg.paragraph]) == 1:
                blocks.append(("p", str(seg.paragraph)))
    resolved = []
    for tag, text in blocks:
        if tag == "p":
            joined = normalize_text(" ".join(by_paragraph[int(text)]))
            if joined:
                resolved.append(("p", joined))
        else:
            resolved.append((tag, text))
    return [
        *resolved,
        ("p", story.credit),
        ("p", "Helpful keywords: Lattakia, al-Akrad mountain"),
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_published_as_text(text: str) -> None:
    """Each hostile string, as headline, subheading and sentence, comes back as itself."""
    story = make_story([["Before.", text], [text]], headline=text, sub=text, standfirst=text)
    front, body = split(build(story, [], "hugo"))
    assert front["title"] == normalize_text(text)
    assert rendered_summary(front["summary"]) == normalize_text(text)
    assert rendered_blocks(body) == expected_blocks(story, text)
    assert "{{" not in body and "{%" not in body


sentence = (
    st.text(max_size=80)
    | st.sampled_from(HOSTILE)
    | st.text(alphabet=st.sampled_from(list("#*_-+=>`[]()!<>&\\|~{}%.: 1\n\tab-")), max_size=30)
)


@settings(max_examples=300, deadline=None)
@given(
    paragraphs=st.lists(st.lists(sentence, min_size=1, max_size=3), min_size=1, max_size=4),
    headline=sentence,
    sub=sentence,
    standfirst=sentence,
    profile=st.sampled_from(["hugo", "jekyll"]),
)
def test_property_any_text_survives_export(
    paragraphs: list[list[str]], headline: str, sub: str, standfirst: str, profile: str
) -> None:
    """For any text, front matter parses back, the summary renders (raw HTML on) as exactly
    the standfirst and the rendered body is exactly that text."""
    story = make_story(paragraphs, headline=headline, sub=sub, standfirst=standfirst)
    front, body = split(build(story, [], profile))
    assert front["title"] == normalize_text(headline)
    assert rendered_summary(front["summary"]) == normalize_text(standfirst)
    assert rendered_blocks(body) == expected_blocks(story, sub)
    for sequence in ("{{", "{%", "%}", "}}"):
        assert sequence not in body


def test_export_is_deterministic_and_profiles_differ() -> None:
    """The same story renders to the same bytes; Jekyll names the layout and dates the name."""
    story = make_story([["One.", "Two."]])
    first, second = build(story, [], "hugo"), build(story, [], "hugo")
    assert first == second
    assert first.filename == "hostile.md"
    hugo, _ = split(first)
    assert list(hugo)[:5] == ["title", "date", "slug", "draft", "summary"]
    jekyll = build(story, [], "jekyll", tz="Asia/Damascus")
    assert jekyll.filename == "2015-05-17-hostile.md"
    front, _ = split(jekyll)
    assert list(front)[:2] == ["layout", "title"] and front["layout"] == "post"
    assert front["date"] == "2015-05-17T09:00:00+03:00"
    assert front["published"] is True and "draft" not in front


# The fields DESIGN.md promises, with what a theme reads for each.
DESIGN_FIELDS = ["title", "date", "slug", "source", "source_url", "translator", "editors"]
DESIGN_FIELDS += ["tags", "keywords", "summary", "credit", "engine"]


@pytest.mark.parametrize("profile", ["hugo", "jekyll"])
def test_every_field_is_at_the_top_level(profile: str) -> None:
    """Every field is a top-level key, where Hugo 0.111 and later and Jekyll all read it:
    no `params:` map (Hugo merges one into .Params only since 0.123)."""
    story = make_story([["One."]])
    story.outlet, story.byline, story.source_url = "Enab Baladi", "فريق التحرير", "https://e.org/a"
    front, _ = split(build(story, [], profile))
    assert "params" not in front
    for key in DESIGN_FIELDS:
        assert key in front, key
    assert front["source"] == "Enab Baladi" and front["source_byline"] == "فريق التحرير"
    assert front["lang"] == "en" and front["editors"] == [] and front["tags"] == story.keywords


def test_jekyll_description_is_the_summary() -> None:
    """jekyll-seo-tag reads `description` (as Markdown, like Hugo's summary), not `summary`."""
    story = make_story([["One."]], standfirst="Aircraft struck <b>Douma</b> at 6 * 2")
    front, _ = split(build(story, [], "jekyll"))
    assert front["description"] == front["summary"]
    assert rendered_summary(front["description"]) == "Aircraft struck <b>Douma</b> at 6 * 2"


# Plain scalars that a CMS's YAML parser types, independent of desk's own rule: the YAML 1.2
# core schema (Hugo 0.123 and later), go-yaml v2's YAML 1.1 booleans (Hugo 0.111), and Ruby
# Psych's scalar scanner (Jekyll): booleans in any case, numbers with commas, sexagesimal
# numbers, symbols.
FOREIGN = [
    re.compile(pattern)
    for pattern in (
        r"null|Null|NULL|~|",
        r"true|True|TRUE|false|False|FALSE",
        r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+",
        r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        r"y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF",
        r"(?i:yes|true|on|no|false|off)",
        r"[-+]?[0-9][0-9_,]*(\.[0-9_,]*)?([eE][-+][0-9]+)?|[-+]?\.[0-9]+([eE][-+][0-9]+)?",
        r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?",
        r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?",
        r":.+",
    )
]

TYPED = ["N", "y", "yEs", "OFF", "1e3", "+1e3", "1.0e3", "-.5", "0o17", "1,000", "01:30", ":x"]
TYPED += ["2015-03-08", "12", "true", "~", "null", ".inf", "0x1F", "3.5 thousand"]


def emitted_tag(text: str) -> str:
    """How the front matter writes a keyword `text` (the scalar as it stands in the file)."""
    story = make_story([["One."]])
    story.keywords = [text]
    matter = build(story, [], "hugo").content.decode("utf-8")
    return matter.split("\ntags:\n- ", 1)[1].split("\n", 1)[0]


@settings(max_examples=300, deadline=None)
@given(
    text=st.sampled_from(TYPED)
    | st.text(alphabet=st.sampled_from(list("0123456789.,:+-_eEoxyYnN~ Tt")), max_size=12)
)
def test_property_no_cms_reads_a_string_as_another_type(text: str) -> None:
    """A text value is quoted wherever any of the CMSs' YAML parsers would read it as a
    number, boolean, date, null or symbol, and reads back as itself."""
    text = normalize_text(text)
    scalar = emitted_tag(text)
    if not scalar.startswith(("'", '"')):
        typed = [p.pattern for p in FOREIGN if p.fullmatch(scalar)]
        assert typed == [], f"{text!r} is written plain as {scalar!r}, typed by {typed}"
    assert yaml.safe_load(scalar) == text


def test_typed_looking_text_is_quoted() -> None:
    """The strings that Hugo 0.111 and Jekyll misread in real builds are written quoted."""
    for text in TYPED[:-1]:
        assert emitted_tag(text) == f"'{text}'", text
    assert emitted_tag("Lattakia") == "Lattakia"


def test_unknown_profile_and_zone_are_named() -> None:
    """A bad profile or time zone is an InputError naming it."""
    from desk.core.errors import InputError

    story = make_story([["One."]])
    with pytest.raises(InputError, match="'wordpress'"):
        build(story, [], "wordpress")
    with pytest.raises(InputError, match="'Mars/Olympus'"):
        build(story, [], "hugo", tz="Mars/Olympus")


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while writing leaves the old file intact and no temporary file behind."""
    target_dir = tmp_path / "site"
    first = write_export(target_dir, Export("story.md", b"old version\n"))
    assert first.read_bytes() == b"old version\n"

    import desk.core.atomic as atomic

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(InputError, match=r"story\.md: cannot write \(No space left on device"):
        write_export(target_dir, Export("story.md", b"new version\n"))
    assert first.read_bytes() == b"old version\n"
    assert sorted(p.name for p in target_dir.iterdir()) == ["story.md"]


def test_exports_are_readable_as_the_umask_says(tmp_path: Path) -> None:
    """A new export gets 0666 less the umask (a CMS user can read it); a rewrite keeps the mode."""
    import os

    old_umask = os.umask(0o022)
    try:
        target = write_export(tmp_path, Export("story.md", b"one\n"))
        assert target.stat().st_mode & 0o777 == 0o644
        target.chmod(0o640)
        write_export(tmp_path, Export("story.md", b"two\n"))
        assert target.stat().st_mode & 0o777 == 0o640
        assert target.read_bytes() == b"two\n"
    finally:
        os.umask(old_umask)


@pytest.mark.parametrize("name", ["../../../pwn.md", "a/b.md", "..", "", "x\\..\\y.md"])
def test_export_never_writes_outside_its_folder(tmp_path: Path, name: str) -> None:
    """Whatever the file name (a slug tampered in the database reads as damage before
    this; this is the second line), nothing is written outside the folder, or in it."""
    folder = tmp_path / "site" / "a" / "b"
    with pytest.raises(InputError, match="not a file name desk writes"):
        write_export(folder, Export(name, b"pwned\n"))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
