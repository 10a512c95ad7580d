"""The workbench's signals: a closed terminal (SIGHUP) or `kill` (SIGTERM) saves and
quits, and whatever happens after that, the process ends.

A closed terminal sends SIGCONT with its SIGHUP. Textual's driver answers every SIGCONT
by starting its application mode again, as if coming back from Ctrl+Z: on a terminal
that is gone it starts a second output thread, which dies at its first write, and the
next thirty frames fill that thread's queue and block the app for good (an orphaned desk
holding the database open). Here SIGCONT resumes only a driver that was suspended, and
a process told to stop ends within STOP_GRACE_SECONDS even if shutting down hangs.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType

from textual.driver import Driver

STOPPING = (signal.SIGHUP, signal.SIGTERM)
"""The signals that save the English being typed and quit."""

STOP_GRACE_SECONDS = 10.0
"""How long the workbench has to quit after SIGHUP or SIGTERM (the English is saved or
kept before this starts) before the process ends without the rest of its shutdown."""


def catch_stops(on_stop: Callable[[int], None]) -> None:
    """Call `on_stop(signal number)` on the running loop for SIGHUP and SIGTERM.
    Nothing where the platform has no such signals or this is not the main thread (the
    defaults stay)."""
    try:
        loop = asyncio.get_running_loop()
        for sig in STOPPING:
            loop.add_signal_handler(sig, on_stop, sig)
    except (NotImplementedError, RuntimeError, ValueError):
        pass


def release_stops() -> None:
    """Give SIGHUP and SIGTERM back to their defaults."""
    try:
        loop = asyncio.get_running_loop()
        for sig in STOPPING:
            loop.remove_signal_handler(sig)
    except (NotImplementedError, RuntimeError, ValueError):
        pass


def guard_resume(driver: Driver | None) -> None:
    """Make SIGCONT resume `driver` only after it suspended itself (Ctrl+Z, SIGTSTP).

    Textual's Linux driver installs its own SIGCONT handler that restarts application
    mode on any SIGCONT; the flag it sets on suspending tells the two cases apart.
    """
    resume = getattr(driver, "_sigcont_application", None)
    if resume is None or threading.current_thread() is not threading.main_thread():
        return

    def continued(signum: int, frame: FrameType | None) -> None:
        if getattr(driver, "_must_signal_resume", False):
            resume(signum, frame)

    signal.signal(signal.SIGCONT, continued)


def end_later(signum: int) -> threading.Timer:
    """End the process STOP_GRACE_SECONDS from now (exit status 128 + `signum`, as the
    signal's default would) unless it has ended by then."""
    timer = threading.Timer(STOP_GRACE_SECONDS, os._exit, args=(128 + signum,))
    timer.daemon = True
    timer.start()
    return timer
