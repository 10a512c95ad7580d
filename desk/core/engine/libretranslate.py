"""The LibreTranslate engine: a story's segments sent to a LibreTranslate server in one request.

LibreTranslate's POST /translate takes a list for `q` and answers `{"translatedText": [...]}`
in the same order, so a whole story costs one round trip. Only the stdlib's http.client is
used, and only the URL given: no proxy from the environment, no redirect followed, nothing
else fetched. The server is not trusted: its silence has a timeout and the whole request a
deadline; its answer is read in pieces and never past a size cap; its JSON is parsed
safely, and every translation is checked before any draft is yielded.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from desk.core.engine.base import Draft, EngineError, Provenance, draft_limit, draft_problem
from desk.core.errors import InputError

DEFAULT_TIMEOUT = 120.0
"""Seconds of silence allowed: connecting, or waiting for the next bytes of the answer."""
DEFAULT_DEADLINE = 300.0
"""Seconds one request may take in all, however slowly the server trickles its answer."""
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""The most bytes of answer ever read; a story's own cap is lower (`answer_cap`)."""
SOURCE = "ar"
TARGET = "en"
# A server's error text goes into a one-line message; a runaway HTML page must not.
_DETAIL_CHARS = 200
# An error answer is read this far at most, for the server's JSON `error` message.
_ERROR_BYTES = 64 * 1024
_CHUNK = 64 * 1024
# JSON may spell one character as a 12-byte escaped surrogate pair; a draft's quotes, comma
# and space take 4 more, and the object around the list a little.
_JSON_BYTES_PER_CHAR = 12
_JSON_BYTES_PER_DRAFT = 4
_JSON_BYTES_OVERHEAD = 1024


def check_url(url: str) -> str:
    """The server's base URL without a trailing slash; InputError unless plain http(s)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        _ = parts.port  # a malformed or out-of-range port raises ValueError only here
    except ValueError as exc:
        raise InputError(f"LibreTranslate URL {url!r} is not valid ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"LibreTranslate URL {url!r} must be http:// or https:// with a host, "
            "e.g. http://127.0.0.1:5000"
        )
    if parts.username is not None or parts.password is not None:
        # It would end up in every draft's provenance; the key has its own setting.
        raise InputError(f"LibreTranslate URL {url!r}: no user or password in the URL")
    if parts.query or parts.fragment:
        raise InputError(f"LibreTranslate URL {url!r}: no query or fragment (give the base URL)")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def _one_line(text: str) -> str:
    """`text` on one line, cut to a readable length."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _DETAIL_CHARS else flat[: _DETAIL_CHARS - 1] + "…"


class LibreTranslateEngine:
    """Drafts with a LibreTranslate server, one batched request per story."""

    name = "libretranslate"

    def __init__(
        self,
        url: str,
        api_key: str | None,
        clock: Callable[[], str],
        timeout: float = DEFAULT_TIMEOUT,
        *,
        deadline: float | None = None,
        max_bytes: int | None = None,
    ) -> None:
        """Use the server at `url` (with `api_key` if it needs one); `clock` stamps each draft.

        `timeout` is seconds of silence allowed while connecting or waiting for the answer
        (the server answers only once the whole story is translated); `deadline` the
        seconds the whole request may take (default DEFAULT_DEADLINE); `max_bytes` the
        most bytes of answer read (default DEFAULT_MAX_BYTES).
        """
        self.url = check_url(url)
        self.api_key = api_key or None
        self.clock = clock
        self.timeout = timeout
        self.deadline = DEFAULT_DEADLINE if deadline is None else deadline
        self.max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes

    def describe(self) -> str:
        """Which server (never the key itself)."""
        key = ", with an API key" if self.api_key else ""
        return f"libretranslate: {self.url}{key}"

    def provenance(self) -> Provenance:
        """Provenance of drafts made now."""
        # The server's version would cost a second request (GET /spec) on every story.
        return Provenance(
            engine=self.name,
            package=self.url,
            version="",
            options={"url": self.url},
            at=self.clock(),
        )

    def answer_cap(self, sources: Sequence[str]) -> int:
        """The most bytes an answer for `sources` is read to: room for each draft at its
        longest (`draft_limit`) spelt in the costliest JSON, and never over max_bytes."""
        need = sum(draft_limit(s) * _JSON_BYTES_PER_CHAR + _JSON_BYTES_PER_DRAFT for s in sources)
        return min(self.max_bytes, need + _JSON_BYTES_OVERHEAD)

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """Translate every segment in one request; once every translation is checked, yield
        the drafts in order."""
        if not segments:
            return
        sources = [source for _, source in segments]
        texts = self._parse(self._request(sources), len(segments))
        for (n, source), text in zip(segments, texts, strict=True):
            problem = draft_problem(source, text)
            if problem:
                raise self._error(f"the translation of segment {n} {problem}")
        provenance = self.provenance()
        for (n, _), text in zip(segments, texts, strict=True):
            yield Draft(n, text, provenance)

    def _request(self, texts: list[str]) -> bytes:
        """POST the texts to /translate; the answer's body, within the deadline and the cap."""
        payload: dict[str, Any] = {"q": texts, "source": SOURCE, "target": TARGET, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": "desk",
        }
        parts = urllib.parse.urlsplit(self.url)
        watchdog = _Watchdog(self.deadline)
        conn: http.client.HTTPConnection | None = None
        response: http.client.HTTPResponse | None = None
        try:
            conn = self._connect(parts, watchdog)
            conn.request("POST", f"{parts.path}/translate", body=body, headers=headers)
            response = conn.getresponse()
            if response.status != 200:
                raise self._http_error(response, self._read(response, _ERROR_BYTES, cut=True))
            answer = self._read(response, self.answer_cap(texts))
        except (OSError, http.client.HTTPException, UnicodeError) as exc:
            # UnicodeError: a host name that IDNA cannot encode.
            if watchdog.fired:
                raise self._late() from None
            raise self._error(self._reason(exc)) from None
        finally:
            watchdog.stop()
            if response is not None:
                response.close()  # its file holds the socket open past conn.close()
            if conn is not None:
                conn.close()
        if watchdog.fired:  # cut mid-answer: what was read is not the whole of it
            raise self._late()
        return answer

    def _connect(
        self, parts: urllib.parse.SplitResult, watchdog: _Watchdog
    ) -> http.client.HTTPConnection:
        """A connection to the server with its socket under `watchdog` (TLS for https)."""
        host, port = parts.hostname or "", parts.port
        secure = parts.scheme == "https"
        sock = socket.create_connection(
            (host, port or (443 if secure else 80)), timeout=min(self.timeout, watchdog.left())
        )
        sock.settimeout(self.timeout)
        watchdog.watch(sock)
        if not secure:
            conn = http.client.HTTPConnection(parts.netloc, timeout=self.timeout)
            conn.sock = sock
            return conn
        try:
            context = ssl.create_default_context()
            # The handshake comes after the watchdog has the TLS socket, so it is cut too.
            tls = context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
        except BaseException:
            sock.close()
            raise
        try:
            watchdog.watch(tls)
            tls.do_handshake()
        except BaseException:
            tls.close()
            raise
        conn = http.client.HTTPSConnection(parts.netloc, timeout=self.timeout)
        conn.sock = tls
        return conn

    def _read(self, response: http.client.HTTPResponse, cap: int, *, cut: bool = False) -> bytes:
        """The answer's body, read in pieces up to `cap` bytes: past it, an error (or, with
        `cut`, the first `cap` bytes)."""
        declared = response.length  # None when the answer ends with the connection
        if not cut and declared is not None and declared > cap:
            raise self._too_large(cap)
        data = bytearray()
        while len(data) <= cap:
            chunk = response.read(min(_CHUNK, cap + 1 - len(data)))
            if not chunk:
                if declared is not None and len(data) < declared and not cut:
                    raise self._error(f"the answer ended after {len(data):,} of {declared:,} bytes")
                return bytes(data)
            data += chunk
        if cut:
            return bytes(data[:cap])
        raise self._too_large(cap)

    def _parse(self, body: bytes, expected: int) -> list[str]:
        """The translatedText list from the server's answer, checked against the count sent."""
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise self._error(
                f"the answer is not JSON ({_one_line(body[:80].decode('utf-8', 'replace'))!r})"
            ) from None
        except ValueError:  # an integer past Python's limit on digits
            raise self._error("the answer holds a number too long to read") from None
        except RecursionError:
            raise self._error("the answer's JSON is nested too deeply for a translation") from None
        translated = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(data, dict) and translated is None and "error" in data:
            raise self._error(_one_line(str(data["error"])))
        if not isinstance(translated, list) or not all(isinstance(t, str) for t in translated):
            # A server too old to batch answers one string for the whole list.
            raise self._error("the answer has no translatedText list of strings")
        if len(translated) != expected:
            raise self._error(f"sent {expected} segments but got {len(translated)} translations")
        return translated

    def _http_error(self, response: http.client.HTTPResponse, body: bytes) -> EngineError:
        """An HTTP error status, with the server's own JSON `error` message when it sent one."""
        detail = ""
        try:
            data = json.loads(body.decode("utf-8"))
            if isinstance(data, dict) and data.get("error"):
                detail = _one_line(str(data["error"]))
        except (UnicodeDecodeError, ValueError, RecursionError):
            pass
        status = f"HTTP {response.status} {_one_line(response.reason or '')}".rstrip()
        if 300 <= response.status < 400:
            where = response.getheader("Location") or ""
            hint = f"redirected to {_one_line(where)}; " if where else "redirected; "
            return self._error(f"{status}: {hint}desk follows no redirect, give the final URL")
        hints = {403: "check the API key", 429: "too many requests; try again later"}
        if not detail and response.status in hints:
            detail = hints[response.status]
        return self._error(f"{status}: {detail}" if detail else status)

    def _reason(self, reason: object) -> str:
        """Why the server could not be reached or read, in words."""
        if isinstance(reason, TimeoutError):
            return f"no answer within {self.timeout:g} s (timed out)"
        if isinstance(reason, ConnectionRefusedError):
            return "connection refused (is the server running?)"
        if isinstance(reason, socket.gaierror):
            return f"cannot resolve the host ({_one_line(str(reason))})"
        if isinstance(reason, ssl.SSLError):
            return f"TLS error ({_one_line(str(reason))})"
        if isinstance(reason, OSError) and reason.strerror:
            return f"connection failed ({_one_line(reason.strerror)})"
        return f"connection failed ({_one_line(str(reason)) or type(reason).__name__})"

    def _late(self) -> EngineError:
        """The request ran past its deadline."""
        return self._error(
            f"no complete answer within {self.deadline:g} s (desk's deadline for one request)"
        )

    def _too_large(self, cap: int) -> EngineError:
        """The answer is bigger than any translation of the story can be."""
        return self._error(
            f"the answer is over {cap:,} bytes, more than any translation of the story needs "
            "(desk stopped reading)"
        )

    def _error(self, what: str) -> EngineError:
        """An EngineError naming the server."""
        return EngineError(f"LibreTranslate at {self.url}: {what}")


class _Watchdog:
    """Cuts a connection once its deadline passes, however the server trickles its bytes:
    a socket timeout only bounds each silence, so a server sending a byte at a time never
    meets it."""

    def __init__(self, seconds: float) -> None:
        """Start counting `seconds`."""
        self.end = time.monotonic() + seconds
        self.fired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        """Seconds until the deadline (a little over 0 once it has passed)."""
        return max(0.001, self.end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        """Cut `sock` when the time is up (at once if it is already)."""
        with self._lock:
            self._sock = sock
            if self.fired:
                self._cut()

    def stop(self) -> None:
        """The request is over: cut nothing any more."""
        self._timer.cancel()
        with self._lock:
            self._sock = None

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._cut()

    def _cut(self) -> None:
        if self._sock is None:
            return
        # The plain socket's shutdown, also for TLS: a blocked read then returns at once.
        with contextlib.suppress(OSError):  # closed already
            socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
