"""The live desk: who is typing in which segment (leases), and news of others' saves.

A lease says "this person is editing segment n of this story now". The workbench takes
one when a person starts typing in a segment, renews it while they type, and drops it
when they leave the segment or the story; one that was not renewed for LEASE_SECONDS
has expired and holds nothing. A lease never blocks a save: saving over someone's newer
text is the conflict it always was. It only lets others see the name in time.

On PostgreSQL every revision the store writes, and every lease taken or dropped, sends a
notification on CHANNEL (delivered when its transaction commits), which a `Listener`
hears: the workbench refreshes its story list and the open story within a second. An
SQLite desk (one person's) has the table but takes no leases and sends no news: a lease
there would take the file's write lock as the person types.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from desk.core.store.connection import Connection
from desk.core.store.postgres import PgConnection

CHANNEL = "desk"
"""The PostgreSQL notification channel of a shared desk."""

LEASE_SECONDS = 15
"""How long a lease lasts unless renewed."""

ORIGIN = uuid.uuid4().hex[:12]
"""This process, as its notifications name it: a listener skips its own process's news
(the workbench redraws after its own writes already)."""


@dataclass(frozen=True)
class Change:
    """News of a write on the shared desk: which story (and segment), by whom."""

    story_id: int
    n: int | None
    by: str
    what: str
    """"revision" (a change to the story) or "lease" (someone started or stopped typing)."""


def announce(conn: Connection, story_id: int, n: int | None, by: str, what: str) -> None:
    """Tell listeners of a change, when the transaction commits (PostgreSQL only)."""
    if isinstance(conn, PgConnection):
        conn.execute("SELECT pg_notify(?, ?)", (CHANNEL, news(story_id, n, by, what)))


def news(story_id: int, n: int | None, by: str, what: str) -> str:
    """The payload of a notification on CHANNEL (what a `Listener` reads as a Change)."""
    return json.dumps({"story": story_id, "n": n, "by": by[:200], "what": what, "origin": ORIGIN})


def _now() -> datetime:
    """The real time (leases expire in real time, whatever clock the desk is told)."""
    return datetime.now(UTC)


def _stamp(when: datetime) -> str:
    """A lease time as stored: ISO 8601, UTC, sortable as text."""
    return when.isoformat(timespec="microseconds")


def take(conn: Connection, story_id: int, n: int, holder: str, session: str) -> str | None:
    """Take or renew the lease of segment `n` for `holder`'s `session` (in a write
    transaction); returns the name of someone else who holds it, unexpired (their
    lease stays), else None."""
    now = _now()
    row = conn.execute(
        "SELECT holder, session, expires_at FROM leases WHERE story_id = ? AND n = ?",
        (story_id, n),
    ).fetchone()
    if row is not None and row["session"] != session and row["expires_at"] > _stamp(now):
        return str(row["holder"])
    conn.execute(
        "INSERT INTO leases (story_id, n, holder, session, expires_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (story_id, n) DO UPDATE SET holder = excluded.holder,"
        " session = excluded.session, expires_at = excluded.expires_at",
        (story_id, n, holder, session, _stamp(now + timedelta(seconds=LEASE_SECONDS))),
    )
    if row is None or row["session"] != session:
        announce(conn, story_id, n, holder, "lease")
    return None


def drop(conn: Connection, story_id: int, session: str, n: int | None = None) -> None:
    """Drop `session`'s lease of segment `n` (every lease of it in the story with None),
    and expired leases of the story, in a write transaction."""
    where, params = "story_id = ? AND session = ?", [story_id, session]
    if n is not None:
        where += " AND n = ?"
        params.append(n)
    gone = conn.execute(f"DELETE FROM leases WHERE {where}", params).rowcount
    conn.execute(
        "DELETE FROM leases WHERE story_id = ? AND expires_at <= ?", (story_id, _stamp(_now()))
    )
    if gone:
        announce(conn, story_id, n, "", "lease")


def held(conn: Connection, story_id: int, *, besides: str = "") -> dict[int, str]:
    """Segment → holder of the story's unexpired leases, other than session `besides`."""
    rows = conn.execute(
        "SELECT n, holder FROM leases WHERE story_id = ? AND expires_at > ? AND session != ?",
        (story_id, _stamp(_now()), besides),
    ).fetchall()
    return {int(row["n"]): str(row["holder"]) for row in rows}


class Listener:
    """Hears the shared desk's notifications on a connection of its own."""

    def __init__(self, conn: PgConnection) -> None:
        """Listen on CHANNEL through a new connection to `conn`'s database."""
        self._source = conn
        self._conn: Any = None
        self._connect()

    def _connect(self) -> None:
        """(Re)open the listening connection."""
        if self._conn is not None:
            self._conn.close()
        self._conn = self._source.listen_connection()
        self._conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> list[Change]:
        """The changes announced within `timeout` seconds (a broken connection is made
        again: UnavailableError while the server is away)."""
        import psycopg

        try:
            if self._conn.closed or self._conn.broken:
                self._connect()
            notes = list(self._conn.notifies(timeout=timeout, stop_after=256))
        except psycopg.Error as exc:
            self._conn.close()
            raise self._source.failure(exc) from None
        changes = []
        for note in notes:
            try:
                data = json.loads(note.payload)
                if data.get("origin") == ORIGIN:
                    continue
                changes.append(
                    Change(int(data["story"]), data.get("n"), str(data.get("by", "")),
                           str(data.get("what", "revision")))
                )  # fmt: skip
            except (ValueError, KeyError, TypeError):
                continue  # not desk's: someone else's NOTIFY on the channel
        return changes

    def close(self) -> None:
        """Stop listening."""
        if self._conn is not None:
            self._conn.close()
