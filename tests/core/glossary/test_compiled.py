"""The compiled glossary kept in the desk home: the same findings as a fresh enforcer,
never a stale answer, and a cache that can be lost, damaged or unwritable without harm."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.glossary import ROOT, sample_segments, story, write_glossary
from desk.core.errors import InputError
from desk.core.glossary import compiled, model
from desk.core.glossary.compiled import (
    KEEP,
    MAGIC,
    cache_file,
    cached_enforcer,
    load,
    prune,
    read_glossary,
    save,
)
from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.model import glossary_files, load_files

PLACES = """\
[lattakia]
canonical = "Lattakia"
arabic = ["اللاذقية"]
variants = ["Latakia"]
kind = "place"

[hassakeh]
canonical = "Hassakeh"
arabic = ["الحسكة"]
variants = ["Hasakah"]
kind = "place"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A two-entry glossary folder."""
    path = tmp_path / "glossary"
    path.mkdir()
    (path / "places.toml").write_text(PLACES, encoding="utf-8")
    return path


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """Where compiled glossaries go (not made yet)."""
    return tmp_path / "home" / "cache" / "glossary"


def enforcer_of(folder: Path, cache: Path) -> Enforcer:
    """The enforcer of `folder` as a command gets it."""
    return cached_enforcer(read_glossary(glossary_files(folder)), cache)


def suggestions(enforcer: Enforcer, english: str, arabic: str = "") -> list[str]:
    """The suggestions of a check."""
    return [f.suggestion for f in enforcer.check(english, arabic)]


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any parse of a glossary file's TOML fail the test."""

    def parse_file(text: str, source: str) -> list[model.Entry]:
        raise AssertionError(f"{source} was parsed")

    monkeypatch.setattr(model, "parse_file", parse_file)


def assert_same(cached: Enforcer, fresh: Enforcer, segments: list[tuple[str, str]]) -> int:
    """Every answer of `cached` is `fresh`'s on `segments`; the number of findings."""
    assert cached.version == fresh.version
    assert list(cached.entries) == list(fresh.entries)
    count = 0
    for arabic, english in segments:
        found = cached.check(english, arabic)
        assert found == fresh.check(english, arabic)
        assert cached.check(english, arabic, unlisted=False) == fresh.check(
            english, arabic, unlisted=False
        )
        assert cached.check(english) == fresh.check(english)
        assert cached.fix(english, arabic) == fresh.fix(english, arabic)
        assert cached.entries_in(english, arabic) == fresh.entries_in(english, arabic)
        assert cached.arabic_names(arabic) == fresh.arabic_names(arabic)
        count += len(found)
    return count


def test_the_house_glossary_read_back_finds_what_a_fresh_one_finds(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped glossary over the three sample stories: the enforcer read back from
    the cache (no TOML parsed) answers every call as one compiled from the files."""
    house = tmp_path / "house"
    shutil.copytree(ROOT / "glossaries", house)
    fresh = Enforcer(load_files(glossary_files(house)))
    enforcer_of(house, cache)
    refuse_to_parse(monkeypatch)
    cached = enforcer_of(house, cache)
    assert cached is not fresh
    assert assert_same(cached, fresh, sample_segments()) > 50


def test_ten_thousand_entries_read_back_find_what_a_fresh_one_finds(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bench.glossary's 10,000 entries, written as TOML, over its 2,000-word story."""
    big = tmp_path / "big"
    write_glossary(big, 10_000)
    fresh = Enforcer(load_files(glossary_files(big)))
    assert len(fresh.entries) == 10_000
    enforcer_of(big, cache)
    refuse_to_parse(monkeypatch)
    cached = enforcer_of(big, cache)
    assert assert_same(cached, fresh, story(2_000)) > 50


def test_entries_are_made_when_asked_for(folder: Path, cache: Path) -> None:
    """The entries read back behave as the list they were: length, index, slice, order."""
    fresh = Enforcer(load_files(glossary_files(folder)))
    enforcer_of(folder, cache)
    cached = enforcer_of(folder, cache)
    assert len(cached.entries) == 2
    assert cached.entries[-1] == fresh.entries[1] and cached.entries[1] is cached.entries[-1]
    assert cached.entries[0:1] == [fresh.entries[0]]
    assert [e.id for e in cached.entries] == ["lattakia", "hassakeh"]
    with pytest.raises(IndexError):
        cached.entries[2]


def test_an_edit_that_keeps_size_and_time_is_seen(folder: Path, cache: Path) -> None:
    """The key is the files' bytes: a variant changed for one of the same length, with the
    file's modification time put back, gives another enforcer, not the cached one."""
    path = folder / "places.toml"
    assert suggestions(enforcer_of(folder, cache), "Latakia fell.") == ["Lattakia"]
    before = path.stat()
    path.write_text(PLACES.replace('"Latakia"', '"Latakya"'), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    enforcer = enforcer_of(folder, cache)
    assert [f.kind.value for f in enforcer.check("Latakya fell.")] == ["variant"]
    # No longer a listed variant: at most a near-spelling to suggest.
    assert [f.kind.value for f in enforcer.check("Latakia fell.")] == ["unlisted"]


def test_an_added_or_removed_file_is_seen(folder: Path, cache: Path) -> None:
    """A new file's entries are enforced at once; a removed file's are gone at once."""
    assert suggestions(enforcer_of(folder, cache), "They reached Tal Tamr.") == []
    (folder / "more.toml").write_text(
        '[tel-tamer]\ncanonical = "Tel Tamer"\narabic = ["تل تمر"]\nvariants = ["Tal Tamr"]\n',
        encoding="utf-8",
    )
    assert suggestions(enforcer_of(folder, cache), "They reached Tal Tamr.") == ["Tel Tamer"]
    (folder / "places.toml").unlink()
    enforcer = enforcer_of(folder, cache)
    assert [e.id for e in enforcer.entries] == ["tel-tamer"]
    assert suggestions(enforcer, "Latakia fell.") == []


def test_the_same_bytes_in_another_folder_name_their_own_files(tmp_path: Path, cache: Path) -> None:
    """Findings name the file an entry is in: a copy elsewhere is compiled apart."""
    first, second = tmp_path / "a", tmp_path / "b"
    for where in (first, second):
        where.mkdir()
        (where / "places.toml").write_text(PLACES, encoding="utf-8")
    enforcer_of(first, cache)
    assert enforcer_of(second, cache).entries[0].source == str(second / "places.toml")
    assert len(list(cache.glob("*.bin"))) == 2


def flip_a_byte(path: Path) -> None:
    """Damage the payload in the middle."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    """Cut the file in two, as a full disk or a crash might."""
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def empty(path: Path) -> None:
    """An empty file."""
    path.write_bytes(b"")


def foreign_header(path: Path) -> None:
    """A file of another format (another header, same payload)."""
    path.write_bytes(b"desk compiled glossary v0\n" + path.read_bytes()[len(MAGIC) :])


def other_shape(path: Path) -> None:
    """A sound file whose payload is not the state this code reads back."""
    import hashlib

    payload = marshal.dumps(("a state", "of another", "shape"))
    path.write_bytes(MAGIC + hashlib.sha256(payload).digest() + payload)


def a_folder(path: Path) -> None:
    """Something that cannot be read as a file."""
    path.unlink()
    path.mkdir()


def a_link(path: Path) -> None:
    """A symbolic link to a good compiled file elsewhere: not followed, and replaced."""
    elsewhere = path.with_name("elsewhere")
    path.rename(elsewhere)
    path.symlink_to(elsewhere)


@pytest.mark.parametrize(
    "damage", [flip_a_byte, truncate, empty, foreign_header, other_shape, a_folder, a_link]
)
def test_a_damaged_cache_file_is_ignored_and_made_again(
    folder: Path, cache: Path, damage: Callable[[Path], None]
) -> None:
    """Whatever is at the key's place, the findings are right and nothing is raised; a
    good file is written in its place where one can be."""
    files = read_glossary(glossary_files(folder))
    enforcer_of(folder, cache)
    path = cache_file(cache, files.key)
    damage(path)
    assert load(cache, files.key) is None
    assert suggestions(enforcer_of(folder, cache), "Latakia fell.") == ["Lattakia"]
    assert load(cache, files.key) is not None or path.is_dir()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="chown needs root")
def test_another_user_s_file_is_ignored(folder: Path, cache: Path) -> None:
    """On a home others can write to, their compiled file is not read."""
    files = read_glossary(glossary_files(folder))
    enforcer_of(folder, cache)
    os.chown(cache_file(cache, files.key), 4321, -1)
    assert load(cache, files.key) is None
    told: list[str] = []  # compiled again, and said so first (the workbench does not wait)
    found = cached_enforcer(files, cache, lambda: told.append("compiling"))
    assert told == ["compiling"]
    assert suggestions(found, "Latakia fell.") == ["Lattakia"]


@pytest.mark.parametrize("damage", [flip_a_byte, a_folder, a_link])
def test_on_compile_is_called_only_when_it_compiles(
    folder: Path, cache: Path, damage: Callable[[Path], None]
) -> None:
    """`on_compile` (the workbench then does not wait for the load) is called before a
    compile, whatever stands at the key's place instead of a sound file, and not for a
    read from the cache."""
    files = read_glossary(glossary_files(folder))
    told: list[str] = []
    cached_enforcer(files, cache, lambda: told.append("compiling"))
    assert told == ["compiling"]  # no file yet
    cached_enforcer(files, cache, lambda: told.append("again"))
    assert told == ["compiling"]  # read back
    damage(cache_file(cache, files.key))
    found = cached_enforcer(files, cache, lambda: told.append("after damage"))
    assert told == ["compiling", "after damage"]
    assert suggestions(found, "Latakia fell.") == ["Lattakia"]


def test_a_cache_that_cannot_be_written_is_no_error(folder: Path, tmp_path: Path) -> None:
    """A file where the cache folder should be (as a read-only home, even for root): the
    enforcer is compiled each time, silently."""
    blocked = tmp_path / "home" / "cache"
    blocked.parent.mkdir()
    blocked.write_text("not a folder", encoding="utf-8")
    cache = blocked / "glossary"
    enforcer = enforcer_of(folder, cache)
    assert suggestions(enforcer, "Latakia fell.") == ["Lattakia"]
    assert not save(cache, read_glossary(glossary_files(folder)).key, enforcer)
    assert blocked.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root writes anyway")
def test_a_read_only_cache_folder_is_no_error(folder: Path, cache: Path) -> None:
    """A cache folder without write permission: compiled each time, silently."""
    cache.mkdir(parents=True)
    cache.chmod(0o500)
    try:
        assert suggestions(enforcer_of(folder, cache), "Latakia fell.") == ["Lattakia"]
        assert list(cache.iterdir()) == []
    finally:
        cache.chmod(0o700)


def test_old_files_are_pruned(folder: Path, cache: Path) -> None:
    """After a write only the KEEP most recently used compiled files stay; a temporary
    file left by a dead writer goes, one being written now stays."""
    cache.mkdir(parents=True)
    old = time.time() - 7200
    for n in range(KEEP + 3):
        stale = cache / f"{n:064x}.bin"
        stale.write_bytes(b"old")
        os.utime(stale, (old + n, old + n))
    dead = cache / ".abc.bin.0123.tmp"
    dead.write_bytes(b"")
    os.utime(dead, (old, old))
    writing = cache / ".abc.bin.4567.tmp"
    writing.write_bytes(b"")
    enforcer_of(folder, cache)
    key = read_glossary(glossary_files(folder)).key
    kept = sorted(p.name for p in cache.glob("*.bin"))
    newest = [f"{n:064x}.bin" for n in range(KEEP + 2, 3, -1)]  # the KEEP - 1 newest
    assert kept == sorted([f"{key}.bin", *newest])
    assert not dead.exists() and writing.exists()
    prune(cache, keep=1)
    assert [p.name for p in cache.glob("*.bin")] == [f"{key}.bin"]


def test_reading_a_file_keeps_it_from_pruning(folder: Path, cache: Path) -> None:
    """A compiled file read back counts as used now: a newer one does not push it out."""
    key = read_glossary(glossary_files(folder)).key
    enforcer_of(folder, cache)
    old = time.time() - 3600
    os.utime(cache_file(cache, key), (old, old))
    assert load(cache, key) is not None
    assert cache_file(cache, key).stat().st_mtime > old + 1800


WRITER = """
import sys
from pathlib import Path
from desk.core.glossary.compiled import cached_enforcer, read_glossary
from desk.core.glossary.model import glossary_files
enforcer = cached_enforcer(read_glossary(glossary_files(Path(sys.argv[1]))), Path(sys.argv[2]))
print(len(enforcer.check("Latakia fell.")))
"""


def test_processes_writing_the_same_key_at_once_leave_one_good_file(
    tmp_path: Path, cache: Path
) -> None:
    """Four processes compile and write the same glossary together: each answers, one
    sound file is left, no temporary file."""
    house = tmp_path / "house"
    shutil.copytree(ROOT / "glossaries", house)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(house), str(cache)],
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        for _ in range(4)
    ]
    outputs = [w.communicate(timeout=120)[0] for w in writers]
    assert [w.returncode for w in writers] == [0, 0, 0, 0]
    assert len(set(outputs)) == 1
    assert [p.suffix for p in cache.iterdir()] == [".bin"]
    key = read_glossary(glossary_files(house)).key
    loaded = load(cache, key)
    assert loaded is not None
    assert loaded.check("Latakia fell.") == Enforcer(load_files(glossary_files(house))).check(
        "Latakia fell."
    )


BAD_FILES = [
    b"[x\ncanonical = 'X'\n",
    b"[x]\narabic = ['\xd8\xb3']\n",
    b"[x]\ncanonical = 'X'\nkind = 'river'\n",
    b"[x]\ncanonical = '\xff'\n",
    b"[lattakia]\ncanonical = 'Lattakia'\n",
]


@pytest.mark.parametrize("content", BAD_FILES)
def test_a_bad_file_is_reported_as_without_a_cache(
    folder: Path, cache: Path, content: bytes
) -> None:
    """With the good glossary compiled and cached, a bad file added is the same error,
    naming the same file and line, every time."""
    enforcer_of(folder, cache)
    (folder / "x.toml").write_bytes(content)
    with pytest.raises(InputError) as plain:
        load_files(glossary_files(folder))
    for _ in range(2):
        with pytest.raises(InputError) as cached:
            enforcer_of(folder, cache)
        assert str(cached.value) == str(plain.value)
    assert "x.toml" in str(plain.value)


def test_a_code_change_reads_no_old_file(
    folder: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key holds the format and desk's code: another of either is another key."""
    before = read_glossary(glossary_files(folder)).key
    monkeypatch.setattr(compiled, "FORMAT", compiled.FORMAT + 1)
    compiled.code_digest.cache_clear()
    try:
        assert read_glossary(glossary_files(folder)).key != before
    finally:
        monkeypatch.undo()
        compiled.code_digest.cache_clear()
    assert read_glossary(glossary_files(folder)).key == before
