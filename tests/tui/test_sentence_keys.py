"""The English box's Ctrl+A/E/K/U reach to the sentence, not to the screen line the soft
wrap makes: a segment of two sentences wrapped over two lines at a narrow terminal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from textual.pilot import Pilot

from desk.app.home import Home
from desk.tui import make_app
from desk.tui.app import DeskApp
from desk.tui.screens.help import HelpScreen
from desk.tui.screens.story_list import StoryListScreen
from desk.tui.widgets.english_editor import EnglishEditor
from tests.helpers.tui import SLUG, synchronous

NARROW = (80, 40)
"""A terminal where the English box wraps at 75 columns."""

TWO = "Air strikes killed 12 people near the town, the Observatory said. Most of the dead were civilians."
"""Two sentences; the wrap falls inside the second ("Most of | the dead")."""

NEW = "Rescuers searched the rubble."
"""The sentence typed in place of the second."""


@asynccontextmanager
async def box_with(
    env: Home, text: str
) -> AsyncIterator[tuple[DeskApp, Pilot[None], EnglishEditor]]:
    """The editor on segment 1, holding `text` (saved first), at the narrow size."""
    env.desk.edit(SLUG, 1, text, author="rania")
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        editor = app.screen.query_one(EnglishEditor)
        assert app.focused is editor
        assert editor.wrapped_document.get_offsets(0), "the segment should wrap"
        yield app, pilot, editor


def column(text: str, word: str, inside: int = 0) -> tuple[int, int]:
    """The location of `word` in the one-line `text`, `inside` letters into it."""
    return 0, text.index(word) + inside


def saved(env: Home) -> str:
    """Segment 1's English in the store."""
    return env.desk.store.load_story(SLUG).segment(1).text


async def leave(app: DeskApp, pilot: Pilot[None]) -> None:
    """Esc: save and go back to the story list."""
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, StoryListScreen)


@pytest.mark.parametrize("word", ["Most", "dead"], ids=["first-screen-line", "second-screen-line"])
@synchronous
async def test_ctrl_a_ctrl_k_and_a_new_sentence_replace_the_sentence(env: Home, word: str) -> None:
    """The issue: in the wrapped second sentence, Ctrl+A, Ctrl+K and typing a new sentence
    give the first sentence and the new one; no half sentence is left behind."""
    async with box_with(env, TWO) as (app, pilot, editor):
        editor.move_cursor(column(TWO, word, 2))
        await pilot.press("ctrl+a")
        assert editor.cursor_location == column(TWO, "Most")
        await pilot.press("ctrl+k")
        assert editor.text == "Air strikes killed 12 people near the town, the Observatory said. "
        await pilot.press(*NEW)
        await leave(app, pilot)
    assert saved(env) == f"Air strikes killed 12 people near the town, the Observatory said. {NEW}"


@synchronous
async def test_ctrl_e_goes_to_the_sentence_end_then_the_segment_end(env: Home) -> None:
    """Ctrl+E from the first sentence stops after "said." (mid screen line); again, at the
    segment's end. Ctrl+A twice goes back to the start; Home and End keep to the screen line."""
    async with box_with(env, TWO) as (_app, pilot, editor):
        editor.move_cursor(column(TWO, "killed"))
        await pilot.press("ctrl+e")
        assert editor.cursor_location == column(TWO, " Most")
        await pilot.press("ctrl+e")
        assert editor.cursor_location == (0, len(TWO))
        await pilot.press("ctrl+a")
        assert editor.cursor_location == column(TWO, "Most")
        await pilot.press("ctrl+a")
        assert editor.cursor_location == (0, 0)
        editor.move_cursor(column(TWO, "dead"))
        await pilot.press("home")
        assert editor.cursor_location == column(TWO, "the dead")
        await pilot.press("end")
        assert editor.cursor_location == (0, len(TWO))


@synchronous
async def test_ctrl_u_deletes_back_to_the_sentence_start(env: Home) -> None:
    """From "dead" on the second screen line, Ctrl+U deletes "Most of the " too."""
    async with box_with(env, TWO) as (app, pilot, editor):
        editor.move_cursor(column(TWO, "dead"))
        await pilot.press("ctrl+u")
        assert (
            editor.text
            == "Air strikes killed 12 people near the town, the Observatory said. dead were civilians."
        )
        assert editor.cursor_location == column(TWO, "Most")
        await pilot.press(*"Most of the ")
        await leave(app, pilot)
    assert saved(env) == TWO


@synchronous
async def test_abbreviations_do_not_end_the_sentence(env: Home) -> None:
    """ "U.S.", "Mr.", "Gen." and "Jan." are inside the first sentence: Ctrl+A from its
    second screen line goes to the segment's start, and Ctrl+K there takes all of it."""
    text = (
        "U.S. envoy Mr. James Jeffrey met Gen. Salim Idris near the border on Jan. 5 "
        "for talks on the ceasefire. Nothing was agreed."
    )
    async with box_with(env, text) as (app, pilot, editor):
        editor.move_cursor(column(text, "ceasefire"))
        await pilot.press("ctrl+a")
        assert editor.cursor_location == (0, 0)
        await pilot.press("ctrl+k")
        assert editor.text == "Nothing was agreed."
        await leave(app, pilot)
    assert saved(env) == "Nothing was agreed."


@synchronous
async def test_ctrl_z_brings_back_what_ctrl_k_deleted(env: Home) -> None:
    """The kill is one edit of the box's own undo: Ctrl+Z restores the sentence."""
    async with box_with(env, TWO) as (app, pilot, editor):
        editor.move_cursor(column(TWO, "Most"))
        await pilot.press("ctrl+k")
        assert editor.text == "Air strikes killed 12 people near the town, the Observatory said. "
        await pilot.press("ctrl+z")
        assert editor.text == TWO
        await leave(app, pilot)
    assert saved(env) == TWO


@synchronous
async def test_each_kill_is_its_own_undo_step(env: Home) -> None:
    """A Backspace, a kill undone, then another kill: Ctrl+Z brings back what the last
    kill took, not the Backspace's full stop too (the edits are not merged)."""
    cut = TWO.removesuffix(".")
    async with box_with(env, TWO) as (app, pilot, editor):
        editor.move_cursor(editor.document.end)
        await pilot.press("backspace")
        assert editor.text == cut
        editor.move_cursor(column(TWO, "Most", inside=2))
        await pilot.press("ctrl+k")
        assert editor.text == cut.replace("Most of the dead were civilians", "Mo")
        await pilot.press("ctrl+z")
        assert editor.text == cut
        await pilot.press("ctrl+u")
        assert editor.text == cut.replace("Most", "st")
        await pilot.press("ctrl+z")
        assert editor.text == cut
        await leave(app, pilot)
    assert saved(env) == cut


@synchronous
async def test_the_help_names_the_sentence_keys(env: Home) -> None:
    """F1 in the editor lists the box's keys under their own heading."""
    async with box_with(env, TWO) as (app, pilot, _editor):
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert [title for title, _ in app.screen.sections] == ["In the English box"]
        ((_, keys),) = app.screen.sections
        assert [(k, d) for k, d, _ in keys] == [
            ("^a", "Sentence start"),
            ("^e", "Sentence end"),
            ("^k", "Delete to sentence end"),
            ("^u", "Delete to sentence start"),
        ]
        shown = str(app.screen.query_one("#help-text").render())
        assert "In the English box:" in shown and "again, of the segment" in shown
