"""The shared desk on PostgreSQL: `desk db status`, `migrate` and `copy`, the password kept
out of every message and of the database, and the faults a server brings (a statement
timeout, the server gone, the server restarting during a stream of saves).

Each test runs on the session's throw-away cluster (tests/conftest.py); the restart test
starts a cluster of its own, with fsync on, so that its restarts disturb no one else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from desk.core.store import Store
from desk.core.store.copying import fingerprint
from desk.core.store.migrations import MIGRATIONS
from tests.helpers.cli import DeskCli
from tests.helpers.paths import ROOT
from tests.helpers.postgres import Cluster
from tests.helpers.stories import import_sample, write_small

SLUG = "douma-raids"


def _name(url: str) -> str:
    """The database name in a cluster URL."""
    return urlsplit(url).path.lstrip("/")


@pytest.fixture
def shared(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """This test's desk on PostgreSQL (migrated), named by $DESK_DATABASE_URL."""
    monkeypatch.setenv("DESK_DATABASE_URL", pg_url)
    return pg_url


def test_status_names_the_backend_schema_and_counts(
    desk: DeskCli, shared: str, tmp_path: Path
) -> None:
    """`desk db status` on a shared desk: backend, URL, schema, what it holds."""
    source, draft = write_small(tmp_path / "in")
    desk("import", str(source), "--draft", str(draft), "--as", "rania")
    status = json.loads(desk("db", "status", "--json").output)
    assert status["backend"] == "postgresql"
    assert status["database"] == shared
    assert status["schema"].startswith("up to date")
    assert status["counts"]["stories"] == 1 and status["counts"]["segments"] > 3
    assert status["stories_by_status"] == {"new": 1}
    text = desk("db", "status").output
    assert "backend:   postgresql" in text and "1 stories (1 new)" in text


def test_a_database_without_the_schema_needs_migrate(
    desk: DeskCli, pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty database is refused (exit 6) until `desk db migrate`; a database from a
    newer desk is refused by both, and left as it is."""
    url = pg_cluster.create_database()
    monkeypatch.setenv("DESK_DATABASE_URL", url)
    refused = desk("list", ok=False)
    assert refused.exit_code == 6
    assert "has no desk schema yet" in refused.stderr and "desk db migrate" in refused.stderr
    assert pg_cluster.sql(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", _name(url)
    ) == [(0,)]

    out = desk("db", "migrate").output
    assert f"Applied {len(MIGRATIONS)} migration(s)" in out and MIGRATIONS[-1].name in out
    assert "Applied" not in desk("db", "migrate").output  # nothing twice
    assert desk("list").exit_code == 0

    pg_cluster.sql(
        "INSERT INTO schema_migrations (name, applied_at) VALUES ('999_future', 'x')", _name(url)
    )
    for args in (("list",), ("db", "migrate")):
        newer = desk(*args, ok=False)
        assert newer.exit_code == 6 and "made by a newer desk" in newer.stderr, newer.stderr
    pg_cluster.drop_database(_name(url))


def test_a_foreign_database_is_left_alone(
    desk: DeskCli, pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database holding other tables is not a desk: migrate refuses, touches nothing."""
    url = pg_cluster.create_database()
    pg_cluster.sql("CREATE TABLE invoices (id int)", _name(url))
    monkeypatch.setenv("DESK_DATABASE_URL", url)
    refused = desk("db", "migrate", ok=False)
    assert refused.exit_code == 6 and "not a desk database" in refused.stderr
    tables = pg_cluster.sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", _name(url)
    )
    assert tables == [("invoices",)]
    pg_cluster.drop_database(_name(url))


def test_copy_moves_a_desk_both_ways_and_proves_it(
    desk: DeskCli, pg_cluster: Cluster, desk_home: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """SQLite → PostgreSQL → a new SQLite file: every story, revision and setting, the
    same counts and hash; the moved desk reads, searches and edits as the first did."""
    source, draft = write_small(tmp_path / "in")
    desk("import", str(source), "--draft", str(draft), "--as", "rania")
    desk("edit", SLUG, "2", "--text", "Six civilians were killed in Douma.", "--as", "omar")
    desk("delete", SLUG + "-x", ok=False)
    desk("engine", "use", "none", ok=False)
    original = Store(desk_home / "desk.sqlite3")
    before = fingerprint(original)
    shown = desk("show", SLUG, "--json").output
    log = desk("log", SLUG, "--json").output
    original.close()

    target = pg_cluster.create_database()
    out = desk("db", "copy", "--to", target).output
    assert f"{before.counts['revisions']:,} revisions" in out and before.digest[:16] in out
    again = desk("db", "copy", "--to", target, ok=False)
    assert again.exit_code == 4 and "already holds a desk" in again.stderr

    monkeypatch.setenv("DESK_DATABASE_URL", target)
    assert desk("show", SLUG, "--json").output == shown
    assert desk("log", SLUG, "--json").output == log
    assert json.loads(desk("search", "Douma", "--json").output)
    desk("edit", SLUG, "3", "--text", "Shelling went on until evening.", "--as", "sam")
    ids = [r["id"] for r in json.loads(desk("log", SLUG, "--json").output)]
    assert ids[-1] > ids[-2] == before.counts["revisions"]  # the sequence goes on from the copy

    back = tmp_path / "backup.sqlite3"
    out = desk("db", "copy", "--to", str(back)).output
    assert "match on both sides" in out
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == ["backup.sqlite3"]
    monkeypatch.delenv("DESK_DATABASE_URL")
    copied = Store(back)
    shared = Store(target)
    assert fingerprint(copied) == fingerprint(shared)
    copied.close()
    shared.close()
    exists = desk("db", "copy", "--to", str(back), ok=False)
    assert exists.exit_code == 4 and "exists" in exists.stderr
    pg_cluster.drop_database(_name(target))


def test_the_password_appears_nowhere(
    desk: DeskCli, pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A URL with a password: not in status, errors, logs or the database itself."""
    secret = "s3cr3t-Pa55-word"
    role = f"editor_{os.getpid()}"
    pg_cluster.create_role(role, secret)
    name = _name(pg_cluster.create_database())
    pg_cluster.sql(f"ALTER DATABASE {name} OWNER TO {role}")
    pg_cluster.sql(f"ALTER SCHEMA public OWNER TO {role}", name)
    url = pg_cluster.url(name, user=role, password=secret, tcp=True)
    monkeypatch.setenv("DESK_DATABASE_URL", url)
    outputs = [desk("db", "migrate"), desk("db", "status"), desk("db", "status", "--json")]
    source, draft = write_small(tmp_path / "in")
    outputs.append(desk("import", str(source), "--draft", str(draft), "--as", "rania"))
    outputs.append(desk("show", "no-such-story", ok=False))
    assert "***" in outputs[1].output
    wrong = pg_cluster.url(name, user=role, password="Wr0ng-" + secret, tcp=True)
    monkeypatch.setenv("DESK_DATABASE_URL", wrong)
    refused = desk("list", ok=False)
    assert refused.exit_code == 6 and "password authentication failed" in refused.stderr
    outputs.append(refused)
    monkeypatch.setenv("DESK_DATABASE_URL", url.replace(name, "no_such_database"))
    outputs.append(desk("list", ok=False))
    for result in outputs:
        assert secret not in result.output + result.stderr
    dump = " ".join(
        str(row)
        for table in ("stories", "segments", "revisions", "settings", "schema_migrations")
        for row in pg_cluster.sql(f"SELECT * FROM {table}", name)
    )
    assert "rania" in dump and secret not in dump
    assert secret not in pg_cluster.log_text()


def test_a_statement_timeout_is_exit_6_and_writes_nothing(
    desk: DeskCli, shared: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save that waits on a lock past the statement timeout: exit 6, one clear line,
    nothing of it in the database."""
    source, draft = write_small(tmp_path / "in")
    desk("import", str(source), "--draft", str(draft), "--as", "rania")
    revisions = len(json.loads(desk("log", SLUG, "--json").output))
    monkeypatch.setenv("DESK_STATEMENT_TIMEOUT_MS", "300")
    with psycopg.connect(shared) as other:  # another session holds the table
        other.execute("LOCK TABLE segments IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        result = desk("edit", SLUG, "2", "--text", "Never saved.", "--as", "omar", ok=False)
        waited = time.monotonic() - started
    assert result.exit_code == 6, result.output
    assert (
        "did not answer in time" in result.stderr
        and "nothing of this command was saved" in result.stderr
    )
    assert "Traceback" not in result.output + result.stderr and waited < 5
    monkeypatch.delenv("DESK_STATEMENT_TIMEOUT_MS")
    log = json.loads(desk("log", SLUG, "--json").output)
    assert len(log) == revisions and "Never saved." not in json.dumps(log)
    monkeypatch.setenv("DESK_STATEMENT_TIMEOUT_MS", "soon")
    refused = desk("list", ok=False)
    assert refused.exit_code == 1 and "$DESK_STATEMENT_TIMEOUT_MS" in refused.stderr


def test_config_names_the_shared_desk(desk: DeskCli, pg_url: str, desk_home: Path) -> None:
    """`[desk] database_url` in config.toml selects PostgreSQL; a bad URL is refused."""
    desk_home.mkdir(parents=True, exist_ok=True)
    config = desk_home / "config.toml"
    config.write_text(f'[desk]\ndatabase_url = "{pg_url}"\n', encoding="utf-8")
    assert json.loads(desk("db", "status", "--json").output)["backend"] == "postgresql"
    assert not (desk_home / "desk.sqlite3").exists()
    config.write_text('[desk]\ndatabase_url = "mysql://x@y/z"\n', encoding="utf-8")
    refused = desk("list", ok=False)
    assert refused.exit_code == 1 and "not a PostgreSQL URL" in refused.stderr


# -- the server going away --------------------------------------------------------------


def test_the_server_gone_is_exit_6_without_a_traceback(
    desk: DeskCli, own_cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command against a stopped server: exit 6, one line naming the database."""
    url = own_cluster.create_database()
    monkeypatch.setenv("DESK_DATABASE_URL", url)
    desk("db", "migrate")
    own_cluster.stop()
    for args in (("list",), ("db", "status"), ("search", "Douma"), ("show", SLUG)):
        result = desk(*args, ok=False)
        assert result.exit_code == 6, (args, result.output)
        assert "is unavailable" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_restart_during_a_stream_of_saves_loses_no_acknowledged_save(
    desk: DeskCli, own_cluster: Cluster, desk_home: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """`pg_ctl restart -m immediate` twice while two editors save: every save desk
    acknowledged is in the log afterwards; every other one failed with exit 6 and a
    clear line, never a traceback."""
    url = own_cluster.create_database()
    monkeypatch.setenv("DESK_DATABASE_URL", url)
    desk("db", "migrate")
    source, draft = write_small(tmp_path / "in")
    desk("import", str(source), "--draft", str(draft), "--as", "tr")
    env = dict(os.environ, DESK_HOME=str(desk_home), PYTHONPATH=str(ROOT))
    outs = [tmp_path / f"editor-{w}.json" for w in range(2)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.helpers.concurrent_editor",
                f"ed{w}",
                str(w),
                "150",
                SLUG,
                str(out),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for w, out in enumerate(outs)
    ]
    restarts = threading.Event()

    def restart_twice() -> None:
        for _ in range(2):
            time.sleep(2.0)
            own_cluster.restart("immediate")
        restarts.set()

    thread = threading.Thread(target=restart_twice)
    thread.start()
    for proc in procs:
        output, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, output
    thread.join()
    assert restarts.is_set()
    results = [json.loads(out.read_text(encoding="utf-8")) for out in outs]
    failed = [o for r in results for o in r["other"]]
    landed = [e["text"] for r in results for e in r["landed"]]
    assert failed, "no operation met a restart: the test proved nothing"
    for outcome in failed:
        assert outcome["code"] == 6, outcome
        assert "Traceback" not in outcome["out"] and "unavailable" in outcome["out"], outcome
    log = json.loads(desk("log", SLUG, "--json").output)
    logged = {r["after"] for r in log if r["kind"] == "edit"}
    assert landed and set(landed) <= logged
    assert (
        "automatic recovery" in own_cluster.log_text()
        or "database system was interrupted" in own_cluster.log_text()
    )


def test_sample_import_runs_on_a_shared_desk(desk: DeskCli, shared: str) -> None:
    """The bundled samples import, draft and list on PostgreSQL as on SQLite."""
    from desk.app.home import Home

    home = Home.at()
    import_sample(home, "lattakia-offensive")
    home.close()
    listed = json.loads(desk("list", "--json").output)
    assert [s["slug"] for s in listed] == ["lattakia-offensive"]


def test_check_and_backup_on_a_shared_desk(desk: DeskCli, shared: str, tmp_path: Path) -> None:
    """`desk db check` says what it checks on PostgreSQL; `desk db backup` points to
    `desk db copy --to FILE` and writes nothing."""
    checked = desk("db", "check").output
    assert "up to date" in checked and "PostgreSQL checks its own pages" in checked
    refused = desk("db", "backup", str(tmp_path / "b.sqlite3"), ok=False)
    assert refused.exit_code == 1 and "desk db copy --to FILE" in refused.stderr
    assert not (tmp_path / "b.sqlite3").exists()


def test_a_connection_dropped_mid_save_writes_nothing(
    desk: DeskCli, shared: str, pg_cluster: Cluster, desk_home: Path, tmp_path: Path
) -> None:
    """The server ends desk's connection while a save is inside its transaction (the
    segment written, the revision not yet): exit 6, one clear line, and neither the new
    text nor a revision of it in the database."""
    source, draft = write_small(tmp_path / "in")
    desk("import", str(source), "--draft", str(draft), "--as", "rania")
    before = json.loads(desk("show", SLUG, "--json").output)["segments"][1]
    revisions = len(json.loads(desk("log", SLUG, "--json").output))
    name = _name(shared)
    # Every revision insert waits 3 s inside the save's transaction: time to cut it.
    pg_cluster.sql(
        "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN PERFORM pg_sleep(3); RETURN NEW; END $$",
        name,
    )
    pg_cluster.sql(
        "CREATE TRIGGER slow BEFORE INSERT ON revisions FOR EACH ROW EXECUTE FUNCTION slow()",
        name,
    )
    env = dict(os.environ, DESK_HOME=str(desk_home), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "desk", "edit", SLUG, "2", "--text", "Cut off mid-save.",
         "--as", "omar"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    query = (
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'desk' "
        "AND query LIKE '%INSERT INTO revisions%' AND state = 'active'"
    )
    deadline = time.monotonic() + 20
    while not (rows := pg_cluster.sql(query)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert rows, "the save never reached the revision insert"
    pg_cluster.sql(f"SELECT pg_terminate_backend({rows[0][0]})")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 6, (out, err)
    assert "is unavailable" in err and "nothing of this command was saved" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    pg_cluster.sql("DROP TRIGGER slow ON revisions", name)
    after = json.loads(desk("show", SLUG, "--json").output)["segments"][1]
    assert after["text"] == before["text"] and after["version"] == before["version"]
    log = json.loads(desk("log", SLUG, "--json").output)
    assert len(log) == revisions


def test_the_revision_log_is_append_only_in_postgresql_too(
    desk: DeskCli, shared: str, tmp_path: Path
) -> None:
    """The database itself refuses to change or remove a revision (UPDATE, DELETE,
    TRUNCATE), as SQLite's triggers do."""
    source, draft = write_small(tmp_path / "in")
    desk("import", str(source), "--draft", str(draft), "--as", "rania")
    for statement in (
        "UPDATE revisions SET author = 'someone else'",
        "DELETE FROM revisions WHERE id = 1",
        "TRUNCATE revisions CASCADE",
    ):
        with (
            psycopg.connect(shared, autocommit=True) as conn,
            pytest.raises(psycopg.errors.RaiseException, match="append-only"),
        ):
            conn.execute(statement)
    log = json.loads(desk("log", SLUG, "--json").output)
    assert log and {r["author"] for r in log} == {"rania"}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://alice:hun/ter2-SECRET@127.0.0.1:1/db",
        "postgresql://127.0.0.1:1/db?user=alice&pass%77ord=hunter2-SECRET",
        "postgresql://127.0.0.1:1/db?user=alice&sslpassword=hunter2-SECRET&sslmode=require",
    ],
)
def test_secrets_in_odd_urls_stay_hidden(
    desk: DeskCli, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A password however the URL carries it (unencoded `/`, a percent-encoded key,
    `sslpassword`): the error names the database with *** instead."""
    monkeypatch.setenv("DESK_DATABASE_URL", url)
    result = desk("db", "status", ok=False)
    assert result.exit_code in (1, 6)
    assert "SECRET" not in result.output + result.stderr and "***" in result.stderr


def test_odd_urls_and_timeouts_are_input_errors(
    desk: DeskCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scheme libpq does not take, an unknown parameter, a non-ASCII digit: exit 1."""
    for url in ("PostgreSQL://desk@/x", "postgresql://desk@/x?frobnicate=1"):
        monkeypatch.setenv("DESK_DATABASE_URL", url)
        result = desk("list", ok=False)
        assert result.exit_code == 1, (url, result.stderr)
    monkeypatch.setenv("DESK_DATABASE_URL", "postgresql://desk@/x")
    monkeypatch.setenv("DESK_STATEMENT_TIMEOUT_MS", "²")
    result = desk("list", ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.stderr


def test_nul_is_refused_and_a_desk_holding_one_is_named(
    desk: DeskCli, pg_cluster: Cluster, desk_home: Path, tmp_path: Path
) -> None:
    """NUL in typed English: exit 1 on every store. An old SQLite desk holding one: the
    copy names the row and keeps nothing."""
    source, draft = write_small(tmp_path / "in")
    desk("import", str(source), "--draft", str(draft), "--as", "rania")
    refused = desk("edit", SLUG, "2", "--text", "a\x00b", "--as", "omar", ok=False)
    assert refused.exit_code == 1 and "NUL" in refused.stderr
    import sqlite3

    with sqlite3.connect(desk_home / "desk.sqlite3") as conn:
        conn.execute("UPDATE segments SET text = 'a' || char(0) || 'b' WHERE n = 3")
    target = pg_cluster.create_database()
    result = desk("db", "copy", "--to", target, ok=False)
    assert result.exit_code == 1 and "segments row" in result.stderr and "NUL" in result.stderr
    assert pg_cluster.sql("SELECT count(*) FROM stories", _name(target)) == [(0,)]
    pg_cluster.drop_database(_name(target))
