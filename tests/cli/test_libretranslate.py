"""The LibreTranslate engine through the CLI: `desk draft --engine libretranslate`, `desk engine
use libretranslate`, usage errors, a server that is down (a fake server on 127.0.0.1)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import DeskCli
from tests.helpers.libretranslate import FakeServer, fake_libretranslate
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
