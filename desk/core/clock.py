"""Where desk gets the time: the system clock, or a fixed start for reproducible runs."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from desk.core.errors import InputError
from desk.core.store import utc_now

Clock = Callable[[], str]


def fixed_clock(start: str) -> Clock:
    """A clock that starts at `start` (ISO 8601) and advances one second per reading."""
    try:
        moment = datetime.fromisoformat(start)
    except ValueError:
        raise InputError(f"DESK_CLOCK={start!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        state = {"t": moment.astimezone(UTC)}
    except OverflowError:
        state = {"t": datetime.min.replace(tzinfo=UTC)}
    if not 1 < state["t"].year < 9999:  # room for a year of readings either way, in UTC
        raise InputError(f"DESK_CLOCK={start!r} is too close to an end of the calendar")

    def read() -> str:
        now = state["t"]
        state["t"] = now + timedelta(seconds=1)
        return now.isoformat(timespec="microseconds")

    return read


def clock_from_env() -> Clock:
    """The system clock, unless $DESK_CLOCK fixes the start (for tests and demos)."""
    start = os.environ.get("DESK_CLOCK")
    return fixed_clock(start) if start else utc_now
