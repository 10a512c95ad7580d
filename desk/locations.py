"""Where desk keeps its data. Nothing here creates a directory; callers do when they write."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from desk.core.errors import InputError

APP_NAME = "desk"


def expand(text: str | os.PathLike[str], what: str) -> Path:
    """A folder setting as a path, `~` and `~user` expanded; InputError naming `what`
    (the option, variable or config key it came from) when the user has no home."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        raise InputError(f"{what} = {str(text)!r}: cannot find that home folder (`~`)") from None


def desk_home(override: str | os.PathLike[str] | None = None) -> Path:
    """The desk home: `override` (from --home), else $DESK_HOME, else the platform data dir."""
    if override:
        return expand(override, "--home")
    env = os.environ.get("DESK_HOME")
    if env:
        return expand(env, "$DESK_HOME")
    return default_home()


def default_home() -> Path:
    """The desk home when neither --home nor $DESK_HOME names one: the user data dir
    ($XDG_DATA_HOME/desk on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(home: Path) -> Path:
    """The SQLite file holding stories, segments and the revision log."""
    return home / "desk.sqlite3"


def database_location(home: Path, configured: str = "") -> Path | str:
    """Where the store is: $DESK_DATABASE_URL, else the config's `[desk] database_url`
    (a PostgreSQL URL, checked), else the SQLite file in the desk home."""
    from desk.core.store.postgres import check_url

    env = os.environ.get("DESK_DATABASE_URL", "").strip()
    if env:
        return check_url(env, "$DESK_DATABASE_URL")
    if configured.strip():
        return check_url(configured.strip(), "[desk] database_url")
    return database_path(home)


CONFIG_NAME = "config.toml"


def user_config_path() -> Path:
    """The config file of the default desk home: `config.toml` in the user config dir
    ($XDG_CONFIG_HOME/desk on Linux, ~/.config/desk without it)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_NAME


def old_config_path(home: Path) -> Path | None:
    """Where the default desk home kept its config before it moved to the user config
    dir (`config.toml` in the data dir); None for a home named by --home or $DESK_HOME,
    whose config stays inside it, and where both places are one (macOS, Windows)."""
    old = home / CONFIG_NAME
    if home != default_home() or old == user_config_path():
        return None
    return old


def config_path(home: Path) -> Path:
    """The optional TOML config file of this desk home.

    A home named by --home or $DESK_HOME keeps it inside (`HOME/config.toml`), so a home
    is one folder to copy or throw away. The default home's is in the user config dir,
    where dotfile managers and backups look for settings; while that one is absent, one
    left in the data dir by an older desk is read (`desk` moves it, saying so).
    """
    old = old_config_path(home)
    if old is None:
        return home / CONFIG_NAME
    new = user_config_path()
    if not os.path.lexists(new) and os.path.lexists(old):
        return old
    return new


def export_dir(home: Path, configured: str = "") -> Path:
    """The folder for CMS exports: the configured one, else `export/` in the desk home."""
    return expand(configured, "[export] folder") if configured else home / "export"


def house_glossary_dir() -> Path:
    """The house glossary shipped inside the package (desk/data/glossaries), read-only."""
    return Path(__file__).resolve().parent / "data" / "glossaries"


def glossary_dir(home: Path, override: str | os.PathLike[str] | None, configured: str) -> Path:
    """The house glossary folder.

    `override` (--glossary), else $DESK_GLOSSARY, else the config's `[glossary] folder`,
    else `glossaries/` in the current directory when there is one (a checkout of the
    desk's repository), else `glossaries/` in the desk home (which desk fills with its
    house glossary on first use, see desk.app.glossary).
    """
    names = ("--glossary", "$DESK_GLOSSARY", "[glossary] folder")
    for candidate, what in zip(
        (override, os.environ.get("DESK_GLOSSARY"), configured), names, strict=True
    ):
        if candidate:
            return expand(candidate, what)
    here = Path("glossaries")
    if here.is_dir():
        return here
    return home / "glossaries"


def glossary_cache_dir(home: Path) -> Path:
    """Where compiled glossaries are kept (desk.core.glossary.compiled): a cache, safe
    to delete; desk makes it again."""
    return home / "cache" / "glossary"
