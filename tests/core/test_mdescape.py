"""Text escaped by desk.core.mdescape must render back as exactly that text, never as markup."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from desk.core.mdescape import escape_inline, heading, normalize_text, paragraph


def _gfm_like() -> MarkdownIt:
    # linkify needs linkify-it-py, which is not a test dependency; tables and strikethrough
    # (the GFM parts that matter for escaping) stay on, and so does raw HTML.
    return MarkdownIt("gfm-like").disable("linkify")


RENDERERS: dict[str, MarkdownIt] = {
    "commonmark": MarkdownIt("commonmark", {"html": False}),
    "commonmark-html": MarkdownIt("commonmark", {"html": True}),
    "gfm-like": _gfm_like(),
}

TEMPLATE_SEQUENCES = ("{{", "{%", "%}", "}}")

HOSTILE = [
    "<script>alert(1)</script>",
    "<b>bold</b> and <i>italic</i>",
    "<!-- comment -->",
    "---",
    "***",
    "___",
    "- - -",
    "===",
    "# Not a heading",
    "#hashtag",
    "###### six",
    "* not a list",
    "- not a list",
    "+ not a list",
    "+++",
    "> not a quote",
    "1. not a list",
    "1) not a list",
    "2024. A year",
    "1.",
    "3.5 million displaced",
    "[x](y)",
    "![x](y)",
    "[ref]: http://example.com",
    "[^1]",
    "`code`",
    "```",
    "~~~",
    "_emph_",
    "*emph*",
    "**strong**",
    "__strong__",
    "intra*word*emphasis",
    "&amp;",
    "&copy; &#169; &#x41;",
    "AT&T and Smith & Sons",
    "back\\slash",
    "trailing backslash\\",
    "\\*",
    "path\\.txt and C:\\dir\\#1",
    "\\&amp; \\<b\\>",
    "a | b | c",
    "| a | b |",
    "~~strike~~",
    "~single~",
    "<http://example.com>",
    "<me@example.com>",
    "{{< shortcode >}}",
    "{{% shortcode %}}",
    "{{ page.title }}",
    "{% include x.html %}",
    "{{{triple}}}",
    "{%%}",
    "{: .class}",
    "{::comment}",
    "$$x^2$$",
    "Costs $5, not $$",
    "^",
    ": definition",
    "Heading ending in #",
    "C#",
    "###",
    "Ends with hashes ##",
    "trailing spaces   ",
    "line one  \nline two",
    "tabs\tand\ttabs",
    "    indented code",
    "\tindented code",
    "first\n\nsecond",
    "setext\n===",
    "setext\n---",
    "nul\x00byte",
    "bell\x07and\x1bescape\x9b",
    "\u00a0leading and trailing nbsp\u00a0",
    "Arabic: \u0642\u062a\u0644 26 \u0645\u0642\u0627\u062a\u0644\u0627\u064b",
    "bidi \u200fRLM\u200e LRM \u202bembed\u202c \u2067isolate\u2069 zw\u200bsp\u200d",
    "\u0661. Arabic-Indic digit",
    "line\u2028separator\u2029paragraph\x85next",
    "www.example.com and https://example.com",
    "a<<b>>c -- d... \"quoted\" 'single'",
]


def _render_block(md: MarkdownIt, source: str, tag: str) -> str:
    """The text content of `source`, which must render as exactly one `tag` element."""
    rendered = md.render(source)
    if source == "":
        assert rendered == ""
        return ""
    # markdown-it escapes "<" in text, so any "<" inside the element would be a real tag.
    match = re.fullmatch(rf"<{tag}>([^<]*)</{tag}>\n", rendered)
    assert match is not None, f"{source!r} rendered as {rendered!r}"
    return html.unescape(match.group(1))


def _check(text: str) -> None:
    """Both block builders render `text` back to its normalized form under every renderer."""
    expected = normalize_text(text)
    builders: list[tuple[str, Callable[[str], str]]] = [("p", paragraph), ("h2", heading)]
    for tag, build in builders:
        source = build(text)
        assert "\n" not in source
        for sequence in TEMPLATE_SEQUENCES:
            assert sequence not in source, f"{sequence!r} in {source!r}"
        for name, md in RENDERERS.items():
            assert _render_block(md, source, tag) == expected, (name, source)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_text(text: str) -> None:
    _check(text)


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5, 6])
def test_heading_levels(level: int) -> None:
    source = heading("Raid on #Idlib ###", level)
    assert source.startswith("#" * level + " ")
    for md in RENDERERS.values():
        assert _render_block(md, source, f"h{level}") == "Raid on #Idlib ###"


@pytest.mark.parametrize("level", [0, 7, -1])
def test_heading_level_out_of_range(level: int) -> None:
    with pytest.raises(ValueError):
        heading("x", level)


def test_readable_text_is_unchanged() -> None:
    text = "The regime killed 26 fighters, including al-Jazrawi."
    assert paragraph(text) == text
    assert heading(text) == "## " + text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.5 million (UN figures) - 40% of them children; 1,200 homes", None),
        ("Smith & Sons", None),
        ("\u00a0\u0627\u0644\u0644\u0647\u00a0", "\u0627\u0644\u0644\u0647"),
        ("a \u00a0 b", "a \u00a0 b"),
        ("a\tb\r\nc\u2028d\x85e", "a b c d e"),
        ("a\x00b\x01c\x7fd\x9fe", "abcde"),
        ("  \n\t ", ""),
    ],
)
def test_normalize_and_minimal_escaping(text: str, expected: str | None) -> None:
    # None: nothing in the text needs escaping, so it is published as is.
    assert normalize_text(text) == (text if expected is None else expected)
    if expected is None:
        assert paragraph(text) == text


def test_targeted_escapes() -> None:
    assert paragraph("1. First") == "1\\. First"
    assert paragraph("AT&T &amp;") == "AT&T &amp;amp;"
    assert paragraph("{% x %}") == "\\{&#37; x %\\}"
    assert paragraph("C#") == "C\\#"
    assert paragraph("^") == "&#94;"
    assert paragraph("$$") == "\\$\\$"
    assert paragraph(": term") == "\\: term"
    assert paragraph("| a | b |") == "\\| a \\| b \\|"
    assert escape_inline("![a](b)") == "\\!\\[a\\](b)"


def test_empty_text_publishes_nothing() -> None:
    assert paragraph(" \n ") == ""
    assert heading("\t") == ""


# Characters that build Markdown and template syntax, mixed with arbitrary ones so that
# hypothesis actually reaches the hard combinations.
MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list("#*_-+=>`[]()!<>&\\|~{}%. 1\n\tab;$^:")) | st.characters()
)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_property_any_text(text: str) -> None:
    _check(text)


@settings(max_examples=500, deadline=None)
@given(MARKDOWNISH)
def test_property_markdownish_text(text: str) -> None:
    _check(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*HOSTILE, "x", " ", "&", "#", "1", "."]), max_size=6))
def test_property_hostile_combinations(parts: list[str]) -> None:
    _check("".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert escape_inline(once) == escape_inline(text)


BLOCK = st.tuples(st.sampled_from(["p", "h2", "h3"]), MARKDOWNISH | st.sampled_from(HOSTILE))


@settings(max_examples=300, deadline=None)
@given(st.lists(BLOCK, max_size=6))
def test_property_blocks_joined_stay_separate(blocks: list[tuple[str, str]]) -> None:
    # The exporter joins blocks with blank lines; no block may merge with or change its
    # neighbours (setext underlines, lazy continuations, definition lists, tables).
    sources: list[str] = []
    expected: list[str] = []
    for tag, text in blocks:
        source = paragraph(text) if tag == "p" else heading(text, int(tag[1]))
        if source:
            sources.append(source)
            # markdown-it escapes exactly &, <, > and the double quote in text.
            body = html.escape(normalize_text(text), quote=False).replace('"', "&quot;")
            expected.append(f"<{tag}>{body}</{tag}>\n")
    document = "\n\n".join(sources) + "\n"
    for name, md in RENDERERS.items():
        assert md.render(document) == "".join(expected), name
