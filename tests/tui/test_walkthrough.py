"""A sample story walked through the workbench from the list to an exported file."""

from __future__ import annotations

import json

from textual.message import Message

from desk.app.home import Home
from desk.core.story import RevisionKind, SegmentStatus, StoryStatus
from desk.tui import make_app
from desk.tui.screens import editor_messages
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.qa_gate import QaGateScreen
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.story_table import StoryTable
from tests.helpers.tui import SIZE, SLUG, clear_gate, settle, synchronous


@synchronous
async def test_walk_a_story_from_the_list_to_an_exported_file(env: Home) -> None:
    """Open, move, type, fix, confirm all, review, approve, publish, export: all recorded."""
    messages: list[Message] = []
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        app.screen.query_one(StoryTable).focus()
        await pilot.press("enter")
        await settle(app)
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        editor = screen.query_one(EnglishEditor)
        assert editor.has_focus

        # Move down and back up with the editor focused.
        await pilot.press("ctrl+down", "ctrl+down")
        assert screen.session.current == 3
        await pilot.press("ctrl+up")
        assert screen.session.current == 2

        # Type at the end of segment 2; leaving the segment saves it.
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "n", "o", "w")
        assert editor.text.endswith(" now")
        await pilot.press("ctrl+up")
        assert screen.session.current == 1

        # Approving too early is refused, with the reason, and nothing moves.
        await pilot.press("f5")
        await pilot.pause()
        refused = [m for m in messages if isinstance(m, editor_messages.Refused)]
        assert refused and "cannot move a translating story to approved" in refused[0].reason

        # The headline's house spellings, fixed with one key.
        assert screen.session.findings is not None and 1 in screen.session.findings
        await pilot.press("ctrl+g")
        assert "Lattakia" in editor.text and "Latakia" not in editor.text
        assert 1 not in screen.session.findings

        await pilot.press("f3", "f4")
        await pilot.pause()
        # In review the QA gate holds the story for what the draft still gets wrong; an
        # editor checks each item against the Arabic and dismisses it with a reason.
        assert env.desk.open_items(SLUG)
        await pilot.press("f5")
        await pilot.pause()
        assert env.desk.store.load_story(SLUG).status == StoryStatus.REVIEW
        assert isinstance(app.screen, QaGateScreen)
        await pilot.press("escape")
        clear_gate(env, SLUG, "omar", fix=False)
        await pilot.press("f5", "f9", "f8")
        await pilot.pause()

    store = env.desk.store
    story = store.load_story(SLUG)
    assert story.status == StoryStatus.PUBLISHED
    assert all(s.status == SegmentStatus.CONFIRMED for s in story.segments)
    assert story.segment(2).text.endswith(" now")
    revisions = store.revisions(story.id or 0)
    edits = [r for r in revisions if r.kind == RevisionKind.EDIT]
    assert [(r.author, r.segment_n) for r in edits] == [("rania", 2)]
    fixes = [r for r in revisions if r.kind == RevisionKind.GLOSSARY]
    assert [(r.author, r.segment_n) for r in fixes] == [("rania", 1)]  # the key presser
    assert json.loads(fixes[0].note)["requested_by"] == "rania"
    assert "Lattakia" in fixes[0].after
    moves = [
        (r.author, r.before, r.after)
        for r in revisions
        if r.kind == RevisionKind.STATUS and r.segment_n is None
    ]
    assert moves == [
        ("rania", "new", "translating"),
        ("rania", "translating", "review"),
        ("rania", "review", "approved"),
        ("rania", "approved", "published"),
    ]
    confirms = [r for r in revisions if r.kind == RevisionKind.STATUS and r.segment_n]
    assert len(confirms) == 35 and {r.author for r in confirms} == {"rania"}

    # A bubbling message is seen once per node it visits: count each message once.
    messages = list({id(m): m for m in messages}.values())
    exported = [m for m in messages if isinstance(m, editor_messages.Exported)]
    assert len(exported) == 1
    path = exported[0].path
    assert path.parent == env.path / "export" and path.exists()
    content = path.read_text(encoding="utf-8")
    assert "Lattakia" in content and story.segment(2).text in content

    kinds = [type(m).__name__ for m in messages]
    assert {"Saved", "Fixed", "Confirmed", "StatusMoved", "Exported"} <= set(kinds)
    saved = [m for m in messages if isinstance(m, editor_messages.Saved) and m.changed]
    assert [m.n for m in saved] == [2]
    moved = [m.status for m in messages if isinstance(m, editor_messages.StatusMoved)]
    assert moved == [StoryStatus.REVIEW, StoryStatus.APPROVED, StoryStatus.PUBLISHED]
