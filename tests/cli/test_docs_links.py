"""Every relative link of README.md and docs/*.md reaches a file, and a heading of it
where the link names one (`reference.md#exit-codes`), as GitHub makes their anchors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
CODE = re.compile(r"`[^`\n]*`")


def prose(text: str) -> str:
    """The text without its code blocks and code spans, where a `[x](y)` is no link."""
    return CODE.sub("", FENCE.sub("", text))


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the page's headings: lower case, punctuation dropped,
    spaces made hyphens, `-1`, `-2`... for repeats."""
    seen: dict[str, int] = {}
    found: set[str] = set()
    for match in re.finditer(
        r"^#{1,6}\s+(.+?)\s*#*\s*$", prose(page.read_text(encoding="utf-8")), re.M
    ):
        slug = re.sub(r"[^\w\- ]", "", match[1].strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(page: Path) -> list[str]:
    """The page's link targets that are not on another site."""
    return [
        target
        for target in LINK.findall(prose(page.read_text(encoding="utf-8")))
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I)
    ]


def broken(page: Path) -> list[str]:
    """The page's relative links that reach nothing, each with why."""
    problems = []
    for target in links(page):
        path_part, _, anchor = target.partition("#")
        goal = (page.parent / path_part).resolve() if path_part else page
        if not goal.exists():
            problems.append(f"{target}: no such file")
        elif anchor and goal.suffix == ".md" and anchor not in anchors(goal):
            problems.append(f"{target}: {goal.name} has no heading #{anchor}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=[str(page.relative_to(ROOT)) for page in PAGES])
def test_relative_links_reach_their_files_and_headings(page: Path) -> None:
    """No link of the page is broken."""
    assert broken(page) == []


def test_the_readme_links_to_the_docs() -> None:
    """The README's next steps reach every page of docs/."""
    targets = {target.partition("#")[0] for target in links(ROOT / "README.md")}
    assert {f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md")} <= targets


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    """The checker finds a missing file and a missing heading, and leaves code, other
    sites and good anchors alone."""
    (tmp_path / "other.md").write_text("# Other\n\n## Exit codes, and more\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n[a](other.md#exit-codes-and-more) [b](missing.md) [c](other.md#nothing)\n"
        "[d](https://example.org/x) `[e](gone.md)` [f](#page) [g](#absent)\n\n```\n[h](gone.md)\n```\n",
        encoding="utf-8",
    )
    assert broken(page) == [
        "missing.md: no such file",
        "other.md#nothing: other.md has no heading #nothing",
        "#absent: page.md has no heading #absent",
    ]
