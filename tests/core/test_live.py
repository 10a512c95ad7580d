"""The live desk's parts (desk.core.store.live) on PostgreSQL: leases taken, renewed,
refused to a second person, dropped and expired; news of another process's saves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk.core.store import Store, live
from tests.helpers.paths import ROOT
from tests.helpers.stories import write_small


def test_leases(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """One holder per segment until they leave or the lease expires; SQLite keeps none."""
    store = Store(pg_url)
    try:
        assert store.take_lease(1, 3, "omar", "s-omar") is None
        assert store.take_lease(1, 3, "omar", "s-omar") is None  # renewed
        assert store.take_lease(1, 3, "rania", "s-rania") == "omar"  # not taken from him
        assert store.leases(1) == {3: "omar"}
        assert store.leases(1, besides="s-omar") == {}
        store.drop_lease(1, "s-omar")
        assert store.leases(1) == {}
        assert store.take_lease(1, 3, "rania", "s-rania") is None
        monkeypatch.setattr(live, "LEASE_SECONDS", -1)  # a lease already past its time
        assert store.take_lease(1, 4, "sam", "s-sam") is None
        assert store.leases(1) == {3: "rania"}
        assert store.take_lease(1, 4, "omar", "s-omar") is None  # sam's expired: free
    finally:
        store.close()


def test_leases_on_sqlite_are_none(tmp_path: Path) -> None:
    """An SQLite desk takes no leases (they would take the file's write lock)."""
    store = Store(tmp_path / "desk.sqlite3")
    assert store.take_lease(1, 1, "omar", "s") is None and store.leases(1) == {}
    assert store.listener() is None
    store.close()


def test_the_listener_hears_another_process(pg_url: str, tmp_path: Path) -> None:
    """An import and an edit in another process arrive as changes; its own do not."""
    store = Store(pg_url)
    listener = store.listener()
    assert listener is not None
    try:
        source, draft = write_small(tmp_path / "in")
        env_args = [sys.executable, "-m", "desk"]
        env = dict(os.environ, DESK_DATABASE_URL=pg_url)
        subprocess.run([*env_args, "import", str(source), "--draft", str(draft), "--as", "rania"],
                       env=env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        subprocess.run([*env_args, "edit", "douma-raids", "2", "--text", "New.", "--as", "omar"],
                       env=env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        heard: list[live.Change] = []
        for _ in range(20):
            heard += listener.wait(0.2)
            if any(c.by == "omar" for c in heard):
                break
        assert any(c.by == "rania" and c.what == "revision" for c in heard)
        assert any(c.by == "omar" and c.n == 2 for c in heard)
        story_id = store.story_id("douma-raids")
        assert {c.story_id for c in heard} == {story_id}
        store.take_lease(story_id, 1, "me", "mine")  # this process: not news to itself
        assert listener.wait(0.3) == []
    finally:
        listener.close()
        store.close()
