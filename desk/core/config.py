"""The desk home's optional config file (TOML), typed, with environment overrides."""

from __future__ import annotations

import os
import stat
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from desk.core.errors import InputError
from desk.core.spelling import VARIANTS


@dataclass(frozen=True)
class Config:
    """Settings read from `config.toml`: in the user config dir for the default desk home,
    inside the home for one named by --home or $DESK_HOME (desk.locations.config_path)."""

    credit: str = "Translated and edited by The Syrian Observer"
    """The credit line closing every exported story (`[story] credit`)."""
    export_profile: str = "hugo"
    """The CMS profile, `hugo` or `jekyll` (`[export] profile`)."""
    export_folder: str = ""
    """Where exports go; empty means `export/` in the desk home (`[export] folder`)."""
    timezone: str = "UTC"
    """Time zone of dates in exports, an IANA name (`[export] timezone`, env DESK_TZ)."""
    glossary_folder: str = ""
    """The house glossary's folder of `*.toml` files (`[glossary] folder`, env DESK_GLOSSARY)."""
    tui_arabic_display: str = "shaped"
    """How the workbench draws Arabic: `shaped` (joined and reordered by desk, for
    terminals without bidi) or `raw` (logical order, for terminals that do their own
    bidi, e.g. VTE-based ones); `[tui] arabic_display`, or `desk --arabic-display`."""
    tui_theme: str = "dark"
    """The workbench's theme, `dark` or `light` (`[tui] theme`); F10 switches it."""
    tui_keys: dict[str, str] = field(default_factory=dict)
    """Workbench keys chosen in `[tui.keys]`: action name → keys (e.g. `"ctrl+s,f2"`)."""
    editors: tuple[str, ...] = ()
    """Who may approve, publish, force the QA gate and correct (`[desk] editors`); none
    named: everyone may."""
    self_approve: bool = False
    """Whether an editor may approve a story whose English they wrote most of
    (`[desk] self_approve`, for a one-person desk)."""
    database_url: str = ""
    """The shared desk's PostgreSQL database (`[desk] database_url`, a `postgresql://`
    URL; env DESK_DATABASE_URL); empty: the SQLite file in the desk home."""
    spelling: str = "en-GB"
    """The dictionary the English is spell-checked against, `en-GB` or `en-US`; `off`
    checks nothing (`[desk] spelling`)."""
    memory_threshold: int = 70
    """The lowest fuzzy match the translation memory shows, in percent (`[memory]
    threshold`, an integer from 50 to 100)."""


TUI_ACTIONS = (
    "next", "previous", "confirm_next", "confirm_all", "fix", "next_finding", "revert",
    "toggle_diff", "review", "approve", "publish", "export", "correct", "history",
    "segment_history", "glossary", "back", "redraft", "redraft_story", "search", "undo_saved",
    "help", "toggle_theme", "go_to", "filter", "quit", "insert_match", "next_match",
    "previous_match", "concordance", *(f"fix_{n}" for n in range(1, 10)),
)  # fmt: skip
"""The workbench actions `[tui.keys]` may rebind (the ids of the TUI's bindings)."""


# Settings with a fixed set of values: (table, key) -> the values allowed.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("tui", "arabic_display"): ("shaped", "raw"),
    ("tui", "theme"): ("dark", "light"),
    ("desk", "spelling"): (*VARIANTS, "off"),
}


MAX_CONFIG_BYTES = 1024 * 1024
"""A config file is a few lines; one larger than this is refused rather than read."""


def read_config_text(path: Path) -> str:
    """The config file's text; InputError when it is larger than MAX_CONFIG_BYTES
    (UnicodeDecodeError and OSError are the caller's to name)."""
    with path.open("rb") as handle:
        data = handle.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise InputError(f"{path}: larger than {MAX_CONFIG_BYTES // 1024} KiB; not a desk config")
    return data.decode("utf-8")


def move_config(old: Path, new: Path) -> str | None:
    """Move the config file `old` to `new`, making new's folder: the message to show (what
    moved, or why it could not and which file desk reads), None when there is nothing
    to move (no `old`, or `new` already there).

    A symbolic link moves as a link to the same file (a dotfile manager's), a file with
    its permissions (it may hold a database password). A folder, FIFO or oversized file
    stays where it is, for load_config to refuse by name.
    """
    if os.path.lexists(new) or not os.path.lexists(old):
        return None
    try:
        new.parent.mkdir(parents=True, exist_ok=True)
        if old.is_symlink():
            # A relative link points from the old folder, so it is made absolute.
            os.symlink(os.path.join(old.parent, os.readlink(old)), new)
        elif not (old.is_file() and old.stat().st_size <= MAX_CONFIG_BYTES):
            return None
        else:
            _copy_new(old, new)
    except OSError as exc:
        if isinstance(exc, FileExistsError) and os.path.lexists(new):
            return None  # another desk moved it a moment ago
        return (
            f"desk reads its config from {old}: it could not move it to {new}, where desk "
            f"now keeps it ({exc.strerror or exc}); move it there yourself"
        )
    try:
        old.unlink()
    except OSError as exc:
        return (
            f"desk copied its config from {old} to {new}, the one it reads from now on; "
            f"the old one could not be removed ({exc.strerror or exc})"
        )
    return f"desk moved its config from {old} to {new}, where desk now keeps it"


def _copy_new(old: Path, new: Path) -> None:
    """Copy `old` to `new`, which must not exist (FileExistsError), with old's permission
    bits; a half-written `new` is removed, so it never hides the whole old one."""
    data = old.read_bytes()
    mode = stat.S_IMODE(old.stat().st_mode)
    handle = os.open(new, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), mode)  # as it was, whatever the umask
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        new.unlink(missing_ok=True)
        raise


def load_config(path: Path) -> Config:
    """Read the config file if it exists; errors name the file, line and field."""
    data: dict[str, object] = {}
    if path.exists():
        if not path.is_file():  # a FIFO would hang every command; a folder cannot be read
            raise InputError(f"{path}: the config is not a regular file")
        try:
            data = tomllib.loads(read_config_text(path))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: {exc}") from None
        except RecursionError:
            raise InputError(f"{path}: nested too deeply to be a desk config") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read the config ({exc.strerror})") from None
    known = {
        "story": {"credit"},
        "export": {"profile", "folder", "timezone"},
        "glossary": {"folder"},
        "tui": {"arabic_display", "theme"},
        "desk": {"editors", "self_approve", "spelling", "database_url"},
        "memory": {"threshold"},
    }
    values: dict[str, str] = {}
    values_keys: dict[str, str] = {}
    roles: dict[str, object] = {}
    for table, content in data.items():
        if table not in known:
            raise InputError(f"{path}: unknown table [{table}] (known: {', '.join(known)})")
        if not isinstance(content, dict):
            raise InputError(f"{path}: [{table}] must be a table of settings")
        for key, value in content.items():
            if (table, key) == ("tui", "keys"):
                values_keys = _tui_keys(path, value)
                continue
            if table == "desk" and key in ("editors", "self_approve"):
                roles[key] = _role_setting(path, key, value)
                continue
            if (table, key) == ("memory", "threshold"):
                roles["memory_threshold"] = _threshold(path, value)
                continue
            if key not in known[table]:
                raise InputError(f"{path}: [{table}] has no setting {key!r}")
            if not isinstance(value, str):
                raise InputError(f"{path}: [{table}] {key} must be a string")
            allowed = CHOICES.get((table, key))
            if allowed and value not in allowed:
                raise InputError(f"{path}: [{table}] {key} must be one of {', '.join(allowed)}")
            name = (
                key
                if key in ("credit", "timezone", "spelling", "database_url")
                else f"{table}_{key}"
            )
            values[name] = value
    if os.environ.get("DESK_TZ"):
        values["timezone"] = os.environ["DESK_TZ"]
    return Config(**values, tui_keys=values_keys, **roles)  # type: ignore[arg-type]


def _tui_keys(path: Path, table: object) -> dict[str, str]:
    """The `[tui.keys]` table checked: known action names, each with non-empty keys."""
    if not isinstance(table, dict):
        raise InputError(f"{path}: [tui] keys must be a table, e.g. [tui.keys]")
    keys: dict[str, str] = {}
    for action, value in table.items():
        if action not in TUI_ACTIONS:
            raise InputError(
                f"{path}: [tui.keys] has no action {action!r} (known: {', '.join(TUI_ACTIONS)})"
            )
        if not isinstance(value, str):
            raise InputError(f'{path}: [tui.keys] {action} must be a string like "ctrl+s"')
        parts = [part.strip() for part in value.split(",")]
        if not all(parts) or any(" " in part for part in parts):
            raise InputError(
                f'{path}: [tui.keys] {action} = {value!r} is not a key list like "ctrl+s,f2"'
            )
        keys[action] = ",".join(parts)
    return keys


def _role_setting(path: Path, key: str, value: object) -> object:
    """`[desk] editors` (a list of names) or `[desk] self_approve` (true or false), checked."""
    if key == "self_approve":
        if not isinstance(value, bool):
            raise InputError(f"{path}: [desk] self_approve must be true or false")
        return value
    names = value if isinstance(value, list) else None
    if names is None or not all(isinstance(n, str) and " ".join(n.split()) for n in names):
        raise InputError(f'{path}: [desk] editors must be a list of names, e.g. ["omar"]')
    return tuple(unicodedata.normalize("NFC", " ".join(n.split())) for n in names)


def _threshold(path: Path, value: object) -> int:
    """`[memory] threshold`, checked: an integer percentage from 50 to 100."""
    if isinstance(value, bool) or not isinstance(value, int) or not 50 <= value <= 100:
        raise InputError(
            f"{path}: [memory] threshold must be a whole percentage from 50 to 100, e.g. 70"
        )
    return value
