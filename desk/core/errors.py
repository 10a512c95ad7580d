"""Errors a user can cause; each carries the exit code the CLI reports."""

from __future__ import annotations


class DeskError(Exception):
    """Base of every error desk reports to a person rather than as a traceback."""

    exit_code = 1


class InputError(DeskError):
    """A file or value given to desk cannot be used (names the file, line or field)."""

    exit_code = 1


class NotFoundError(DeskError):
    """An unknown story slug, segment number or revision."""

    exit_code = 3


class RefusedError(DeskError):
    """The workflow, the QA gate or a uniqueness rule refuses the operation."""

    exit_code = 4


class ConflictError(DeskError):
    """Someone else changed the same segment since it was read."""

    exit_code = 5


class UnavailableError(DeskError):
    """The desk database cannot serve the command: locked past the busy timeout,
    read-only for a change, on a disk that refuses, damaged, or made by a newer desk."""

    exit_code = 6


class DamagedError(UnavailableError):
    """The desk database file is damaged: SQLite or desk found pages or rows it cannot
    read; desk writes nothing more to it."""

    what: str = ""
    """What was found damaged, in SQLite's or desk's words (the message says more)."""


class SchemaError(UnavailableError):
    """The database was made by a newer desk (a migration or column this desk does not
    know), or by something other than desk: refused before anything is touched."""
