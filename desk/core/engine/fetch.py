"""desk's own HTTP fetch for the Argos package index and package downloads.

Every fetch is bounded: a timeout on silence (connect and each read), an overall deadline
(a server sending a byte every few seconds still ends at it), a size cap, at most a few
redirects and never to another host (nor from https down to http). The body is streamed
to a temporary file beside the destination and renamed into place only when complete and,
when a sha256 is given, when it matches; on any failure nothing is left behind. No proxy
from the environment is used: desk talks to the URL it was given.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from desk.core.engine.base import EngineError
from desk.core.engine.packages import disk_problem
from desk.core.errors import InputError

TIMEOUT_VARIABLE = "DESK_FETCH_TIMEOUT"
DEADLINE_VARIABLE = "DESK_FETCH_DEADLINE"
LIMIT_VARIABLE = "DESK_DOWNLOAD_LIMIT_MB"
DEFAULT_TIMEOUT = 30.0
"""Seconds a server may stay silent (connecting, or between two reads)."""
DEFAULT_DEADLINE = 1800.0
"""Seconds a whole package download may take (a 1 GB model at ~5 Mbit/s)."""
INDEX_DEADLINE = 120.0
"""Seconds the index may take at most (it is tens of kilobytes)."""
DEFAULT_LIMIT_MB = 1024
"""The largest package desk downloads, in MB (Argos models are about 100 MB)."""
INDEX_LIMIT_BYTES = 16 * 1024**2
"""The largest index desk reads (Argos's is about 30 KB)."""
MAX_REDIRECTS = 5
_CHUNK = 256 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)

Progress = Callable[[int, "int | None"], None]
"""Called with the bytes received so far and the size the server announced (or None)."""


class FetchError(EngineError):
    """A fetch failed; `url` is what was asked for and `reason` says why, in a few words."""

    def __init__(self, url: str, reason: str) -> None:
        """Keep the URL and the reason apart, so callers can phrase the message."""
        self.url = printable(url)
        self.reason = printable(reason)
        super().__init__(f"{self.url}: {self.reason}")


def printable(text: str) -> str:
    """`text` from a server or an index, safe to print: anything a terminal would act
    on, or cannot show (controls, lone surrogates), becomes `?`."""
    return "".join(c if c.isprintable() else "?" for c in text)


@dataclass(frozen=True)
class Limits:
    """What one fetch may cost."""

    timeout: float = DEFAULT_TIMEOUT
    """Seconds of silence allowed (connect, and each read)."""
    deadline: float = DEFAULT_DEADLINE
    """Seconds for the whole fetch, redirects included."""
    max_bytes: int = DEFAULT_LIMIT_MB * 1024**2
    """The largest body accepted."""
    max_redirects: int = MAX_REDIRECTS
    cap_setting: str = LIMIT_VARIABLE
    """The variable that sets `max_bytes`, named when the cap is hit ('' for none)."""


def _number(name: str, default: float) -> float:
    """A positive number from the environment variable `name`, else `default`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise InputError(f"${name} must be a positive number, not {raw!a}")
    return value


def package_limits() -> Limits:
    """Limits for a package download: $DESK_FETCH_TIMEOUT, $DESK_FETCH_DEADLINE (seconds)
    and $DESK_DOWNLOAD_LIMIT_MB, else the defaults."""
    return Limits(
        timeout=_number(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT),
        deadline=_number(DEADLINE_VARIABLE, DEFAULT_DEADLINE),
        max_bytes=int(_number(LIMIT_VARIABLE, DEFAULT_LIMIT_MB) * 1024**2),
    )


def index_limits() -> Limits:
    """Limits for the index: the same timeout, a shorter deadline, a small size cap."""
    limits = package_limits()
    return Limits(
        timeout=limits.timeout,
        deadline=min(limits.deadline, INDEX_DEADLINE),
        max_bytes=INDEX_LIMIT_BYTES,
        cap_setting="",
    )


def _late(limits: Limits) -> str:
    """The reason given when the deadline cut a fetch short."""
    return f"took longer than the {limits.deadline:g} s deadline (${DEADLINE_VARIABLE})"


def fetch_to(
    url: str,
    dest: Path,
    limits: Limits,
    sha256: str | None = None,
    progress: Progress | None = None,
) -> Path:
    """Download `url` into the file `dest`, all or nothing; FetchError says why not.

    With `sha256` (hex), the body must have that digest.
    """
    started = time.monotonic()
    current = url
    for _ in range(limits.max_redirects + 1):
        location = _fetch_once(url, current, dest, limits, started, sha256, progress)
        if location is None:
            return dest
        current = _follow(url, current, location)
    raise FetchError(url, f"more than {limits.max_redirects} redirects")


def _follow(url: str, current: str, location: str) -> str:
    """The URL a redirect leads to, if desk may follow it (same host, no downgrade)."""
    target = urljoin(current, location)
    old, new = urlsplit(current), urlsplit(target)
    if new.scheme not in ("http", "https"):
        raise FetchError(url, f"redirected to a {new.scheme or 'relative'} URL; refused")
    if (new.hostname or "").lower() != (old.hostname or "").lower():
        raise FetchError(url, f"redirected to another host ({new.hostname}); refused")
    if old.scheme == "https" and new.scheme == "http":
        raise FetchError(url, "redirected from https to http; refused")
    return target


def _connection(url: str, current: str, timeout: float) -> http.client.HTTPConnection:
    """An unopened connection to the host of `current`."""
    parts = urlsplit(current)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "not an http or https URL")
    try:
        port = parts.port
    except ValueError:
        raise FetchError(url, "bad port in the URL") from None
    if parts.scheme == "https":
        return http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    return http.client.HTTPConnection(parts.hostname, port, timeout=timeout)


class _Watchdog:
    """Cuts a connection's socket when the deadline passes, whatever it is waiting on."""

    def __init__(self, seconds: float) -> None:
        """Start counting down."""
        self.sock: socket.socket | None = None
        self.fired = False
        self.lock = threading.Lock()
        self.timer = threading.Timer(max(0.0, seconds), self._fire)
        self.timer.daemon = True
        self.timer.start()

    def watch(self, sock: socket.socket | None) -> None:
        """The socket to cut (http.client drops its own reference once the answer is
        read to the end of the connection, so the watchdog keeps one)."""
        with self.lock:
            self.sock = sock
        if self.fired:
            self._fire()

    def _fire(self) -> None:
        """Shut the socket down: a blocked read returns at once."""
        with self.lock:
            self.fired = True
            if self.sock is not None:
                with contextlib.suppress(OSError):  # already closed: the fetch is over
                    self.sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        """The fetch ended before the deadline."""
        self.timer.cancel()


def _fetch_once(
    url: str,
    current: str,
    dest: Path,
    limits: Limits,
    started: float,
    sha256: str | None,
    progress: Progress | None,
) -> str | None:
    """One request: the redirect's Location, or None once `dest` holds the body."""
    remaining = limits.deadline - (time.monotonic() - started)
    if remaining <= 0:
        raise FetchError(url, _late(limits))
    conn = _connection(url, current, min(limits.timeout, remaining))
    parts = urlsplit(current)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    watchdog = _Watchdog(remaining)
    try:
        conn.connect()
        watchdog.watch(conn.sock)
        conn.request("GET", path, headers={"User-Agent": "desk", "Accept-Encoding": "identity"})
        response = conn.getresponse()
        if response.status in _REDIRECTS:
            location = response.getheader("Location")
            if not location:
                raise FetchError(url, f"HTTP {response.status} without a Location")
            return location
        if response.status != 200:
            raise FetchError(url, f"HTTP {response.status} {response.reason}".strip())
        _stream(url, response, dest, limits, sha256, progress, watchdog)
        return None
    except FetchError:
        raise
    except TimeoutError:
        if watchdog.fired:
            raise FetchError(url, _late(limits)) from None
        raise FetchError(url, f"no answer for {limits.timeout:g} s (${TIMEOUT_VARIABLE})") from None
    except http.client.IncompleteRead as exc:
        if watchdog.fired:
            raise FetchError(url, _late(limits)) from None
        got = len(exc.partial)
        raise FetchError(url, f"the connection closed early ({got} bytes short)") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if watchdog.fired:
            raise FetchError(url, _late(limits)) from None
        raise FetchError(url, _describe(exc)) from None
    finally:
        watchdog.stop()
        conn.close()


def _describe(exc: BaseException) -> str:
    """A few words for a network error."""
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve the host ({exc.strerror})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _stream(
    url: str,
    response: http.client.HTTPResponse,
    dest: Path,
    limits: Limits,
    sha256: str | None,
    progress: Progress | None,
    watchdog: _Watchdog,
) -> None:
    """Write the body to a temporary file beside `dest`, check it, then rename it."""
    cap = f"{limits.max_bytes / 1024**2:g} MB"
    if limits.cap_setting:
        cap += f" limit (${limits.cap_setting})"
    else:
        cap += " limit"
    length = response.getheader("Content-Length")
    total = int(length) if length and length.strip().isdigit() else None
    if total is not None and total > limits.max_bytes:
        raise FetchError(url, f"{total / 1024**2:.1f} MB is over the {cap}")
    digest = hashlib.sha256()
    received = 0
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
    tmp = Path(tmp_name)
    try:
        try:
            while chunk := response.read1(_CHUNK):
                received += len(chunk)
                if received > limits.max_bytes:
                    raise FetchError(url, f"sent more than the {cap}")
                digest.update(chunk)
                _write(fd, chunk, url, dest)
                if progress is not None:
                    progress(received, total)
        finally:
            os.close(fd)
        if watchdog.fired:  # the cut socket read as the end of the body
            raise FetchError(url, _late(limits))
        if total is not None and received < total:
            raise FetchError(url, f"the connection closed early ({total - received} bytes short)")
        if sha256 is not None and digest.hexdigest() != sha256.lower():
            raise FetchError(
                url, f"sha256 mismatch (index says {sha256[:12]}…, got {digest.hexdigest()[:12]}…)"
            )
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write(fd: int, chunk: bytes, url: str, dest: Path) -> None:
    """Write one chunk (unbuffered, so a full disk shows here and is said as such; not a
    FetchError: another link would not make room)."""
    view = memoryview(chunk)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise EngineError(
            f"cannot save {printable(url)} in {dest.parent}: {disk_problem(exc)}"
        ) from None
