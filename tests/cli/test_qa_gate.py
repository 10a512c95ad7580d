"""The QA gate from the command line: each kind of problem holds a story back until it
is fixed or an editor dismisses it; roles decide who approves, publishes and forces."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers.cli import DeskCli
from tests.helpers.stories import KINDS_AR, KINDS_EN, KINDS_EXPECTED, kinds_glossary

pytestmark = pytest.mark.both_backends

SLUG = "kinds"


@pytest.fixture
def kinds(desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DeskCli:
    """A confirmed story in review with one problem of each kind; omar and salma edit."""
    monkeypatch.setenv("DESK_GLOSSARY", str(kinds_glossary(tmp_path / "glossary")))
    home = Path(os.environ["DESK_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[desk]\neditors = ["omar", "salma"]\n', encoding="utf-8")
    (tmp_path / "k.ar.md").write_text(KINDS_AR, encoding="utf-8")
    (tmp_path / "k.en.md").write_text(KINDS_EN, encoding="utf-8")
    desk("import", str(tmp_path / "k.ar.md"), "--draft", str(tmp_path / "k.en.md"),
         "--slug", SLUG, "--as", "rania")  # fmt: skip
    desk("confirm", SLUG, "--all", "--as", "rania")
    desk("status", SLUG, "review", "--as", "rania")
    return desk


def open_items(desk: DeskCli) -> list[dict[str, object]]:
    """`desk qa --json`."""
    return list(json.loads(desk("qa", SLUG, "--json", ok=False).output))


def test_each_kind_blocks_approval_and_publication(kinds: DeskCli) -> None:
    """Every kind is listed with its segment; approve is refused naming them."""
    items = open_items(kinds)
    found = {(str(i["check"]), i["segments"][0]) for i in items}  # type: ignore[index]
    assert set(KINDS_EXPECTED.items()) <= found, sorted(found)
    refused = kinds("status", SLUG, "approved", "--as", "omar", ok=False)
    assert refused.exit_code == 4
    for label in ("glossary variant", "glossary source", "glossary missing", "glossary unlisted",
                  "glossary invented", "numbers missing", "repeated words", "Arabic letters",
                  "untranslated"):  # fmt: skip
        assert label in refused.stderr, label
    assert kinds("publish", SLUG, "--as", "omar", ok=False).exit_code == 4


def test_fixes_and_dismissals_let_it_through(kinds: DeskCli) -> None:
    """Listed spellings fixed, the rest dismissed by an editor with reasons: approved and
    published; every dismissal is in the log with its reason."""
    kinds("glossary", "fix", SLUG, "--as", "rania")
    fixed = {str(i["check"]) for i in open_items(kinds)}
    assert "glossary:variant" not in fixed and "glossary:source" not in fixed
    # A translator may not dismiss; an editor must give a reason.
    first = open_items(kinds)[0]
    n = str(first["segments"][0])  # type: ignore[index]
    assert kinds("dismiss", SLUG, n, "1", "--reason", "x", "--as", "rania", ok=False).exit_code == 4
    no_reason = kinds("dismiss", SLUG, n, "1", "--reason", " ", "--as", "omar", ok=False)
    assert no_reason.exit_code == 1 and "needs a reason" in no_reason.stderr
    for item in open_items(kinds):
        seg = str(item["segments"][0])  # type: ignore[index]
        kinds("dismiss", SLUG, seg, "1", "--as", "omar", "--reason", f"Checked ({item['check']}).")
    assert kinds("qa", SLUG).exit_code == 0
    kinds("status", SLUG, "approved", "--as", "omar")
    kinds("publish", SLUG, "--as", "salma")
    log = json.loads(kinds("log", SLUG, "--json", "--kind", "dismiss").output)
    assert len(log) >= len(KINDS_EXPECTED) - 2 and {r["author"] for r in log} == {"omar"}
    assert all(json.loads(r["note"])["reason"].startswith("Checked") for r in log)
    assert "(why: Checked" in kinds("log", SLUG, "--kind", "dismiss").output


def test_force_is_for_editors_and_logged_with_the_list(kinds: DeskCli) -> None:
    """A translator's --force is refused; an editor's passes and the log lists what it
    overrode."""
    refused = kinds("status", SLUG, "approved", "--force", "--as", "rania", ok=False)
    assert refused.exit_code == 4 and "only an editor may approve" in refused.stderr
    kinds("status", SLUG, "approved", "--force", "--as", "omar")
    note = json.loads(kinds("log", SLUG, "--json", "--kind", "status").output)[-1]["note"]
    assert note.startswith("forced past the QA gate:") and "glossary invented" in note
    assert kinds("export", SLUG, "--stdout", "--as", "rania", ok=False).exit_code == 4
    forced = kinds("export", SLUG, "--stdout", "--force", "--as", "rania", ok=False)
    assert forced.exit_code == 4 and "only an editor may export past the QA gate" in forced.stderr


def test_roles_for_approval_publication_and_corrections(kinds: DeskCli) -> None:
    """Only editors approve and publish; an editor who wrote most of the English does
    not approve it (unless self_approve); corrections need an editor."""
    for item in open_items(kinds):
        kinds("dismiss", SLUG, str(item["segments"][0]), "1", "--as", "omar",  # type: ignore[index]
              "--reason", "Checked.")  # fmt: skip
    translator = kinds("status", SLUG, "approved", "--as", "rania", ok=False)
    assert translator.exit_code == 4
    assert "only an editor may approve: omar, salma ([desk] editors" in translator.stderr
    # salma rewrites most of the story: she may not approve it herself.
    kinds("status", SLUG, "translating", "--as", "salma")
    for n in range(1, 7):
        kinds("edit", SLUG, str(n), "--as", "salma", "--text", f"Sentence {n} by Salma.")
    kinds("confirm", SLUG, "--all", "--as", "salma")
    kinds("status", SLUG, "review", "--as", "salma")
    for item in open_items(kinds):
        kinds("dismiss", SLUG, str(item["segments"][0]), "1", "--as", "omar",  # type: ignore[index]
              "--reason", "Checked.")  # fmt: skip
    own = kinds("status", SLUG, "approved", "--as", "salma", ok=False)
    assert own.exit_code == 4 and "salma wrote most of this story's English (6 of 9" in own.stderr
    assert "another editor (omar) approves it" in own.stderr
    kinds("status", SLUG, "approved", "--as", "omar")
    assert kinds("publish", SLUG, "--as", "rania", ok=False).exit_code == 4
    kinds("publish", SLUG, "--as", "salma")
    assert kinds("correct", SLUG, "--note", "A fix.", "--as", "rania", ok=False).exit_code == 4
    kinds("correct", SLUG, "--note", "A fix.", "--as", "salma")


def write_and_approve_alone(desk: DeskCli, tmp_path: Path, who: str) -> None:
    """`who` imports a two-segment story, writes all its English, and approves it."""
    (tmp_path / "a.ar.md").write_text("# عنوان\n\nجملة.\n", encoding="utf-8")
    desk("import", str(tmp_path / "a.ar.md"), "--slug", "solo", "--no-mt", "--as", who)
    desk("edit", "solo", "1", "--text", "Headline", "--as", who)
    desk("edit", "solo", "2", "--text", "A sentence.", "--as", who)
    desk("confirm", "solo", "--all", "--as", who)
    desk("status", "solo", "review", "--as", who)
    desk("status", "solo", "approved", "--as", who)


def test_a_one_person_desk_approves_its_own_work(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With self_approve, an editor who wrote the story approves it."""
    home = Path(os.environ["DESK_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        '[desk]\neditors = ["nour"]\nself_approve = true\n', encoding="utf-8"
    )
    write_and_approve_alone(desk, tmp_path, "nour")


def test_bad_role_settings_are_refused(desk: DeskCli) -> None:
    """A config whose [desk] editors is not a list of names is refused, naming it."""
    home = Path(os.environ["DESK_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[desk]\neditors = "omar"\n', encoding="utf-8")
    result = desk("list", ok=False)
    assert result.exit_code == 1 and "[desk] editors must be a list of names" in result.stderr
    assert "Traceback" not in result.stderr


def test_what_the_red_team_found_stays_fixed(
    kinds: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items are numbered once each; a forced export that cannot be written logs nothing;
    a broken glossary after a move to review warns instead of failing; reasons and names
    with control characters are refused; a segment cannot hold a novel."""
    desk = kinds
    desk("status", SLUG, "translating", "--as", "omar")
    desk("edit", SLUG, "5", "--text", "Activists said that and and others and and fled.")
    listed = [line for line in desk("qa", SLUG, ok=False).output.splitlines() if "[5]" in line]
    numbers = [line.rsplit("(item ", 1)[1] for line in listed]
    assert numbers == [f"{i})" for i in range(1, len(listed) + 1)]
    # A forced export into a folder under a file: refused, and no override in the log.
    before = len(json.loads(desk("log", SLUG, "--json").output))
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    out = str(tmp_path / "afile" / "sub")
    assert desk("export", SLUG, "--force", "--as", "omar", "--out", out, ok=False).exit_code == 1
    assert len(json.loads(desk("log", SLUG, "--json").output)) == before
    # A broken glossary: the move to review stands, with a warning, no traceback.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.toml").write_text("x = [\n", encoding="utf-8")
    monkeypatch.setenv("DESK_GLOSSARY", str(broken))
    desk("confirm", SLUG, "--all", "--as", "omar")
    moved = desk("status", SLUG, "review", "--as", "omar")
    assert "could not check the QA gate" in moved.stderr and "Traceback" not in moved.stderr
    # Reasons and names must read as they are; a reason is a sentence, not a file.
    bad = desk("dismiss", SLUG, "5", "1", "--as", "omar", "--reason", "ok \x1b]0;x\x07", ok=False)
    assert bad.exit_code == 1 and "control" in bad.stderr
    long = desk("dismiss", SLUG, "5", "1", "--as", "omar", "--reason", "x" * 2000, ok=False)
    assert long.exit_code == 1 and "at most" in long.stderr
    name = desk("edit", SLUG, "4", "--text", "Fine.", "--as", "edi\u202etor", ok=False)
    assert name.exit_code == 1 and "control, bidi or zero-width" in name.stderr
    novel = desk("edit", SLUG, "4", "--text", "word " * 3000, "--as", "omar", ok=False)
    assert novel.exit_code == 1 and "at most 10,000" in novel.stderr


def test_a_config_that_is_not_a_file_is_a_clear_error(desk: DeskCli) -> None:
    """config.toml as a folder: one line naming it, exit 1."""
    home = Path(os.environ["DESK_HOME"])
    (home / "config.toml").mkdir(parents=True)
    result = desk("list", ok=False)
    assert (
        result.exit_code == 1 and "config.toml: the config is not a regular file" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_no_roles_set_means_anyone_approves_their_own_work(desk: DeskCli, tmp_path: Path) -> None:
    """Without [desk] editors, the one person who wrote the story approves it."""
    write_and_approve_alone(desk, tmp_path, "bob")
