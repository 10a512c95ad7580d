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
    try:  # room for a year of readings, in UTC
        state = {"t": moment.astimezone(UTC)}
        state["t"] + timedelta(days=366)
    except OverflowError:
        raise InputError(f"DESK_CLOCK={start!r} is too close to the end of the calendar") from None

    def read() -> str:
        now = state["t"]
        state["t"] = now + timedelta(seconds=1)
        return now.isoformat(timespec="microseconds")

    return read


def clock_from_env() -> Clock:
    """The system clock, unless $DESK_CLOCK fixes the start (for tests and demos)."""
    start = os.environ.get("DESK_CLOCK")
    return fixed_clock(start) if start else utc_now
