"""`desk search`: where each hit is, as text and JSON; an empty query is a clear error."""

from __future__ import annotations

import json

import pytest

from desk.app.home import Home
from tests.helpers.cli import DeskCli

pytestmark = pytest.mark.both_backends


def test_search_command(desk: DeskCli, env: Home) -> None:
    """`desk search` prints where each hit is; JSON too; an empty query is a clear error."""
    out = desk("search", "الأكراد", "--limit", "2").output
    assert "lattakia-offensive [" in out and "ar: " in out and "en: " in out
    rows = json.loads(desk("search", "al-Akrad", "--json").output)
    assert rows and {r["slug"] for r in rows} == {"lattakia-offensive"}
    assert "Nothing found" in desk("search", "xylophone").output
    bad = desk("search", '"" * ""', ok=False)
    assert bad.exit_code != 0 and "nothing to search for" in bad.output + bad.stderr


def test_short_prefix_and_too_many_hits_are_one_line_errors(desk: DeskCli, env: Home) -> None:
    """`desk search 'ال*'` says how many letters to type; --limit past the cap is refused
    by the option itself; neither prints a traceback or a hit."""
    for query, says in (("ال*", "after the article ال"), ("a*", "3 letters before the *")):
        result = desk("search", query, ok=False)
        assert result.exit_code != 0 and result.stdout == ""
        assert says in result.stderr and "Traceback" not in result.stderr
        assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1
    found = desk("search", "Latak*", "--json").stdout
    assert {r["slug"] for r in json.loads(found)} == {"lattakia-offensive"}
    capped = desk("search", "the", "--limit", "1001", ok=False)
    assert capped.exit_code == 2 and "1<=x<=1000" in capped.stderr
