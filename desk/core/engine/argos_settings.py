"""Argos Translate's own settings, found as argostranslate finds them, without importing it.

argostranslate.settings (`get_setting`) takes a key from the environment first, then from
`settings.json` in its config folder ($XDG_CONFIG_HOME/argos-translate, else
~/.config/argos-translate, where under a snap $SNAP_USER_DATA stands for ~), then its
default. desk reads the two keys it needs in the same order: ARGOS_PACKAGES_DIR (where
`argospm` and a LibreTranslate server install packages) and ARGOS_PACKAGE_INDEX. Importing
argostranslate would create folders, so its file is read here instead.

Where argostranslate crashes or prints and carries on (a settings.json that is not JSON, a
value that is not a string), desk carries on with the default, as argostranslate does for
bad JSON, and `settings_problem` says why, for `desk engine list` to show.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from desk.core.errors import InputError

PACKAGES_DIR_KEY = "ARGOS_PACKAGES_DIR"
INDEX_KEY = "ARGOS_PACKAGE_INDEX"
MAX_SETTINGS_BYTES = 1024**2
"""Argos's settings.json holds a few keys; refuse to read one over this."""


@dataclass(frozen=True)
class Setting:
    """One Argos setting's value and where it came from."""

    value: str
    """'' when neither the environment nor settings.json sets it."""
    source: str
    """`$KEY`, the settings.json path, or '' (Argos's default)."""


def _user_home() -> Path:
    """The home argostranslate puts its folders under: the snap's user data under a snap."""
    if "SNAP" in os.environ and os.environ.get("SNAP_USER_DATA"):
        return Path(os.environ["SNAP_USER_DATA"])
    return Path.home()


def settings_file() -> Path:
    """Where argostranslate reads its settings.json."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(_user_home() / ".config")
    return Path(config) / "argos-translate" / "settings.json"


def _read(path: Path) -> dict[str, object]:
    """settings.json as a dict ({} when there is none); InputError says what is wrong."""
    try:
        if not path.is_file():
            return {}
        if path.stat().st_size > MAX_SETTINGS_BYTES:
            raise InputError(f"{path}: larger than 1 MB; not Argos settings")
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, nested too deep
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object of settings")
    return data


def argos_setting(key: str) -> Setting:
    """The setting `key` as argostranslate would take it: the environment, then
    settings.json; InputError when settings.json would be used and cannot be (the
    caller decides whether to fall back to the default)."""
    env = os.environ.get(key)
    if env:
        return Setting(env, f"${key}")
    path = settings_file()
    value = _read(path).get(key)
    if value is None or value == "":
        return Setting("", "")
    if not isinstance(value, str):
        raise InputError(f"{path}: {key} is not a string")
    return Setting(value, str(path))


def settings_problem() -> str:
    """Why Argos's settings.json cannot be used for the keys desk reads ('' when it can,
    or when there is none)."""
    try:
        for key in (PACKAGES_DIR_KEY, INDEX_KEY):
            argos_setting(key)
    except InputError as exc:
        return str(exc)
    return ""


def argos_packages_dir() -> Path:
    """Where Argos Translate keeps packages: $ARGOS_PACKAGES_DIR, else settings.json's
    ARGOS_PACKAGES_DIR, else $XDG_DATA_HOME/argos-translate/packages."""
    return argos_packages_location()[0]


def argos_packages_location() -> tuple[Path, str]:
    """Argos's package folder and what chose it (`$ARGOS_PACKAGES_DIR`, the settings.json
    path, or '' for Argos's default)."""
    try:
        setting = argos_setting(PACKAGES_DIR_KEY)
    except InputError:  # said by `desk engine list` (settings_problem)
        setting = Setting("", "")
    if setting.value:
        try:
            return Path(setting.value).expanduser(), setting.source
        except RuntimeError:  # ~user with no such user
            what = f"{setting.source} = {setting.value!r}"
            if not setting.source.startswith("$"):
                what = f"{setting.source}: {PACKAGES_DIR_KEY} = {setting.value!r}"
            raise InputError(f"{what}: cannot find that home folder") from None
    data = os.environ.get("XDG_DATA_HOME") or str(_user_home() / ".local" / "share")
    return Path(data) / "argos-translate" / "packages", ""
