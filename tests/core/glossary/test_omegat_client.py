"""OmegaT itself reads desk's glossaries: its own glossary readers (OmegaT 3.6, the
Debian package `omegat`), called from a small Java program compiled against OmegaT.jar,
in a project whose source is Arabic and target English. Skipped where OmegaT or a JDK
is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from desk.core.glossary import tabular, tbx_export
from desk.core.glossary.model import Entry, Kind, load_files
from tests.helpers.paths import FIXTURES

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")

READER = """\
import java.io.File;
import java.io.PrintStream;
import java.util.List;
import org.omegat.core.Core;
import org.omegat.core.data.NotLoadedProject;
import org.omegat.core.data.ProjectProperties;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.gui.glossary.GlossaryReaderTSV;

/** Prints the entries OmegaT reads from a glossary file: source, target, comment. */
public class ReadGlossary {
    public static void main(String[] args) throws Exception {
        final ProjectProperties props = new ProjectProperties(new File(args[0]));
        props.setSourceLanguage("ar");
        props.setTargetLanguage("en");
        Core.setProject(new NotLoadedProject() {
            @Override
            public ProjectProperties getProjectProperties() {
                return props;
            }
        });
        File file = new File(args[1]);
        List<GlossaryEntry> entries = file.getName().endsWith(".tbx")
            ? GlossaryReaderTBX.read(file, false)
            : GlossaryReaderTSV.read(file, false);
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        if (entries == null) {
            out.println("IGNORED");
            return;
        }
        for (GlossaryEntry e : entries) {
            out.println(e.getSrcText() + "\\t" + e.getLocText() + "\\t"
                + e.getCommentText().replace("\\n", " / "));
        }
    }
}
"""


@pytest.fixture(scope="module")
def omegat(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ReadGlossary.class, compiled against the installed OmegaT."""
    if not OMEGAT_JAR.is_file() or shutil.which("javac") is None:
        pytest.skip("OmegaT (Debian package `omegat`) or a JDK is not installed")
    folder = tmp_path_factory.mktemp("omegat")
    (folder / "ReadGlossary.java").write_text(READER, encoding="utf-8")
    subprocess.run(
        ["javac", "-cp", str(OMEGAT_JAR), "-d", str(folder), str(folder / "ReadGlossary.java")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return folder


def read_in_omegat(omegat: Path, path: Path) -> list[list[str]]:
    """The (source, target, comment) rows OmegaT 3.6 reads from `path`; [["IGNORED"]] for
    a file it does not read."""
    done = subprocess.run(
        ["java", "-cp", f"{omegat}:{OMEGAT_JAR}", "ReadGlossary", str(path.parent), str(path)],
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-3000:]
    return [line.split("\t") for line in done.stdout.decode("utf-8").splitlines()]


def house() -> list[Entry]:
    """The hand-written house glossary."""
    return load_files([FIXTURES / "glossary" / "house.toml"]).entries


def test_omegat_reads_desks_tbx_v2(omegat: Path, tmp_path: Path) -> None:
    """Every Arabic form of every entry with Arabic, paired with the house spelling; the
    kind and notes in the comment. OmegaT pairs each Arabic form with every English term,
    the deprecated variants too (it does not read their status), and says which is which
    in the comment only: `--format omegat` is the export for OmegaT users."""
    path = tmp_path / "house.tbx"
    tbx_export.write_tbx(house(), path, version=2)
    rows = read_in_omegat(omegat, path)
    pairs = {(row[0], row[1]) for row in rows}
    for entry in house():
        for form in entry.arabic:
            assert (form, entry.canonical) in pairs, (form, entry.canonical)
            assert {(form, v) for v in entry.variants} <= pairs
    assert not [row for row in rows if row[1] == "UN"]  # no Arabic: nothing to match
    lattakia = next(row for row in rows if row[:2] == ["اللاذقية", "Lattakia"])
    assert "subjectField: place" in lattakia[2] and "Coastal governorate" in lattakia[2]
    assert "deprecatedTerm-admn-sts" in lattakia[2]


def test_omegat_refuses_desks_tbx_v3(omegat: Path, tmp_path: Path) -> None:
    """OmegaT 3.6 reads no TBX v3 (`unexpected element ... tbx`): why v2 is there."""
    path = tmp_path / "house.tbx"
    tbx_export.write_tbx(house(), path, version=3)
    done = subprocess.run(
        ["java", "-cp", f"{omegat}:{OMEGAT_JAR}", "ReadGlossary", str(tmp_path), str(path)],
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0 and b"unexpected element" in done.stderr


@pytest.mark.parametrize("name", ["house.utf8", "house.txt", "house.tab"])
def test_omegat_reads_desks_omegat_glossary(omegat: Path, tmp_path: Path, name: str) -> None:
    """The OmegaT export, under each name OmegaT reads: exactly one row per Arabic form,
    the house spelling, `[kind] notes`; the Arabic read as UTF-8 whatever the name."""
    path = tmp_path / name
    tabular.write_omegat(house(), path)
    rows = read_in_omegat(omegat, path)
    expected = [
        [form, e.canonical, " ".join(filter(None, [f"[{e.kind}]" * (e.kind != Kind.OTHER),
                                                   " ".join(e.notes.split())]))]
        for e in house()
        for form in e.arabic
    ]  # fmt: skip
    assert [row + [""] * (3 - len(row)) for row in rows] == expected


def test_omegat_ignores_a_tsv_name(omegat: Path, tmp_path: Path) -> None:
    """What desk refuses to write as an OmegaT glossary, OmegaT would not read."""
    path = tmp_path / "house.tsv"
    path.write_bytes(tabular.to_omegat_bytes(house()))
    assert read_in_omegat(omegat, path) == [["IGNORED"]]
