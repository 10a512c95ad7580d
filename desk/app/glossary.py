"""The glossary folder a desk home uses: its files, its entries, and the enforcer."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from desk.core.errors import InputError, NotFoundError
from desk.core.glossary.folder import file_name, folder_lock
from desk.core.glossary.model import Entry, Glossary, glossary_files, load_files
from desk.core.store import BUSY_TIMEOUT_MS
from desk.locations import glossary_cache_dir, glossary_dir, house_glossary_dir

if TYPE_CHECKING:
    from desk.core.glossary.compiled import GlossaryBytes
    from desk.core.glossary.enforce import Enforcer

KIND_FILES = {"place": "places.toml", "person": "people.toml", "organisation": "organisations.toml"}
"""The file a new entry of each kind goes into (others: other.toml)."""


class GlossaryFolder:
    """One glossary folder, and its entries once loaded."""

    def __init__(
        self,
        folder: Path,
        *,
        copied: bool = False,
        lock_wait_ms: Callable[[], int] | None = None,
        cache: Path | None = None,
    ) -> None:
        """The glossary in `folder` (which may not exist: then it has no entries);
        `copied`: desk has just filled it with its house glossary; `lock_wait_ms`: how
        long a change waits for another desk's (read when a change starts; 10 s if not
        given, as the database's default); `cache`: the folder where its compiled
        enforcer is kept (`locations.glossary_cache_dir`; None: compiled each time)."""
        self.folder = folder
        self.copied = copied
        self.lock_wait_ms = lock_wait_ms or (lambda: BUSY_TIMEOUT_MS)
        self.cache = cache
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
        cache = glossary_cache_dir(home)
        if folder == home / "glossaries" and not folder.exists() and not folder.is_symlink():
            try:
                return cls(folder, copied=copy_house_glossary(folder), cache=cache)
            except OSError:  # a read-only or full home: go on without, as before
                return cls(folder, cache=cache)
        return cls(folder, cache=cache)

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

    def read(self) -> GlossaryBytes:
        """The files' bytes, read once, and their key (InputError for an unreadable one)."""
        from desk.core.glossary.compiled import read_glossary

        return read_glossary(self.paths())

    def enforcer(
        self, files: GlossaryBytes | None = None, on_compile: Callable[[], None] | None = None
    ) -> Enforcer:
        """An enforcer of this glossary (of `files`, read by `read`, where given): the
        compiled one kept in `cache` while the files' bytes are unchanged, else compiled
        now (InputError naming the file and line of a bad entry) and kept there;
        `on_compile` is called before compiling."""
        from desk.core.glossary.compiled import cached_enforcer

        return cached_enforcer(files or self.read(), self.cache, on_compile)

    def target_file(self, name: str | None, kind: str, option: str = "--file") -> Path:
        """The file an added entry goes into: `name` (--file, a bare `.toml` name in the
        folder; see `folder.file_name`), else the kind's file."""
        if name is not None:
            return self.folder / file_name(name, option)
        return self.folder / KIND_FILES.get(kind, "other.toml")

    @contextmanager
    def changing(self, *, create: bool = False) -> Iterator[Glossary]:
        """Hold the folder's lock; yield the glossary as read under it (not a copy read
        before), so that its checks see every change made before this one. Afterwards
        the next `load` reads the files again."""
        with folder_lock(self.folder, self.lock_wait_ms(), create=create):
            self._glossary = None
            try:
                yield self.load()
            finally:
                self._glossary = None

    def add(self, entry: Entry, name: str | None = None) -> Entry:
        """Add `entry` to file `name` (--file) or its kind's: refused if its id is taken
        in any file of the folder. Returns the entry as written (file and line)."""
        from desk.core.glossary import files

        path = self.target_file(name, entry.kind.value)
        with self.changing(create=True) as glossary:
            other = glossary.by_id(entry.id)
            if other is not None:
                raise InputError(f"entry {entry.id!r} exists already at {other.where()}")
            return files.add_entry(path, entry, glossary.entries)

    def update(self, entry_id: str, change: Callable[[Entry], Entry]) -> tuple[Entry, Entry]:
        """Replace the entry `entry_id` with `change(entry)` (which may refuse with an
        InputError), in its own file: (the entry before, after). Nothing is written
        when the change gives the entry back unchanged."""
        from desk.core.glossary import files

        with self.changing():
            old = self.entry(entry_id)
            new = change(old)
            if new != old:
                new = files.replace_entry(Path(old.source), new)
            return old, new

    def add_variant(self, entry_id: str, variant: str) -> Entry:
        """Add a spelling to replace to the entry `entry_id` (the workbench's Shift+V)."""
        from desk.core.glossary import files

        with self.changing():
            return files.add_variant(Path(self.entry(entry_id).source), entry_id, variant)

    def remove(self, entry_id: str) -> Entry:
        """Remove the entry `entry_id` from its file; the entry it was."""
        from desk.core.glossary import files

        with self.changing():
            entry = self.entry(entry_id)
            files.remove_entry(Path(entry.source), entry_id)
            return entry

    def import_entries(
        self, entries: Sequence[Entry], into: str | None
    ) -> tuple[Path, list[Entry], list[Entry]]:
        """Add the entries (made by `parse_entry`: the TBX and CSV/TSV readers) whose id
        and canonical the glossary lacks to `into` (--into; imported.toml): the file, the
        entries added, and those skipped as known."""
        from desk.core.glossary import files

        target = self.target_file("imported.toml" if into is None else into, "other", "--into")
        with self.changing(create=True) as glossary:
            known_ids = {e.id for e in glossary.entries}
            known_canonicals = {e.canonical for e in glossary.entries}
            new: list[Entry] = []
            skipped: list[Entry] = []
            for entry in entries:  # one pass: testing each against the list `new` was quadratic
                known = entry.id in known_ids or entry.canonical in known_canonicals
                (skipped if known else new).append(entry)
            files.add_entries(target, new, glossary.entries, parsed=True)
            return target, new, skipped

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
