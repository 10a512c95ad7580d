"""One desk home, as both front ends use it: config, store, glossary, engine, exports.

The CLI builds one `Home` per command and the workbench one per run; tests build their
own and may hand it an engine or an enforcer. Nothing below this layer builds a store,
an engine or an enforcer of its own.
"""

from __future__ import annotations

import getpass
import os
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from desk.app.engines import EngineChoice, EngineOptions, choose_engine
from desk.app.glossary import GlossaryFolder
from desk.app.service import Desk, DraftReport
from desk.core import qa
from desk.core.clock import clock_from_env
from desk.core.config import Config, load_config
from desk.core.engine.base import Draft, Engine, NoneEngine
from desk.core.errors import InputError, UnavailableError
from desk.core.export import write_export
from desk.core.store import BUSY_TIMEOUT_MS, Store
from desk.core.story import Roles
from desk.locations import config_path, database_location, desk_home, export_dir

if TYPE_CHECKING:
    from desk.core.glossary.enforce import Enforcer


@dataclass(frozen=True)
class Exported:
    """An export: the file written (None when it went to standard output) and its bytes."""

    path: Path | None
    content: bytes


class Home:
    """A desk home: its folder, its config, a store handle, the glossary and the engine."""

    def __init__(
        self,
        path: Path,
        *,
        engine: Engine | None = None,
        enforcer: Enforcer | None = None,
    ) -> None:
        """The home at `path`; `engine` and `enforcer` replace the desk's own (tests, tools)."""
        self.path = path
        self._engine = engine
        self._given_enforcer = enforcer
        self._enforcer: Enforcer | None = None
        self._key: str | None = None
        self._lock = threading.Lock()
        self.notices: list[str] = []
        """What desk did on its own that a person should hear of (the front end says it)."""

    @classmethod
    def at(cls, override: str | os.PathLike[str] | None = None) -> Home:
        """The home named by `override` (--home), else $DESK_HOME, else the user data dir."""
        return cls(desk_home(override))

    @cached_property
    def config(self) -> Config:
        """The home's config.toml (defaults without one; InputError for a bad one)."""
        return load_config(config_path(self.path))

    # -- the store ----------------------------------------------------------------

    @property
    def database(self) -> Path | str:
        """The store's location: the SQLite file in this home, or the shared desk's
        PostgreSQL URL ($DESK_DATABASE_URL or `[desk] database_url`)."""
        return database_location(self.path, self.config.database_url)

    def _new_desk(self) -> Desk:
        """A fresh store connection and the operations over it."""
        config = self.config
        store = Store(self.database, busy_timeout_ms=busy_timeout_ms())
        return Desk(
            store,
            clock=clock_from_env(),
            default_credit=config.credit,
            checks=(*qa.DEFAULT_CHECKS, qa.glossary_check(self.enforcer)),
            roles=Roles(config.editors, config.self_approve),
            glossary=self.enforcer,
        )

    @cached_property
    def desk(self) -> Desk:
        """The operations over this home's store, on a connection opened at first use.

        A SQLite connection belongs to the thread that opened it: this one is for the
        thread that runs the command or the UI. A worker thread uses `open()`.
        """
        return self._new_desk()

    def close(self) -> None:
        """Close the store connection `desk` opened, if it did (a shared desk's server
        counts its connections: each command gives its own back when it ends)."""
        opened = self.__dict__.pop("desk", None)
        if opened is not None:
            opened.store.close()

    @contextmanager
    def open(self) -> Iterator[Desk]:
        """The operations over a connection of its own, closed afterwards (for a worker)."""
        desk = self._new_desk()
        try:
            yield desk
        finally:
            desk.store.close()

    def glossary(self, override: Path | None = None) -> GlossaryFolder:
        """The glossary folder: `override` (--glossary), else $DESK_GLOSSARY, the config's
        `[glossary] folder`, ./glossaries, or glossaries/ in the desk home."""
        folder = GlossaryFolder.resolve(self.path, override, self.config.glossary_folder)
        folder.lock_wait_ms = busy_timeout_ms  # $DESK_BUSY_TIMEOUT_MS, as for the database
        if folder.copied:
            self.notices.append(
                f"desk copied its house glossary into {folder.folder}: it is this desk's to "
                "edit (`desk glossary`), and an upgrade of desk never overwrites it."
            )
        return folder

    def enforcer(self, on_compile: Callable[[], None] | None = None) -> Enforcer | None:
        """The house glossary's enforcer (None: no glossary files), safe from any thread.

        One per glossary content: while the files' bytes are unchanged every caller
        shares one; a change (even one that keeps sizes and times) gives another. It
        comes from the compiled form kept in the home's cache (`compiled`) when there
        is one for these bytes, so only the first command after an edit compiles it;
        `on_compile` is called before that (not when another thread does it meanwhile).
        """
        if self._given_enforcer is not None:
            return self._given_enforcer
        folder = self.glossary()
        files = folder.read()
        with self._lock:
            if files.key != self._key:
                self._enforcer = folder.enforcer(files, on_compile) if files.paths else None
                self._key = files.key
            return self._enforcer

    def enforcer_if_loaded(self) -> Enforcer | None:
        """The enforcer if one was built already; never reads files (cheap, for a UI)."""
        return self._given_enforcer or self._enforcer

    def reload_glossary(self) -> None:
        """Forget the enforcer: the next `enforcer()` reads the glossary files again."""
        with self._lock:
            self._enforcer = None
            self._key = None

    # -- drafting and exporting ----------------------------------------------------------

    def engine(
        self, desk: Desk | None = None, options: EngineOptions | None = None
    ) -> EngineChoice:
        """The engine that drafts: the one this home was given (unless `options` name
        another), else the desk's choice; `desk` is the store handle to read the desk's
        settings from (a worker passes its own)."""
        options = options or EngineOptions()
        if self._engine is not None and options.name is None:
            return EngineChoice(self._engine)
        desk = desk or self.desk
        return choose_engine(self.path, desk.store, desk.clock, options)

    def draft(
        self,
        slug: str,
        *,
        author: str,
        desk: Desk | None = None,
        options: EngineOptions | None = None,
        numbers: Sequence[int] | None = None,
        force: bool = False,
        glossary: bool = True,
        skip_none: bool = False,
        on_notice: Callable[[str], None] | None = None,
        on_start: Callable[[Engine, int], None] | None = None,
        on_draft: Callable[[Draft], None] | None = None,
    ) -> DraftReport | None:
        """Draft `slug` with the desk's engine and, unless `glossary` is off, apply the
        glossary's listed spellings to each draft: `desk draft`, `desk import` and the
        workbench's drafts alike.

        `on_notice` hears what desk did to get an engine (installing the demo model);
        `on_start` the engine and the number of segments; `on_draft` each draft as it is
        made (all are saved together at the end). With `skip_none`, the `none` engine
        drafts nothing: only the translation memory's exact matches are drafted, and
        None is returned when there were none.
        """
        desk = desk or self.desk
        choice = self.engine(desk, options)
        for notice in choice.notices:
            if on_notice is not None:
                on_notice(notice)
        enforcer = self.enforcer() if glossary else None
        if skip_none and isinstance(choice.engine, NoneEngine):
            # No engine drafts; the translation memory's exact matches still do.
            report = desk.draft(
                slug, choice.engine, requested_by=author, numbers=numbers, force=force,
                on_draft=on_draft, enforcer=enforcer,
            )  # fmt: skip
            return report if report.drafted else None
        if on_start is not None:
            total = (
                len(numbers) if numbers is not None else len(desk.store.load_story(slug).segments)
            )
            on_start(choice.engine, total)
        return desk.draft(
            slug, choice.engine, requested_by=author, numbers=numbers, force=force,
            on_draft=on_draft, enforcer=enforcer,
        )  # fmt: skip

    def export(
        self,
        slug: str,
        *,
        author: str,
        profile: str | None = None,
        tz: str | None = None,
        out: Path | None = None,
        force: bool = False,
        to_stdout: bool = False,
    ) -> Exported:
        """Export `slug` through the QA gate with the config's profile, zone and folder
        (each overridable); written atomically unless `to_stdout`."""
        config = self.config
        folder = out or export_dir(self.path, config.export_folder)
        if force and self.desk.store.read_only:
            # A forced export is logged once written: refuse before writing the file.
            raise UnavailableError(
                f"the desk database {self.desk.store.path} is read-only "
                f"({self.desk.store.read_only}): a forced export is logged in it, so it "
                "cannot be forced here; export without --force, or where the database is "
                "writable"
            )
        rendered, path = self.desk.export(
            slug,
            profile=profile or config.export_profile,
            tz=tz or config.timezone,
            author=author,
            force=force,
            deliver=None if to_stdout else (lambda done: write_export(folder, done)),
        )
        return Exported(path, rendered.content)


BUSY_TIMEOUT_VARIABLE = "DESK_BUSY_TIMEOUT_MS"
"""The environment variable that sets how long a command waits for another desk's write
lock (milliseconds; the store's default without it)."""


def busy_timeout_ms() -> int:
    """How long a command waits for another desk's write lock: $DESK_BUSY_TIMEOUT_MS,
    else the store's default (InputError for a value that is not a whole number of ms)."""
    given = os.environ.get(BUSY_TIMEOUT_VARIABLE, "").strip()
    if not given:
        return BUSY_TIMEOUT_MS
    if not given.isascii() or not given.isdigit() or int(given) > 3_600_000:
        raise InputError(
            f"${BUSY_TIMEOUT_VARIABLE}: {given!r} is not a number of milliseconds from 0 to 3600000"
        )
    return int(given)


MAX_AUTHOR_CHARS = 200
"""An author is a person's name or handle; it is stored on every revision they make."""


def resolve_author(given: str | None) -> str:
    """Who makes a change: `given` (--as), else $DESK_USER, else the OS login name."""
    if given is None:
        given = os.environ.get("DESK_USER") or _login_name()
    name = unicodedata.normalize("NFC", " ".join(given.split()))
    if not name:
        raise InputError("--as: the author name is empty")
    if len(name) > MAX_AUTHOR_CHARS:
        raise InputError(f"--as: the author name is {len(name):,} characters long "
                         f"(at most {MAX_AUTHOR_CHARS})")  # fmt: skip
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise InputError(
            f"--as: {name.encode('unicode_escape').decode()!r} holds control, bidi or "
            "zero-width characters (a name must read as it is)"
        )
    return name


def author_is_login_name(given: str | None) -> bool:
    """Whether `resolve_author(given)` falls back to the OS login name (no --as, no $DESK_USER)."""
    return given is None and not os.environ.get("DESK_USER")


def _login_name() -> str:
    """The OS user, or 'unknown' where there is none (e.g. a container without passwd)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
