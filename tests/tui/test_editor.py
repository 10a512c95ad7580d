"""Pilot tests of the workbench: a sample story walked from the list to an exported file."""

from __future__ import annotations

import json

import pytest
from textual.binding import Binding
from textual.message import Message

from desk.cli import Env
from desk.core.story import RevisionKind, SegmentStatus, StoryStatus
from desk.tui import make_app
from desk.tui.screens.conflict import ConflictScreen
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.help import HelpScreen
from desk.tui.screens.story_list import StoryListScreen
from desk.tui.widgets.english_editor import EnglishEditor
from desk.tui.widgets.findings_list import FindingsList
from desk.tui.widgets.story_table import StoryTable
from tests.helpers.tui import SIZE, SLUG, settle, synchronous


@synchronous
async def test_story_list_shows_the_story_and_opens_it(env: Env) -> None:
    """The list shows slug, status and progress; Enter opens the editor on segment 1."""
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, StoryListScreen)
        table = app.screen.query_one(StoryTable)
        cell = {key: table.get_cell(SLUG, key) for key in ("slug", "status", "progress")}
        assert cell == {"slug": SLUG, "status": "new", "progress": "0/35"}
        assert table.get_cell(SLUG, "author") == "importer"
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.current == 1


@synchronous
async def test_help_lists_every_key_of_the_screen(env: Env) -> None:
    """`?` on the list and F1 in the editor open a help naming each binding."""
    app = make_app(env, author="rania")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(f"{k} {d}" for k, d, _ in app.screen.lines)
        assert "Open" in text and "Reload" in text and "Help" in text
        await pilot.press("escape")
        app.screen.query_one(StoryTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        descriptions = {d for _, d, _ in app.screen.lines}
        assert {
            "Next", "Prev", "Confirm+next", "Confirm all", "Glossary fix", "Next finding",
            "Revert", "Diff", "Review", "Approve", "Publish", "Export", "Stories", "Help",
        } <= descriptions  # fmt: skip


@synchronous
async def test_editor_shows_draft_findings_and_diff(env: Env) -> None:
    """The headline's panes: Arabic, the draft with its origin, findings, the diff."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        assert screen.findings is not None and 1 in screen.findings
        draft = str(screen.query_one("#draft").render())
        assert "import" in draft and "Latakia" in draft
        findings = str(screen.query_one("#findings").render())
        assert "Lattakia" in findings
        status = str(screen.query_one("#status").render())
        assert "new" in status and "0/35" in status and "rania" in status
        assert "findings" in status and "scanning" not in status


@synchronous
async def test_every_editor_key_reaches_the_screen_while_typing(env: Env) -> None:
    """No editor binding is shadowed by the focused TextArea's own bindings."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(app.focused, EnglishEditor)
        active = screen.active_bindings
        for binding in EditorScreen.BINDINGS:
            assert isinstance(binding, Binding)
            for key in binding.key.split(","):
                assert active[key].node is screen, f"{key} is taken by {active[key].node}"


@synchronous
async def test_walk_a_story_from_the_list_to_an_exported_file(env: Env) -> None:
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
        assert screen.current == 3
        await pilot.press("ctrl+up")
        assert screen.current == 2

        # Type at the end of segment 2; leaving the segment saves it.
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "n", "o", "w")
        assert editor.text.endswith(" now")
        await pilot.press("ctrl+up")
        assert screen.current == 1

        # Approving too early is refused, with the reason, and nothing moves.
        await pilot.press("f5")
        await pilot.pause()
        refused = [m for m in messages if isinstance(m, EditorScreen.Refused)]
        assert refused and "cannot move a translating story to approved" in refused[0].reason

        # The headline's house spellings, fixed with one key.
        assert screen.findings is not None and 1 in screen.findings
        await pilot.press("ctrl+g")
        assert "Lattakia" in editor.text and "Latakia" not in editor.text
        assert 1 not in screen.findings

        await pilot.press("f3", "f4", "f5", "f9", "f8")
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
    assert [(r.author, r.segment_n) for r in fixes] == [("glossary", 1)]
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
    exported = [m for m in messages if isinstance(m, EditorScreen.Exported)]
    assert len(exported) == 1
    path = exported[0].path
    assert path.parent == env.home / "export" and path.exists()
    content = path.read_text(encoding="utf-8")
    assert "Lattakia" in content and story.segment(2).text in content

    kinds = [type(m).__name__ for m in messages]
    assert {"Saved", "Fixed", "Confirmed", "StatusMoved", "Exported"} <= set(kinds)
    saved = [m for m in messages if isinstance(m, EditorScreen.Saved) and m.changed]
    assert [m.n for m in saved] == [2]
    moved = [m.status for m in messages if isinstance(m, EditorScreen.StatusMoved)]
    assert moved == [StoryStatus.REVIEW, StoryStatus.APPROVED, StoryStatus.PUBLISHED]


@synchronous
async def test_typing_is_saved_after_a_pause(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """A moment after the last key the English is saved, without leaving the segment."""
    monkeypatch.setattr("desk.tui.widgets.english_editor.AUTOSAVE_SECONDS", 0.05)
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        editor = app.screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "x")
        await pilot.pause(0.3)
        assert env.desk.store.load_story(SLUG).segment(1).text.endswith(" x")
        assert any(
            isinstance(m, EnglishEditor.SaveRequested) and m.reason == "timer" for m in messages
        )


@synchronous
async def test_a_conflicting_save_shows_both_texts_and_overwrites_nothing(env: Env) -> None:
    """Someone else saved the segment meanwhile: a dialog shows both; theirs is kept."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        env.desk.edit(SLUG, 1, "Their headline", author="omar")
        editor = app.screen.query_one(EnglishEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "x", "ctrl+down")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert app.screen.theirs == "Their headline" and app.screen.mine.endswith(" x")
        assert app.screen.who == "omar"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert editor.text == "Their headline"
    story = env.desk.store.load_story(SLUG)
    assert story.segment(1).text == "Their headline"
    edits = [r.author for r in env.desk.store.revisions(story.id or 0) if r.kind == "edit"]
    assert edits == ["omar"]


@synchronous
async def test_one_key_fixes_one_finding(env: Env) -> None:
    """Shift+F<N> applies only the segment's N-th fixable finding, as one glossary revision."""
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        findings = str(app.screen.query_one(FindingsList).render())
        assert "1. Latakia → Lattakia" in findings and "[shift+F2]" in findings
        await pilot.press("shift+f2")
        await settle(app)
        text = env.desk.store.load_story(SLUG).segment(1).text
        assert "Latakia countryside" in text and "al-Akrad mountain" in text
        await pilot.press("shift+f1")
        await settle(app)
    text = env.desk.store.load_story(SLUG).segment(1).text
    assert "Lattakia countryside" in text
    fixes = [
        r for r in env.desk.store.revisions(env.desk.store.story_id(SLUG))
        if r.kind == RevisionKind.GLOSSARY
    ]  # fmt: skip
    assert [r.author for r in fixes] == ["glossary", "glossary"]
