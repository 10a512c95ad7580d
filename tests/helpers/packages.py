"""Argos package archives made for the tests, and a real HTTP server to serve them."""

from __future__ import annotations

import functools
import http.server
import json
import ssl
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def make_package(
    folder: Path,
    name: str = "translate-ar_en-test",
    from_code: str = "ar",
    to_code: str = "en",
    version: str = "1.0",
    with_model: bool = True,
    metadata: str | bytes | None = None,
) -> Path:
    """A structurally valid .argosmodel (its model is a placeholder: it installs, not runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"{name}.argosmodel"
    meta = metadata or json.dumps(
        {
            "package_version": version,
            "argos_version": "1.0",
            "from_code": from_code,
            "from_name": "Arabic",
            "to_code": to_code,
            "to_name": "English",
            "type": "translate",
        }
    )
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"{name}/metadata.json", meta)
        zf.writestr(f"{name}/sentencepiece.model", b"placeholder")
        if with_model:
            zf.writestr(f"{name}/model/model.bin", b"placeholder" * 100)
            zf.writestr(f"{name}/model/config.json", "{}")
        zf.writestr(f"{name}/README.md", "A test package.")
    return archive


def index_entry(
    name: str, url: str, version: str = "1.0", pair: tuple[str, str] = ("ar", "en")
) -> dict[str, object]:
    """One package as the Argos index lists it."""
    return {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": pair[0],
        "from_name": "Arabic",
        "to_code": pair[1],
        "to_name": "English",
        "type": "translate",
        "links": [url],
        "code": name,
    }


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A file server that does not log every request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on 127.0.0.1; yields the base URL (ending in /)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused: no network)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


Route = Callable[[http.server.BaseHTTPRequestHandler, threading.Event], None]
"""How a hostile server answers one path: it writes to the handler; the event is set
when the server shuts down (a route that waits must give up then)."""


def answer(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Route:
    """A plain answer, with a Content-Length."""

    def route(handler: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.send_response(status)
        for key, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)

    return route


def redirect(location: str, status: int = 302) -> Route:
    """A redirect to `location`."""
    return answer(b"", status, {"Location": location})


def hang() -> Route:
    """Accept the request and never answer."""

    def route(handler: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
        stop.wait(60)

    return route


def dribble(every: float = 0.2, length: int = 1000, in_headers: bool = False) -> Route:
    """Announce `length` bytes, then send one byte every `every` seconds (never silent
    long enough for a read timeout); `in_headers`: dribble a header line instead."""

    def route(handler: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(length))
        if not in_headers:
            handler.end_headers()
        else:
            handler.flush_headers()
            handler.wfile.write(b"X-Slow: ")
        while not stop.wait(every):
            try:
                handler.wfile.write(b"x")
                handler.wfile.flush()
            except OSError:
                return

    return route


def flood(announce: int | None = None) -> Route:
    """Send bytes until the client hangs up; with `announce`, claim that many first."""

    def route(handler: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.send_response(200)
        if announce is not None:
            handler.send_header("Content-Length", str(announce))
        handler.end_headers()
        block = b"\0" * 65536
        while not stop.is_set():
            try:
                handler.wfile.write(block)
            except OSError:
                return

    return route


def cut_short(body: bytes, length: int) -> Route:
    """Announce `length` bytes, send `body` (fewer) and close the connection."""

    def route(handler: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(length))
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True

    return route


@contextmanager
def hostile_server(
    routes: dict[str, Route], host: str = "127.0.0.1", tls: Path | None = None
) -> Iterator[str]:
    """A real HTTP server on `host` answering each path in `routes` as told (404 for
    others); yields its base URL (ending in /). Paths may be added while it runs. With
    `tls` (a PEM file holding a certificate and its key) it speaks https."""
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        """Answers from `routes`."""

        def do_GET(self) -> None:
            """Answer one request."""
            route = routes.get(self.path.lstrip("/"))
            if route is None:
                answer(b"not here", 404)(self, stop)
            else:
                route(self, stop)

        def log_message(self, format: str, *args: object) -> None:
            """Stay quiet."""

    server = http.server.ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://{host}:{server.server_address[1]}/"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
