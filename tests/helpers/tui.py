"""Pilot helpers for the workbench tests: the terminal size, the sample's slug, and
running an async test to the end of its workers."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

SLUG = "lattakia-offensive"
SIZE = (120, 40)


def synchronous(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test in its own event loop (no pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(app: object) -> None:
    """Let workers (the glossary scan) finish and the screen catch up."""
    from textual.app import App

    assert isinstance(app, App)
    await app.workers.wait_for_complete()
    await app.animator.wait_until_complete()
