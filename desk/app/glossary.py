"""The glossary folder a desk home uses: its files, its entries, and the enforcer."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from desk.core.errors import NotFoundError
from desk.core.glossary.model import Entry, Glossary, glossary_files, load_files
from desk.locations import glossary_dir, house_glossary_dir

if TYPE_CHECKING:
    from desk.core.glossary.enforce import Enforcer

KIND_FILES = {"place": "places.toml", "person": "people.toml", "organisation": "organisations.toml"}
"""The file a new entry of each kind goes into (others: other.toml)."""


class GlossaryFolder:
    """One glossary folder, and its entries once loaded."""

    def __init__(self, folder: Path, *, copied: bool = False) -> None:
        """The glossary in `folder` (which may not exist: then it has no entries);
        `copied`: desk has just filled it with its house glossary."""
        self.folder = folder
        self.copied = copied
        self._glossary: Glossary | None = None

    @classmethod
    def resolve(
        cls, home: Path, override: str | os.PathLike[str] | None, configured: str
    ) -> GlossaryFolder:
        """--glossary, else $DESK_GLOSSARY, the config, ./glossaries, or the home's.

        The house glossary travels with desk: when the desk home's folder is the one to
        use and it does not exist yet, desk copies its own house glossary there first.
        From then on it is the desk's to edit; an upgrade of desk never overwrites it.
        """
        folder = glossary_dir(home, override, configured)
        if folder == home / "glossaries" and not folder.exists() and not folder.is_symlink():
            try:
                return cls(folder, copied=copy_house_glossary(folder))
            except OSError:  # a read-only or full home: go on without, as before
                return cls(folder)
        return cls(folder)

    def paths(self) -> list[Path]:
        """The glossary files, sorted by name."""
        return glossary_files(self.folder)

    def signature(self) -> tuple[tuple[str, int, int], ...]:
        """(name, size, mtime) of every file: what changes when the glossary does."""
        out = []
        for path in self.paths():
            try:
                st = path.stat()
            except OSError:
                continue
            out.append((path.name, st.st_size, st.st_mtime_ns))
        return tuple(out)

    def load(self) -> Glossary:
        """Every file of the folder, loaded together (InputError on a bad file)."""
        if self._glossary is None:
            self._glossary = load_files(self.paths())
        return self._glossary

    def enforcer(self) -> Enforcer:
        """An enforcer of this glossary (fuzzy matching and all: built on demand)."""
        from desk.core.glossary.enforce import Enforcer

        return Enforcer(self.load())

    def target_file(self, name: str | None, kind: str) -> Path:
        """The file an added entry goes into: `name` (--file), else the kind's file."""
        if name:
            path = Path(name)
            return path if path.parent != Path(".") else self.folder / path.name
        return self.folder / KIND_FILES.get(kind, "other.toml")

    def entry(self, entry_id: str) -> Entry:
        """The entry `entry_id`, or NotFoundError."""
        entry = self.load().by_id(entry_id)
        if entry is None:
            raise NotFoundError(f"no glossary entry {entry_id!r} in {self.folder}")
        return entry


def copy_house_glossary(folder: Path) -> bool:
    """Copy the house glossary shipped with desk into `folder`, all or nothing; False if
    another desk process made `folder` first (its copy is kept)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".glossaries-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()  # the umask's mode, as any folder desk makes
    try:
        for path in sorted(house_glossary_dir().iterdir()):
            if path.suffix == ".toml" or path.name == "README.md":
                shutil.copyfile(path, staging / path.name)
        try:
            staging.rename(folder)
        except OSError:
            return False  # made meanwhile by another desk: keep theirs
        return True
    finally:
        shutil.rmtree(staging, ignore_errors=True)
