"""`desk glossary` end to end: files edited in place, checks, fixes as revisions, lint."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from desk.core.glossary.folder import folder_lock
from desk.core.glossary.model import load_folder
from tests.helpers.cli import DeskCli
from tests.helpers.paths import FIXTURES, ROOT, SAMPLES

SMALL = """\
# Test glossary: a few house spellings.

[lattakia]
canonical = "Lattakia"
arabic = ["اللاذقية"]
variants = ["Latakia"]
kind = "place"
notes = "Coastal governorate and city."

# The mountain, not the people.
[al-akrad]
canonical = "al-Akrad"
arabic = ["جبل الأكراد"]
variants = ["Al-Akrad"]
kind = "place"

[hassakeh]
canonical = "Hassakeh"
arabic = ["الحسكة"]
variants = ["Hasakah", "Al-Hasakah", "al-Hasakah"]
kind = "place"

[abu-humam-al-shami]
canonical = "Abu Humam al-Shami"
arabic = ["أبو همام الشامي"]
variants = ["Abu Hammam al-Shami"]
kind = "person"
"""


@pytest.fixture
def glossary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A glossary folder with one small file, chosen through $DESK_GLOSSARY."""
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "places.toml").write_text(SMALL, encoding="utf-8")
    monkeypatch.setenv("DESK_GLOSSARY", str(folder))
    return folder


def test_check_a_draft_file_lists_the_variants(desk: DeskCli, glossary: Path) -> None:
    """`check FILE --source AR` reports each listed variant; exit 1 when there are findings."""
    draft = SAMPLES / "lattakia-offensive.draft.en.md"
    result = desk(
        "glossary", "check", str(draft), "--source", str(SAMPLES / "lattakia-offensive.ar.md"),
        ok=False,
    )  # fmt: skip
    assert result.exit_code == 1
    out = result.output
    assert "Latakia → Lattakia" in out and "Al-Akrad → al-Akrad" in out
    assert "Abu Hammam al-Shami → Abu Humam al-Shami" in out
    assert "Hasakah → Hassakeh" in out


def test_check_exit_codes(desk: DeskCli, glossary: Path, tmp_path: Path) -> None:
    """0 for a clean file, 1 for findings, 2 for an error (unknown slug, broken glossary)."""
    clean = tmp_path / "clean.md"
    clean.write_text("Regime forces shelled Lattakia and Hassakeh.\n", encoding="utf-8")
    assert desk("glossary", "check", str(clean)).exit_code == 0
    dirty = tmp_path / "dirty.md"
    dirty.write_text("Regime forces shelled Latakia.\n", encoding="utf-8")
    assert desk("glossary", "check", str(dirty), ok=False).exit_code == 1
    missing = desk("glossary", "check", "no-such-story", ok=False)
    assert missing.exit_code == 2 and "no-such-story" in missing.stderr
    (glossary / "broken.toml").write_text("[x]\ncanonical = \n", encoding="utf-8")
    broken = desk("glossary", "check", str(clean), ok=False)
    assert broken.exit_code == 2 and "broken.toml" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_fix_writes_glossary_revisions(desk: DeskCli, glossary: Path) -> None:
    """`fix SLUG` applies listed variants as `glossary` revisions, shown by log and diff."""
    story = "lattakia-offensive"
    desk(
        "import", str(SAMPLES / f"{story}.ar.md"),
        "--draft", str(SAMPLES / f"{story}.draft.en.md"), "--as", "tr",
    )  # fmt: skip
    result = desk("glossary", "fix", story, "--as", "rania")
    assert "Latakia → Lattakia" in result.output
    log = json.loads(desk("log", story, "--json", "--kind", "glossary").output)
    # Fixes are the person's; the note names the rules and that nothing was "accepted".
    assert log and {r["author"] for r in log} == {"rania"}
    notes = [json.loads(r["note"]) for r in log]
    assert {(n["rules"], n["accepted"]) for n in notes} == {("desk glossary", False)}
    headline = json.loads(desk("show", story, "--json").output)["segments"][0]["text"]
    assert "Lattakia countryside" in headline and "al-Akrad mountain" in headline
    diff = desk("diff", story, "--from", "draft", "--to", "now", "--segment", "1").output
    assert "[-Latakia-] {+Lattakia+}" in diff
    stats = desk("stats", story).output
    assert f"Glossary fixes applied: {len(log)}" in stats
    # Fixed once, nothing left to fix.
    again = desk("glossary", "fix", story)
    assert "Applied 0 fix(es)" in again.output
    # The export names the glossary the fixes came from.
    version = json.loads(log[0]["note"])["glossary"]
    assert version.endswith("(4 entries)")
    desk("confirm", story, "--all")
    desk("status", story, "review")
    # al-Akrad is missing from segment 11: a person decides (here: dismissed).
    desk("dismiss", story, "11", "1", "--reason", "Named as 'the mountain' in this sentence.")
    desk("status", story, "approved")
    exported = desk("export", story, "--stdout").output
    front = yaml.safe_load(exported.split("---\n")[1])
    assert front["glossary"] == [version]
    assert "rania" not in front["editors"]  # applying house spellings does not make an editor


def test_add_edit_remove_keep_the_file(desk: DeskCli, glossary: Path) -> None:
    """Edits through the CLI keep the file's comments and entry order."""
    path = glossary / "places.toml"
    desk(
        "glossary", "add", "tel-tamer", "--canonical", "Tel Tamer", "--arabic", "تل تمر",
        "--variant", "Tal Tamr", "--kind", "place", "--file", "places.toml",
    )  # fmt: skip
    desk("glossary", "edit", "hassakeh", "--add-variant", "Hasaka", "--notes", "City too.")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Test glossary: a few house spellings.")
    assert "# The mountain, not the people." in text
    assert text.index("[lattakia]") < text.index("[al-akrad]") < text.index("[tel-tamer]")
    shown = json.loads(desk("glossary", "show", "hassakeh", "--json").output)
    assert shown["variants"] == ["Hasakah", "Al-Hasakah", "al-Hasakah", "Hasaka"]
    assert shown["notes"] == "City too."
    desk("glossary", "remove", "tel-tamer")
    assert "[tel-tamer]" not in path.read_text(encoding="utf-8")
    assert desk("glossary", "show", "tel-tamer", ok=False).exit_code == 3


def test_bad_edits_change_nothing(desk: DeskCli, glossary: Path) -> None:
    """A duplicate id, an unknown entry or variant: a message, non-zero, file untouched."""
    path = glossary / "places.toml"
    before = path.read_bytes()
    dup = desk(
        "glossary", "add", "lattakia", "--canonical", "X", "--arabic", "س", ok=False
    )  # fmt: skip
    assert dup.exit_code == 1 and "exists already" in dup.stderr
    assert desk("glossary", "edit", "nowhere", "--notes", "x", ok=False).exit_code == 3
    bad = desk("glossary", "edit", "lattakia", "--remove-variant", "Latakya", ok=False)
    assert bad.exit_code == 1 and "Latakya" in bad.stderr
    assert path.read_bytes() == before


def test_search_by_variant_and_arabic(desk: DeskCli, glossary: Path) -> None:
    """Search finds an entry by a variant spelling or an Arabic form with a clitic."""
    assert "hassakeh" in desk("glossary", "search", "hasakah").output
    assert "lattakia" in desk("glossary", "search", "باللاذقية").output


def test_the_shipped_glossary_is_found_and_lints_clean(
    desk: DeskCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the repository, `glossaries/` is the default folder; it passes lint."""
    monkeypatch.delenv("DESK_GLOSSARY")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        listing = json.loads(desk("glossary", "list", "--json").output)
        result = desk("glossary", "lint", ok=False)
    finally:
        os.chdir(cwd)
    assert len(listing) >= 150
    assert result.exit_code == 0, result.output


@pytest.mark.both_backends
def test_audit_proposes_unlisted_spellings(desk: DeskCli, glossary: Path) -> None:
    """The audit finds a spelling of Hassakeh no entry lists and proposes it as a variant."""
    for story in ("hassakeh-water", "lattakia-offensive"):
        desk(
            "import", str(SAMPLES / f"{story}.ar.md"),
            "--draft", str(SAMPLES / f"{story}.draft.en.md"),
        )  # fmt: skip
    clusters = json.loads(desk("glossary", "audit", "--json").output)
    by_entry = {c["entry"]: c for c in clusters}
    hassakeh = by_entry["hassakeh"]
    assert "add to hassakeh as variant(s): Hasaka" in hassakeh["proposal"]
    spellings = {s["text"]: s["stories"] for s in hassakeh["spellings"]}
    assert spellings["Hasaka"] == ["hassakeh-water"]
    assert set(spellings["Hasakah"]) == {"hassakeh-water", "lattakia-offensive"}


@pytest.mark.parametrize("name", ["house.tbx", "house.csv", "house.tsv"])
def test_export_then_import_keeps_every_entry(
    desk: DeskCli, glossary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Export to TBX/CSV/TSV and import into an empty glossary: the same entries come back."""
    before = json.loads(desk("glossary", "list", "--json").output)
    out = tmp_path / name
    desk("glossary", "export", str(out))
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    monkeypatch.setenv("DESK_GLOSSARY", str(fresh))
    result = desk("glossary", "import", str(out), "--into", "places.toml")
    assert f"Imported {len(before)} of {len(before)} entries" in result.output
    after = json.loads(desk("glossary", "list", "--json").output)

    def strip(entries: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{k: v for k, v in e.items() if k not in ("file", "line")} for e in entries]

    assert strip(after) == strip(before)
    assert desk("glossary", "lint").exit_code == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[x\ncanonical = 'X'\n", "not valid TOML"),
        (b"[x]\narabic = ['\xd8\xb3']\n", "x.toml:1 (entry x): canonical is missing"),
        (b"[x]\ncanonical = 'X'\nkind = 'river'\n", "kind 'river' is not one of"),
        (b"[x]\ncanonical = '\xff'\n", "not UTF-8"),
        (b"[lattakia]\ncanonical = 'Lattakia'\narabic = ['\xd8\xb3']\n", "duplicate id"),
    ],
)
def test_a_bad_glossary_file_is_named(
    desk: DeskCli, glossary: Path, content: bytes, expected: str
) -> None:
    """A malformed file: one line naming the file (and line, entry), exit 1, no traceback."""
    (glossary / "x.toml").write_bytes(content)
    result = desk("glossary", "list", ok=False)
    assert result.exit_code == 1
    assert "x.toml" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_hostile_tbx_is_refused_and_nothing_written(desk: DeskCli, glossary: Path) -> None:
    """An entity bomb or external entity: refused with the file named, no glossary file made."""
    for name in ("billion-laughs.tbx", "external-entity.tbx"):
        fixture = FIXTURES / "glossary" / name
        result = desk("glossary", "import", str(fixture), "--into", "new.toml", ok=False)
        assert result.exit_code == 1 and name in result.stderr
        assert "Traceback" not in result.stderr
    assert not (glossary / "new.toml").exists()


def test_check_flags_bidi_controls(desk: DeskCli, glossary: Path, tmp_path: Path) -> None:
    """A right-to-left override hidden in the English is reported (exit 1)."""
    hidden = tmp_path / "hidden.md"
    hidden.write_text("Regime forces entered \u202eaikattaL\u202c on Friday.\n", encoding="utf-8")
    result = desk("glossary", "check", str(hidden), ok=False)
    assert result.exit_code == 1
    assert "bidi: U+202E RIGHT-TO-LEFT OVERRIDE" in result.output


LOOK_ALIKES_AR = """\
# اشتباقات قرب سرمين

أفادت قناة الميادين بوقوع اشتباكات في الكوم وقرب سرمين.

وقال ناشطون إن الاشتباكات استمرت حتى المساء.
"""

LOOK_ALIKES_EN = """\
# Clashes near Sarmin

The channel Al Mayadeen reported clashes in al-Kawm and near Sarmin.

Activists said the clashes went on until the evening in Latakia.
"""


@pytest.mark.both_backends
def test_fix_applies_only_listed_spellings(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the house glossary, `fix` applies the listed Latakia and leaves the look-alikes
    alone: Al Mayadeen (the TV channel, a `not_variants` of Mayadin), al-Kawm (another
    village, reported as al-Kom missing), Sarmin (a town of its own), and the Latakia
    the Arabic does not name (reported as invented, no fix)."""
    monkeypatch.setenv("DESK_GLOSSARY", str(ROOT / "glossaries"))
    (tmp_path / "s.ar.md").write_text(LOOK_ALIKES_AR, encoding="utf-8")
    (tmp_path / "s.en.md").write_text(LOOK_ALIKES_EN, encoding="utf-8")
    desk("import", str(tmp_path / "s.ar.md"), "--draft", str(tmp_path / "s.en.md"),
         "--slug", "looks", "--no-glossary", "--as", "tr")  # fmt: skip
    before = desk("glossary", "check", "looks", ok=False).output
    assert "Mayadeen" not in before and "Sarmin" not in before
    assert "looks:2: missing: al-Kom" in before  # same Arabic, another village: no fix
    assert "looks:3: invented: Latakia" in before
    fixed = desk("glossary", "fix", "looks", "--as", "rania").output
    assert "Latakia → Lattakia" in fixed and "Applied 1 fix(es) in 1 segment(s)" in fixed
    texts = [s["text"] for s in json.loads(desk("show", "looks", "--json").output)["segments"]]
    assert texts[0] == "Clashes near Sarmin"
    assert texts[1] == "The channel Al Mayadeen reported clashes in al-Kawm and near Sarmin."
    assert texts[2].endswith("in Lattakia.")


def test_an_unlisted_spelling_waits_for_a_person_to_accept_it(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unlisted near-spelling is a suggestion: `fix` leaves it, `check` says how to
    accept it, `accept` applies it as a revision by the person, noted as accepted."""
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "organisations.toml").write_text(
        '[jaysh-al-islam]\ncanonical = "Jaysh al-Islam"\narabic = []\n'
        'kind = "organisation"\n', encoding="utf-8",
    )  # fmt: skip
    monkeypatch.setenv("DESK_GLOSSARY", str(folder))
    (tmp_path / "o.ar.md").write_text("# عنوان\n\nقال المرصد إن القصف استمر.\n", encoding="utf-8")
    (tmp_path / "o.en.md").write_text(
        "# Headline\n\nFighters of Jaish al-Islaam said the shelling went on.\n",
        encoding="utf-8",
    )
    desk("import", str(tmp_path / "o.ar.md"), "--draft", str(tmp_path / "o.en.md"),
         "--slug", "obs", "--as", "tr")  # fmt: skip
    check = desk("glossary", "check", "obs", ok=False).output
    assert "obs:2: unlisted: Jaish al-Islaam → Jaysh al-Islam?" in check
    assert "(to accept: desk glossary accept obs 2 1)" in check
    assert "Applied 0 fix(es)" in desk("glossary", "fix", "obs", "--as", "tr").output
    accepted = desk("glossary", "accept", "obs", "2", "1", "--as", "omar").output
    assert "Jaish al-Islaam → Jaysh al-Islam (unlisted, accepted)" in accepted
    last = json.loads(desk("log", "obs", "--json", "--kind", "glossary").output)[-1]
    assert last["author"] == "omar" and last["segment"] == 2
    assert json.loads(last["note"])["accepted"] is True
    assert desk("glossary", "accept", "obs", "2", "1", ok=False).exit_code == 3


def test_dash_is_standard_output_and_input(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`desk glossary export - --format tsv` prints the table (the count on stderr) and
    makes no file named `-`; `desk glossary import - --format tsv` reads it back; `-`
    without --format says to give one."""
    monkeypatch.chdir(tmp_path)
    desk("glossary", "add", "tel-tamer", "--canonical", "Tel Tamer", "--arabic", "تل تمر",
         "--kind", "place")  # fmt: skip
    exported = desk("glossary", "export", "-", "--format", "tsv")
    assert exported.stdout.startswith("# desk glossary") and "\tTel Tamer\t" in exported.stdout
    assert "Wrote 1 entries to standard output" in exported.stderr
    assert not (tmp_path / "-").exists()
    other = exported.stdout.replace("tel-tamer", "tal-tamr").replace("Tel Tamer", "Tal Tamr")
    imported = desk("glossary", "import", "-", "--format", "tsv", "--into", "x.toml", input=other)
    assert "Imported 1 of 1 entries" in imported.stderr
    refused = desk("glossary", "export", "-", ok=False)
    assert refused.exit_code == 1 and "give --format" in refused.stderr


@pytest.mark.parametrize(
    ("field", "value"), [("--canonical", "Tel\nTamer"), ("--arabic", "تل\tتمر")]
)
def test_a_name_with_a_line_break_or_tab_is_refused(desk: DeskCli, field: str, value: str) -> None:
    """A canonical spelling or Arabic form is one line: `glossary add` refuses a line
    break or tab (which no CSV/TSV export could hold), and the export still works."""
    names = {"--canonical": "Tel Tamer", "--arabic": "تل تمر"} | {field: value}
    result = desk("glossary", "add", "tel-tamer", "--canonical", names["--canonical"],
                  "--arabic", names["--arabic"], "--kind", "place", ok=False)  # fmt: skip
    assert result.exit_code == 1 and "a name is one line of text" in result.stderr
    assert "tel-tamer" not in desk("glossary", "export", "-", "--format", "csv").stdout


def test_tbx_on_standard_input_is_streamed_and_bounded(desk: DeskCli) -> None:
    """`desk glossary import - --format tbx` reads what `export -` wrote, a megabyte at a
    time; a document of millions of empty elements is refused with its line, exit 1."""
    desk("glossary", "add", "tel-tamer", "--canonical", "Tel Tamer", "--arabic", "تل تمر",
         "--kind", "place", "--variant", "Tal Tamr")  # fmt: skip
    exported = desk("glossary", "export", "-", "--format", "tbx").stdout
    other = exported.replace("tel-tamer", "tell-tamer").replace("Tel Tamer", "Tell Tamer")
    imported = desk("glossary", "import", "-", "--format", "tbx", "--into", "x.toml", input=other)
    assert "Imported 1 of 1 entries" in imported.stderr
    shown = desk("glossary", "show", "tell-tamer").stdout
    assert "Tell Tamer" in shown and "Tal Tamr" in shown
    flood = "<tbx><text><body>" + "<x/>" * 5_000_001 + "</body></text></tbx>"
    refused = desk("glossary", "import", "-", "--format", "tbx", input=flood, ok=False)
    assert refused.exit_code == 1 and "Traceback" not in refused.stderr
    assert "standard input:1: more than 5,000,000 XML elements" in refused.stderr


def run_desk(*args: str, **env: str) -> subprocess.Popen[str]:
    """Start `desk ARGS` as its own process (the test's environment, plus `env`)."""
    return subprocess.Popen(
        [sys.executable, "-m", "desk", *args], cwd=ROOT, env=os.environ | env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def finish(processes: list[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    """Wait for every process: (exit code, stdout, stderr) of each."""
    outputs = [p.communicate(timeout=120) for p in processes]
    return [(p.returncode, out, err) for p, (out, err) in zip(processes, outputs, strict=True)]


def test_concurrent_adds_keep_every_acknowledged_entry(tmp_path: Path) -> None:
    """Several `desk glossary add` processes at once: each that says "Added" is in the
    file, and the glossary loads (the edits were not serialised: about one trial in
    two lost an entry, written over by another process's rename)."""
    for trial in range(4):
        folder = tmp_path / f"g{trial}"
        folder.mkdir()
        done = finish([
            run_desk("glossary", "--glossary", str(folder), "add", f"r3-{i}",
                     "--canonical", f"Rthree{i}", "--arabic", f"ثلاث{i}", "--kind", "place")
            for i in range(4)
        ])  # fmt: skip
        assert all(code == 0 and "Added" in err for code, _, err in done), done
        ids = {e.id for e in load_folder(folder).entries}
        assert ids == {f"r3-{i}" for i in range(4)}, f"trial {trial}: {ids}"


def test_one_id_added_to_two_files_at_once_is_added_once(tmp_path: Path) -> None:
    """The same id added at the same moment to places.toml and people.toml: both said
    "Added", and from then on every glossary command failed with "duplicate id". Now one
    process adds it, the others are refused, and the glossary loads."""
    kinds = ["place", "person", "organisation", "other"]
    for trial in range(5):
        folder = tmp_path / f"g{trial}"
        folder.mkdir()
        done = finish([
            run_desk("glossary", "--glossary", str(folder), "add", "dupe", "--canonical",
                     f"Dupe {kind}", "--arabic", "ثلاث", "--kind", kind)
            for kind in kinds
        ])  # fmt: skip
        codes = sorted(code for code, _, _ in done)
        assert codes == [0, 1, 1, 1], done
        assert all("exists already" in err for code, _, err in done if code), done
        assert [e.id for e in load_folder(folder).entries] == ["dupe"]


def test_a_change_waits_for_the_lock_then_fails_in_one_line(tmp_path: Path) -> None:
    """While another desk holds the glossary's lock, a change waits $DESK_BUSY_TIMEOUT_MS
    and fails with exit 6 and one line; reading commands do not wait."""
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "places.toml").write_text(SMALL, encoding="utf-8")
    before = (folder / "places.toml").read_bytes()
    with folder_lock(folder, 1000):
        waited = run_desk("glossary", "--glossary", str(folder), "edit", "lattakia",
                          "--notes", "x", DESK_BUSY_TIMEOUT_MS="300")  # fmt: skip
        reader = run_desk("glossary", "--glossary", str(folder), "list")
        [(code, _, err), (read_code, listed, _)] = finish([waited, reader])
    assert code == 6 and len(err.strip().splitlines()) == 1, err
    assert "another desk is changing the glossary" in err and "Traceback" not in err
    assert read_code == 0 and "lattakia" in listed
    assert (folder / "places.toml").read_bytes() == before


@pytest.mark.parametrize(
    "name", ["x.txt", "../f.toml", "../../f.toml", "sub/y.toml", "/tmp/z.toml", ".hidden.toml",
             "..", "x.TOML", "a\\b.toml", "", "a" * 300],
)  # fmt: skip
def test_file_and_into_must_name_a_toml_file_in_the_folder(
    desk: DeskCli, glossary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """`--file x.txt` said "Added" to a file desk never reads; `--file ../../f.toml` or
    `sub/y.toml` wrote wherever the current folder pointed. Both are refused, naming the
    value, exit 1, nothing written; `import --into` the same."""
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    before = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    added = desk("glossary", "add", "e1", "--canonical", "Eone", "--arabic", "ا",
                 "--file", name, ok=False)  # fmt: skip
    assert added.exit_code == 1 and f"--file {name!r}" in added.stderr, added.stderr
    table = tmp_path / "in.tsv"
    table.write_text("عين\tEin\n", encoding="utf-8")
    imported = desk("glossary", "import", str(table), "--into", name, ok=False)
    assert imported.exit_code == 1 and f"--into {name!r}" in imported.stderr, imported.stderr
    table.unlink()
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == before


def test_file_names_in_the_folder_are_taken(desk: DeskCli, glossary: Path) -> None:
    """A bare name is a file in the glossary folder; one without a suffix gets `.toml`."""
    desk("glossary", "add", "e1", "--canonical", "Eone", "--arabic", "ا", "--file", "extra")
    desk("glossary", "add", "e2", "--canonical", "Etwo", "--arabic", "ب", "--file", "more.toml")
    assert {e.id: Path(e.source).name for e in load_folder(glossary).entries if e.id[0] == "e"} == {
        "e1": "extra.toml",
        "e2": "more.toml",
    }


@pytest.mark.parametrize(
    "args",
    [
        ("edit", "lattakia", "--add-variant", "Q\x1b"),
        ("edit", "lattakia", "--add-variant", "La\x85takia"),
        ("edit", "lattakia", "--notes", "\x1b[2J cleared"),
        ("add", "x1", "--canonical", "Xone", "--arabic", "ا", "--variant", "X\x07"),
        ("add", "x1", "--canonical", "Xone", "--arabic", "ا", "--only-with-arabic", "ا\x1b"),
    ],
)
def test_control_characters_in_any_name_are_refused(
    desk: DeskCli, glossary: Path, args: tuple[str, ...]
) -> None:
    """A variant holding ESC or NEL was accepted, though a canonical holding one was not."""
    before = (glossary / "places.toml").read_bytes()
    result = desk("glossary", *args, ok=False)
    assert result.exit_code == 1 and "control character" in result.stderr, result.stderr
    assert (glossary / "places.toml").read_bytes() == before
    assert not (glossary / "other.toml").exists()


def test_an_import_with_a_control_character_in_a_variant_is_refused(
    desk: DeskCli, glossary: Path, tmp_path: Path
) -> None:
    """A CSV variant holding U+0085 was imported; now nothing is written."""
    table = tmp_path / "in.csv"
    table.write_text("عين,Ein,id=ein; variants=E\x85in|Eyn\n", encoding="utf-8")
    result = desk("glossary", "import", str(table), ok=False)
    assert result.exit_code == 1 and "U+0085" in result.stderr, result.stderr
    assert not (glossary / "imported.toml").exists()


def test_a_glossary_file_that_is_a_pipe_is_refused_at_once(glossary: Path) -> None:
    """A FIFO named by --file was read under the folder's lock: the command waited for a
    writer forever and every other desk's change timed out behind it."""
    os.mkfifo(glossary / "f.toml")
    done = subprocess.run(
        [sys.executable, "-m", "desk", "glossary", "add", "a4", "--canonical", "Aaa Fou",
         "--arabic", "ااد", "--kind", "place", "--file", "f.toml"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1 and "not a regular file" in done.stderr, done.stderr


@pytest.mark.parametrize(
    "command",
    [("glossary", "list"), ("glossary", "export", "-", "--format", "tsv")],
    ids=["list", "export"],
)
def test_a_reader_that_stops_early_ends_the_command_quietly(
    env: object, glossary: Path, command: tuple[str, ...]
) -> None:
    """`desk glossary list | head -2`, `desk glossary export - | head -2`: the output is
    more than a pipe holds, the reader takes two lines and goes; desk stops with click's
    exit status for it (1, as `desk list` does), without a traceback, "Error: Broken
    pipe", or an export said to be written."""
    with (glossary / "other.toml").open("w", encoding="utf-8") as out:
        for i in range(1500):  # about 120 KB of lines either way
            out.write(f'\n[made-{i}]\ncanonical = "Madeup Name{i}"\narabic = ["اسم{i}"]\n')
    child = subprocess.Popen(
        [sys.executable, "-m", "desk", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline() and child.stdout.readline()
    child.stdout.close()
    stderr = child.stderr.read().decode()
    code = child.wait(timeout=60)
    assert stderr == ""
    assert code == 1


def test_a_broken_pipe_that_is_not_standard_outputs_is_reported() -> None:
    """A broken pipe of a command's own (a server that closes the connection while desk
    sends), standard output fine: one error line and exit 1, not a quiet end."""
    from click.testing import CliRunner

    from desk.commands.common import DeskGroup

    @click.group(cls=DeskGroup)
    def group() -> None:
        """A group as desk's."""

    @group.command()
    def send() -> None:
        click.echo("sending")
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    result = CliRunner().invoke(group, ["send"])
    assert result.exit_code == 1
    assert "Error: Broken pipe" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
