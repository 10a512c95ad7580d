"""A throw-away PostgreSQL cluster for the tests, started by the tests themselves.

`Cluster.start(folder)` runs initdb into folder/data and starts a server that listens on a
Unix socket (in a short folder of its own under /tmp: socket paths are limited to about 107
bytes) and on 127.0.0.1 at a free TCP port. Its superuser is `desk`; local (socket)
connections are trusted, TCP connections need a password (scram-sha-256), so a test can
check password authentication with `create_role` and `url(..., tcp=True)`.

initdb and postgres refuse to run as root. When the tests run as root (as here and in CI)
the server runs as the `postgres` system user (`nobody` where that is missing), through
runuser (or setpriv), and its files belong to that user. When that user cannot reach the
folder (pytest's own temporary folders are mode 0700 and owned by root), the data folder
and the log live in a private folder under /tmp instead, and folder/data and
folder/postgres.log are symbolic links to them.

Stopping is idempotent and registered with atexit; a server whose test session was killed
before atexit could run is stopped by the next `Cluster.start` (see `_sweep_stale`).
psycopg is imported only where a statement is run, so this module imports without it.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

SUPERUSER = "desk"
# Marks the socket folders this module makes, so a later session can find a stale server.
_MARKER = "desk-test-cluster.json"
_TMP = Path("/tmp")


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, then the newest
    /usr/lib/postgresql/*/bin; None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found is not None:
        # Resolve symbolic links (/usr/local/bin/initdb here): the folder must also hold
        # pg_ctl and postgres.
        folder = Path(found).resolve().parent
        if _has_tools(folder):
            return folder
    versions: list[tuple[int, Path]] = []
    for candidate in Path("/usr/lib/postgresql").glob("*/bin"):
        if candidate.parent.name.isdigit() and _has_tools(candidate):
            versions.append((int(candidate.parent.name), candidate))
    if not versions:
        return None
    return max(versions)[1]


def _has_tools(folder: Path) -> bool:
    return all(os.access(folder / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres"))


def _server_user() -> str | None:
    """The unprivileged user to run the server as, or None to run it as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root and neither a `postgres` nor a `nobody` user exists")


def _as_user(user: str | None, argv: Sequence[str]) -> list[str]:
    """argv run as `user` (as ourselves when None)."""
    if user is None:
        return list(argv)
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--", *argv]
    if shutil.which("setpriv"):
        entry = pwd.getpwnam(user)
        return [
            "setpriv",
            f"--reuid={entry.pw_uid}",
            f"--regid={entry.pw_gid}",
            "--init-groups",
            "--",
            *argv,
        ]
    raise RuntimeError("running as root and neither runuser nor setpriv is installed")


def _chown(path: Path, user: str | None) -> None:
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _environment() -> dict[str, str]:
    """Our environment less libpq's and the server's own variables (PGDATA, PGPORT, ...)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env["LC_ALL"] = "C"
    return env


def _run(user: str | None, argv: Sequence[str], *, what: str) -> str:
    """Run argv as `user`; its output, or a RuntimeError holding it."""
    result = subprocess.run(
        _as_user(user, argv),
        cwd="/",  # the server user may not be able to read our working folder
        env=_environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{what} failed (exit {result.returncode}): {' '.join(argv)}\n"
            f"{result.stdout}{result.stderr}"
        )
    return result.stdout


def _locale() -> str:
    """C.UTF-8 where the C library has it, else C."""
    try:
        listed = subprocess.run(
            ["locale", "-a"], capture_output=True, text=True, errors="replace", check=False
        ).stdout
    except OSError:
        return "C"
    names = {line.strip().lower().replace("-", "") for line in listed.splitlines()}
    return "C.UTF-8" if "c.utf8" in names else "C"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _alive(pid: int) -> bool:
    """Whether process pid runs; a zombie does not (the postmaster's parent is init, which
    may be slow to reap it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # no /proc: believe kill
    # pid (comm) STATE ...; comm may hold spaces and parentheses.
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _postmaster_pid(data: Path) -> int | None:
    try:
        first = (data / "postmaster.pid").read_text(encoding="utf-8").splitlines()[0]
        return int(first.strip())
    except (OSError, IndexError, ValueError):
        return None


def _sweep_stale() -> None:
    """Stop the servers of earlier test sessions that died before their atexit could run."""
    for marker in _TMP.glob(f"pg*/{_MARKER}"):
        try:
            record = json.loads(marker.read_text(encoding="utf-8"))
            owner = int(record["owner"])
            data = Path(record["data"])
            pg_ctl = Path(record["pg_ctl"])
            user = record["user"]
            private = record.get("private")
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if _alive(owner) or (user is not None and os.geteuid() != 0):
            continue
        with contextlib.suppress(Exception):
            _run(user, [str(pg_ctl), "stop", "-D", str(data), "-m", "immediate", "-w"], what="")
        pid = _postmaster_pid(data)
        if pid is not None and _alive(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(marker.parent, ignore_errors=True)
        if private:
            shutil.rmtree(private, ignore_errors=True)


class Cluster:
    """A running PostgreSQL cluster; make one with `Cluster.start`."""

    def __init__(
        self,
        *,
        folder: Path,
        bin_dir: Path,
        data_dir: Path,
        log_path: Path,
        socket_dir: Path,
        port: int,
        user: str | None,
        private_dir: Path | None,
    ) -> None:
        self.folder = folder
        self.bin_dir = bin_dir
        self.data_dir = data_dir
        self.log_path = log_path
        self._socket_dir = socket_dir
        self._port = port
        self.user = user
        self._private_dir = private_dir
        self._names = itertools.count(1)
        self._stopped = False

    # -- starting -------------------------------------------------------------------------

    @classmethod
    def start(cls, folder: Path, *, fsync: bool = False) -> Cluster:
        """initdb into folder/data, configure and start the server; wait until it accepts
        connections. fsync=False (fsync and synchronous_commit off) makes tests faster;
        tests of crashes want fsync=True."""
        bin_dir = binaries()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (no initdb, pg_ctl)")
        _sweep_stale()
        user = _server_user()
        folder = Path(folder).absolute()
        folder.mkdir(parents=True, exist_ok=True)

        private_dir: Path | None = None
        if user is not None and not _reachable(user, folder):
            private_dir = Path(tempfile.mkdtemp(prefix="pgdata", dir=_TMP))
            _chown(private_dir, user)
            data_dir, log_path = private_dir / "data", private_dir / "postgres.log"
            (folder / "data").symlink_to(data_dir, target_is_directory=True)
            (folder / "postgres.log").symlink_to(log_path)
        else:
            data_dir, log_path = folder / "data", folder / "postgres.log"
        data_dir.mkdir(mode=0o700)
        _chown(data_dir, user)
        log_path.touch()
        _chown(log_path, user)

        socket_dir = Path(tempfile.mkdtemp(prefix="pg", dir=_TMP))
        _chown(socket_dir, user)
        cluster = cls(
            folder=folder,
            bin_dir=bin_dir,
            data_dir=data_dir,
            log_path=log_path,
            socket_dir=socket_dir,
            port=0,
            user=user,
            private_dir=private_dir,
        )
        atexit.register(cluster.stop)
        try:
            cluster._initdb(fsync=fsync)
            cluster._configure(fsync=fsync)
            # The free port may be taken between our probe and the server's bind: try again.
            for attempt in itertools.count(1):
                cluster._port = _free_port()
                cluster._write_port()
                try:
                    cluster._pg_ctl("start", "-w", "-t", "60")
                    break
                except RuntimeError:
                    if attempt >= 3 or "could not bind" not in cluster.log_text():
                        raise
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _initdb(self, *, fsync: bool) -> None:
        argv = [
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            SUPERUSER,
            "-E",
            "UTF8",
            f"--locale={_locale()}",
            "-A",
            "trust",
        ]
        if not fsync:
            argv.append("--no-sync")
        _run(self.user, argv, what="initdb")
        marker = {
            "owner": os.getpid(),
            "data": str(self.data_dir),
            "pg_ctl": str(self.bin_dir / "pg_ctl"),
            "user": self.user,
            "private": str(self._private_dir) if self._private_dir else None,
        }
        (self._socket_dir / _MARKER).write_text(json.dumps(marker), encoding="utf-8")

    def _configure(self, *, fsync: bool) -> None:
        on = "on" if fsync else "off"
        settings = f"""
# desk's tests (tests/helpers/postgres.py)
listen_addresses = '127.0.0.1'
unix_socket_directories = '{self._socket_dir}'
max_connections = 300
shared_buffers = 32MB
fsync = {on}
synchronous_commit = {on}
full_page_writes = {on}
password_encryption = 'scram-sha-256'
include_if_exists = 'port.conf'
"""
        conf = self.data_dir / "postgresql.conf"
        with conf.open("a", encoding="utf-8") as out:
            out.write(settings)
        (self.data_dir / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n", encoding="utf-8"
        )
        _chown(self.data_dir / "pg_hba.conf", self.user)

    def _write_port(self) -> None:
        path = self.data_dir / "port.conf"
        path.write_text(f"port = {self._port}\n", encoding="utf-8")
        _chown(path, self.user)

    def _pg_ctl(self, *args: str) -> str:
        argv = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_path)]
        return _run(self.user, [*argv, *args], what=f"pg_ctl {args[0]}")

    # -- addresses ------------------------------------------------------------------------

    @property
    def socket_dir(self) -> Path:
        """The folder holding the server's Unix socket (short, under /tmp)."""
        return self._socket_dir

    @property
    def port(self) -> int:
        """The TCP port on 127.0.0.1 (also the Unix socket's number)."""
        return self._port

    def url(
        self, dbname: str, *, user: str = SUPERUSER, password: str | None = None, tcp: bool = False
    ) -> str:
        """A postgresql:// URL for dbname: through the Unix socket
        (postgresql://desk@/dbname?host=/tmp/pgXXXX&port=NNNN), or with tcp=True through
        127.0.0.1 (postgresql://user:password@127.0.0.1:NNNN/dbname)."""
        who = quote(user, safe="")
        if password is not None:
            who += ":" + quote(password, safe="")
        db = quote(dbname, safe="")
        if tcp:
            return f"postgresql://{who}@127.0.0.1:{self._port}/{db}"
        return f"postgresql://{who}@/{db}?host={self._socket_dir}&port={self._port}"

    # -- statements -----------------------------------------------------------------------

    def sql(
        self, statement: str, dbname: str = "postgres", params: Sequence[Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """Run one statement as the superuser (autocommit); the rows it returns ([] for
        none)."""
        import psycopg

        with psycopg.connect(self.url(dbname), autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            if cursor.description is None:
                return []
            return list(cursor.fetchall())

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        """Create a database (a fresh unique name unless one is given), from template
        (template1 unless given); its URL."""
        if name is None:
            name = f"test_{os.getpid()}_{next(self._names)}"
        statement = f"CREATE DATABASE {_ident(name)}"
        if template is not None:
            statement += f" TEMPLATE {_ident(template)}"
        self.sql(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop the database if it exists, ending any connection to it."""
        self.sql(f"DROP DATABASE IF EXISTS {_ident(name)} WITH (FORCE)")

    def create_role(self, name: str, password: str) -> None:
        """A role that can log in with password (over TCP, see url(tcp=True))."""
        self.sql(f"CREATE ROLE {_ident(name)} LOGIN PASSWORD {_literal(password)}")

    # -- restarting, stopping -------------------------------------------------------------

    def restart(self, mode: str = "immediate") -> None:
        """pg_ctl restart -m mode (smart, fast or immediate, the last as a crash would),
        waiting until the server accepts connections again; same socket, same port."""
        if self._stopped:
            raise RuntimeError("the cluster is stopped")
        self._pg_ctl("restart", "-m", mode, "-w", "-t", "60")

    def pause(self, mode: str = "immediate") -> None:
        """Stop the server as a crash or an administrator would, keeping its folders,
        socket and port for `resume`: clients meanwhile find no server."""
        if self._stopped:
            raise RuntimeError("the cluster is stopped")
        self._pg_ctl("stop", "-m", mode, "-w", "-t", "60")

    def resume(self) -> None:
        """Start the server `pause` stopped, waiting until it accepts connections."""
        if self._stopped:
            raise RuntimeError("the cluster is stopped")
        self._pg_ctl("start", "-w", "-t", "60")

    def stop(self) -> None:
        """Stop the server (pg_ctl stop -m fast) and remove its socket folder. Safe to call
        again, and called at exit."""
        if self._stopped:
            return
        self._stopped = True
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        pid = _postmaster_pid(self.data_dir)
        if pid is not None:
            try:
                self._pg_ctl("stop", "-m", "fast", "-w", "-t", "30")
            except Exception:
                with contextlib.suppress(Exception):
                    self._pg_ctl("stop", "-m", "immediate", "-w", "-t", "10")
            if _alive(pid) and _postmaster_pid(self.data_dir) == pid:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                _wait_gone(pid)
        shutil.rmtree(self._socket_dir, ignore_errors=True)
        if self._private_dir is not None:
            # Keep the log where the caller looks for it; the data goes with the folder.
            kept = self.folder / "postgres.log"
            with contextlib.suppress(OSError):
                kept.unlink()
                shutil.copyfile(self.log_path, kept)
                self.log_path = kept
            with contextlib.suppress(OSError):
                (self.folder / "data").unlink()
            shutil.rmtree(self._private_dir, ignore_errors=True)

    @property
    def stopped(self) -> bool:
        return self._stopped

    def log_text(self) -> str:
        """The server's log so far ("" once a private log folder is gone)."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return f"<Cluster {self.data_dir} port={self._port} {state}>"


def _reachable(user: str, folder: Path) -> bool:
    """Whether `user` can pass through folder (and every folder above it)."""
    result = subprocess.run(
        _as_user(user, ["test", "-x", str(folder)]),
        cwd="/",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def _wait_gone(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def _ident(name: str) -> str:
    """name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """text as an SQL string literal (standard_conforming_strings is on)."""
    return "'" + text.replace("'", "''") + "'"
