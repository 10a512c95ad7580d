"""Real Jekyll builds of desk's exports in a stock site: what `jekyll new` makes (the minima
theme, jekyll-seo-tag, jekyll-feed), its sample post removed and desk's exports in `_posts`.
`.ci/run` installs Debian's jekyll and jekyll-theme-minima; without them the tests skip.

The samples come out as whole minima pages: the title, the date, every paragraph and
subheading of the body in order, the standfirst as the meta description, listed on the home
page and in the feed. One page of the site, added by the test, prints every front-matter field
of every post, so each must reach Jekyll with the value desk wrote.

Hostile stories build to pages where story text is only text: no script, frame, image, style
or event handler from it, and the title, standfirst, tags and body read as typed.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime
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
    build_jekyll,
    expected_field,
    front_matter,
    jekyll_missing,
    live_markup,
    plain,
    publish_hostile,
    publish_samples,
    unavailable,
)

ISO = "%Y-%m-%dT%H:%M:%S%:z"

TEXT_FIELDS = ["translationKey", "source", "source_url", "source_date", "source_byline"]
TEXT_FIELDS += ["translator", "credit"]

# Every front-matter field of every post, escaped as text except the two that are Markdown.
FIELD = '<div data-field="{{{{ post.slug }}}}/{key}">{value}</div>'
FIELDS_PAGE = "\n".join(
    [
        "---",
        "layout: null",
        "permalink: /fields.html",
        "---",
        "<!doctype html><html><body>",
        "{% for post in site.posts %}",
        FIELD.format(key="layout", value="{{ post.layout | escape }}"),
        FIELD.format(key="title", value="{{ post.title | escape }}"),
        FIELD.format(key="date", value=f'{{{{ post.date | date: "{ISO}" }}}}'),
        "{% if post.lastmod %}",
        FIELD.format(key="lastmod", value=f'{{{{ post.lastmod | date: "{ISO}" }}}}'),
        "{% endif %}",
        FIELD.format(key="slug", value="{{ post.slug | escape }}"),
        FIELD.format(key="published", value="{{ post.published }}"),
        FIELD.format(key="lang", value="{{ post.lang | escape }}"),
        FIELD.format(key="summary", value="{{ post.summary | markdownify }}"),
        FIELD.format(key="description", value="{{ post.description | markdownify }}"),
        *[
            FIELD.format(key=key, value=f'{{{{ post.{key} | join: "{SEPARATOR}" | escape }}}}')
            for key in ("tags", "keywords", "editors", "engine")
        ],
        *[FIELD.format(key=key, value=f"{{{{ post.{key} | escape }}}}") for key in TEXT_FIELDS],
        "{% if post.glossary %}",
        FIELD.format(key="glossary", value=f'{{{{ post.glossary | join: "{SEPARATOR}" }}}}'),
        "{% endif %}",
        FIELD.format(
            key="corrections",
            value="{% for fix in post.corrections %}{{ fix.date }}: {{ fix.note | escape }}"
            + SEPARATOR
            + "{% endfor %}",
        ),
        "{% endfor %}",
        "</body></html>",
        "",
    ]
)

SHOWN = set(re.findall(r'data-field="\{\{ post.slug \}\}/(\w+)"', FIELDS_PAGE))
"""The fields the page shows: an export with any other fails."""


def stock_site(root: Path) -> Path:
    """A site as `jekyll new` makes it, without its sample post, plus the fields page."""
    if (reason := jekyll_missing()) is not None:
        unavailable(reason)
    made = subprocess.run(
        ["jekyll", "new", str(root), "--skip-bundle"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    for post in (root / "_posts").iterdir():
        post.unlink()
    (root / "fields.html").write_text(FIELDS_PAGE, encoding="utf-8")
    return root


def post_page(site: Path, slug: str) -> Path:
    """The one page Jekyll built for the post `slug` (its URL holds the date)."""
    found = [p for p in (site / "_site").rglob(f"{slug}.html")]
    assert len(found) == 1, f"{slug}: {found}"
    return found[0]


def same_moment(shown: str | None, written: object) -> bool:
    """Whether a date Jekyll shows is the moment desk wrote (Jekyll may show another offset)."""
    assert shown, "no date shown"
    return datetime.fromisoformat(shown) == datetime.fromisoformat(str(written))


def test_samples_drop_into_a_stock_site(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each sample is a whole minima page with every paragraph, listed on the home page and
    in the feed, and every front-matter field reaches Jekyll as desk wrote it."""
    monkeypatch.setenv("DESK_GLOSSARY", str(GLOSSARIES))  # the house's: `glossary` fixes
    site = stock_site(tmp_path / "site")
    written = publish_samples(desk, site / "_posts", "jekyll")
    build_jekyll(site)

    fields = Page.read(site / "_site" / "fields.html").fields
    home = Page.read(site / "_site" / "index.html")
    feed = ET.parse(site / "_site" / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    feed_titles = [plain(e.findtext(f"{atom}title") or "") for e in feed.iter(f"{atom}entry")]
    for path in written:
        front = front_matter(path)
        slug, title = str(front["slug"]), str(front["title"])
        assert set(front) <= SHOWN, f"{path.name}: fields no template reads here"
        for key, value in front.items():
            shown = fields.get(f"{slug}/{key}", f"<{key} missing>")
            if key in {"date", "lastmod"}:
                assert same_moment(shown, value), f"{path.name}: {key} {shown}"
            else:
                assert plain(shown) == expected_field(key, value), f"{path.name}: {key}"

        page = Page.read(post_page(site, slug), content_class="post-content")
        assert plain(page.fields[".post-title"]) == plain(title), path.name
        shown_date = page.attribute("time", "datetime", class_="dt-published")
        assert same_moment(shown_date, front["date"]), path.name
        blocks = body_blocks(path)
        assert len(blocks) > 5 and page.content_blocks() == blocks, f"{path.name}: body"
        described = page.attribute("meta", "content", name="description")
        assert plain(described or "") == expected_field("description", front["description"])
        assert plain(page.attribute("meta", "content", property="og:title") or "") == plain(title)
        assert plain(title) in plain(home.fields[".post-list"]), f"{path.name}: not on home"
        assert plain(title) in feed_titles, f"{path.name}: not in the feed"
    fronts = [front_matter(p) for p in written]
    for key in ("lastmod", "glossary", "corrections"):
        assert any(front.get(key) for front in fronts), f"no sample export has {key}"


def test_hostile_stories_build_to_inert_pages(desk: DeskCli, tmp_path: Path) -> None:
    """Story text in a stock site stays text: nothing from it runs, and it reads as typed
    in the title, the body, the meta description and the tags."""
    site = stock_site(tmp_path / "site")
    # Every story in the feed (jekyll-feed takes the newest ten unless told).
    with (site / "_config.yml").open("a", encoding="utf-8") as config:
        config.write("\nfeed:\n  posts_limit: 100\n")
    publish_hostile(desk, tmp_path, site / "_posts", "jekyll")
    build_jekyll(site)

    # The pages story text reaches (the stock 404 page has a <style> of its own).
    pages = [post_page(site, f"hostile-{n}") for n in range(len(HOSTILE))]
    for page_path in [*pages, site / "_site" / "index.html"]:
        assert live_markup(Page.read(page_path)) == [], page_path
    # The feed stays well-formed XML (no story ends a CDATA section), an entry for each.
    feed = ET.parse(site / "_site" / "feed.xml").getroot()
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == len(HOSTILE)
    fields = Page.read(site / "_site" / "fields.html").fields
    for n, hostile in enumerate(HOSTILE):
        slug, expected = f"hostile-{n}", plain(normalize_text(hostile))
        page = Page.read(post_page(site, slug), content_class="post-content")
        assert plain(page.fields[".post-title"]) == f"Title {expected}", hostile
        sentence = f"Before {expected} after. Second sentence."
        assert page.content_blocks()[:3] == [("p", expected), ("h2", expected), ("p", sentence)]
        described = page.attribute("meta", "content", name="description")
        assert plain(described or "") == expected, hostile
        assert plain(fields[f"{slug}/tags"]) == expected, hostile
        assert plain(fields[f"{slug}/summary"]) == expected, hostile
