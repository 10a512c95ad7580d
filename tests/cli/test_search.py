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
