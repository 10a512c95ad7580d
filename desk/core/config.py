"""The desk home's optional config file (TOML), typed, with environment overrides."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from desk.core.errors import InputError


@dataclass(frozen=True)
class Config:
    """Settings read from `config.toml` in the desk home."""

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


# Settings with a fixed set of values: (table, key) -> the values allowed.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("tui", "arabic_display"): ("shaped", "raw"),
    ("tui", "theme"): ("dark", "light"),
}


def load_config(path: Path) -> Config:
    """Read the config file if it exists; errors name the file, line and field."""
    data: dict[str, object] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: {exc}") from None
    known = {
        "story": {"credit"},
        "export": {"profile", "folder", "timezone"},
        "glossary": {"folder"},
        "tui": {"arabic_display", "theme"},
    }
    values: dict[str, str] = {}
    for table, content in data.items():
        if table not in known or not isinstance(content, dict):
            raise InputError(f"{path}: unknown table [{table}] (known: {', '.join(known)})")
        for key, value in content.items():
            if key not in known[table]:
                raise InputError(f"{path}: [{table}] has no setting {key!r}")
            if not isinstance(value, str):
                raise InputError(f"{path}: [{table}] {key} must be a string")
            allowed = CHOICES.get((table, key))
            if allowed and value not in allowed:
                raise InputError(f"{path}: [{table}] {key} must be one of {', '.join(allowed)}")
            name = key if key in ("credit", "timezone") else f"{table}_{key}"
            values[name] = value
    if os.environ.get("DESK_TZ"):
        values["timezone"] = os.environ["DESK_TZ"]
    return Config(**values)
