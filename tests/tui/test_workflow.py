"""The editor's workflow keys: the QA gate dialog, refusals as notices, corrections."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Input

from desk.app.home import Home
from desk.core.importer import ImportOptions
from desk.core.story import RevisionKind, StoryStatus
from desk.tui import make_app
from desk.tui.screens import editor_messages
from desk.tui.screens.correction import CorrectionScreen
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.qa_gate import QaGateScreen
from desk.tui.widgets.english_editor import EnglishEditor
from tests.helpers.stories import KINDS_AR, KINDS_EN, KINDS_EXPECTED, kinds_glossary
from tests.helpers.tui import SIZE, SLUG, clear_gate, publish, settle, synchronous


@synchronous
async def test_approving_past_the_qa_gate_shows_what_blocks_it(env: Home) -> None:
    """F5 with unconfirmed segments: a dialog lists them; Enter goes to the first."""
    env.desk.confirm(SLUG, [1, 2, 3], author="rania")
    env.desk.set_status(SLUG, StoryStatus.REVIEW, author="rania")
    messages: list[Message] = []
    app = make_app(env, author="omar", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, QaGateScreen)
        # Whole-story problems first, then each segment's items; Enter goes to the first.
        assert dialog.problems[0] == "segments not confirmed: 4-35"
        assert "[1] glossary variant: Latakia → Lattakia (house spelling, places.toml)" in (
            dialog.problems
        )
        assert (
            "[11] glossary missing: al-Akrad missing: the Arabic has جبل الأكراد (places.toml)"
            in (dialog.problems)
        )
        assert dialog.goto == 1
        refused = [m for m in messages if isinstance(m, editor_messages.Refused)]
        assert refused and "segments not confirmed: 4-35" in refused[0].reason
        assert "glossary variant findings in segments 1-2, 21, 26, 32-33" in refused[0].reason
        await pilot.press("ctrl+down", "ctrl+down")  # the dialog is modal: keys stay in it
        assert isinstance(app.screen, QaGateScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and app.screen.session.current == 1
        # Export is gated too, and its dialog says the status is part of it.
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, QaGateScreen)
        assert app.screen.problems[0] == "the story is review, not approved or published"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
    assert env.desk.store.load_story(SLUG).status == StoryStatus.REVIEW


@synchronous
async def test_a_workflow_refusal_is_a_notice_not_the_gate(env: Home) -> None:
    """An illegal move (approve a new story) says why, without the QA dialog."""
    messages: list[Message] = []
    app = make_app(env, author="omar", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        refused = [m for m in messages if isinstance(m, editor_messages.Refused)]
        assert refused[0].action == "start a correction"
        assert "only a published story can be corrected" in refused[0].reason


@synchronous
async def test_a_correction_with_a_note_makes_the_story_editable(env: Home) -> None:
    """F12 on a published story asks for a note, records it, and unlocks the English."""
    publish(env)
    messages: list[Message] = []
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        editor = app.screen.query_one(EnglishEditor)
        assert editor.read_only
        assert "F12: correct" in str(app.screen.query_one("#status").render())

        # An empty note is refused by the core, with its reason.
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, CorrectionScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        refused = [m for m in messages if isinstance(m, editor_messages.Refused)]
        assert refused and "needs a note" in refused[-1].reason

        await pilot.press("f12")
        await pilot.pause()
        app.screen.query_one(Input).value = "the toll was 12, not 21"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert not editor.read_only
        editor.focus()
        editor.move_cursor(editor.document.end)
        await pilot.press("space", "y", "ctrl+down")
        await pilot.pause()

    story = env.desk.store.load_story(SLUG)
    assert story.status == StoryStatus.CORRECTING
    assert story.segment(1).text.endswith(" y")
    revisions = env.desk.store.revisions(story.id or 0)
    opened = [
        (r.author, r.after, r.note)
        for r in revisions
        if r.kind == RevisionKind.CORRECTION and r.segment_n is None
    ]
    assert opened == [("rania", "correcting", "the toll was 12, not 21")]
    # An edit during a correction is recorded as one.
    last = revisions[-1]
    assert (last.author, last.kind, last.segment_n) == ("rania", RevisionKind.CORRECTION, 1)
    moved = [m.status for m in messages if isinstance(m, editor_messages.StatusMoved)]
    assert moved[-1] == StoryStatus.CORRECTING


@synchronous
async def test_a_translator_cannot_approve_or_publish_by_keys(env: Home) -> None:
    """With editors named in the config, F5 and F9 by a translator are refused, saying
    who may; an editor's F5 then meets only the QA gate."""
    (env.path / "config.toml").write_text('[desk]\neditors = ["omar"]\n', encoding="utf-8")
    publishable = Home(env.path)
    publishable.desk.confirm(SLUG, None, author="rania")
    publishable.desk.set_status(SLUG, StoryStatus.REVIEW, author="rania")
    messages: list[Message] = []
    app = make_app(Home(env.path), author="rania", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)  # a refusal, not the gate's dialog
    refused = [m for m in messages if isinstance(m, editor_messages.Refused)]
    assert refused and "only an editor may approve: omar" in refused[0].reason
    app = make_app(Home(env.path), author="omar", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, QaGateScreen)
    assert Home(env.path).desk.store.load_story(SLUG).status == StoryStatus.REVIEW


@synchronous
async def test_each_kind_of_problem_holds_the_story_at_the_keys(
    env: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F5 and F9 on a story with one problem of each kind: the dialog lists every kind
    with its segment and nothing moves; once an editor has fixed the listed spellings
    and dismissed the rest, F5 and F9 approve and publish."""
    monkeypatch.setenv("DESK_GLOSSARY", str(kinds_glossary(tmp_path / "glossary")))
    (tmp_path / "k.ar.md").write_text(KINDS_AR, encoding="utf-8")
    (tmp_path / "k.en.md").write_text(KINDS_EN, encoding="utf-8")
    home = Home(env.path)
    home.desk.import_story(
        tmp_path / "k.ar.md", ImportOptions(draft=tmp_path / "k.en.md", slug="kinds"),
        author="rania",
    )  # fmt: skip
    home.desk.confirm("kinds", None, author="rania")
    home.desk.set_status("kinds", StoryStatus.REVIEW, author="rania")
    app = make_app(Home(env.path), author="omar", slug="kinds")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        for key in ("f5", "f9"):
            await pilot.press(key)
            await pilot.pause()
            dialog = app.screen
            if key == "f9":  # publishing an unapproved story is a workflow refusal
                assert isinstance(dialog, EditorScreen)
                continue
            assert isinstance(dialog, QaGateScreen)
            listed = "\n".join(dialog.problems)
            labels = {
                "number": "number missing or changed", "repeated": "repeated:",
                "arabic": "Arabic letters left", "untranslated": "untranslated:",
            }  # fmt: skip
            for check, n in KINDS_EXPECTED.items():
                label = labels.get(check) or check.replace("glossary:", "glossary ") + ":"
                assert f"[{n}] {label}" in listed, (check, listed)
            await pilot.press("escape")
            await pilot.pause()
        assert home.desk.store.load_story("kinds").status == StoryStatus.REVIEW
        clear_gate(home, "kinds", "omar")
        await pilot.press("f5", "f9")
        await pilot.pause()
    assert home.desk.store.load_story("kinds").status == StoryStatus.PUBLISHED


@synchronous
async def test_revert_on_a_published_story_does_not_get_the_editor_stuck(env: Home) -> None:
    """Ctrl+R on a published story is refused before the box changes (no unsaved draft
    left behind); the notice names F12, and F12 then asks for the correction note."""
    publish(env)
    messages: list[Message] = []
    app = make_app(env, author="omar", slug=SLUG)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.pause()
        editor = app.screen.query_one(EnglishEditor)
        before = editor.text
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert editor.text == before and not editor.dirty
        refused = [m for m in messages if isinstance(m, editor_messages.Refused)]
        assert {m.action for m in refused} == {"revert"}
        assert any("F12 starts a correction" in str(n.message) for n in app._notifications)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, CorrectionScreen)
