"""The LibreTranslate engine: a story's segments sent to a LibreTranslate server in one request.

LibreTranslate's POST /translate takes a list for `q` and answers `{"translatedText": [...]}`
in the same order, so a whole story costs one round trip. Only the stdlib is used, and only
the URL given: no proxy from the environment, no redirect followed, nothing else fetched.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from desk.core.engine.base import Draft, EngineError, Provenance
from desk.core.errors import InputError

DEFAULT_TIMEOUT = 120.0
SOURCE = "ar"
TARGET = "en"
# A server's error text goes into a one-line message; a runaway HTML page must not.
_DETAIL_CHARS = 200


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuses every redirect: desk talks to the URL it was given and to nothing else."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> None:
        """Do not follow; urllib then raises the 3xx as an HTTPError."""
        return None


# An empty ProxyHandler: http_proxy and friends in the environment must not route drafts
# (the story's text) through another host.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


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
    ) -> None:
        """Use the server at `url` (with `api_key` if it needs one); `clock` stamps each draft.

        `timeout` is seconds of silence allowed while connecting or waiting for the answer;
        the server answers only once the whole story is translated.
        """
        self.url = check_url(url)
        self.api_key = api_key or None
        self.clock = clock
        self.timeout = timeout

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

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """Translate every segment in one request, then yield the drafts in order."""
        if not segments:
            return
        texts = self._request([source for _, source in segments])
        provenance = self.provenance()
        for (n, _), text in zip(segments, texts, strict=True):
            yield Draft(n, text, provenance)

    def _request(self, texts: list[str]) -> list[str]:
        """POST the texts to /translate; their translations, in order."""
        payload: dict[str, Any] = {"q": texts, "source": SOURCE, "target": TARGET, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        request = urllib.request.Request(
            f"{self.url}/translate",
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "User-Agent": "desk",
            },
            method="POST",
        )
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                body: bytes = response.read()
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc) from None
        except urllib.error.URLError as exc:
            raise self._error(self._reason(exc.reason)) from None
        except (OSError, http.client.HTTPException) as exc:
            # A timeout or reset while reading the answer, after the connection was made.
            raise self._error(self._reason(exc)) from None
        return self._parse(body, len(texts))

    def _parse(self, body: bytes, expected: int) -> list[str]:
        """The translatedText list from the server's answer, checked against the count sent."""
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise self._error(
                f"the answer is not JSON ({_one_line(body[:80].decode('utf-8', 'replace'))!r})"
            ) from None
        translated = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(data, dict) and translated is None and "error" in data:
            raise self._error(_one_line(str(data["error"])))
        if not isinstance(translated, list) or not all(isinstance(t, str) for t in translated):
            # A server too old to batch answers one string for the whole list.
            raise self._error("the answer has no translatedText list of strings")
        if len(translated) != expected:
            raise self._error(f"sent {expected} segments but got {len(translated)} translations")
        return translated

    def _http_error(self, exc: urllib.error.HTTPError) -> EngineError:
        """An HTTP error status, with the server's own JSON `error` message when it sent one."""
        detail = ""
        try:
            data = json.loads(exc.read().decode("utf-8"))
            if isinstance(data, dict) and data.get("error"):
                detail = _one_line(str(data["error"]))
        except (OSError, http.client.HTTPException, UnicodeDecodeError, json.JSONDecodeError):
            pass
        status = f"HTTP {exc.code} {_one_line(str(exc.reason or ''))}".rstrip()
        if 300 <= exc.code < 400:
            where = exc.headers.get("Location", "") if exc.headers else ""
            hint = f"redirected to {_one_line(where)}; " if where else "redirected; "
            return self._error(f"{status}: {hint}desk follows no redirect, give the final URL")
        hints = {403: "check the API key", 429: "too many requests; try again later"}
        if not detail and exc.code in hints:
            detail = hints[exc.code]
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

    def _error(self, what: str) -> EngineError:
        """An EngineError naming the server."""
        return EngineError(f"LibreTranslate at {self.url}: {what}")
