"""Every package desk's code imports is declared in pyproject.toml's dependencies (an
undeclared one, e.g. rich, packaging, ctranslate2, installed only as another package's
dependency, can vanish with that package's next release)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.helpers.paths import ROOT


def _normal(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_package_is_declared() -> None:
    """Each top-level module imported under desk/ is the standard library's, desk's own,
    or provided by a distribution that pyproject.toml's [project] dependencies name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        _normal(re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0]) for d in project["dependencies"]
    }
    providers = packages_distributions()
    imported: dict[str, str] = {}
    for path in sorted((ROOT / "desk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top != "desk" and top not in sys.stdlib_module_names:
                    imported.setdefault(top, str(path.relative_to(ROOT)))
    assert {"rich", "packaging", "ctranslate2", "textual"} <= set(imported)
    undeclared = {
        module: where
        for module, where in imported.items()
        if not declared & {_normal(d) for d in providers.get(module, [module])}
    }
    assert undeclared == {}, f"imported but not declared in pyproject.toml: {undeclared}"
