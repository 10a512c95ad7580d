"""desk.core is importable without the UI framework (a subprocess proves it)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import desk.core


def test_core_imports_without_textual_or_rich() -> None:
    """Importing every desk.core module pulls in neither textual, rich nor click."""
    modules = [m.name for m in pkgutil.walk_packages(desk.core.__path__, "desk.core.")]
    assert "desk.core.store" in modules and "desk.core.export" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'click'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_importing_desk_creates_no_directories(tmp_path: object) -> None:
    """Importing the CLI and core touches nothing on disk (paths are resolved on use)."""
    import os
    from pathlib import Path

    root = Path(str(tmp_path))
    env = dict(os.environ, HOME=str(root), XDG_DATA_HOME=str(root / "data"), DESK_HOME="")
    subprocess.run(
        [sys.executable, "-c", "import desk.cli, desk.core.store, desk.locations"],
        env=env,
        check=True,
    )
    assert list(root.iterdir()) == []
