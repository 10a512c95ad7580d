"""Argos packages on disk: where they are found, how they are checked, installed and removed.

Packages are found where Argos keeps them ($ARGOS_PACKAGES_DIR, else
$XDG_DATA_HOME/argos-translate/packages), so those installed by `argospm` or by a
LibreTranslate server are used too, and in desk's own engine dir (`engines/` in the desk
home), where desk installs. Nothing here imports argostranslate; the index code does,
lazily (it creates folders when imported).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from desk.core.engine.base import EngineError

MAX_UNPACKED_BYTES = 4 * 1024**3
"""Refuse archives that would unpack to more than this (real Argos models are ~100 MB)."""
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


def argos_packages_dir() -> Path:
    """Where Argos Translate keeps packages: $ARGOS_PACKAGES_DIR, else the XDG data dir."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "argos-translate" / "packages"


def desk_engine_dir(home: Path) -> Path:
    """desk's own package folder in the desk home."""
    return home / "engines"


def demo_package_file() -> Path:
    """The demo package shipped inside desk."""
    return Path(str(resources.files("desk.data").joinpath(DEMO_FILE)))


def read_package(path: Path, where: str = "desk") -> PackageInfo:
    """Read and check an unpacked package directory; EngineError says what is wrong."""
    metadata_file = path / "metadata.json"
    if not metadata_file.is_file():
        raise EngineError(f"{path}: not an Argos package (no metadata.json)")
    try:
        meta = json.loads(metadata_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EngineError(f"{metadata_file}: not valid JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise EngineError(f"{metadata_file}: expected a JSON object")
    kind = meta.get("type", "translate")
    if kind != "translate":
        raise EngineError(f"{path}: a {kind!r} package, not a translation package")
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise EngineError(f"{metadata_file}: missing {key}")
    if not (path / "model" / "model.bin").is_file():
        raise EngineError(f"{path}: no CTranslate2 model (model/model.bin)")
    if (path / "sentencepiece.model").is_file():
        tokenizer = "sentencepiece"
    elif (path / "bpe.model").is_file():
        tokenizer = "bpe"
    else:
        raise EngineError(f"{path}: no tokenizer (sentencepiece.model or bpe.model)")
    return PackageInfo(
        path=path,
        name=path.name,
        from_code=meta["from_code"],
        to_code=meta["to_code"],
        version=str(meta.get("package_version", "")),
        demo=bool(meta.get("demo", False)),
        description=str(meta.get("description", "")),
        tokenizer=tokenizer,
        target_prefix=str(meta.get("target_prefix", "")),
        where=where,
    )


def installed_packages(home: Path) -> tuple[list[PackageInfo], list[str]]:
    """Every readable package (desk's first), and a line for each broken one."""
    found: list[PackageInfo] = []
    problems: list[str] = []
    for where, folder in (("desk", desk_engine_dir(home)), ("argos", argos_packages_dir())):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if not path.is_dir() or path.name.startswith("."):
                continue
            try:
                found.append(read_package(path, where))
            except EngineError as exc:
                problems.append(str(exc))
    return found, problems


def ar_en_packages(home: Path) -> list[PackageInfo]:
    """Installed Arabic → English packages; real models before the demo model."""
    packages, _ = installed_packages(home)
    matching = [p for p in packages if p.from_code == "ar" and p.to_code == "en"]
    return sorted(matching, key=lambda p: p.demo)


def find_package(home: Path, name: str) -> PackageInfo:
    """The installed package called `name`; EngineError lists what is installed."""
    packages, _ = installed_packages(home)
    for package in packages:
        if package.name == name:
            return package
    names = ", ".join(p.name for p in packages) or "none"
    raise EngineError(f"no installed package named {name!r} (installed: {names})")


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
    target_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target_root, prefix=".installing-") as tmp:
        top = _unpack(archive, Path(tmp), label)
        info = read_package(Path(tmp) / top)
        if (info.from_code, info.to_code) != expect:
            raise EngineError(
                f"{label}: translates {info.from_code}→{info.to_code}; "
                f"desk needs {expect[0]}→{expect[1]}"
            )
        final = target_root / top
        if final.exists() and not replace:
            raise EngineError(
                f"{top} is already installed in {target_root}; "
                f"remove it first (`desk engine remove {top}`) or use --replace"
            )
        if final.exists():
            old = Path(tmp) / ".replaced"
            final.rename(old)
        (Path(tmp) / top).rename(final)
    return read_package(final)


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
                raise EngineError(f"{label}: corrupt archive (bad checksum in {bad})")
            zf.extractall(into)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise EngineError(f"{label}: corrupt or truncated archive ({exc})") from None
    return top


def remove_package(home: Path, name: str) -> PackageInfo:
    """Delete an installed package by name (from desk's dir or Argos's)."""
    package = find_package(home, name)
    trash = package.path.with_name(f".removing-{package.name}")
    package.path.rename(trash)
    shutil.rmtree(trash)
    return package


def install_demo(home: Path) -> PackageInfo:
    """Install the bundled demo package into desk's engine dir."""
    return install_file(demo_package_file(), home)
