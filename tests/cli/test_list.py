"""`desk list --limit 0`: every story, read and printed a page at a time, the same text
as one read of them all; a reader that stops early (`| head -1`) ends it quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import click
import pytest

import desk.core.store.store as store_module
from desk.app.home import Home
from desk.commands import output
from desk.core.store import Store
from desk.core.story import StoryStatus
from tests.helpers.cli import DeskCli

pytestmark = pytest.mark.both_backends

STATUSES = ("new", "translating", "review", "published")


def add_stories(store: Store, count: int) -> None:
    """`count` stories written straight into the store, each with a headline segment and
    its import revision; every third shares its update time with the one before, so that
    pages break between stories of the same time (ordered by slug)."""
    epoch = datetime(2015, 5, 1, tzinfo=UTC)
    with store.write() as conn:
        for i in range(count):
            at = (epoch + timedelta(minutes=i - (i % 3 == 2))).isoformat()
            status = STATUSES[i % len(STATUSES)]
            slug = f"story-{(i * 7919) % 100_000:05d}"  # slugs not in time order
            conn.execute(
                "INSERT INTO stories (slug, headline_ar, status, outlet, created_at, "
                "updated_at, published_at) VALUES (?, ?, ?, 'Generated', ?, ?, ?)",
                (slug, f"عنوان {i}", status, at, at, at if status == "published" else ""),
            )
            (story_id,) = conn.execute("SELECT id FROM stories WHERE slug = ?", (slug,)).fetchone()
            conn.execute(
                "INSERT INTO segments (story_id, n, paragraph, role, source, draft, text, "
                "status, engine, updated_at, updated_by) VALUES (?, 1, 0, 'headline', ?, ?, ?, "
                "?, 'import', ?, 'importer')",
                (story_id, f"عنوان {i}", f"Headline {i}", f"Headline {i}",
                 "confirmed" if status == "published" else "draft", at),
            )  # fmt: skip
            conn.execute(
                "INSERT INTO revisions (story_id, author, at, kind, after) "
                "VALUES (?, ?, ?, 'status', ?)",
                (story_id, f"editor-{i % 5}", at, status),
            )


def one_read(store: Store, status: StoryStatus | None = None) -> str:
    """The list's text as one read of every story makes it (what `desk list` printed
    before it streamed), without colour, as on a pipe."""
    return click.unstyle(output.story_list(store.list_stories(status))) + "\n"


@pytest.mark.parametrize("page", [1, 2, 3, 1000])
def test_pages_hold_every_story_once_in_order(env: Home, page: int) -> None:
    """`iter_stories` gives what `list_stories` gives, whatever the page size: pages that
    break between stories of the same update time lose and repeat none."""
    store = env.desk.store
    add_stories(store, 17)
    for status in (None, StoryStatus.REVIEW, StoryStatus.APPROVED):
        assert list(store.iter_stories(status, page=page)) == store.list_stories(status)


def test_list_all_prints_what_one_read_printed(
    desk: DeskCli, env: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`desk list --limit 0` reads small pages here (2, then 3 at a time) and prints the
    same text as one read: one header, every story once; --status too; no total."""
    monkeypatch.setattr(store_module, "FIRST_PAGE", 2)
    monkeypatch.setattr(store_module, "STORY_PAGE", 3)
    store = env.desk.store
    add_stories(store, 23)
    result = desk("list", "--limit", "0")
    assert result.stdout == one_read(store)
    assert result.stdout.count("SLUG") == 1 and len(result.stdout.splitlines()) == 25
    assert result.stderr == ""
    review = desk("list", "--limit", "0", "--status", "review")
    assert review.stdout == one_read(store, StoryStatus.REVIEW)
    none = desk("list", "--limit", "0", "--status", "approved")
    assert none.stdout == "" and "No story is" in none.stderr


def test_list_all_of_an_empty_desk(desk: DeskCli) -> None:
    """No story: stdout stays empty and the person is told how to import one."""
    result = desk("list", "--limit", "0")
    assert result.stdout == "" and "No stories yet" in result.stderr


def test_a_reader_that_stops_early_ends_the_list_quietly(env: Home) -> None:
    """`desk list --limit 0 | head -1`: the list is more than a pipe holds, the reader
    takes one line and goes; desk stops without a traceback or a message."""
    add_stories(env.desk.store, 1500)  # about 170 KB of lines: more than a pipe buffers
    env.desk.store.close()
    child = subprocess.Popen(
        [sys.executable, "-m", "desk", "list", "--limit", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline().startswith(b"SLUG")
    child.stdout.close()
    stderr = child.stderr.read().decode()
    code = child.wait(timeout=60)
    assert stderr == ""
    assert code == 1  # as click ends a command whose reader has gone


@pytest.mark.sqlite_only
def test_the_list_counts_confirmed_segments_from_an_index(env: Home) -> None:
    """Migration 012: the list's count of confirmed segments reads the (story, status)
    index, not every segment's row (the whole list of a large archive twice as fast)."""
    store = env.desk.store
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)  # type: ignore[attr-defined]
    store.list_stories(limit=10)
    store.conn.set_trace_callback(None)  # type: ignore[attr-defined]
    (listing,) = [s for s in statements if "AS confirmed" in s]
    plan = " | ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + listing))
    assert "COVERING INDEX segments_by_status" in plan
