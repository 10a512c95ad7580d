"""The LibreTranslate engine through the CLI: `desk draft --engine libretranslate`, `desk engine
use libretranslate`, usage errors, a server that is down, servers that lie, flood or trickle
(a fake server on 127.0.0.1), and `desk import` when its drafting fails."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from desk.core.engine import libretranslate
from tests.helpers.cli import DeskCli
from tests.helpers.libretranslate import (
    Answering,
    FakeServer,
    deep_json,
    dribble,
    fake_libretranslate,
    huge_answer,
    reverse_each,
    translations,
    with_surrogate,
)
from tests.helpers.packages import closed_port_url
from tests.helpers.paths import SAMPLES

STORY = SAMPLES / "hassakeh-water.ar.md"


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    """A fake LibreTranslate on 127.0.0.1, on a free port."""
    with fake_libretranslate() as server:
        yield server


def test_desk_draft_with_libretranslate(fake: FakeServer, desk: DeskCli) -> None:
    """`desk draft --engine libretranslate --url` drafts the whole story in one request,
    each draft an `mt` revision by libretranslate with the server in its provenance."""
    desk("import", str(STORY), "--no-mt")
    result = desk("draft", "hassakeh-water", "--engine", "libretranslate", "--url", fake.url)
    shown = json.loads(desk("show", "hassakeh-water", "--json").output)["segments"]
    assert len(fake.seen) == 1
    assert fake.seen[0][1]["q"] == [seg["source"] for seg in shown]
    assert [seg["text"] for seg in shown] == [seg["source"][::-1] for seg in shown]
    assert f"Drafted {len(shown)} segment(s)" in result.output
    log = json.loads(desk("log", "hassakeh-water", "--json", "--kind", "mt").output)
    assert len(log) == len(shown)
    assert {entry["author"] for entry in log} == {"libretranslate"}
    assert {json.loads(entry["note"])["options"]["url"] for entry in log} == {fake.url}


def test_engine_use_libretranslate_and_the_key_from_the_environment(
    fake: FakeServer, desk: DeskCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`desk engine use libretranslate --url` makes it the desk's engine (import drafts with
    it); the API key comes from $DESK_LIBRETRANSLATE_API_KEY and is stored nowhere."""
    monkeypatch.setenv("DESK_LIBRETRANSLATE_API_KEY", "s3cret")
    desk("engine", "use", "libretranslate", "--url", fake.url + "/")
    assert f"libretranslate at {fake.url}" in desk("engine", "list").output
    desk("import", str(STORY))
    assert len(fake.seen) == 1 and fake.seen[0][1]["api_key"] == "s3cret"
    home = Path(os.environ["DESK_HOME"])
    assert not any(b"s3cret" in f.read_bytes() for f in home.rglob("*") if f.is_file())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["draft", "hassakeh-water", "--engine", "libretranslate"], "needs the server's URL"),
        (["engine", "use", "libretranslate"], "needs --url"),
        (["engine", "use", "none", "--url", "http://127.0.0.1:1"], "--url goes with"),
        (["engine", "use", "libretranslate", "--url", "ftp://x"], "must be http:// or https://"),
    ],
)
def test_libretranslate_usage_errors(desk: DeskCli, args: list[str], expected: str) -> None:
    """Missing or misplaced URLs are refused with a message, exit 1, no traceback."""
    desk("import", str(STORY), "--no-mt")
    result = desk(*args, ok=False)
    assert result.exit_code == 1
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_server_down_changes_nothing(desk: DeskCli) -> None:
    """A server that cannot be reached: exit 7, the reason, and no draft written."""
    desk("import", str(STORY), "--no-mt")
    url = closed_port_url()
    result = desk("draft", "hassakeh-water", "--engine", "libretranslate", "--url", url, ok=False)
    assert result.exit_code == 7
    assert "connection refused" in result.stderr and "Traceback" not in result.stderr
    shown = json.loads(desk("show", "hassakeh-water", "--json").output)["segments"]
    assert {seg["text"] for seg in shown} == {""}
    assert json.loads(desk("log", "hassakeh-water", "--json", "--kind", "mt").output) == []


# --- Servers that lie, flood or trickle: exit 7, one line, the story as it was ----------

GIGABYTE = 1024**3
SLUG = "hassakeh-water"


def snapshot(desk: DeskCli) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The story's whole log and its segments, as the CLI shows them."""
    log = json.loads(desk("log", SLUG, "--json").output)
    return log, json.loads(desk("show", SLUG, "--json").output)["segments"]


def one_line_error(result: Result, url: str) -> str:
    """The failure's message: exit 7, no traceback, one `Error:` line naming the server
    (after the line saying what drafts)."""
    assert result.exit_code == 7
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[:-1] == [f"Drafting {SLUG} with libretranslate: {url}"]
    assert lines[-1].startswith(f"Error: LibreTranslate at {url}: ")
    return lines[-1]


HOSTILE: dict[str, tuple[Callable[[FakeServer], Answering], str]] = {
    "surrogate-in-the-5th": (  # segment 2 is a person's, so the 5th sent is segment 6
        lambda _fake: with_surrogate(5),
        "the translation of segment 6 holds a lone surrogate U+D800",
    ),
    "deep-json": (lambda _fake: deep_json(100_000), "nested too deeply"),
    "a-gigabyte": (
        lambda _fake: huge_answer(GIGABYTE, declared=False),
        "more than any translation of the story needs (desk stopped reading)",
    ),
    "drafts-over-the-cap": (
        lambda _fake: translations(lambda _i, text: "x" * max(1001, 11 * len(text))),
        "characters long, over desk's cap of",
    ),
    "a-byte-at-a-time": (
        lambda fake: dribble(fake, 0.02),
        "no complete answer within 0.5 s (desk's deadline for one request)",
    ),
}


@pytest.mark.parametrize("hostile", HOSTILE, ids=HOSTILE)
def test_a_hostile_server_changes_nothing(
    fake: FakeServer, desk: DeskCli, monkeypatch: pytest.MonkeyPatch, hostile: str
) -> None:
    """`desk draft` against each hostile answer: exit 7, one line naming the server and
    what is wrong, and the story exactly as it was (no revision, no English)."""
    monkeypatch.setattr(libretranslate, "DEFAULT_DEADLINE", 0.5)
    answering, expected = HOSTILE[hostile]
    desk("import", str(STORY), "--no-mt")
    desk("edit", SLUG, "2", "--text", "A translator's own sentence.")
    before = snapshot(desk)
    fake.answer = answering(fake)
    result = desk("draft", SLUG, "--engine", "libretranslate", "--url", fake.url, ok=False)
    assert expected in one_line_error(result, fake.url)
    assert snapshot(desk) == before


def test_import_keeps_the_story_and_says_how_to_draft_it(fake: FakeServer, desk: DeskCli) -> None:
    """`desk import` whose drafting fails: the story stays imported, without English, and
    the one-line error says so and how to draft it; `desk draft` then does, and a second
    import is not needed (it would be refused as a duplicate)."""
    desk("engine", "use", "libretranslate", "--url", fake.url)
    fake.answer = with_surrogate(5)
    result = desk("import", str(STORY), ok=False)
    assert result.exit_code == 7 and "Traceback" not in result.stderr
    error = result.stderr.splitlines()[-1]
    assert error.startswith(f"Error: LibreTranslate at {fake.url}: the translation of segment 5")
    assert error.endswith(
        f"; {SLUG} was imported without a machine draft: `desk draft {SLUG}` drafts it"
    )
    assert f"Imported {SLUG}" in result.output
    log, segments = snapshot(desk)
    assert [entry["kind"] for entry in log] == ["import"]
    assert {seg["text"] for seg in segments} == {""}
    fake.answer = reverse_each
    desk("draft", SLUG)
    shown = json.loads(desk("show", SLUG, "--json").output)["segments"]
    assert [seg["text"] for seg in shown] == [seg["source"][::-1] for seg in shown]
