"""Redraft in the editor: the segment or the untouched rest of the story, in a worker."""

from __future__ import annotations

import json

from textual.message import Message

from desk.app.home import Home
from desk.core.story import RevisionKind, SegmentStatus
from desk.tui import make_app
from desk.tui.screens import editor_messages
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.redraft import Redrafter
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.status_header import StatusHeader
from tests.helpers.tui import SIZE, SLUG, notices, once, publish, settle, synchronous


@synchronous
async def test_redraft_segment_runs_the_engine_in_a_worker(env: Home) -> None:
    """The key drafts the current segment again (demo model), saved as `mt`, shown at once."""
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app)
        await pilot.press("ctrl+down")
        screen = app.screen
        assert isinstance(screen, EditorScreen) and screen.session.current == 2
        editor = screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "x")  # unsaved typing is saved before the redraft
        await pilot.press("ctrl+right_square_bracket")
        await settle(app)
        await pilot.pause()
        story = env.desk.store.load_story(SLUG)
        seg = story.segment(2)
        assert seg.engine == "argos" and "demo model" in seg.model
        assert seg.status == SegmentStatus.DRAFT
        assert editor.text == seg.text and screen.session.base_version == seg.version
        assert "drafting" not in str(screen.query_one(StatusHeader).render())
        assert any("Redrafted 1 segment(s)." in n for n in notices(app))
    revisions = env.desk.store.revisions(story.id or 0)
    mt = [r for r in revisions if r.kind == RevisionKind.MT]
    assert [(r.author, r.segment_n) for r in mt] == [("argos", 2)]
    assert mt[0].before.endswith(" x")  # the typing was saved first, then redrafted
    assert json.loads(mt[0].note)["requested_by"] == "rania"
    arrived = once(messages, Redrafter.Redrafted)
    assert [(m.n, m.done, m.total) for m in arrived] == [(2, 1, 1)]
    finished = once(messages, Redrafter.RedraftFinished)
    assert [(m.drafted, m.error) for m in finished] == [([2], "")]


@synchronous
async def test_redraft_story_drafts_untouched_segments_row_by_row(env: Home) -> None:
    """Only segments nobody worked on are redrafted; each row arrives with its progress."""
    env.desk.confirm(SLUG, list(range(4, 36)), author="omar")
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app)
        await pilot.press("ctrl+backslash")
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        assert screen.query_one(EnglishEditor).text == screen.session.story.segment(1).text
        assert any("Redrafted 3 segment(s)." in n for n in notices(app))
        arrived = once(messages, Redrafter.Redrafted)
        assert sorted(m.n for m in arrived) == [1, 2, 3]
        assert [(m.done, m.total) for m in arrived] == [(1, 3), (2, 3), (3, 3)]
        screen.post_message(Redrafter.Redrafted(2, 2, 3))  # as a draft arrives: the header
        await pilot.pause()
        assert "drafting 2/3" in str(screen.query_one(StatusHeader).render())
    story = env.desk.store.load_story(SLUG)
    assert [s.engine for s in story.segments[:4]] == ["argos", "argos", "argos", "import"]


@synchronous
async def test_redraft_story_again_says_the_drafts_are_current(env: Home) -> None:
    """A second redraft of the story finds its untouched segments drafted by the same
    model and options: it drafts none and says so, not just "Redrafted 0"."""
    env.desk.confirm(SLUG, list(range(4, 36)), author="omar")
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app)
        for _ in range(2):
            await pilot.press("ctrl+backslash")
            await settle(app)
            await pilot.pause()
        finished = once(messages, Redrafter.RedraftFinished)
        assert [(m.drafted, m.current) for m in finished] == [([1, 2, 3], []), ([], [1, 2, 3])]
        assert "demo model" in finished[1].current_by
        said = [n for n in notices(app) if "already drafted by" in n]
        assert said and "Left 3 already drafted by" in said[0]
        assert "Redrafted 0 segment(s)." in said[0]


@synchronous
async def test_redraft_is_refused_for_a_published_story(env: Home) -> None:
    """A published story is frozen: the core's reason, and no engine runs."""
    publish(env)
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+right_square_bracket", "ctrl+backslash")
        await settle(app)
    refused = once(messages, editor_messages.Refused)
    assert [m.action for m in refused] == ["redraft", "redraft"]
    assert all("published and frozen" in m.reason for m in refused)
    assert not once(messages, Redrafter.Redrafted)
