"""The throw-away PostgreSQL cluster the tests start themselves (tests/helpers/postgres.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.postgres import Cluster, binaries

if binaries() is None:
    pytest.skip(
        "PostgreSQL is not installed: no initdb and pg_ctl on PATH or under "
        "/usr/lib/postgresql/*/bin (apt-get install postgresql-15)",
        allow_module_level=True,
    )
psycopg = pytest.importorskip(
    "psycopg", reason="the psycopg driver is not installed (pip install 'psycopg[binary]>=3.1')"
)


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """One cluster for this module (fsync off)."""
    cluster = Cluster.start(tmp_path_factory.mktemp("pg") / "cluster")
    yield cluster
    cluster.stop()


def test_two_databases_are_separate(pg: Cluster) -> None:
    first = pg.create_database()
    second = pg.create_database()
    assert first != second
    with psycopg.connect(first, autocommit=True) as conn:
        conn.execute("CREATE TABLE note (id int PRIMARY KEY, body text)")
        conn.execute("INSERT INTO note VALUES (1, %s)", ["اللاذقية"])
    with psycopg.connect(first) as conn:
        assert conn.execute("SELECT body FROM note").fetchall() == [("اللاذقية",)]
    with psycopg.connect(second) as conn:
        assert conn.execute("SELECT to_regclass('note')").fetchone() == (None,)
    name = urlsplit(first).path.lstrip("/")
    assert pg.sql("SELECT count(*) FROM note", dbname=name) == [(1,)]
    # A database made from another as its template starts as a copy of it.
    copy = pg.create_database(template=name)
    with psycopg.connect(copy) as conn:
        assert conn.execute("SELECT id FROM note").fetchall() == [(1,)]
    pg.drop_database(name)
    assert pg.sql("SELECT 1 FROM pg_database WHERE datname = %s", params=[name]) == []


def test_server_settings(pg: Cluster) -> None:
    (encoding, collation), *_ = pg.sql(
        "SELECT pg_encoding_to_char(encoding), datcollate FROM pg_database"
        " WHERE datname = current_database()"
    )
    assert encoding == "UTF8"
    assert collation in ("C.UTF-8", "C")
    assert pg.sql("SHOW max_connections") == [("300",)]
    assert pg.sql("SHOW fsync") == [("off",)]
    assert pg.sql("SHOW port") == [(str(pg.port),)]
    assert len(str(pg.socket_dir / f".s.PGSQL.{pg.port}")) < 100
    assert pg.url("news") == f"postgresql://desk@/news?host={pg.socket_dir}&port={pg.port}"


def test_password_authentication_over_tcp(pg: Cluster) -> None:
    pg.create_role("reporter", "it's s3cret")
    url = pg.url("postgres", user="reporter", password="it's s3cret", tcp=True)
    assert url == f"postgresql://reporter:it%27s%20s3cret@127.0.0.1:{pg.port}/postgres"
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("reporter",)
    wrong = pg.url("postgres", user="reporter", password="guess", tcp=True)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong, connect_timeout=10)
    # The superuser is trusted only on the Unix socket.
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(pg.url("postgres", tcp=True), connect_timeout=10)


def test_committed_row_survives_an_immediate_restart(tmp_path: Path) -> None:
    cluster = Cluster.start(tmp_path / "cluster", fsync=True)
    try:
        assert cluster.sql("SHOW fsync") == [("on",)]
        url = cluster.create_database("newsroom")
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE story (slug text)")
            conn.execute("INSERT INTO story VALUES ('lattakia-offensive')")
            conn.commit()
        socket_dir, port = cluster.socket_dir, cluster.port
        cluster.restart("immediate")
        assert (cluster.socket_dir, cluster.port) == (socket_dir, port)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT slug FROM story").fetchall() == [("lattakia-offensive",)]
        # An immediate stop is a crash: the server recovered from its WAL.
        assert "automatic recovery in progress" in cluster.log_text()
    finally:
        pid = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
        cluster.stop()
    assert not _running(pid)
    assert not socket_dir.exists()
    cluster.stop()  # again: nothing to do
    assert "database system is shut down" in cluster.log_text()


def _running(pid: int) -> bool:
    """Whether process pid runs (a zombie does not: init reaps the postmaster when it will)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
