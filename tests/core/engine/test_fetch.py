"""desk's bounded HTTP fetch against real servers on 127.0.0.1 that hang, dribble, flood,
redirect away, cut short or send the wrong bytes."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.core.engine.base import EngineError
from desk.core.engine.fetch import FetchError, Limits, fetch_to, package_limits
from desk.core.errors import InputError
from tests.helpers.packages import (
    answer,
    closed_port_url,
    cut_short,
    dribble,
    flood,
    hang,
    hostile_server,
    redirect,
)

QUICK = Limits(timeout=1.0, deadline=2.0, max_bytes=1024**2)
"""Small limits, so a hostile server costs a test about a second."""
BODY = b"an argos package, or near enough\n" * 1000


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """Where the download goes (its folder exists; the file does not)."""
    (tmp_path / "dl").mkdir()
    return tmp_path / "dl" / "package.argosmodel"


def left(dest: Path) -> list[str]:
    """What a fetch left in the destination folder."""
    return sorted(p.name for p in dest.parent.iterdir())


def failure(url: str, dest: Path, limits: Limits = QUICK, sha256: str | None = None) -> str:
    """Fetch, expecting a failure that leaves nothing; the reason."""
    with pytest.raises(FetchError) as caught:
        fetch_to(url, dest, limits, sha256)
    assert left(dest) == [], "a failed fetch leaves no file, whole or partial"
    assert caught.value.url == url
    return caught.value.reason


def test_a_good_download_streams_to_the_file_with_progress(dest: Path) -> None:
    """The body lands whole, its sha256 checked, progress reported up to the full size."""
    seen: list[tuple[int, int | None]] = []
    digest = hashlib.sha256(BODY).hexdigest()
    with hostile_server({"p": answer(BODY)}) as base:
        fetch_to(base + "p", dest, QUICK, digest, lambda got, total: seen.append((got, total)))
    assert dest.read_bytes() == BODY and left(dest) == [dest.name]
    assert seen[-1] == (len(BODY), len(BODY))
    assert [got for got, _ in seen] == sorted(got for got, _ in seen)


def test_a_server_that_never_answers_times_out(dest: Path) -> None:
    """Silence past the timeout ends the fetch (argostranslate waited forever)."""
    with hostile_server({"p": hang()}) as base:
        assert "no answer for 1 s" in failure(base + "p", dest)


def test_a_server_that_dribbles_ends_at_the_deadline(dest: Path) -> None:
    """A byte every 0.2 s is never silent for the 1 s timeout; the 2 s deadline ends it,
    in the body or in the headers."""
    with hostile_server({"p": dribble(every=0.2), "h": dribble(in_headers=True)}) as base:
        assert "took longer than the 2 s deadline" in failure(base + "p", dest)
        assert "took longer than the 2 s deadline" in failure(base + "h", dest)


def test_a_flood_stops_at_the_size_cap(dest: Path) -> None:
    """An endless body stops at the cap; an announced size over it is refused at once."""
    with hostile_server({"endless": flood(), "huge": flood(announce=1536 * 1024**2)}) as base:
        assert "more than the 1 MB limit" in failure(base + "endless", dest)
        assert "1536.0 MB is over the 1 MB limit" in failure(base + "huge", dest)


def test_redirects_stay_on_the_host(dest: Path) -> None:
    """A redirect on the same host is followed; to another host (localhost is not
    127.0.0.1), in a loop or to another scheme, refused."""
    with hostile_server({"p": answer(BODY)}, host="localhost") as elsewhere:
        routes = {
            "same": redirect("/p"),
            "away": redirect(elsewhere + "p"),
            "loop": redirect("/loop"),
            "ftp": redirect("ftp://127.0.0.1/p"),
            "p": answer(BODY),
        }
        with hostile_server(routes) as base:
            fetch_to(base + "same", dest, QUICK)
            assert dest.read_bytes() == BODY
            dest.unlink()
            assert "another host (localhost); refused" in failure(base + "away", dest)
            assert "more than 5 redirects" in failure(base + "loop", dest)
            assert "ftp URL; refused" in failure(base + "ftp", dest)


def test_wrong_bytes_are_refused(dest: Path) -> None:
    """A wrong sha256, a body cut short, an HTTP error and a closed port each fail."""
    routes = {"p": answer(BODY), "short": cut_short(BODY[:100], len(BODY)), "err": answer(b"", 500)}
    with hostile_server(routes) as base:
        assert "sha256 mismatch" in failure(base + "p", dest, sha256="0" * 64)
        assert "closed early" in failure(base + "short", dest)
        assert "HTTP 500" in failure(base + "err", dest)
    assert "connection refused" in failure(closed_port_url() + "p", dest)


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """$DESK_FETCH_TIMEOUT, $DESK_FETCH_DEADLINE and $DESK_DOWNLOAD_LIMIT_MB set the
    limits; a value that is not a positive number is bad input naming the variable."""
    monkeypatch.setenv("DESK_FETCH_TIMEOUT", "2.5")
    monkeypatch.setenv("DESK_FETCH_DEADLINE", "60")
    monkeypatch.setenv("DESK_DOWNLOAD_LIMIT_MB", "10")
    assert package_limits() == Limits(timeout=2.5, deadline=60, max_bytes=10 * 1024**2)
    for bad in ("0", "-1", "ten", "inf", "nan"):
        monkeypatch.setenv("DESK_DOWNLOAD_LIMIT_MB", bad)
        with pytest.raises(InputError, match=r"\$DESK_DOWNLOAD_LIMIT_MB must be a positive"):
            package_limits()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs (skipped where this test cannot mount one)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or 'not root'}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_said_as_such(small_disk: Path) -> None:
    """A download that fills the disk fails naming a full disk, and leaves no part file."""
    dest = small_disk / "package.argosmodel"
    server = hostile_server({"p": answer(os.urandom(512 * 1024))})
    with server as base, pytest.raises(EngineError) as caught:
        fetch_to(base + "p", dest, QUICK)
    assert f"cannot save {base}p in {small_disk}: the disk is full" in str(caught.value)
    assert list(small_disk.iterdir()) == []


@pytest.fixture
def tls_cert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A self-signed certificate for 127.0.0.1 that this test's https client trusts
    ($SSL_CERT_FILE); the PEM holds the key too, for the server."""
    if shutil.which("openssl") is None:
        pytest.skip("no openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    both = tmp_path / "server.pem"
    both.write_bytes(cert.read_bytes() + key.read_bytes())
    return both


def test_https_is_bounded_too_and_never_downgraded(dest: Path, tls_cert: Path) -> None:
    """Over https a download works, a dribble still ends at the deadline, and a redirect
    to http on the same host is refused."""
    routes = {"p": answer(BODY), "slow": dribble(every=0.2)}
    with hostile_server(routes, tls=tls_cert) as base:
        routes["down"] = redirect(base.replace("https://", "http://") + "p")
        fetch_to(base + "p", dest, QUICK)
        assert dest.read_bytes() == BODY
        dest.unlink()
        assert "took longer than the 2 s deadline" in failure(base + "slow", dest)
        assert "redirected from https to http; refused" in failure(base + "down", dest)
