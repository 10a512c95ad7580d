"""The glossary folder's lock, which serialises changes, and the file names a change may use."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

from desk.core.errors import InputError, UnavailableError
from desk.core.glossary.folder import LOCK_NAME, file_name, folder_lock
from desk.core.glossary.model import load_folder


@pytest.mark.parametrize(
    ("value", "name"),
    [("people.toml", "people.toml"), ("people", "people.toml"), (" x.toml ", "x.toml")],
)
def test_a_bare_name_is_a_toml_file_in_the_folder(value: str, name: str) -> None:
    """A name with `.toml` is itself; one with no dot gets `.toml`."""
    assert file_name(value, "--file") == name


@pytest.mark.parametrize(
    "value",
    ["x.txt", "x.TOML", "x.toml.bak", "../f.toml", "sub/y.toml", "/abs/z.toml", "a\\b.toml",
     ".hidden.toml", ".toml", "..", ".", "", "  ", "x\x1b.toml", "x\u202e.toml"],
)  # fmt: skip
def test_anything_else_is_refused_naming_the_value(value: str) -> None:
    """A path, a hidden name, another suffix or a control character: InputError naming it."""
    with pytest.raises(InputError, match=rf"^--into {re.escape(repr(value))} "):
        file_name(value, "--into")


def test_a_change_waits_for_the_lock_then_fails(tmp_path: Path) -> None:
    """While one holder has the folder's lock another waits its time, then UnavailableError."""
    with folder_lock(tmp_path, 0):
        started = time.monotonic()
        busy = pytest.raises(UnavailableError, match="another desk is changing the glossary")
        with busy, folder_lock(tmp_path, 200):
            pass
        assert time.monotonic() - started >= 0.2
    with folder_lock(tmp_path, 0):  # released: taken at once
        pass


def test_the_lock_serialises_changes_across_threads(tmp_path: Path) -> None:
    """Each holder's read-modify-write of a counter file sees the previous one's."""
    counter = tmp_path / "n.txt"
    counter.write_text("0")

    def bump() -> None:
        for _ in range(20):
            with folder_lock(tmp_path, 10_000):
                n = int(counter.read_text())
                time.sleep(0.0005)
                counter.write_text(str(n + 1))

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counter.read_text() == "80"


def test_a_missing_folder_is_made_only_for_an_add(tmp_path: Path) -> None:
    """Without `create` there is nothing to change in a missing folder: no lock, no folder."""
    with folder_lock(tmp_path / "none", 0):
        pass
    assert not (tmp_path / "none").exists()
    with folder_lock(tmp_path / "new" / "g", 0, create=True):
        assert (tmp_path / "new" / "g").is_dir()
    assert (tmp_path / "new" / "g" / LOCK_NAME).is_file()


def test_a_lock_file_that_cannot_be_opened_refuses_changes_not_reads(tmp_path: Path) -> None:
    """A symbolic link in the lock file's place is not followed (nothing is made where it
    points): changes are refused in one line, reading the glossary still works."""
    (tmp_path / "places.toml").write_text('[x]\ncanonical = "X"\n', encoding="utf-8")
    (tmp_path / LOCK_NAME).symlink_to(tmp_path / "elsewhere")
    refused = pytest.raises(InputError, match="cannot lock the glossary folder to change it")
    with refused, folder_lock(tmp_path, 0):
        pass
    assert not (tmp_path / "elsewhere").exists()
    assert [e.id for e in load_folder(tmp_path).entries] == ["x"]
