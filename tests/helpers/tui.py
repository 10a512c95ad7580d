"""Pilot helpers for the workbench tests: the terminal size and the sample's slug, running
an async test and waiting for its workers, the sample published, messages and notices."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from textual.message import Message
from textual.widgets import Static

from desk.app.home import Home
from desk.core.story import StoryStatus

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


def publish(env: Home) -> None:
    """Take the sample to published through the core, as an editor would: the listed
    spellings fixed, every other QA item dismissed with a reason, then the moves."""
    env.desk.confirm(SLUG, None, author="rania")
    clear_gate(env, SLUG)
    for status in (StoryStatus.REVIEW, StoryStatus.APPROVED, StoryStatus.PUBLISHED):
        env.desk.set_status(SLUG, status, author="omar")


def clear_gate(env: Home, slug: str, editor: str = "omar", *, fix: bool = True) -> None:
    """Fix the story's listed spellings (unless not `fix`), then dismiss each open QA
    item, as `editor`."""
    enforcer = env.enforcer()
    if enforcer is not None and fix:
        env.desk.fix(slug, enforcer, requested_by=editor)
    for item in env.desk.open_items(slug):
        if item.dismissable:
            n = item.segments[0]
            env.desk.dismiss(slug, n, 1, "Checked against the Arabic.", author=editor)


def once(messages: list[Message], kind: type[Message]) -> list[Any]:
    """The messages of `kind`, each once (a bubbling message is seen at every node)."""
    return [m for m in {id(m): m for m in messages}.values() if isinstance(m, kind)]


def notices(app: Any) -> list[str]:
    """The notifications shown so far."""
    return [str(n.message) for n in app._notifications]


def error_text(screen: object, selector: str) -> str:
    """What an error line shows."""
    from textual.screen import Screen

    assert isinstance(screen, Screen)
    return str(screen.query_one(selector, Static).render())


async def opened_editor(app: Any, pilot: Any) -> Any:
    """The editor the app shows once its workers are done and the screen caught up."""
    from desk.tui.screens.editor import EditorScreen

    await settle(app)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, EditorScreen), screen
    return screen
