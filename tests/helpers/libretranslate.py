"""A fake LibreTranslate server on 127.0.0.1 for the engine's tests and the CLI's."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# (status, headers, body) a fake server answers with, given the request's JSON.
Answer = tuple[int, dict[str, str], bytes]


def reverse_each(request: dict[str, Any]) -> Answer:
    """LibreTranslate's batch answer, each text reversed as its 'translation'."""
    body = json.dumps({"translatedText": [t[::-1] for t in request["q"]]}).encode()
    return 200, {"Content-Type": "application/json"}, body


def error_answer(status: int, message: str) -> Callable[[dict[str, Any]], Answer]:
    """An answer with LibreTranslate's JSON error body."""
    body = json.dumps({"error": message}).encode()
    return lambda _request: (status, {"Content-Type": "application/json"}, body)


@dataclass
class FakeServer:
    """What the fake LibreTranslate saw, and how it answers."""

    url: str
    answer: Callable[[dict[str, Any]], Answer] = reverse_each
    seen: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(path, JSON body) of every POST."""
    release: threading.Event = field(default_factory=threading.Event)
    """Set at teardown so a handler made to hang lets go."""


def _handler(server: FakeServer) -> type[http.server.BaseHTTPRequestHandler]:
    """A request handler bound to `server`."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            """Record the request and send the configured answer."""
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            server.seen.append((self.path, body))
            status, headers, payload = server.answer(body)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            """Stay quiet."""

    return Handler


@contextmanager
def fake_libretranslate() -> Iterator[FakeServer]:
    """Run a fake LibreTranslate on 127.0.0.1, on a free port, while the block runs."""
    state = FakeServer(url="")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
