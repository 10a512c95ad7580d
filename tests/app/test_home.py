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
