"""`desk glossary` and the tools around it: TBX v2 and OmegaT exports, data alone on
stdout with messages on stderr, shell completion of entry ids, the audit's progress on a
terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ZshComplete
from translate.storage import tbx as ttbx

from desk.cli import main
from tests.helpers.cli import DeskCli
from tests.helpers.paths import ROOT, SAMPLES

PLACES = """\
# Test glossary.
[lattakia]
canonical = "Lattakia"
arabic = ["اللاذقية", "اللادقية"]
variants = ["Latakia"]
kind = "place"
notes = "Coastal governorate."

[latamneh]
canonical = "Latamneh"
arabic = ["اللطامنة"]
kind = "place"

[hassakeh]
canonical = "Hassakeh"
arabic = ["الحسكة"]
variants = ["Hasakah", "Hasaka"]
kind = "place"

[un]
canonical = "UN"
variants = ["U.N."]
"""


@pytest.fixture
def glossary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A glossary folder with four entries (one without Arabic), named by $DESK_GLOSSARY."""
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "places.toml").write_text(PLACES, encoding="utf-8")
    monkeypatch.setenv("DESK_GLOSSARY", str(folder))
    return folder


def test_tbx_v2_export_is_read_by_translate_toolkit(
    desk: DeskCli, glossary: Path, tmp_path: Path
) -> None:
    """`--format tbx-v2` writes a martif file translate-toolkit reads, every entry; the
    message goes to stderr and stdout stays empty."""
    path = tmp_path / "house.tbx"
    result = desk("glossary", "export", str(path), "--format", "tbx-v2")
    assert result.stdout == ""
    assert result.stderr == f"Wrote 4 entries to {path}\n"
    store = ttbx.tbxfile.parsefile(str(path))
    store.settargetlanguage("ar")
    assert [u.getid() for u in store.units] == ["lattakia", "latamneh", "hassakeh", "un"]
    english = [t.text for t in store.units[0].get_source_terms()]
    assert english == ["Lattakia", "Latakia"]
    assert [t.text for t in store.units[0].get_target_terms()] == ["اللاذقية", "اللادقية"]
    default = tmp_path / "v3.tbx"
    desk("glossary", "export", str(default))
    assert b"<tbx " in default.read_bytes() and b"<martif" not in default.read_bytes()


def test_tbx_v2_to_standard_output_is_the_data_alone(desk: DeskCli, glossary: Path) -> None:
    """`export - --format tbx-v2`: stdout is the document, whole, and only it."""
    result = desk("glossary", "export", "-", "--format", "tbx-v2")
    assert result.stdout_bytes.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<martif')
    assert result.stdout_bytes.endswith(b"</martif>\n")
    assert len(ttbx.tbxfile.parsestring(result.stdout_bytes).units) == 4
    assert result.stderr == "Wrote 4 entries to standard output\n"


def test_omegat_export_under_a_name_omegat_reads(
    desk: DeskCli, glossary: Path, tmp_path: Path
) -> None:
    """`--format omegat` to a .utf8 file: OmegaT's rows, one per Arabic form; the message
    counts rows and entries and says why the entry without Arabic is not there."""
    path = tmp_path / "omegat" / "glossary"
    path.mkdir(parents=True)
    target = path / "house.utf8"
    result = desk("glossary", "export", str(target), "--format", "omegat")
    assert result.stdout == ""
    assert result.stderr == (
        f"Wrote 4 rows for 3 entries to {target} "
        "(1 entries without an Arabic form left out: OmegaT needs one)\n"
    )
    rows = [line.split("\t") for line in target.read_text("utf-8").splitlines()[1:]]
    assert rows == [
        ["اللاذقية", "Lattakia", "[place] Coastal governorate."],
        ["اللادقية", "Lattakia", "[place] Coastal governorate."],
        ["اللطامنة", "Latamneh", "[place]"],
        ["الحسكة", "Hassakeh", "[place]"],
    ]
    txt = path / "house.txt"
    desk("glossary", "export", str(txt), "--format", "omegat")
    assert txt.read_bytes().startswith(b"\xef\xbb\xbf# desk glossary")


@pytest.mark.parametrize("name", ["house.tsv", "house.csv", "house"])
def test_omegat_export_refuses_a_name_omegat_ignores(
    desk: DeskCli, glossary: Path, tmp_path: Path, name: str
) -> None:
    """The README's old `house.tsv` would sit unread in OmegaT's glossary folder: refused
    in one line naming the file and the names OmegaT reads, exit 1, no file."""
    result = desk("glossary", "export", str(tmp_path / name), "--format", "omegat", ok=False)
    assert result.exit_code == 1 and result.stdout == ""
    assert name in result.stderr and ".utf8, .txt, .tab" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / name).exists()


def test_omegat_glossary_imports_by_its_extension(
    desk: DeskCli, glossary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OmegaT glossary (.utf8, or any name with --format omegat) imports: the names,
    their Arabic forms and kinds; the count goes to stderr."""
    path = tmp_path / "house.utf8"
    desk("glossary", "export", str(path), "--format", "omegat")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    monkeypatch.setenv("DESK_GLOSSARY", str(fresh))
    imported = desk("glossary", "import", str(path))
    assert imported.stdout == ""
    assert imported.stderr == f"Imported 3 of 3 entries into {fresh / 'imported.toml'}\n"
    listed = {e["id"]: e for e in json.loads(desk("glossary", "list", "--json").stdout)}
    assert listed["lattakia"]["arabic"] == ["اللاذقية", "اللادقية"]
    assert listed["lattakia"]["kind"] == "place"
    renamed = tmp_path / "from-omegat.glossary"
    renamed.write_bytes(path.read_bytes().replace(b"Hassakeh", b"Hasakeh"))
    again = desk("glossary", "import", str(renamed), "--format", "omegat", "--into", "x.toml")
    assert again.stderr.splitlines()[-1] == f"Imported 1 of 3 entries into {fresh / 'x.toml'}"


def test_a_tbx_from_translate_toolkits_csv2tbx_imports_and_says_what_it_left(
    desk: DeskCli, glossary: Path, tmp_path: Path
) -> None:
    """translate-toolkit's csv2tbx, run as a translator would, labels the target column
    `xx`: desk imports the English names and says, naming the file, that the `xx` terms
    were not imported, rather than dropping them in silence."""
    csv2tbx = Path(sys.executable).parent / "csv2tbx"
    if not csv2tbx.exists():
        pytest.skip("translate-toolkit's csv2tbx is not installed beside this Python")
    names = tmp_path / "names.csv"
    names.write_text("source,target,comment\nTel Tamer,تل تمر,town\nAfrin,عفرين,\n", "utf-8")
    made = tmp_path / "names.tbx"
    subprocess.run(
        [str(csv2tbx), "--columnorder=source,target,comment", str(names), str(made)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    result = desk("glossary", "import", str(made), "--into", "x.toml")
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{made}: terms in xx (2 entries) not imported: desk reads English (en) and Arabic (ar)",
        f"Imported 2 of 2 entries into {glossary / 'x.toml'}",
    ]
    shown = json.loads(desk("glossary", "show", "tel-tamer", "--json").stdout)
    assert shown["canonical"] == "Tel Tamer" and shown["arabic"] == []


def test_changes_are_told_on_stderr(desk: DeskCli, glossary: Path) -> None:
    """add, edit, remove and fix say what they did on stderr; stdout carries data only."""
    said = {}
    for name, args in (
        ("add", ("add", "tel-tamer", "--canonical", "Tel Tamer", "--arabic", "تل تمر")),
        ("edit", ("edit", "tel-tamer", "--add-variant", "Tal Tamr")),
        ("same", ("edit", "tel-tamer", "--add-variant", "Tal Tamr")),
        ("remove", ("remove", "tel-tamer")),
    ):
        result = desk("glossary", *args)
        assert result.stdout == "", args
        said[name] = result.stderr
    assert said["add"].startswith("Added tel-tamer to ")
    assert said["edit"].startswith("Updated tel-tamer in ")
    assert said["same"] == "tel-tamer: nothing to change\n"
    assert said["remove"].startswith("Removed tel-tamer from ")
    desk("import", str(SAMPLES / "lattakia-offensive.ar.md"),
         "--draft", str(SAMPLES / "lattakia-offensive.draft.en.md"), "--no-glossary")  # fmt: skip
    fixed = desk("glossary", "fix", "lattakia-offensive", "--as", "rania")
    assert "Latakia → Lattakia" in fixed.stdout  # the changes are the data
    assert "Applied" not in fixed.stdout and "Applied" in fixed.stderr


def zsh_completions(*words: str) -> list[tuple[str, str]]:
    """(value, description) pairs click's zsh completion offers for `desk WORDS`, the last
    word being what is typed so far."""
    complete = ZshComplete(main, {}, "desk", "_DESK_COMPLETE")
    items = complete.get_completions(list(words[:-1]), words[-1])
    return [(item.value, item.help or "") for item in items]


def test_entry_ids_complete(glossary: Path, tmp_path: Path) -> None:
    """show, edit and remove complete entry ids from the glossary, with the house spelling
    and kind; --glossary is honoured; a broken or missing glossary offers nothing."""
    for command in ("show", "edit", "remove"):
        assert zsh_completions("glossary", command, "la") == [
            ("latamneh", "Latamneh (place)"),
            ("lattakia", "Lattakia (place)"),
        ]
    assert [v for v, _ in zsh_completions("glossary", "show", "")] == [
        "hassakeh", "latamneh", "lattakia", "un",
    ]  # fmt: skip
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.toml").write_text('[tel-tamer]\ncanonical = "Tel Tamer"\n', encoding="utf-8")
    assert zsh_completions("glossary", "--glossary", str(other), "show", "t") == [
        ("tel-tamer", "Tel Tamer (other)")
    ]
    (other / "y.toml").write_text("[broken\n", encoding="utf-8")
    assert zsh_completions("glossary", "--glossary", str(other), "show", "t") == []
    assert zsh_completions("glossary", "--glossary", str(tmp_path / "none"), "show", "") == []


def test_completion_offers_the_house_glossary_without_copying_it(
    desk_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With no glossary folder yet, Tab offers the house glossary desk would copy on the
    first command, and copies nothing itself (run as a shell runs it, in a process)."""
    monkeypatch.delenv("DESK_GLOSSARY")
    monkeypatch.chdir(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", "from desk.cli import main; main(prog_name='desk')"],
        env=os.environ | {"_DESK_COMPLETE": "bash_complete", "COMP_WORDS": "desk glossary show l",
                          "COMP_CWORD": "3"},
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done.stderr
    offered = [line.split(",", 1)[1] for line in done.stdout.splitlines()]
    assert offered and all(value.startswith("l") for value in offered)
    assert not (desk_home / "glossaries").exists()


def test_story_slugs_complete_for_fix_accept_and_check(desk: DeskCli, glossary: Path) -> None:
    """fix and accept complete story slugs; check completes slugs and, for a FILE, leaves
    the shell to complete file names."""
    desk("import", str(SAMPLES / "lattakia-offensive.ar.md"), "--no-mt")
    for command in ("fix", "accept"):
        assert [v for v, _ in zsh_completions("glossary", command, "latt")] == [
            "lattakia-offensive"
        ]
    complete = ZshComplete(main, {}, "desk", "_DESK_COMPLETE")
    items = complete.get_completions(["glossary", "check"], "latt")
    assert [(i.value, i.type) for i in items] == [
        ("lattakia-offensive", "plain"),
        ("latt", "file"),
    ]


def run_audit(stderr_on_terminal: bool) -> tuple[str, str]:
    """`desk glossary audit` in a process of its own, stdout a pipe, stderr a pipe or a
    pseudo-terminal; (stdout, stderr) as text."""
    command = [sys.executable, "-m", "desk", "glossary", "audit"]
    if not stderr_on_terminal:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, cwd=ROOT) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the process closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        out = proc.stdout.read() if proc.stdout else b""
    os.close(leader)
    assert proc.returncode == 0, b"".join(chunks)
    return out.decode("utf-8"), b"".join(chunks).decode("utf-8", "replace")


def test_audit_shows_progress_on_a_terminal_only(desk: DeskCli, glossary: Path) -> None:
    """The spelling index is built with a progress bar on stderr when stderr is a terminal,
    none when it is not; stdout has the clusters alone either way."""
    for story in ("hassakeh-water", "lattakia-offensive"):
        desk("import", str(SAMPLES / f"{story}.ar.md"),
             "--draft", str(SAMPLES / f"{story}.draft.en.md"), "--no-glossary")  # fmt: skip
    out, err = run_audit(stderr_on_terminal=True)
    assert "Indexing names" in err and "100%" in err, err
    assert "Indexing" not in out and "Hasaka" in out
    desk("import", str(SAMPLES / "hassakeh-water.ar.md"), "--slug", "again",
         "--draft", str(SAMPLES / "hassakeh-water.draft.en.md"), "--no-glossary")  # fmt: skip
    piped_out, piped_err = run_audit(stderr_on_terminal=False)
    assert "Indexing" not in piped_err and "%" not in piped_err
    assert "cluster(s) in 3 stories" in piped_err
    assert piped_out.split("\n", 1)[0] == out.split("\n", 1)[0]
