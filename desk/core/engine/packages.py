"""Argos packages on disk: where they are found, how they are checked, installed and removed.

Packages are found where Argos keeps them ($ARGOS_PACKAGES_DIR, else that key in Argos's
settings.json, else $XDG_DATA_HOME/argos-translate/packages: argos_settings.py), so those
installed by `argospm` or by a LibreTranslate server are used too, and in desk's own
engine dir (`engines/` in the desk home), where desk installs. Nothing here imports
argostranslate; the index code does, lazily (it creates folders when imported).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from desk.core.engine.argos_settings import argos_packages_dir
from desk.core.engine.base import EngineError
from desk.core.errors import RefusedError

MAX_UNPACKED_BYTES = 4 * 1024**3
"""Refuse archives that would unpack to more than this (real Argos models are ~100 MB)."""
MAX_METADATA_BYTES = 1024**2
"""A package's metadata.json is a few hundred bytes; refuse one over this."""
WORK_PREFIXES = (".installing-", ".download-", ".removing-")
"""desk's work folders in its engine dir, removed when a run is killed mid-way."""
OWNER_FILE = ".owner"
"""A file in each work folder that its process holds locked while it runs."""
STALE_UNOWNED_SECONDS = 3600
"""A work folder with no owner file (an older desk's, or one killed at its birth) is
left alone for this long, in case its process is still at work."""
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
DEMO_FILE = "translate-ar_en-demo.argosmodel"


@dataclass(frozen=True)
class PackageInfo:
    """One installed Argos translation package."""

    path: Path
    name: str
    """The package's directory name, which `desk engine use/remove` take."""
    from_code: str
    to_code: str
    version: str
    demo: bool
    """desk's bundled demo model, which only knows its training corpus."""
    description: str
    tokenizer: str
    """`sentencepiece` or `bpe`."""
    target_prefix: str
    where: str
    """`desk` (desk's engine dir) or `argos` (Argos's package dir)."""


def desk_engine_dir(home: Path) -> Path:
    """desk's own package folder in the desk home."""
    return home / "engines"


def demo_package_file() -> Path:
    """The demo package shipped inside desk."""
    return Path(str(resources.files("desk.data").joinpath(DEMO_FILE)))


@dataclass(frozen=True)
class BrokenPackage:
    """A folder where a package should be that desk cannot use, and why."""

    name: str
    """The folder's name (made printable)."""
    where: str
    path: Path
    reason: str


def shown(text: str) -> str:
    """A name or path from disk as it can be printed: `?` for what a terminal would act
    on or cannot show (controls; bytes that are not UTF-8, kept as lone surrogates)."""
    return "".join(c if c.isprintable() else "?" for c in text)


def read_package(path: Path, where: str = "desk") -> PackageInfo:
    """Read and check an unpacked package directory; EngineError says what is wrong."""
    try:
        return _read_package(path, where)
    except OSError as exc:
        raise EngineError(f"{shown(str(path))}: cannot be read ({exc.strerror})") from None


def _read_package(path: Path, where: str) -> PackageInfo:
    """read_package, letting an error reading the disk through."""
    label = shown(str(path))
    if shown(path.name) != path.name:
        raise EngineError(f"{label}: the folder's name is not printable text")
    metadata_file = path / "metadata.json"
    if not metadata_file.is_file():
        raise EngineError(f"{label}: not an Argos package (no metadata.json)")
    if metadata_file.stat().st_size > MAX_METADATA_BYTES:
        raise EngineError(f"{label}/metadata.json: larger than 1 MB; not Argos metadata")
    try:
        meta = json.loads(metadata_file.read_text(encoding="utf-8"))
    except ValueError as exc:  # not JSON, not UTF-8, or a number too long to read
        raise EngineError(f"{label}/metadata.json: not valid JSON ({exc})") from None
    except RecursionError:
        raise EngineError(f"{label}/metadata.json: nested too deeply") from None
    if not isinstance(meta, dict):
        raise EngineError(f"{label}/metadata.json: expected a JSON object")
    kind = meta.get("type", "translate")
    if kind != "translate":
        kind = _field(meta, "type", label)
        raise EngineError(f"{label}: a {kind!r} package, not a translation package")
    for key in ("from_code", "to_code"):
        if not _field(meta, key, label):
            raise EngineError(f"{label}/metadata.json: missing {key}")
    if not (path / "model" / "model.bin").is_file():
        raise EngineError(f"{label}: no CTranslate2 model (model/model.bin)")
    if (path / "sentencepiece.model").is_file():
        tokenizer = "sentencepiece"
    elif (path / "bpe.model").is_file():
        tokenizer = "bpe"
    else:
        raise EngineError(f"{label}: no tokenizer (sentencepiece.model or bpe.model)")
    return PackageInfo(
        path=path,
        name=path.name,
        from_code=_field(meta, "from_code", label),
        to_code=_field(meta, "to_code", label),
        version=_field(meta, "package_version", label),
        demo=meta.get("demo") is True,  # JSON true only: "false" is a string, not a yes
        description=_field(meta, "description", label),
        tokenizer=tokenizer,
        target_prefix=_field(meta, "target_prefix", label),
        where=where,
    )


def _field(meta: dict[str, Any], key: str, label: str) -> str:
    """A text field of metadata.json ('' when absent): a string (or a number, for a
    version) that is Unicode text; EngineError names the field otherwise."""
    value = meta.get(key, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key.endswith("version"):
        value = str(value)
    if not isinstance(value, str):
        raise EngineError(f"{label}/metadata.json: {key} is not a string")
    if re.search("[\ud800-\udfff]", value):
        raise EngineError(f"{label}/metadata.json: {key} is not valid Unicode text")
    return value


def installed_packages(home: Path) -> tuple[list[PackageInfo], list[BrokenPackage]]:
    """Every readable package (desk's first), and each broken one with the reason."""
    found: list[PackageInfo] = []
    broken: list[BrokenPackage] = []
    for where, folder in (("desk", desk_engine_dir(home)), ("argos", argos_packages_dir())):
        try:
            if not folder.is_dir():
                continue
            paths = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        except OSError as exc:
            reason = f"cannot list {shown(str(folder))}: {exc.strerror}"
            broken.append(BrokenPackage(shown(folder.name), where, folder, reason))
            continue
        for path in paths:
            try:
                if not path.is_dir():
                    continue
                found.append(read_package(path, where))
            except (EngineError, OSError) as exc:
                broken.append(BrokenPackage(shown(path.name), where, path, shown(str(exc))))
    return found, broken


def ar_en_packages(home: Path) -> list[PackageInfo]:
    """Installed Arabic → English packages; real models before the demo model."""
    packages, _ = installed_packages(home)
    matching = [p for p in packages if p.from_code == "ar" and p.to_code == "en"]
    return sorted(matching, key=lambda p: p.demo)


def find_package(home: Path, name: str) -> PackageInfo:
    """The installed package called `name`; EngineError lists what is installed."""
    packages, broken = installed_packages(home)
    for package in packages:
        if package.name == name:
            return package
    for problem in broken:
        if problem.path.name == name:
            raise EngineError(f"the package {shown(name)} is broken: {problem.reason}")
    names = ", ".join(p.name for p in packages) or "none"
    raise EngineError(f"no installed package named {shown(name)!r} (installed: {names})")


def install_file(
    archive: Path,
    home: Path,
    expect: tuple[str, str] = ("ar", "en"),
    replace: bool = False,
    label: str = "",
) -> PackageInfo:
    """Check and unpack an .argosmodel into desk's engine dir; all or nothing.

    `label` names the archive in messages (e.g. the URL it was downloaded from).
    """
    label = label or archive.name
    if not archive.is_file():
        raise EngineError(f"{archive}: no such file")
    target_root = desk_engine_dir(home)
    clean_leftovers(target_root)
    with work_folder(target_root, ".installing-") as tmp:
        top = _unpack(archive, tmp, label)
        info = read_package(tmp / top)
        if (info.from_code, info.to_code) != expect:
            raise EngineError(
                f"{label}: translates {shown(info.from_code)}→{shown(info.to_code)}; "
                f"desk needs {expect[0]}→{expect[1]}"
            )
        final = target_root / top
        if final.exists() and not replace:
            raise EngineError(
                f"{top} is already installed in {target_root}; "
                f"remove it first (`desk engine remove {top}`) or use --replace"
            )
        try:
            if final.exists():
                final.rename(tmp / ".replaced")
            (tmp / top).rename(final)
        except OSError as exc:
            raise EngineError(f"cannot install {top} into {target_root}: {exc.strerror}") from None
    return read_package(final)


@contextmanager
def work_folder(root: Path, prefix: str) -> Iterator[Path]:
    """A temporary folder in `root`, held by this process (a locked owner file inside)
    and removed when done; one left by a killed run is removed by `clean_leftovers`."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(dir=root, prefix=prefix))
        owner = os.open(path / OWNER_FILE, os.O_CREAT | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise EngineError(f"cannot work in {shown(str(root))}: {disk_problem(exc)}") from None
    try:
        try:
            fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody holds it
        except OSError:  # a file system without locks: let the folder's age judge it
            (path / OWNER_FILE).unlink(missing_ok=True)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        os.close(owner)


def disk_problem(exc: OSError) -> str:
    """A few words for an error writing to disk (a full disk named as one)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full (no space left on device)"
    return exc.strerror or str(exc)


def clean_leftovers(root: Path) -> list[str]:
    """Remove the work folders in `root` that no running desk holds: those whose owner
    file is not locked (its process ended, even by SIGKILL), and those with no owner
    file once older than an hour. Returns the names removed."""
    removed: list[str] = []
    try:
        candidates = [p for p in root.iterdir() if p.name.startswith(WORK_PREFIXES)]
    except OSError:
        return removed
    for path in candidates:
        try:
            if _unowned(path):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
        except OSError:
            continue  # gone already, or not ours to judge: leave it
    return removed


def _unowned(path: Path) -> bool:
    """Whether no running process holds the work folder `path`."""
    if not path.is_dir() or path.is_symlink():
        return False
    try:
        owner = os.open(path / OWNER_FILE, os.O_RDONLY)
    except FileNotFoundError:
        return time.time() - path.stat().st_mtime > STALE_UNOWNED_SECONDS
    try:
        fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held by a running install (or no locks here: leave it be)
        return False
    finally:
        os.close(owner)
    return True


def _unpack(archive: Path, into: Path, label: str) -> str:
    """Unpack a package archive, refusing anything unsafe or broken; returns its folder."""
    if not zipfile.is_zipfile(archive):
        raise EngineError(f"{label}: not a zip archive (corrupt or truncated download?)")
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            tops = {Path(m.filename).parts[0] for m in members if Path(m.filename).parts}
            if len(tops) != 1:
                raise EngineError(
                    f"{label}: not an Argos package (expected one top-level folder, "
                    f"found {len(tops)})"
                )
            top = tops.pop()
            if not _NAME.fullmatch(top):
                raise EngineError(f"{label}: unsafe package folder name {top!r}")
            for member in members:
                parts = Path(member.filename).parts
                if member.filename.startswith("/") or ".." in parts:
                    raise EngineError(f"{label}: unsafe path {member.filename!r}")
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise EngineError(f"{label}: unpacks to more than 4 GiB; refused")
            bad = zf.testzip()
            if bad is not None:
                raise EngineError(f"{label}: corrupt archive (bad checksum in {shown(bad)})")
            try:
                zf.extractall(into)
            except OSError as exc:
                writing = (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS)
                if exc.errno in writing:
                    raise EngineError(
                        f"cannot unpack {label} into {into.parent}: {disk_problem(exc)}"
                    ) from None
                raise
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise EngineError(f"{label}: corrupt or truncated archive ({exc})") from None
    return top


def remove_package(home: Path, name: str, *, shared: bool = False) -> Path:
    """Delete an installed package by name (from desk's dir or Argos's), a broken one
    too; returns the folder that was removed.

    Argos's folder is shared (argospm, Argos Translate and a LibreTranslate server load
    their models from it): a package there is removed only with `shared`, else
    RefusedError says who else uses it."""
    try:
        path = find_package(home, name).path
    except EngineError:
        roots = (desk_engine_dir(home), argos_packages_dir())
        _, broken = installed_packages(home)
        found = [b.path for b in broken if b.path.name == name and b.path.parent in roots]
        if not found:
            raise
        path = found[0]
    if path.parent != desk_engine_dir(home) and not shared:
        raise RefusedError(
            f"{shown(name)} is in Argos's shared package folder {shown(str(path.parent))}, "
            "where Argos Translate, argospm and any LibreTranslate server on this machine "
            "load their models from: removing it removes it for them too. Add --yes to "
            "remove it anyway"
        )
    try:
        trash = Path(tempfile.mkdtemp(dir=path.parent, prefix=".removing-"))
        path.rename(trash / path.name)
        shutil.rmtree(trash)
    except OSError as exc:
        raise EngineError(f"cannot remove {shown(str(path))}: {exc.strerror}") from None
    return path


def install_demo(home: Path) -> PackageInfo:
    """Install the bundled demo package into desk's engine dir."""
    return install_file(demo_package_file(), home)
