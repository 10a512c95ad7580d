"""Turn plain text (headlines, subheadings, paragraphs, credits) into Markdown that renders as text.

Everything that reaches the CMS from an Arabic source or an editor is text, never markup. The
renderers we publish through are Hugo (Goldmark, CommonMark + GFM extensions, shortcodes run
before Markdown) and Jekyll (kramdown in its GFM dialect, Liquid run before Markdown), so the
output must be inert for all of them:

* Inline-significant characters are backslash-escaped everywhere: ``\\ ` * _ [ ] < > { } | ~``.
  All of them are in kramdown-GFM's (much shorter than CommonMark's) escapable set, so a
  backslash never shows up as a stray character in Jekyll.
* Some characters only matter in context and are escaped only there, to keep files readable:
  ``!`` before ``[``; ``$`` in a ``$$`` run (kramdown math); ``#`` at the end of the line (it would
  become part of an ATX heading's optional closing sequence and vanish); and
  block-start triggers at the beginning of the line: ``# > - + = :`` and the ``.``/``)`` of an
  ordered-list marker such as ``1.`` or ``2024)``.
* Characters that kramdown cannot backslash-escape are written as character references,
  which every CommonMark renderer and kramdown decode back to the character: an ``&`` that
  would start an entity reference becomes ``&amp;``, a ``%`` right after ``{`` becomes
  ``&#37;`` (so ``{%`` never appears), and a block consisting of just ``^`` (kramdown's
  end-of-block marker) becomes ``&#94;``.

The same escaping serves front-matter values that a CMS renders as Markdown (Hugo renders a
front-matter ``summary``); `desk.core.export` says which values those are.

Template engines do not understand Markdown escapes, so the output never contains ``{{``,
``{%``, ``%}`` or ``}}``: every brace is preceded by a backslash and a ``%`` after a brace is an
entity. Typographic replacements some renderers apply (smart quotes, ``--`` to a dash) and
linkification of bare URLs change presentation, not text, and are left to the CMS.
"""

from __future__ import annotations

import re

__all__ = ["escape_inline", "heading", "normalize_text", "paragraph"]

# C0 controls other than the ASCII whitespace ones, DEL, and C1 controls other than NEL: they
# have no business in published text, and CommonMark turns U+0000 into U+FFFD, so a NUL would
# not even survive as itself.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")

# ASCII whitespace and the line separators (NEL, U+2028, U+2029): a block is published as one
# line, so line structure from the source cannot survive and must not become a hard break or a
# new block. Other Unicode spaces (NBSP, thin and narrow no-break spaces, ideographic space)
# carry typographic intent in Arabic/English copy and are kept inside the text.
_COLLAPSE_RE = re.compile("[\t\n\v\f\r \x85\u2028\u2029]+")

# Escaped wherever they occur: each can open or close inline markup (code, emphasis, links,
# HTML and autolinks, strikethrough, tables, kramdown attribute lists, template tags), and a
# backslash must be escaped so it cannot escape what follows it.
_ALWAYS = frozenset("\\`*_[]<>{}|~")

# Escaped only as the first character of the block: headings, block quotes, bullet lists,
# thematic breaks and setext underlines, Hugo's TOML front matter fence, and definition lists
# (kramdown and Goldmark). ``*``, ``_``, ``~``, backticks, ``<``, ``[`` and ``|`` are already in
# _ALWAYS.
_LINE_START = frozenset("#>-+=:")

# An ordered-list marker: ASCII digits (not Arabic-Indic ones, which no renderer treats as a
# list) and ``.`` or ``)``, followed by a space or the end of the line.
_ORDERED_LIST_RE = re.compile(r"[0-9]+([.)])(?= |$)")

# What may follow ``&`` in a character reference: ``#`` for numeric ones, or a name ended by
# ``;``. A bare ``&`` (as in "AT&T" or "Smith & Sons") is literal and stays readable.
_ENTITY_TAIL_RE = re.compile(r"#|[A-Za-z0-9]+;")


def normalize_text(text: str) -> str:
    """Text as it will be published: controls removed, whitespace runs collapsed, stripped."""
    text = _CONTROL_RE.sub("", text)
    text = _COLLAPSE_RE.sub(" ", text)
    # str.strip() also drops Unicode spaces (NBSP, U+3000, ...) at the edges: they carry no
    # meaning there and renderers disagree about them (markdown-it trims them, cmark keeps them).
    return text.strip()


def escape_inline(text: str) -> str:
    """Escape text (normalized first) so CommonMark renders it as exactly that text, inline."""
    text = normalize_text(text)
    if text == "^":
        # kramdown reads a line holding only "^" as an end-of-block marker and cannot escape it.
        return "&#94;"
    list_match = _ORDERED_LIST_RE.match(text)
    list_delimiter = list_match.start(1) if list_match else -1
    last = len(text) - 1
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in _ALWAYS or (i == 0 and ch in _LINE_START) or i == list_delimiter:
            out.append("\\" + ch)
        elif ch == "#" and i == last:
            # Otherwise a heading ending in " #" loses it as a closing sequence.
            out.append("\\#")
        elif ch == "!" and text.startswith("[", i + 1):
            # "\[" already prevents an image; escaping the "!" too keeps "![" visibly inert.
            out.append("\\!")
        elif ch == "$" and (text.startswith("$", i + 1) or (i > 0 and text[i - 1] == "$")):
            # kramdown renders $$...$$ as math; a single "$" (prices) is harmless.
            out.append("\\$")
        elif ch == "&" and _ENTITY_TAIL_RE.match(text, i + 1):
            # kramdown has no "\&", so use a reference that every renderer decodes.
            out.append("&amp;")
        elif ch == "%" and i > 0 and text[i - 1] == "{":
            # "\{%" would still contain "{%" for Liquid; kramdown has no "\%" either.
            out.append("&#37;")
        else:
            out.append(ch)
    return "".join(out)


def paragraph(text: str) -> str:
    """A one-line Markdown paragraph rendering as the normalized text ("" when that is empty)."""
    return escape_inline(text)


def heading(text: str, level: int = 2) -> str:
    """An ATX heading line rendering as the normalized text ("" when that is empty)."""
    if not 1 <= level <= 6:
        raise ValueError(f"heading level must be 1 to 6, not {level}")
    body = escape_inline(text)
    if not body:
        # An empty "##" would publish an empty heading element; publish nothing instead.
        return ""
    return "#" * level + " " + body
