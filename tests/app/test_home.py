"""The desk home both front ends use: its enforcer, its store handles, its engine."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk.app.engines import EngineOptions
from desk.app.home import Home
from desk.core.engine.base import NoneEngine


def test_one_enforcer_per_glossary_version(desk_home: Path, glossary: Path) -> None:
    """Callers share one enforcer while the files are unchanged; an edit builds a new one
    that knows the new entry."""
    home = Home(desk_home)
    first = home.enforcer()
    assert first is not None and first is home.enforcer()
    assert home.enforcer_if_loaded() is first
    with (glossary / "places.toml").open("a", encoding="utf-8") as f:
        f.write('\n[tel-tamer]\ncanonical = "Tel Tamer"\narabic = ["تل تمر"]\n'
                'variants = ["Tal Tamr"]\nkind = "place"\n')  # fmt: skip
    second = home.enforcer()
    assert second is not None and second is not first
    assert [f.suggestion for f in second.check("They reached Tal Tamr.", "")] == ["Tel Tamer"]


def test_no_glossary_no_enforcer(desk_home: Path) -> None:
    """Without glossary files there is nothing to enforce (the fixture points nowhere)."""
    assert Home(desk_home).enforcer() is None


def test_a_worker_s_store_is_its_own_and_closed_after(desk_home: Path) -> None:
    """`open()` gives a connection apart from the home's own, closed when the block ends."""
    home = Home(desk_home)
    with home.open() as desk:
        assert desk is not home.desk and desk.store.conn is not home.desk.store.conn
        desk.store.count_stories()
    with pytest.raises(sqlite3.ProgrammingError):
        desk.store.count_stories()
    assert home.desk.store.count_stories() == 0


def test_a_given_engine_drafts_unless_another_is_named(desk_home: Path) -> None:
    """The engine a test hands the home is the one it drafts with; naming one wins."""
    given = NoneEngine()
    home = Home(desk_home, engine=given)
    assert home.engine().engine is given
    assert isinstance(Home(desk_home).engine(options=EngineOptions(name="none")).engine, NoneEngine)


def test_an_edit_keeping_size_and_time_gives_another_enforcer(
    desk_home: Path, glossary: Path
) -> None:
    """The home keys its enforcer by the files' bytes: a variant changed for one of the
    same length, the modification time put back, is seen by the same Home at once."""
    import os

    home = Home(desk_home)
    path = glossary / "places.toml"
    first = home.enforcer()
    assert first is not None
    assert [f.kind.value for f in first.check("Latakia fell.")] == ["variant"]
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace('"Latakia"', '"Latakya"'),
                    encoding="utf-8")  # fmt: skip
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    second = home.enforcer()
    assert second is not None and second is not first
    assert [f.kind.value for f in second.check("Latakya fell.")] == ["variant"]


def test_a_second_home_reads_the_compiled_glossary(
    desk_home: Path, glossary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first Home compiles the glossary and keeps it in the desk home's cache; the
    next (another command, the workbench) reads it back without parsing TOML."""
    from desk.core.glossary import model
    from desk.locations import glossary_cache_dir

    first = Home(desk_home).enforcer()
    assert first is not None
    assert len(list(glossary_cache_dir(desk_home).glob("*.bin"))) == 1

    def parse_file(text: str, source: str) -> list[model.Entry]:
        raise AssertionError(f"{source} was parsed")

    monkeypatch.setattr(model, "parse_file", parse_file)
    second = Home(desk_home).enforcer()
    assert second is not None and second is not first
    text = "Latakia and al-Hasakah."
    assert second.check(text) == first.check(text) and second.version == first.version


def test_a_home_whose_cache_cannot_be_written_still_enforces(
    desk_home: Path, glossary: Path
) -> None:
    """A file where the cache folder goes (as in a read-only home): the glossary is
    compiled and enforced each time, nothing said, nothing raised."""
    desk_home.mkdir(parents=True, exist_ok=True)
    (desk_home / "cache").write_text("in the way", encoding="utf-8")
    for _ in range(2):
        enforcer = Home(desk_home).enforcer()
        assert enforcer is not None
        assert [f.suggestion for f in enforcer.check("Latakia fell.")] == ["Lattakia"]
    assert (desk_home / "cache").read_text(encoding="utf-8") == "in the way"
