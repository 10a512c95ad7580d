"""Installing from the Argos package index, read and downloaded by desk itself.

The index is a JSON list of package entries as Argos writes them (`from_code`,
`to_code`, `package_version`, `links`, `code`, `type`). An entry that is not what Argos
writes (a version that does not parse, links that are not a list of http(s) URLs, a field
of the wrong type) is skipped and counted, never a traceback. Argos's index carries no
checksum; an entry may give one as `sha256` (64 hex digits), and then the download must
match it. Downloads go through desk's bounded fetch (`fetch.py`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import packaging.version

from desk.core.engine.argos_settings import INDEX_KEY, argos_setting
from desk.core.engine.base import EngineError
from desk.core.engine.fetch import (
    FetchError,
    Progress,
    fetch_to,
    index_limits,
    package_limits,
    printable,
)
from desk.core.engine.packages import (
    PackageInfo,
    clean_leftovers,
    desk_engine_dir,
    install_file,
    work_folder,
)

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
CHECKSUM_FIELD = "sha256"
_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}")
_HEX = re.compile(r"[0-9a-fA-F]{64}")
_URL = re.compile(r"https?://[\x21-\x7e]+")
_MAX_TEXT = 200


def index_url() -> str:
    """The index location as Argos finds it: $ARGOS_PACKAGE_INDEX, else that key in
    Argos's settings.json, else Argos's own index (InputError for a settings.json that
    cannot be read: the index it names may be the one meant)."""
    url = argos_setting(INDEX_KEY).value or DEFAULT_INDEX
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class IndexEntry:
    """One usable translation package in the index."""

    name: str
    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]
    """Its http(s) download links, in the index's order (ipfs: and the like left out)."""
    sha256: str | None
    """The archive's digest, when the entry gives one."""


class _Skip(Exception):
    """An index entry desk cannot use, and why."""


def read_index(data: bytes, where: str) -> tuple[list[IndexEntry], int, str]:
    """The usable translation packages in an index file's bytes, how many entries were
    skipped and why the first was; EngineError when the whole index is unreadable
    (`where` names it)."""
    try:
        index = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise EngineError(f"the package index {where} is not valid JSON ({exc})") from None
    except RecursionError:
        raise EngineError(f"the package index {where} is nested too deeply") from None
    if not isinstance(index, list):
        raise EngineError(f"the package index {where} is not a JSON list of packages")
    entries: list[IndexEntry] = []
    skipped, first = 0, ""
    for n, raw in enumerate(index, start=1):
        try:
            entry = _entry(raw)
        except _Skip as exc:
            skipped += 1
            first = first or f"entry {n}: {exc}"
            continue
        if entry is not None:
            entries.append(entry)
    return entries, skipped, first


def _text(raw: dict[str, Any], key: str, default: str | None = None) -> str:
    """A short, printable string field of an entry."""
    value = raw.get(key, default)
    if not isinstance(value, str) or not value.isprintable() or len(value) > _MAX_TEXT:
        raise _Skip(f"{key} is not a short text")
    return value


def _entry(raw: object) -> IndexEntry | None:
    """One entry as desk can use it; None for a package that does not translate."""
    if not isinstance(raw, dict):
        raise _Skip("not a JSON object")
    if raw.get("type", "translate") != "translate":
        return None
    codes = [_text(raw, key) for key in ("from_code", "to_code")]
    for code in codes:
        if not _CODE.fullmatch(code):
            raise _Skip(f"{code!r} is not a language code")
    version = _text(raw, "package_version", "0")
    try:
        packaging.version.Version(version)
    except packaging.version.InvalidVersion:
        raise _Skip(f"package_version {version!r} is not a version") from None
    links = raw.get("links")
    if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
        raise _Skip("links is not a list of URLs")
    usable = tuple(link for link in links if _URL.fullmatch(link))
    if not usable:
        raise _Skip("no http or https link")
    checksum = raw.get(CHECKSUM_FIELD)
    if checksum is not None and not (isinstance(checksum, str) and _HEX.fullmatch(checksum)):
        raise _Skip(f"{CHECKSUM_FIELD} is not 64 hex digits")
    name = _text(raw, "code", f"translate-{codes[0]}_{codes[1]}")
    return IndexEntry(name, codes[0], codes[1], version, usable, checksum)


def newest(entries: list[IndexEntry]) -> IndexEntry:
    """The entry with the highest package version (the first of equals)."""
    return max(entries, key=lambda e: packaging.version.Version(e.version))


def install_from_index(
    home: Path,
    from_code: str = "ar",
    to_code: str = "en",
    replace: bool = False,
    progress: Progress | None = None,
) -> PackageInfo:
    """Find the newest from→to package in the Argos index, download it, check and install it.

    `progress` hears of the package download's bytes as they arrive.
    """
    if (from_code, to_code) != ("ar", "en"):
        raise EngineError(
            f"desk drafts Arabic to English; there is no use for {printable(from_code)}→"
            f"{printable(to_code)}"
        )
    url = index_url()
    work_root = desk_engine_dir(home)
    clean_leftovers(work_root)
    with work_folder(work_root, ".download-") as tmp:
        index_file = tmp / "index.json"
        try:
            fetch_to(url + "index.json", index_file, index_limits())
        except FetchError as exc:
            raise EngineError(
                f"cannot download the Argos package index {printable(exc.url)}: {exc.reason}"
            ) from None
        entries, skipped, first = read_index(index_file.read_bytes(), printable(url) + "index.json")
        matches = [e for e in entries if (e.from_code, e.to_code) == (from_code, to_code)]
        if not matches:
            pairs = sorted({f"{e.from_code}→{e.to_code}" for e in entries})
            note = f"; skipped {skipped} malformed entries ({first})" if skipped else ""
            raise EngineError(
                f"the package index at {printable(url)} has no {from_code}→{to_code} package "
                f"(it has {len(pairs)} pairs: {', '.join(pairs[:12]) or 'none'}{note})"
            )
        best = newest(matches)
        archive = tmp / "package.argosmodel"
        failures: list[str] = []
        for link in best.links:
            try:
                fetch_to(link, archive, package_limits(), best.sha256, progress)
            except FetchError as exc:
                failures.append(f"{link}: {exc.reason}")
                continue
            return install_file(
                archive, home, expect=(from_code, to_code), replace=replace, label=link
            )
        raise EngineError(f"cannot download {best.name} {best.version} from {'; '.join(failures)}")
