"""The LibreTranslate engine against servers that lie, flood or trickle (a real HTTP server
on 127.0.0.1 playing each): every one ends in one EngineError line naming the server, no
draft yielded, at a bounded cost.

The honest contract and the plain errors: tests/core/engine/test_libretranslate.py.
Through `desk draft` and `desk import`, with the database checked: tests/cli/.
"""

from __future__ import annotations

import itertools
import json
import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desk.core.engine.base import DRAFT_FLOOR, DRAFT_RATIO, EngineError, draft_limit
from desk.core.engine.libretranslate import LibreTranslateEngine
from tests.helpers.libretranslate import (
    Answer,
    FakeServer,
    Stream,
    deep_json,
    dribble,
    fake_libretranslate,
    huge_answer,
    self_signed,
    translations,
    with_surrogate,
)

CLOCK = "2015-05-17T06:00:00+00:00"
# Thirty-five segments, as the story in which a fifth bad translation was found.
SEGMENTS = [(n, f"قال المرصد السوري إن الاشتباكات استمرت {n}.") for n in range(1, 36)]
GIGABYTE = 1024**3


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    """A fake LibreTranslate on 127.0.0.1, on a free port."""
    with fake_libretranslate() as server:
        yield server


def engine(
    url: str, *, deadline: float | None = None, max_bytes: int | None = None
) -> LibreTranslateEngine:
    """An engine on `url` with the tests' fixed clock and a generous silence timeout."""
    return LibreTranslateEngine(
        url, None, lambda: CLOCK, timeout=30, deadline=deadline, max_bytes=max_bytes
    )


def failure(eng: LibreTranslateEngine, segments: list[tuple[int, str]] = SEGMENTS) -> str:
    """The one-line EngineError message translating `segments` ends in; no draft came first."""
    yielded = []
    with pytest.raises(EngineError) as caught:
        for draft in eng.translate(segments):
            yielded.append(draft)
    assert yielded == []
    message = str(caught.value)
    assert caught.value.exit_code == 7
    assert "\n" not in message
    assert message.startswith(f"LibreTranslate at {eng.url}: ")
    return message


def test_a_lone_surrogate_in_the_fifth_translation(fake: FakeServer) -> None:
    """JSON may escape a lone surrogate (valid JSON, impossible text: it cannot be stored);
    the server's answer is refused whole, naming the segment, before any draft."""
    fake.answer = with_surrogate(5)
    message = failure(engine(fake.url))
    assert "the translation of segment 5 holds a lone surrogate U+D800" in message


@pytest.mark.parametrize(
    ("char", "code"), [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\x9b", "U+009B")]
)
def test_control_characters_are_no_translation(fake: FakeServer, char: str, code: str) -> None:
    """NUL, ESC, CSI in a translation: not text a news sentence holds; refused."""
    fake.answer = translations(lambda i, text: f"Forces{char}]0;owned" if i == 2 else text[::-1])
    message = failure(engine(fake.url))
    assert f"the translation of segment 2 holds the control character {code}" in message


def test_tabs_and_line_breaks_are_text(fake: FakeServer) -> None:
    """What a translation may hold: tab, line feed, carriage return, any script."""
    fake.answer = translations(lambda i, text: f"a\tb\r\nc {text}")
    drafts = list(engine(fake.url).translate(SEGMENTS))
    assert [d.text for d in drafts] == [f"a\tb\r\nc {s}" for _, s in SEGMENTS]


def test_json_nested_deeper_than_the_parser_goes(fake: FakeServer) -> None:
    """100,000 nested lists: a one-line error, not a RecursionError traceback."""
    fake.answer = deep_json(100_000)
    assert failure(engine(fake.url)).endswith(
        "the answer's JSON is nested too deeply for a translation"
    )


def test_a_number_too_long_to_read(fake: FakeServer) -> None:
    """A 5,000-digit number is valid JSON that Python will not convert: an error, not a
    ValueError traceback."""
    body = b'{"translatedText": [' + b"7" * 5000 + b"]}"
    fake.answer = lambda _request: (200, {}, body)
    assert "the answer holds a number too long to read" in failure(engine(fake.url))


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-close"])
def test_a_gigabyte_answer_is_not_read(fake: FakeServer, declared: bool) -> None:
    """An answer bigger than any translation of the story: refused from its Content-Length,
    or read in pieces only up to the story's cap. The server gets to send little of it."""
    sent: list[int] = []
    hostile = huge_answer(GIGABYTE, declared=declared)

    def counted(request: dict[str, Any]) -> Answer:
        answer = hostile(request)
        assert isinstance(answer, Stream)

        def pieces() -> Iterator[bytes]:
            for piece in answer.chunks:
                sent.append(len(piece))
                yield piece

        return Stream(pieces(), answer.headers)

    fake.answer = counted
    eng = engine(fake.url)
    cap = eng.answer_cap([s for _, s in SEGMENTS])
    assert cap < 2 * 1024 * 1024  # the story's cap, far under the absolute one
    message = failure(eng)
    assert message.endswith(
        f"the answer is over {cap:,} bytes, more than any translation of the story needs "
        "(desk stopped reading)"
    )
    fake.release.set()  # the handler stops once its socket is closed; at most the socket
    assert sum(sent) < 64 * 1024 * 1024  # buffers' worth was sent, nowhere near the gigabyte


def test_the_story_cap_follows_the_drafts_longest(fake: FakeServer) -> None:
    """The answer cap leaves room for every draft at its longest, escaped the costliest way
    JSON allows; max_bytes lowers it for all."""
    sources = [s for _, s in SEGMENTS]
    eng = engine(fake.url)
    assert eng.answer_cap(sources) >= sum(12 * draft_limit(s) for s in sources)
    assert engine(fake.url, max_bytes=5000).answer_cap(sources) == 5000


def test_max_bytes_caps_an_honest_looking_answer(fake: FakeServer) -> None:
    """Drafts each within the draft cap, but an answer over a configured max_bytes."""
    fake.answer = translations(lambda i, text: "x" * 900)
    message = failure(engine(fake.url, max_bytes=4000))
    assert "the answer is over 4,000 bytes" in message


def test_a_translation_over_the_draft_cap(fake: FakeServer) -> None:
    """Each draft is at most DRAFT_RATIO times its source, and never capped under
    DRAFT_FLOOR: one past it and the whole answer is refused."""
    long_source = "ب" * 500
    segments = [(1, "دمشق"), (2, long_source), (3, "حلب")]
    assert draft_limit("دمشق") == DRAFT_FLOOR
    assert draft_limit(long_source) == DRAFT_RATIO * 500
    at_cap = {1: "d" * DRAFT_FLOOR, 2: "l" * (DRAFT_RATIO * 500), 3: "h"}
    fake.answer = translations(lambda i, _text: at_cap[i])
    assert [d.text for d in engine(fake.url).translate(segments)] == list(at_cap.values())
    fake.answer = translations(lambda i, _text: at_cap[i] + ("l" if i == 2 else ""))
    message = failure(engine(fake.url), segments)
    assert message.endswith(
        "the translation of segment 2 is 5,001 characters long, over desk's cap of 5,000 "
        f"for a source of 500 ({DRAFT_RATIO} times the source, at least {DRAFT_FLOOR:,})"
    )


@pytest.mark.parametrize("head", [False, True], ids=["body", "status-line"])
def test_a_dribbling_server_meets_the_deadline(fake: FakeServer, head: bool) -> None:
    """A byte at a time, each well within the silence timeout: the request's deadline cuts
    it, whether it trickles the body or the status line and headers."""
    fake.answer = dribble(fake, 0.02, head=head)
    message = failure(engine(fake.url, deadline=0.5))
    assert message.endswith("no complete answer within 0.5 s (desk's deadline for one request)")


def test_a_gigabyte_error_page_is_cut(fake: FakeServer) -> None:
    """An error answer is read only far enough for LibreTranslate's message."""
    huge = huge_answer(GIGABYTE, declared=False)

    def error_page(request: dict[str, Any]) -> Answer:
        answer = huge(request)
        assert isinstance(answer, Stream)
        head = b"HTTP/1.0 500 Internal Server Error\r\nContent-Type: text/html\r\n\r\n"
        return Stream(itertools.chain([head], answer.chunks), raw=True)

    fake.answer = error_page
    assert failure(engine(fake.url)).endswith("HTTP 500 Internal Server Error")


def test_an_answer_cut_short(fake: FakeServer) -> None:
    """A Content-Length the server does not keep: an error, not the drafts read so far."""
    fake.answer = lambda _request: Stream([b'{"translatedText": ['], {"Content-Length": "900"})
    assert failure(engine(fake.url)).endswith("the answer ended after 20 of 900 bytes")


def test_an_honest_answer_still_passes(fake: FakeServer) -> None:
    """The caps leave an ordinary story's drafts alone (JSON escaped as Flask sends it)."""
    fake.answer = translations(lambda i, text: f"Segment {i}: «{text}» 😀")
    drafts = list(engine(fake.url).translate(SEGMENTS))
    assert [d.text for d in drafts] == [f"Segment {n}: «{s}» 😀" for n, s in SEGMENTS]


# --- https: the deadline covers the TLS handshake too --------------------------------------


def test_a_tls_handshake_that_never_comes_meets_the_deadline() -> None:
    """A server that takes the connection and never says a word of TLS: cut at the deadline
    (the handshake is under the watchdog like the rest)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"https://127.0.0.1:{listener.getsockname()[1]}"
        message = failure(engine(url, deadline=0.5))
    assert message.endswith("no complete answer within 0.5 s (desk's deadline for one request)")


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 (with its key); skipped without openssl."""
    pem = self_signed(tmp_path)
    if pem is None:
        pytest.skip("no openssl to make a test certificate with")
    return pem


def test_https_drafts_and_its_deadline(certificate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over https with a certificate the system trusts (here by $SSL_CERT_FILE): drafts come;
    a server trickling them through TLS meets the deadline."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    with fake_libretranslate(certificate) as tls:
        assert tls.url.startswith("https://")
        drafts = list(engine(tls.url).translate(SEGMENTS))
        assert [d.text for d in drafts] == [s[::-1] for _, s in SEGMENTS]
        tls.answer = dribble(tls, 0.02)
        message = failure(engine(tls.url, deadline=0.5))
    assert message.endswith("no complete answer within 0.5 s (desk's deadline for one request)")


def test_https_with_a_certificate_nobody_trusts(certificate: Path) -> None:
    """A certificate the system does not trust: a TLS error, the story not sent."""
    with fake_libretranslate(certificate) as tls:
        message = failure(engine(tls.url))
        assert tls.seen == []
    assert "TLS error" in message and "CERTIFICATE_VERIFY_FAILED" in message


# --- The fake server itself: a client hanging up is no traceback -----------------------


def hang_up(url: str, request: bytes) -> None:
    """Send `request` (all of it, or the first part of one) to the server at `url`, then
    hang up with a reset, as a client killed mid-request does."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(request)
        # Linger 0: close() sends a reset, not a polite end of the stream.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


@pytest.mark.parametrize("phase", ["reading the body", "writing the answer", "a cut body"])
def test_a_client_hanging_up_prints_no_traceback(
    capfd: pytest.CaptureFixture[str], phase: str
) -> None:
    """desk cuts the connection on a deadline or a cap, at any point of a request: the fake
    server takes that quietly (no `BrokenPipeError` or `ConnectionResetError` traceback on
    stderr), whether it was still reading the request or writing its answer, and answers
    a body cut short (not JSON) with LibreTranslate's 400."""
    body = json.dumps({"q": ["مرحبا"], "source": "ar", "target": "en"}).encode()
    head = f"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n"
    gone = threading.Event()
    with fake_libretranslate() as server:

        def after_the_client_left(request: dict[str, Any]) -> Answer:
            gone.wait(10)
            return Stream(itertools.repeat(b" " * 65536, 1024), {})

        server.answer = after_the_client_left
        if phase == "a cut body":
            host, port = server.url.removeprefix("http://").split(":")
            with socket.create_connection((host, int(port))) as sock:
                sock.sendall(head.encode() + body[:5])
                sock.shutdown(socket.SHUT_WR)  # the body ends early, politely
                answer = sock.makefile("rb").read()
            assert answer.startswith(b"HTTP/1.0 400 ") and b"not JSON" in answer
        else:
            hang_up(server.url, head.encode() + (body[:5] if phase == "reading the body" else body))
        gone.set()
        assert server.finished.acquire(timeout=10)  # the server has been through it all
    err = capfd.readouterr().err
    assert "Traceback" not in err, err
