"""The shared desk's PostgreSQL connection, shaped like the SQLite one the store uses.

The store writes its SQL once, with `?` placeholders, and reads rows by column name or
position; `PgConnection` takes that SQL to psycopg 3 (placeholders become `%s`), gives
rows that read the same way, and turns every failure of the server or the network into
desk's own errors (exit 6), the password scrubbed from the message. A connection that
broke (the server restarted, the network dropped) is made again at the next statement
outside a transaction, so a workbench saves again once the server is back.

psycopg is imported here only: a desk on SQLite never loads it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from desk.core.errors import InputError, UnavailableError

SCHEMES = ("postgresql", "postgres")
"""URL schemes that name a PostgreSQL database (as libpq accepts them)."""

CONNECT_TIMEOUT_S = 10
"""How long opening a connection may take before the server counts as unavailable."""

STATEMENT_TIMEOUT_MS = 60_000
"""The longest one statement may run ($DESK_STATEMENT_TIMEOUT_MS changes it)."""

WRITE_LOCK = 0x6465736B  # "desk"
"""The advisory lock every write transaction takes first. A write that may touch any
story (an import, a rename, a copy, the spelling index) holds it alone, as SQLite's
BEGIN IMMEDIATE does; a write to one story shares it and holds that story's lock
(STORY_LOCK), so saves to different stories go side by side and every read-check-write
sees the same order as on SQLite."""

STORY_LOCK = 0x64736B73  # "dsks": the first key of a story's lock; its id is the second


def is_url(text: str) -> bool:
    """Whether `text` names a PostgreSQL database (a `postgresql://` URL; libpq takes
    the scheme in lower case only)."""
    return "://" in text and text.split("://", 1)[0] in SCHEMES


def check_url(url: str, what: str) -> str:
    """`url` if it is a PostgreSQL URL desk can use; InputError naming `what` otherwise."""
    if not is_url(url):
        raise InputError(
            f"{what}: {redact(url)!r} is not a PostgreSQL URL "
            "(postgresql://user@host:port/database)"
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise InputError(f"{what}: the URL holds control characters")
    if len(url) > 4096:
        raise InputError(f"{what}: the URL is longer than 4096 characters")
    return url


SECRET_KEYS = ("password", "sslpassword")
"""Connection parameters whose values are secrets."""


def redact(url: str) -> str:
    """`url` with its password (in the address, or a `password=`/`sslpassword=`
    parameter, percent-encoded or not) replaced by `***`: what messages and `desk db
    status` show. Works on URLs libpq would refuse too (they reach error messages)."""
    head, sep, query = url.partition("?")
    head = re.sub(r"(://[^@/?#:]*):[^@]*@", r"\1:***@", head)
    if sep:
        pairs = []
        for pair in query.split("&"):
            key, eq, _ = pair.partition("=")
            pairs.append(f"{key}=***" if eq and unquote(key).lower() in SECRET_KEYS else pair)
        query = "&".join(pairs)
    return head + sep + query


def _secrets(url: str) -> list[str]:
    """The secrets in `url` (as libpq reads it), to scrub from any message that might
    quote them."""
    found: list[str] = []
    try:
        from psycopg.conninfo import conninfo_to_dict

        found += [str(v) for k, v in conninfo_to_dict(url).items() if k in SECRET_KEYS and v]
    except Exception:  # a URL libpq cannot read: fall back to our own parse
        try:
            parts = urlsplit(url)
            if parts.password:
                found += [parts.password, unquote(parts.password)]
            found += [v for k, v in parse_qsl(parts.query) if k.lower() in SECRET_KEYS and v]
        except ValueError:
            pass
    if os.environ.get("PGPASSWORD"):
        found.append(os.environ["PGPASSWORD"])
    return sorted({s for s in found if s}, key=len, reverse=True)


def describe(url: str) -> str:
    """How messages name the database: its URL without the password."""
    return redact(url)


class PgConnection:
    """A psycopg connection used as the store uses `sqlite3.Connection` (autocommit;
    the store opens transactions itself with BEGIN)."""

    dialect = "postgresql"

    def __init__(self, url: str, *, lock_timeout_ms: int) -> None:
        """Connect to `url`; UnavailableError when the server cannot be reached."""
        self.url = url
        self.where = describe(url)
        self.lock_timeout_ms = lock_timeout_ms
        self._conn: Any = None
        self._conn = self._connect()

    def _connect(self) -> Any:
        """A new autocommit connection, configured: timeouts, UTC, rows by name."""
        import psycopg

        timeout = statement_timeout_ms()
        try:
            conn = psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_S,
                application_name="desk",
                options=(
                    f"-c statement_timeout={timeout} -c lock_timeout={int(self.lock_timeout_ms)}"
                    " -c idle_in_transaction_session_timeout=600000 -c TimeZone=UTC"
                    " -c client_min_messages=warning"
                    # JIT compiling pays off for long analytic queries; desk's are short,
                    # and a misjudged one spent 0.57 s compiling (bench/README).
                    " -c jit=off"
                ),
                row_factory=_row_factory,
                # A dropped network is noticed within seconds, not when TCP gives up.
                keepalives=1,
                keepalives_idle=5,
                keepalives_interval=2,
                keepalives_count=3,
                tcp_user_timeout=timeout + 10_000,
            )
        except psycopg.ProgrammingError as exc:  # libpq refused the URL itself
            raise InputError(
                f"the database URL {self.where} is not usable: {self._scrub(exc)}"
            ) from None
        except psycopg.Error as exc:
            raise self.failure(exc) from None
        except ValueError as exc:  # libpq refused the URL's form (an unknown parameter...)
            raise InputError(f"the database URL {self.where} is not usable: {exc}") from None
        return conn

    # -- what sqlite3.Connection offers the store -----------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; the cursor reads like sqlite3's (fetchone/all, iteration,
        rowcount)."""
        import psycopg

        self._ensure()
        try:
            if not params:  # a script (a migration) runs as it is written
                return self._conn.execute(sql.encode("utf-8"), prepare=False)
            # A statement run a few times on this connection (psycopg's prepare_threshold)
            # is prepared on the server: a save then costs half the server's CPU, since
            # it is neither parsed nor planned again (bench/README, "Shared desk").
            return self._conn.execute(_placeholders(sql), tuple(params))
        except psycopg.Error as exc:
            raise self.failure(exc) from None

    def literal(self, value: str) -> str:
        """`value` as an SQL string literal, quoted by psycopg for this connection (for a
        script of several statements, which cannot take parameters)."""
        from psycopg import sql

        self._ensure()
        return str(sql.Literal(value).as_string(self._conn))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        import psycopg

        self._ensure()
        try:
            with self._conn.cursor() as cur:
                cur.executemany(_placeholders(sql), [tuple(r) for r in rows])
        except psycopg.Error as exc:
            raise self.failure(exc) from None

    def stream(self, sql: str, batch: int) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of a query, `batch` at a time, through a server-side cursor (inside a
        transaction): a table of any size without holding it all in memory."""
        import psycopg

        self._ensure()
        try:
            with self._conn.cursor(name="desk_stream") as cur:
                cur.itersize = batch
                cur.execute(sql)
                while rows := cur.fetchmany(batch):
                    yield [tuple(r) for r in rows]
        except psycopg.Error as exc:
            raise self.failure(exc) from None

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open (False on a broken connection: nothing to undo)."""
        from psycopg.pq import TransactionStatus

        if self._conn is None or self._conn.closed:
            return False
        status = self._conn.info.transaction_status
        return bool(status in (TransactionStatus.INTRANS, TransactionStatus.INERROR))

    def rollback_quietly(self) -> None:
        """End a failed transaction; a connection that broke meanwhile is closed instead."""
        import psycopg

        try:
            if self.in_transaction:
                self._conn.execute("ROLLBACK")
        except psycopg.Error:
            self._conn.close()

    def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()

    def listen_connection(self) -> Any:
        """A second, plain psycopg connection for LISTEN (notifications arrive on it)."""
        return self._connect()

    def _ensure(self) -> None:
        """Connect again when the last connection broke (never inside a transaction)."""
        if self._conn is None or self._conn.closed or self._conn.broken:
            if self._conn is not None:
                self._conn.close()
            self._conn = self._connect()

    def _scrub(self, exc: Exception) -> str:
        """An error's message on one line, without the URL's secrets."""
        text = " ".join(str(exc).split()) or type(exc).__name__
        for secret in _secrets(self.url):
            text = text.replace(secret, "***")
        return text[:2000]

    def failure(self, exc: Exception) -> UnavailableError:
        """What a psycopg error means for the person at the desk (exit 6), without the
        password and on one line."""
        import psycopg

        text = self._scrub(exc)
        if isinstance(exc, psycopg.errors.QueryCanceled):
            return UnavailableError(
                f"the desk database {self.where} did not answer in time ({text}); "
                "nothing of this command was saved; try again"
            )
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            return UnavailableError(
                f"the desk database {self.where} is unavailable: another desk held its "
                f"write lock past the busy timeout ({text}); try again"
            )
        if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
            return UnavailableError(
                f"the desk database {self.where} is unavailable ({text}); nothing of this "
                "command was saved; try again when the server is back"
            )
        return UnavailableError(f"the desk database {self.where} refused a statement ({text})")


def statement_timeout_ms() -> int:
    """$DESK_STATEMENT_TIMEOUT_MS, else STATEMENT_TIMEOUT_MS."""
    raw = os.environ.get("DESK_STATEMENT_TIMEOUT_MS", "").strip()
    if not raw:
        return STATEMENT_TIMEOUT_MS
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 86_400_000:
        raise InputError(f"$DESK_STATEMENT_TIMEOUT_MS = {raw!r}: give milliseconds, 1 to 86400000")
    return int(raw)


@lru_cache(maxsize=512)
def _placeholders(sql: str) -> str:
    """`sql` with sqlite3's `?` placeholders as psycopg's `%s` (and `%` doubled), outside
    quoted strings and identifiers."""
    out: list[str] = []
    quote = ""
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type[tuple[Any, ...]]:
    """A tuple that also reads by column name, as sqlite3.Row does."""
    index = {name: i for i, name in enumerate(names)}

    class Row(tuple[Any, ...]):
        __slots__ = ()

        def __getitem__(self, key: Any) -> Any:
            if isinstance(key, str):
                return tuple.__getitem__(self, index[key])
            return tuple.__getitem__(self, key)

        def keys(self) -> list[str]:
            return list(names)

    return Row


def _row_factory(cursor: Any) -> Any:
    """psycopg row factory: rows as `_row_class` tuples."""
    description = cursor.description
    if description is None:
        return tuple
    return _row_class(tuple(column.name for column in description))
