"""Shared fixtures: every test gets its own desk home, author and clock.

Tests marked `both_backends` (a module's `pytestmark`) run twice: on the SQLite file in
the desk home, and on a fresh PostgreSQL database of a throw-away cluster the session
starts (tests/helpers/postgres.py), named by $DESK_DATABASE_URL. A test of such a module
that only makes sense on SQLite (it opens the file itself) is marked `sqlite_only`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from desk.app.home import Home
from tests.helpers.cli import DeskCli
from tests.helpers.postgres import Cluster, binaries
from tests.helpers.stories import import_sample

BACKENDS = ("sqlite", "postgresql")
TEMPLATE = "desk_template"
"""A database migrated once per session; each test's database is a copy of it."""


def pytest_configure(config: pytest.Config) -> None:
    """Declare the markers."""
    config.addinivalue_line("markers", "both_backends: run on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "sqlite_only: in a both_backends module, SQLite only")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run `both_backends` tests once per store."""
    marked = metafunc.definition.get_closest_marker("both_backends")
    if marked and not metafunc.definition.get_closest_marker("sqlite_only"):
        if "backend" not in metafunc.fixturenames:
            metafunc.fixturenames.append("backend")
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def on_postgresql(request: pytest.FixtureRequest) -> bool:
    """Whether this test runs on PostgreSQL: its `backend` parameter (set by
    pytest_generate_tests, so absent from `request.fixturenames`), or a test asking for
    the `backend` fixture itself."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and "backend" in callspec.params:
        return bool(callspec.params["backend"] == "postgresql")
    return "backend" in request.fixturenames and request.getfixturevalue("backend") == "postgresql"


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The store this test runs on: "sqlite" (the default) or "postgresql"."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The session's PostgreSQL cluster, with a migrated template database."""
    if binaries() is None:
        pytest.skip("PostgreSQL is not installed (initdb, pg_ctl): `.ci/run` installs it")
    cluster = Cluster.start(tmp_path_factory.mktemp("postgres"))
    try:
        from desk.core.store import Store

        Store(cluster.create_database(TEMPLATE), migrate_schema=True).close()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh desk database (migrated) on the session's cluster, dropped afterwards."""
    url = pg_cluster.create_database(template=TEMPLATE)
    yield url
    pg_cluster.drop_database(urlsplit(url).path.lstrip("/"))


@pytest.fixture
def own_cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A durable cluster (fsync on) of this test's own, to restart, pause and stop."""
    if binaries() is None:
        pytest.skip("PostgreSQL is not installed (initdb, pg_ctl): `.ci/run` installs it")
    cluster = Cluster.start(tmp_path / "pg", fsync=True)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(autouse=True)
def isolated_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Path]:
    """Keep the tester's own home, config, user and clock out of every test."""
    monkeypatch.delenv("DESK_DATABASE_URL", raising=False)
    if on_postgresql(request):
        monkeypatch.setenv("DESK_DATABASE_URL", request.getfixturevalue("pg_url"))
    home = tmp_path / "desk-home"
    monkeypatch.setenv("DESK_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path / "user-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("DESK_CLOCK", "2015-05-17T06:00:00+00:00")
    # No house glossary unless a test brings one (the repository's own is in the cwd).
    monkeypatch.setenv("DESK_GLOSSARY", str(tmp_path / "no-glossary"))
    monkeypatch.delenv("DESK_USER", raising=False)
    monkeypatch.delenv("DESK_TZ", raising=False)
    yield home


@pytest.fixture
def desk_home(isolated_env: Path) -> Path:
    """The desk home of this test."""
    return isolated_env


@pytest.fixture
def desk() -> DeskCli:
    """A `desk` command runner."""
    return DeskCli()


# A small house glossary for tests that need one (the TUI's, the draft tests).
GLOSSARY = """\
[lattakia]
canonical = "Lattakia"
arabic = ["اللاذقية"]
variants = ["Latakia"]
kind = "place"

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
"""


@pytest.fixture
def glossary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small house glossary in its own folder, named by $DESK_GLOSSARY."""
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "places.toml").write_text(GLOSSARY, encoding="utf-8")
    monkeypatch.setenv("DESK_GLOSSARY", str(folder))
    return folder


@pytest.fixture
def env(desk_home: Path, glossary: Path) -> Home:
    """A desk home holding the Lattakia sample with its pasted draft; the small glossary."""
    env = Home(desk_home)
    import_sample(env, "lattakia-offensive")
    return env
