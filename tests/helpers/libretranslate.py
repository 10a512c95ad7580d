"""A fake LibreTranslate server on 127.0.0.1 for the engine's tests and the CLI's.

Besides honest answers it plays hostile servers: a translation that is not text, JSON
nested deeper than any parser's stack, an answer far bigger than the story, one that
trickles a byte at a time. A streamed answer is made piece by piece as it is sent, so a
gigabyte costs the test nothing but the bytes desk chooses to read.

desk hangs up on such servers on purpose (a deadline, a cap, a refused answer), at any
point of a request; the fake takes that quietly (`_Server.handle_error`): socketserver
would print a traceback from the handler's thread into whatever output pytest shows.
"""

from __future__ import annotations

import http.server
import json
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Stream:
    """An answer sent piece by piece: `chunks` after a 200 and `headers` (no
    Content-Length unless given), or with `raw` the whole response, status line and
    headers included, as the pieces say."""

    chunks: Iterable[bytes]
    headers: dict[str, str] = field(default_factory=dict)
    raw: bool = False


# (status, headers, body) a fake server answers with, given the request's JSON; or a Stream.
Answer = tuple[int, dict[str, str], bytes] | Stream
Answering = Callable[[dict[str, Any]], Answer]


def reverse_each(request: dict[str, Any]) -> Answer:
    """LibreTranslate's batch answer, each text reversed as its 'translation'."""
    body = json.dumps({"translatedText": [t[::-1] for t in request["q"]]}).encode()
    return 200, {"Content-Type": "application/json"}, body


def error_answer(status: int, message: str) -> Answering:
    """An answer with LibreTranslate's JSON error body."""
    body = json.dumps({"error": message}).encode()
    return lambda _request: (status, {"Content-Type": "application/json"}, body)


def translations(make: Callable[[int, str], str]) -> Answering:
    """A batch answer whose translation of the i-th text (from 1) is `make(i, text)`."""

    def answer(request: dict[str, Any]) -> Answer:
        texts = [make(i, text) for i, text in enumerate(request["q"], start=1)]
        body = json.dumps({"translatedText": texts}).encode()
        return 200, {"Content-Type": "application/json"}, body

    return answer


def with_surrogate(k: int) -> Answering:
    """Every text reversed, but the k-th (from 1) holds a lone surrogate, escaped in JSON as
    a server may send it (`\\ud800`): valid JSON, impossible text."""

    def answer(request: dict[str, Any]) -> Answer:
        marked = [t[::-1] if i != k else "SURROGATE" for i, t in enumerate(request["q"], 1)]
        body = json.dumps({"translatedText": marked}).replace("SURROGATE", "x\\ud800y")
        return 200, {"Content-Type": "application/json"}, body.encode()

    return answer


def deep_json(depth: int) -> Answering:
    """A translatedText of lists nested `depth` deep."""
    body = b'{"translatedText": ' + b"[" * depth + b"]" * depth + b"}"
    return lambda _request: (200, {"Content-Type": "application/json"}, body)


def huge_answer(size: int, *, declared: bool) -> Answering:
    """A JSON answer of `size` bytes, one enormous translation, made as it is sent; with
    `declared` its Content-Length says so up front, else it ends when the connection does."""
    head, tail = b'{"translatedText": ["', b'"]}'
    filler = size - len(head) - len(tail)

    def pieces() -> Iterator[bytes]:
        yield head
        block = b"x" * (1024 * 1024)
        left = filler
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)
        yield tail

    headers = {"Content-Type": "application/json"}
    if declared:
        headers["Content-Length"] = str(size)
    return lambda _request: Stream(pieces(), headers)


def dribble(server: FakeServer, pause: float, *, head: bool = False) -> Answering:
    """An honest answer sent one byte every `pause` seconds: the body only, or with `head`
    the status line and headers too. Each pause is short; together they outlast any
    deadline a test sets (the server stops at teardown)."""

    def answer(request: dict[str, Any]) -> Answer:
        texts = [t[::-1] for t in request["q"]]
        # Leading spaces are valid JSON, so the whole answer takes as long as needed.
        body = b" " * 200 + json.dumps({"translatedText": texts}).encode()
        headers = {"Content-Type": "application/json"}
        response = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body

        def slowly(data: bytes) -> Iterator[bytes]:
            for i in range(len(data)):
                if server.release.wait(pause):
                    return
                yield data[i : i + 1]

        if head:
            return Stream(slowly(response), raw=True)
        return Stream(slowly(body), headers)

    return answer


@dataclass
class FakeServer:
    """What the fake LibreTranslate saw, and how it answers."""

    url: str
    answer: Answering = reverse_each
    seen: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(path, JSON body) of every POST."""
    release: threading.Event = field(default_factory=threading.Event)
    """Set at teardown so a handler made to hang lets go."""
    finished: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    """Released each time the server is done with a connection, however it ended."""


def _handler(server: FakeServer) -> type[http.server.BaseHTTPRequestHandler]:
    """A request handler bound to `server`."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            """Record the request and send the configured answer (LibreTranslate's 400
            for a body that is not JSON: a client cut off mid-request sends one)."""
            length = int(self.headers.get("Content-Length", "0"))
            try:
                body = json.loads(self.rfile.read(length).decode("utf-8"))
            except ValueError:
                self._send(*error_answer(400, "Invalid request: not JSON")({}))
                return
            server.seen.append((self.path, body))
            answer = server.answer(body)
            if isinstance(answer, Stream):
                self._stream(answer)
            else:
                self._send(*answer)

        def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _stream(self, answer: Stream) -> None:
            if not answer.raw:
                self.send_response(200)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
            for piece in answer.chunks:
                self.wfile.write(piece)
                self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            """Stay quiet."""

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    """The fake's HTTP server on 127.0.0.1: quiet when a client hangs up."""

    daemon_threads = True

    def __init__(self, state: FakeServer) -> None:
        """Listen on a free port, answering as `state` says."""
        super().__init__(("127.0.0.1", 0), _handler(state))
        self.state = state

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Say nothing of a client that hung up (a broken pipe or a reset while the
        request is read or the answer written, or a TLS stream cut); print anything
        else, as socketserver does."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, ssl.SSLEOFError)):
            return
        super().handle_error(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Close the connection, then count it as finished."""
        super().shutdown_request(request)
        self.state.finished.release()


def self_signed(folder: Path) -> Path | None:
    """A certificate for 127.0.0.1 and its key, in one PEM file made by `openssl` in
    `folder` (None where there is no openssl)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    pem = folder / "127.0.0.1.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(pem), "-out", str(pem)],
        check=True, capture_output=True,
    )  # fmt: skip
    return pem


@contextmanager
def fake_libretranslate(certificate: Path | None = None) -> Iterator[FakeServer]:
    """Run a fake LibreTranslate on 127.0.0.1, on a free port, while the block runs; with
    `certificate` (a PEM file holding it and its key), over https."""
    state = FakeServer(url="")
    httpd = _Server(state)
    scheme = "http"
    if certificate is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        scheme = "https"
    state.url = f"{scheme}://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
