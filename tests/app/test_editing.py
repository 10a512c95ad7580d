"""The editing session behind the workbench's editor, tested without a terminal."""

from __future__ import annotations

import sys

import pytest

from desk.app.editing import EditorSession, gate_problems
from desk.app.home import Home
from desk.app.service import GateRefused
from desk.core.errors import ConflictError, RefusedError
from desk.core.story import RevisionKind, SegmentStatus, StoryStatus, WorkflowError

pytestmark = pytest.mark.both_backends

SLUG = "lattakia-offensive"


@pytest.fixture
def session(env: Home) -> EditorSession:
    """Rania editing the Lattakia sample, its glossary scanned."""
    s = EditorSession(env, SLUG, "rania")
    s.findings = s.scan(s.story)
    return s


def test_the_session_loads_no_ui_library() -> None:
    """The session is a plain object: importing it pulls in neither textual nor click."""
    import subprocess

    code = (
        "import sys, desk.app.editing\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'click', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_save_writes_an_edit_and_takes_the_new_version(session: EditorSession) -> None:
    """A save is an `edit` revision by the session's author; the next save expects the new
    version; saving the same text again changes nothing."""
    session.open(2)
    before = session.base_version
    result = session.save("Regime forces advanced in Lattakia.")
    assert result.changed and result.status == StoryStatus.TRANSLATING
    assert session.base_version == before + 1
    seg = session.segment()
    assert seg.text == "Regime forces advanced in Lattakia."
    assert seg.status == SegmentStatus.EDITED and seg.updated_by == "rania"
    log = session.desk.store.revisions(session.story.id or 0)
    assert (log[-2].kind, log[-2].author, log[-2].segment_n) == (RevisionKind.EDIT, "rania", 2)
    assert not session.save("Regime forces advanced in Lattakia.").changed


def test_a_save_over_someone_elses_is_a_conflict_and_mine_can_win(
    session: EditorSession, env: Home
) -> None:
    """Omar saves segment 3 first: Rania's save is refused, nothing lost; their text is
    offered; rebased on it, her text is saved over theirs."""
    session.open(3)
    other = Home(env.path)
    other.desk.edit(SLUG, 3, "Omar's version.", author="omar")
    with pytest.raises(ConflictError, match="omar"):
        session.save("Rania's version.")
    assert session.desk.store.load_story(SLUG).segment(3).text == "Omar's version."
    theirs = session.theirs(3)
    assert theirs.text == "Omar's version." and theirs.updated_by == "omar"
    session.rebase(theirs)
    assert session.save("Rania's version.").changed
    assert session.segment(3).text == "Rania's version."


def test_confirm_one_then_all(session: EditorSession) -> None:
    """Confirming the current segment, then the rest; each only once."""
    session.open(1)
    assert session.confirm([1]) == [1]
    assert session.segment(1).status == SegmentStatus.CONFIRMED
    done = session.confirm(None)
    assert 1 not in done and len(done) == len(session.story.segments) - 1
    assert session.confirm(None) == []


def test_fix_applies_the_segment_s_listed_spellings_as_a_glossary_revision(
    session: EditorSession,
) -> None:
    """The headline's Latakia becomes Lattakia; its findings close; the fix is logged."""
    session.open(1)
    assert 1 in (session.findings or {})
    assert "Latakia" in session.segment().text
    assert session.fix() >= 1
    assert "Lattakia" in session.segment().text and "Latakia" not in session.segment().text
    assert 1 not in (session.findings or {})
    last = session.desk.store.revisions(session.story.id or 0)[-1]
    assert last.kind == RevisionKind.GLOSSARY and last.segment_n == 1
    assert session.fix() == 0  # nothing left to fix


def test_fix_without_a_loaded_glossary_is_refused(env: Home, desk_home: object) -> None:
    """Before any scan has loaded the glossary, a fix says so instead of guessing."""
    fresh = EditorSession(Home(env.path), SLUG, "rania")
    with pytest.raises(RefusedError, match="no glossary"):
        fresh.fix()


def test_revert_and_undo(session: EditorSession) -> None:
    """Revert puts the draft back; undo takes back the last saved change, twice undoes it."""
    session.open(4)
    draft = session.segment().draft
    session.save("A new sentence.")
    session.revert()
    assert session.segment().text == draft
    undone = session.undo()
    assert undone is not None and undone.after == draft
    assert session.segment().text == "A new sentence."
    session.undo()
    assert session.segment().text == draft


def test_undo_with_nothing_saved(session: EditorSession) -> None:
    """A segment nobody changed has nothing to undo."""
    session.open(5)
    assert session.last_change() is None and session.undo() is None


def test_moves_and_the_next_finding(session: EditorSession) -> None:
    """Next and previous stop at the ends; the next finding wraps round."""
    last = len(session.story.segments)
    session.open(last)
    assert session.next_n() == last
    session.open(1)
    assert session.previous_n() == 1 and session.next_n() == 2
    with_findings = sorted(session.findings or {})
    assert with_findings
    session.open(with_findings[-1])
    assert session.next_finding_n() == with_findings[0]
    session.findings = {}
    assert session.next_finding_n() is None


def test_the_workflow_through_the_gate_to_export(session: EditorSession, env: Home) -> None:
    """An illegal move is a WorkflowError; the gate lists what blocks, each item with its
    segment; once fixed, confirmed and the rest dismissed, the story is approved,
    published (frozen) and exported."""
    with pytest.raises(WorkflowError):
        session.move(StoryStatus.APPROVED)
    session.confirm([1, 2, 3])
    assert session.move(StoryStatus.REVIEW) == StoryStatus.REVIEW
    with pytest.raises(GateRefused) as refused:
        session.move(StoryStatus.APPROVED)
    problems = gate_problems(refused.value)
    total = len(session.story.segments)
    assert str(problems[0]) == f"segments not confirmed: 4-{total}"
    assert problems[0].segments[0] == 4 and not problems[0].dismissable
    assert "[1] glossary variant: Latakia → Lattakia (house spelling, places.toml)" in map(
        str, problems
    )
    session.open(1)
    session.fix()  # the headline's listed spellings
    session.confirm(None)
    left = session.desk.open_items(SLUG)
    assert left and all(p.dismissable for p in left) and 1 not in {p.segments[0] for p in left}
    for item in left:
        session.desk.dismiss(SLUG, item.segments[0], 1, "Checked.", author="omar")
    assert session.move(StoryStatus.APPROVED) == StoryStatus.APPROVED
    assert session.move(StoryStatus.PUBLISHED) == StoryStatus.PUBLISHED
    assert not session.editable
    with pytest.raises(WorkflowError):
        session.may_edit()
    path = session.export()
    assert path.parent == env.path / "export" and path.read_text(encoding="utf-8").startswith("---")
    assert session.may_correct()
    assert session.correct("An earlier version misspelt Tel Tamer.") == StoryStatus.CORRECTING
    assert session.editable


def test_export_before_approval_is_gated(session: EditorSession) -> None:
    """Export of a story still in translation is refused with the reason as a problem."""
    with pytest.raises(GateRefused) as refused:
        session.export()
    assert str(refused.value.problems[0]).startswith("the story is")
