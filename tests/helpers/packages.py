"""Argos package archives made for the tests, and a real HTTP server to serve them."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def make_package(
    folder: Path,
    name: str = "translate-ar_en-test",
    from_code: str = "ar",
    to_code: str = "en",
    version: str = "1.0",
    with_model: bool = True,
    metadata: str | None = None,
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
