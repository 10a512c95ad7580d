"""Machine drafts with the bundled demo model through CTranslate2, as a desk uses them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from desk.core.engine.packages import demo_package_file
from tests.helpers.cli import DeskCli
from tests.helpers.paths import SAMPLES

pytestmark = pytest.mark.both_backends

SLUG = "hassakeh-water"
SOURCE = SAMPLES / f"{SLUG}.ar.md"


def segments(desk: DeskCli, slug: str = SLUG) -> list[dict[str, object]]:
    """The story's segments as `desk show --json` gives them."""
    data = json.loads(desk("show", slug, "--json").output)
    result: list[dict[str, object]] = data["segments"]
    return result


def test_first_import_installs_the_demo_model_and_drafts(desk: DeskCli, desk_home: Path) -> None:
    """With no package installed, import installs the demo model, says so, and drafts."""
    result = desk("import", str(SOURCE), "--as", "tr")
    assert "installed its demo model" in result.stderr
    assert "only knows its training corpus" in result.stderr
    assert (desk_home / "engines").is_dir()
    segs = segments(desk)
    assert all(s["text"] and s["text"] == s["draft"] for s in segs)
    assert all(s["engine"] == "argos" and "(demo model)" in str(s["model"]) for s in segs)
    shown = desk("show", SLUG).output
    assert "draft from argos (translate-ar_en-" in shown and "(demo model))" in shown
    log = json.loads(desk("log", SLUG, "--json", "--kind", "mt").output)
    assert len(log) == len(segs) and {r["author"] for r in log} == {"argos"}
    note = json.loads(log[0]["note"])
    assert note["demo"] is True and note["options"]["beam"] == 4 and note["requested_by"] == "tr"
    # The second import does not install again.
    second = desk("import", str(SAMPLES / "idleb-displacement.ar.md"))
    assert "installed its demo model" not in second.stderr


def test_draft_keeps_what_people_wrote_unless_forced(desk: DeskCli) -> None:
    """Redrafting leaves edited and confirmed segments alone; --force redrafts them, logged."""
    desk("import", str(SOURCE), "--as", "tr")
    desk("edit", SLUG, "2", "--text", "A translator's own sentence.", "--as", "tr")
    desk("confirm", SLUG, "3", "--as", "tr")
    result = desk("draft", SLUG, "--as", "tr")
    assert "Left 2 segment(s) people have worked on: 2-3" in result.output
    segs = segments(desk)
    assert segs[1]["text"] == "A translator's own sentence."
    desk("draft", SLUG, "--segments", "2", "--force", "--fast", "--as", "ed")
    segs = segments(desk)
    assert segs[1]["text"] != "A translator's own sentence." and segs[1]["status"] == "draft"
    last = json.loads(desk("log", SLUG, "--json", "--kind", "mt").output)[-1]
    assert last["segment"] == 2 and last["before"] == "A translator's own sentence."
    assert json.loads(last["note"])["options"]["beam"] == 1
    assert json.loads(last["note"])["requested_by"] == "ed"


def test_engine_none_and_no_mt(desk: DeskCli) -> None:
    """`--no-mt`, `--engine none` and `desk engine use none` leave the English empty."""
    desk("import", str(SOURCE), "--no-mt")
    assert {s["text"] for s in segments(desk)} == {""}
    desk("draft", SLUG, "--engine", "none")
    assert {s["text"] for s in segments(desk)} == {""}
    desk("engine", "use", "none")
    desk("import", str(SAMPLES / "idleb-displacement.ar.md"))
    assert {s["text"] for s in segments(desk, "idleb-displacement")} == {""}


def test_published_story_is_not_redrafted(desk: DeskCli) -> None:
    """A published story cannot be redrafted: the workflow refuses before the engine runs."""
    desk("import", str(SOURCE), "--as", "tr")
    desk("confirm", SLUG, "--all")
    desk("status", SLUG, "review")
    desk("status", SLUG, "approved")
    desk("publish", SLUG)
    result = desk("draft", SLUG, "--force", ok=False)
    assert result.exit_code == 4 and "published and frozen" in result.stderr


def test_export_names_the_demo_model(desk: DeskCli, tmp_path: Path) -> None:
    """The exported front matter carries the engine provenance, labelled demo model."""
    desk("import", str(SOURCE), "--as", "tr")
    desk("confirm", SLUG, "--all")
    desk("status", SLUG, "review")
    desk("status", SLUG, "approved")
    out = desk("export", SLUG, "--stdout").stdout
    front = yaml.safe_load(out.split("---\n")[1])
    assert front["engine"] == ["argos: translate-ar_en-0_1_0-demo 0.1.0 (demo model)"]


def test_install_the_demo_file_offline_and_draft_with_it(desk: DeskCli, desk_home: Path) -> None:
    """`desk engine install FILE` with the real demo archive, then drafts come from it."""
    result = desk("engine", "install", str(demo_package_file()))
    assert "Installed translate-ar_en-" in result.output
    listing = json.loads(desk("engine", "list", "--json").output)
    assert [(p["demo"], p["in_use"], p["where"]) for p in listing] == [(True, True, "desk")]
    assert "(demo model)" in desk("engine", "list").output
    desk("import", str(SOURCE), "--no-mt")
    result = desk("draft", SLUG, "--segments", "1-3")
    assert "installed its demo model" not in result.stderr
    texts = [s["text"] for s in segments(desk)]
    assert all(texts[:3]) and not any(texts[3:])


def test_drafts_get_the_house_spellings(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a glossary, each machine draft is followed by a `glossary` revision fixing its
    spellings; a redraft still treats those segments as untouched; --no-glossary opts out."""
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "places.toml").write_text(
        '[lattakia]\ncanonical = "Lattakia"\narabic = ["اللاذقية"]\n'
        'variants = ["Latakia"]\nkind = "place"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("DESK_GLOSSARY", str(folder))
    story = "lattakia-offensive"
    result = desk("import", str(SAMPLES / f"{story}.ar.md"), "--as", "tr")
    assert "Applied the glossary's house spellings" in result.output
    segs = segments(desk, story)
    assert "Latakia" in str(segs[0]["draft"]) and "Lattakia" in str(segs[0]["text"])
    assert not any("Latakia" in str(s["text"]) for s in segs)
    fixes = json.loads(desk("log", story, "--json", "--kind", "glossary").output)
    # The person who asked for the draft applied them; the note names the rules.
    assert fixes and {r["author"] for r in fixes} == {"tr"}
    assert {json.loads(r["note"])["rules"] for r in fixes} == {"desk glossary"}
    # The glossary's fixes are not a person's work: a redraft leaves those segments as
    # drafted already by this model, not as worked on...
    redraft = desk("draft", story, "--no-glossary")
    assert "already drafted by argos" in redraft.stderr and "people have" not in redraft.output
    # ...and --force redrafts them, here without the house spellings.
    desk("draft", story, "--no-glossary", "--force")
    assert any("Latakia" in str(s["text"]) for s in segments(desk, story))


def test_import_with_a_broken_engine_stores_nothing(desk: DeskCli) -> None:
    """The desk's engine is chosen before the story is stored: a pinned package removed by
    hand refuses the import (exit 7, one line naming it) with nothing stored, so the same
    import works once the engine is fixed (not a duplicate slug)."""
    desk("engine", "install", str(demo_package_file()))
    (package,) = json.loads(desk("engine", "list", "--json").output)
    desk("engine", "use", package["name"])
    shutil.rmtree(package["path"])
    result = desk("import", str(SOURCE), ok=False)
    assert result.exit_code == 7 and "Traceback" not in result.stderr
    (error,) = result.stderr.splitlines()
    assert error.startswith("Error: ") and package["name"] in error
    assert "Imported" not in result.output
    assert json.loads(desk("list", "--json").output) == []
    desk("engine", "use", "argos")
    desk("import", str(SOURCE))
    assert all(s["text"] for s in segments(desk))


def test_import_with_a_broken_glossary_stores_nothing(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The glossary the draft would get its spellings from is read before the story is
    stored: a broken file refuses the import, naming it, with nothing stored; fixed (or
    with --no-glossary) the same import works."""
    folder = tmp_path / "glossaries"
    folder.mkdir()
    broken = folder / "places.toml"
    broken.write_text('[lattakia]\ncanonical = "Lattakia\n', encoding="utf-8")
    monkeypatch.setenv("DESK_GLOSSARY", str(folder))
    result = desk("import", str(SOURCE), ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "places.toml" in result.stderr.splitlines()[-1]
    assert json.loads(desk("list", "--json").output) == []
    desk("import", str(SOURCE), "--no-glossary")
    assert all(s["text"] for s in segments(desk))


def mt_revisions(desk: DeskCli, slug: str = SLUG) -> int:
    """How many `mt` revisions the story's log holds."""
    return len(json.loads(desk("log", slug, "--json", "--kind", "mt").output))


def test_a_story_drafted_at_import_is_not_drafted_again(desk: DeskCli) -> None:
    """`desk draft` on a story drafted at import by the same model with the same options
    drafts nothing and adds no revision, and says so: how many, by which model, and that
    --force redrafts them; --force runs the engine, and drafts that come out as they were
    still add no revision."""
    desk("import", str(SOURCE), "--as", "tr")
    count, logged = len(segments(desk)), mt_revisions(desk)
    result = desk("draft", SLUG, "--as", "tr")
    assert result.stdout == ""
    assert result.stderr.startswith("Nothing to draft.\n")
    assert (
        f"Left {count} segment(s) already drafted by argos translate-ar_en-0_1_0-demo 0.1.0 "
        f"(demo model) with the same options: 1-{count} (drafting them again would give the "
        "same drafts; --force redrafts them)"
    ) in result.stderr
    assert mt_revisions(desk) == logged
    forced = desk("draft", SLUG, "--force", "--as", "tr")
    assert f"Drafted {count} segment(s) in " in forced.stdout
    assert f"{count} of them came out exactly as they were" in forced.stderr
    assert mt_revisions(desk) == logged


def test_other_options_redraft_but_never_a_person_s_work(desk: DeskCli) -> None:
    """Other decoding options make other drafts, so --fast drafts again what the beam
    drafted; a segment a person edited is still left (and said) unless --force."""
    desk("import", str(SOURCE), "--as", "tr")
    desk("edit", SLUG, "2", "--text", "A translator's own sentence.", "--as", "tr")
    before = {n: segments(desk)[n - 1]["text"] for n in (1, 3)}
    result = desk("draft", SLUG, "--segments", "1-3", "--fast", "--as", "tr")
    assert "Drafted 2 segment(s) in " in result.stdout
    assert "Left 1 segment(s) people have worked on: 2 (--force overwrites them)" in result.stderr
    assert segments(desk)[1]["text"] == "A translator's own sentence."
    greedy = {
        r["segment"]
        for r in json.loads(desk("log", SLUG, "--json", "--kind", "mt").output)
        if json.loads(r["note"])["options"]["beam"] == 1
    }
    # Each was drafted greedily: logged so, or (the same words as the beam's) unchanged.
    for n in (1, 3):
        assert n in greedy or segments(desk)[n - 1]["text"] == before[n]
    assert 2 not in greedy


def on_a_terminal(*args: str) -> bytes:
    """What `desk ARGS` draws on stderr when stderr is a terminal (stdout into a pipe)."""
    command = [sys.executable, "-m", "desk", *args]
    master, slave = os.openpty()
    drawn = b""
    try:
        with subprocess.Popen(command, stderr=slave, stdout=subprocess.DEVNULL) as run:
            os.close(slave)
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the terminal's other end closed: desk is done
                    break
                if not chunk:
                    break
                drawn += chunk
        assert run.returncode == 0, drawn
    finally:
        os.close(master)
    return drawn


def test_the_drafting_bar_counts_the_segments_the_engine_drafts(desk: DeskCli) -> None:
    """On a terminal, a bar on stderr counts the segments the engine drafts (not one a
    person edited, so it ends at 100%); with nothing to draft, no bar at all."""
    desk("import", str(SOURCE), "--no-mt", "--as", "tr")
    desk("edit", SLUG, "1", "--text", "A translator's own headline.", "--as", "tr")
    drawn = on_a_terminal("draft", SLUG, "--as", "tr")
    assert b"Drafting " + SLUG.encode() + b" with argos" in drawn
    assert b"Drafting  [" in drawn and b"100%" in drawn, drawn
    again = on_a_terminal("draft", SLUG, "--as", "tr")
    assert b"Drafting  [" not in again and b"Nothing to draft." in again


def test_batch_tokens_and_threads_change_the_work_not_the_drafts(desk: DeskCli) -> None:
    """--batch-tokens (a small budget: many small batches) and --threads 1 give the same
    drafts as the defaults, written in segment order; out of range is a usage error."""
    desk("import", str(SOURCE), "--no-mt", "--as", "tr")
    desk("draft", SLUG, "--no-glossary", "--as", "tr")
    expected = [s["draft"] for s in segments(desk)]
    assert all(expected)
    result = desk(
        "draft", SLUG, "--no-glossary", "--force", "--batch-tokens", "8", "--threads", "1"
    )
    assert f"{len(expected)} of them came out exactly as they were" in result.stderr
    assert [s["draft"] for s in segments(desk)] == expected
    log = json.loads(desk("log", SLUG, "--json", "--kind", "mt").output)
    assert [r["segment"] for r in log] == list(range(1, len(expected) + 1))
    bad = desk("draft", SLUG, "--batch-tokens", "0", ok=False)
    assert bad.exit_code == 2 and "is not in the range" in bad.stderr
    assert "--batch-tokens" in desk("draft", "--help").output
