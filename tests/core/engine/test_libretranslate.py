"""The LibreTranslate engine against real HTTP servers on 127.0.0.1.

A small stdlib server plays LibreTranslate's /translate contract (it reverses each text)
for batching, order, provenance and every error. If DESK_LIBRETRANSLATE_PYTHON names a
Python with the `libretranslate` distribution installed (docs/development.md#testing;
.ci/run sets one up), one more test starts the real server and compares its drafts with
desk's Argos engine.

Drafting a story through the CLI with it: tests/cli/test_libretranslate.py.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desk.core.engine.base import EngineError
from desk.core.engine.libretranslate import LibreTranslateEngine
from desk.core.errors import InputError
from tests.helpers.libretranslate import (
    Answer,
    FakeServer,
    error_answer,
    fake_libretranslate,
    reverse_each,
)
from tests.helpers.packages import closed_port_url
from tests.helpers.paths import SAMPLES

CLOCK = "2015-05-17T06:00:00+00:00"


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    """A fake LibreTranslate on 127.0.0.1, on a free port."""
    with fake_libretranslate() as server:
        yield server


SEGMENTS = [(1, "دمشق"), (2, "قال المرصد السوري."), (3, "حلب وإدلب"), (5, "«نعم»")]


def engine(url: str, api_key: str | None = None, timeout: float = 10) -> LibreTranslateEngine:
    """An engine on `url` with the tests' fixed clock."""
    return LibreTranslateEngine(url, api_key, lambda: CLOCK, timeout=timeout)


def failure(eng: LibreTranslateEngine, segments: list[tuple[int, str]] = SEGMENTS) -> str:
    """The one-line EngineError message that translating `segments` ends in."""
    with pytest.raises(EngineError) as caught:
        list(eng.translate(segments))
    message = str(caught.value)
    assert caught.value.exit_code == 7
    assert "\n" not in message
    return message


def test_one_request_for_the_whole_story(fake: FakeServer) -> None:
    """Every segment goes in one POST /translate, in order, as LibreTranslate's batch form."""
    drafts = list(engine(fake.url).translate(SEGMENTS))
    assert fake.seen == [
        (
            "/translate",
            {"q": [s for _, s in SEGMENTS], "source": "ar", "target": "en", "format": "text"},
        )
    ]
    assert [(d.n, d.text) for d in drafts] == [(n, s[::-1]) for n, s in SEGMENTS]


def test_provenance_names_the_server(fake: FakeServer) -> None:
    """Each draft records the engine, the server URL and the clock's time."""
    drafts = list(engine(fake.url + "/").translate(SEGMENTS))
    for draft in drafts:
        p = draft.provenance
        assert (p.engine, p.package, p.version, p.demo) == ("libretranslate", fake.url, "", False)
        assert p.options == {"url": fake.url}
        assert p.at == CLOCK
        assert p.model == fake.url


def test_api_key_is_sent_and_never_shown(fake: FakeServer) -> None:
    """The key travels in the JSON body (LibreTranslate's api_key field), not in describe()."""
    eng = engine(fake.url, api_key="s3cret")
    list(eng.translate(SEGMENTS))
    assert fake.seen[0][1]["api_key"] == "s3cret"
    assert "s3cret" not in eng.describe()
    assert eng.describe() == f"libretranslate: {fake.url}, with an API key"
    assert "s3cret" not in eng.provenance().to_json()


def test_no_api_key_field_without_a_key(fake: FakeServer) -> None:
    """Without a key the request has no api_key field at all."""
    list(engine(fake.url, api_key=None).translate(SEGMENTS))
    assert "api_key" not in fake.seen[0][1]


def test_no_segments_no_request(fake: FakeServer) -> None:
    """An empty story costs no request."""
    assert list(engine(fake.url).translate([])) == []
    assert fake.seen == []


def test_a_path_prefix_is_kept(fake: FakeServer) -> None:
    """A server behind a prefix (LibreTranslate's --url-prefix) gets /prefix/translate."""
    list(engine(fake.url + "/lt/").translate(SEGMENTS))
    assert fake.seen[0][0] == "/lt/translate"


def test_environment_proxies_are_not_used(
    fake: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy in the environment does not route the story elsewhere: only the URL is used."""
    dead = closed_port_url()
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.setenv(name, dead)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert len(list(engine(fake.url).translate(SEGMENTS))) == len(SEGMENTS)
    assert len(fake.seen) == 1


def test_a_redirect_is_not_followed(fake: FakeServer) -> None:
    """A redirect elsewhere is an error, and the other address gets nothing."""
    other = closed_port_url() + "translate"
    fake.answer = lambda _request: (302, {"Location": other}, b"")
    message = failure(engine(fake.url))
    assert f"LibreTranslate at {fake.url}: HTTP 302" in message
    assert other in message and "give the final URL" in message


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://127.0.0.1/", "must be http:// or https://"),
        ("file:///tmp/x", "must be http:// or https://"),
        ("127.0.0.1:5000", "must be http:// or https://"),
        ("http://", "must be http:// or https://"),
        ("http://user:pw@127.0.0.1:5000", "no user or password"),
        ("http://127.0.0.1:5000/?api_key=x", "no query or fragment"),
        ("http://127.0.0.1:99999", "not valid"),
    ],
)
def test_only_plain_http_urls(url: str, why: str) -> None:
    """Anything but an http(s) base URL is refused before any network use."""
    with pytest.raises(InputError, match=why) as caught:
        engine(url)
    assert caught.value.exit_code == 1


def test_https_url_is_accepted() -> None:
    """https is fine (and nothing is fetched on construction)."""
    assert engine("https://translate.example.org/").url == "https://translate.example.org"


def test_connection_refused() -> None:
    """Nothing listening: one line naming the URL."""
    url = closed_port_url().rstrip("/")
    assert failure(engine(url)) == (
        f"LibreTranslate at {url}: connection refused (is the server running?)"
    )


@pytest.mark.parametrize(
    ("status", "error", "expected"),
    [
        (400, "fr is not supported", "HTTP 400 Bad Request: fr is not supported"),
        (403, "Invalid API key", "HTTP 403 Forbidden: Invalid API key"),
        (
            429,
            "Slowdown: 10 per 1 minute",
            "HTTP 429 Too Many Requests: Slowdown: 10 per 1 minute",
        ),
        (500, "Cannot translate text: boom", "HTTP 500 Internal Server Error: Cannot translate"),
    ],
)
def test_http_errors_carry_the_servers_message(
    fake: FakeServer, status: int, error: str, expected: str
) -> None:
    """An HTTP error says the status and LibreTranslate's own JSON error message."""
    fake.answer = error_answer(status, error)
    message = failure(engine(fake.url))
    assert message.startswith(f"LibreTranslate at {fake.url}: {expected}")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (403, "HTTP 403 Forbidden: check the API key"),
        (429, "HTTP 429 Too Many Requests: too many requests; try again later"),
        (502, "HTTP 502 Bad Gateway"),
    ],
)
def test_http_errors_without_json(fake: FakeServer, status: int, expected: str) -> None:
    """A bare error page (a proxy's HTML) still gives a clear one-line message."""
    page = b"<html>\n<body>\nBad things\n</body>\n</html>"
    fake.answer = lambda _request: (status, {"Content-Type": "text/html"}, page)
    assert failure(engine(fake.url)) == f"LibreTranslate at {fake.url}: {expected}"


def test_a_long_multiline_error_stays_one_short_line(fake: FakeServer) -> None:
    """The server's error text is flattened and cut, so the message stays one line."""
    fake.answer = error_answer(400, "line one\nline two " + "x" * 1000)
    message = failure(engine(fake.url))
    assert "line one line two" in message
    assert len(message) < 400


def test_an_answer_that_is_not_json(fake: FakeServer) -> None:
    """A 200 with HTML (a captive portal, the wrong service) is an error, not drafts."""
    fake.answer = lambda _request: (200, {"Content-Type": "text/html"}, b"<html>hello</html>")
    message = failure(engine(fake.url))
    assert message.startswith(f"LibreTranslate at {fake.url}: the answer is not JSON")


@pytest.mark.parametrize("count", [0, 3, 5])
def test_the_wrong_number_of_translations(fake: FakeServer, count: int) -> None:
    """A translatedText list of another length than the segments sent is an error."""
    body = json.dumps({"translatedText": ["x"] * count}).encode()
    fake.answer = lambda _request: (200, {}, body)
    assert failure(engine(fake.url)) == (
        f"LibreTranslate at {fake.url}: sent 4 segments but got {count} translations"
    )


@pytest.mark.parametrize(
    "data",
    [
        {"translatedText": "one string for all"},
        {"translatedText": [1, 2, 3, 4]},
        {"something": "else"},
        ["a", "b", "c", "d"],
    ],
)
def test_an_answer_without_a_list_of_strings(fake: FakeServer, data: object) -> None:
    """Anything but a list of strings (an old, non-batching server) is an error."""
    body = json.dumps(data).encode()
    fake.answer = lambda _request: (200, {}, body)
    assert failure(engine(fake.url)) == (
        f"LibreTranslate at {fake.url}: the answer has no translatedText list of strings"
    )


def test_a_200_with_an_error_field(fake: FakeServer) -> None:
    """An error reported with status 200 is still shown as the server's message."""
    fake.answer = error_answer(200, "model not loaded")
    assert failure(engine(fake.url)) == f"LibreTranslate at {fake.url}: model not loaded"


def test_timeout(fake: FakeServer) -> None:
    """A server that does not answer in time: an error naming the URL and the timeout."""

    def hang(request: dict[str, Any]) -> Answer:
        fake.release.wait(10)
        return reverse_each(request)

    fake.answer = hang
    start = time.monotonic()
    message = failure(engine(fake.url, timeout=0.3))
    assert time.monotonic() - start < 5
    assert message == f"LibreTranslate at {fake.url}: no answer within 0.3 s (timed out)"


# --- The real LibreTranslate server -------------------------------------------------------

# LibreTranslate splits each text into sentences with MiniSBD, whose Arabic model it
# downloads at the first translation; offline that is a 500 for every request. desk sends
# one sentence per segment (and its own Argos engine splits nothing), so the server is run
# with a splitter that keeps each text whole.
LAUNCH = """\
import sys
import argostranslate.sbd
argostranslate.sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text]
from libretranslate.main import main
sys.exit(main())
"""

# The beam LibreTranslate translates with: argostranslate's ARGOS_BEAM_SIZE, set explicitly.
SERVER_BEAM = 4


def libretranslate_formatting(source: str, translation: str) -> str:
    """What LibreTranslate's improve_translation_formatting makes of a draft (1.9.6).

    The final mark follows the source's when that is one of ! ? . , ; and is dropped
    otherwise (so an Arabic question, ending in ؟, loses its "?"); a one-word source gets
    the first word of a draft that repeats words; and a source whose only cased letters are
    capitals (an Arabic sentence quoting "M5" or "OCHA") gets its whole draft in capitals,
    all-lowercase Latin the same in lowercase. Arabic letters have no case.
    """
    source = source.strip()
    if not source:
        return ""
    if not translation:
        return source
    marks = "!?.,;。"
    if source[-1] in marks:
        if translation[-1] != source[-1]:
            if translation[-1] in marks:
                translation = translation[:-1]
            translation += source[-1]
    elif translation[-1] in marks:
        translation = translation[:-1]
    if len(source) < 20 and " " not in source and " " in translation:
        words = translation.split()
        counts = {word: words.count(word) for word in words}
        if any(n / len(counts) >= 2 for n in counts.values()):
            translation = words[0]
    if source.islower():
        return translation.lower()
    if source.isupper():
        return translation.upper()
    if not translation:
        return source
    if source[0].islower():
        return translation[0].lower() + translation[1:]
    if source[0].isupper():
        return translation[0].upper() + translation[1:]
    return translation


def _free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _sample_sentences() -> list[str]:
    """From each sample story its first three segments, and every one that LibreTranslate's
    reformatting can touch beyond the final full stop: Latin letters, a question."""
    from desk.core.importer import ImportOptions, load_source

    chosen: list[str] = []
    for path in sorted(SAMPLES.glob("*.ar.md")):
        segments = [seg.source for seg in load_source(path, ImportOptions(), "").story.segments]
        chosen += [
            s
            for i, s in enumerate(segments)
            if i < 3 or re.search("[A-Za-z]", s) or s.rstrip()[-1:] in ("؟", "?")
        ]
    return chosen


@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real LibreTranslate on 127.0.0.1 serving desk's demo package, offline."""
    python = os.environ.get("DESK_LIBRETRANSLATE_PYTHON")
    if not python:
        pytest.skip(
            "DESK_LIBRETRANSLATE_PYTHON is not set (a Python with libretranslate installed, "
            "see docs/development.md#testing)"
        )
    from desk.core.engine.packages import demo_package_file

    archive = demo_package_file()
    home = tmp_path_factory.mktemp("lt-home")
    packages = home / "data" / "argos-translate" / "packages"
    packages.mkdir(parents=True)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(packages)
    (package_dir,) = [p for p in packages.iterdir() if p.is_dir()]
    # With fewer than two packages LibreTranslate "updates" from the package index at start;
    # an empty local index keeps that (and MiniSBD's model download after it) off the network.
    (home / "index").mkdir()
    (home / "index" / "index.json").write_text("[]", encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_PACKAGE_INDEX": (home / "index").as_uri() + "/",
        "ARGOS_DEVICE_TYPE": "cpu",
        "ARGOS_BEAM_SIZE": str(SERVER_BEAM),
    }
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    args = ["--host", "127.0.0.1", "--port", str(port), "--load-only", "ar,en"]
    args += ["--disable-web-ui", "--disable-files-translation", "--threads", "2"]
    log_path = home / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [python, "-c", LAUNCH, *args], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"LibreTranslate exited early:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/languages", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"LibreTranslate did not listen in 120 s:\n{log_path.read_text()}")
            time.sleep(0.25)
        yield url, package_dir
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_real_libretranslate_matches_desks_argos_engine(real_server: tuple[str, Path]) -> None:
    """The real server's drafts are desk's Argos drafts at the same beam, once passed through
    LibreTranslate's own reformatting (final punctuation, case; see libretranslate_formatting)."""
    from desk.core.engine.argos import ArgosEngine, Settings
    from desk.core.engine.packages import read_package

    url, package_dir = real_server
    sentences = _sample_sentences()
    assert len(sentences) >= 9
    segments = list(enumerate(sentences, start=1))
    theirs = [d.text for d in engine(url, timeout=600).translate(segments)]
    argos = ArgosEngine(read_package(package_dir), Settings(beam=SERVER_BEAM), lambda: CLOCK)
    ours = [d.text for d in argos.translate(segments)]
    expected = [libretranslate_formatting(s, t) for s, t in zip(sentences, ours, strict=True)]
    assert theirs == expected
    assert all(theirs)
