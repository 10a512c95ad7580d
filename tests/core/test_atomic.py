"""write_atomic on what may stand at its target: a link, a device, a named pipe."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from desk.core.atomic import write_atomic
from desk.core.errors import InputError


def test_a_regular_file_is_replaced_whole(tmp_path: Path) -> None:
    """The usual case: the new bytes, no temporary file left behind."""
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    """The file a link points to gets the data; the link stays a link (also when its
    target does not exist yet)."""
    real = tmp_path / "real.tsv"
    real.write_bytes(b"old")
    link = tmp_path / "link.tsv"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    dangling = tmp_path / "dangling.tsv"
    dangling.symlink_to(tmp_path / "later.tsv")
    write_atomic(dangling, b"made")
    assert dangling.is_symlink() and (tmp_path / "later.tsv").read_bytes() == b"made"


def test_a_device_is_written_to_not_replaced() -> None:
    """A terminal (a pseudo-terminal of the test's own, not a device the machine needs:
    a writer that replaced devices would break it) gets the bytes and stays a device."""
    master, slave = os.openpty()
    try:
        device = Path(os.ttyname(slave))
        write_atomic(device, b"hello")
        assert stat.S_ISCHR(os.stat(device).st_mode)
        assert os.read(master, 100).replace(b"\r", b"") == b"hello"
    finally:
        os.close(master)
        os.close(slave)


def test_a_named_pipe_is_written_through(tmp_path: Path) -> None:
    """A reader on the pipe gets every byte; the pipe stays a pipe."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    data = b"x" * 200_000  # more than a pipe's buffer
    deadline = time.monotonic() + 10
    while True:  # until the reader has the pipe open
        try:
            write_atomic(pipe, data)
            break
        except InputError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    reader.join(timeout=10)
    assert got == [data] and stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_a_named_pipe_nobody_reads_is_an_error_at_once(tmp_path: Path) -> None:
    """No reader: a clear error straight away, not a wait for ever."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    started = time.monotonic()
    with pytest.raises(InputError, match="named pipe that nothing reads"):
        write_atomic(pipe, b"data")
    assert time.monotonic() - started < 5
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
