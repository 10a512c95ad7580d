"""Every write goes through the store, and every revision through `Store.record`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import desk
from desk.core.store import Store

DESK = Path(desk.__file__).resolve().parent
STORE = DESK / "core" / "store"
WRITE = re.compile(
    r"\b(INSERT\s+(OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\s",
    re.IGNORECASE,
)
"""The shape of an SQL statement that writes (not the words in a docstring)."""


def sql_writes(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant in `path` that looks like an SQL write."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = " ".join(node.value.split())
            if WRITE.search(text):
                found.append((node.lineno, text[:80]))
    return found


def test_no_module_outside_the_store_writes_sql() -> None:
    """INSERT/UPDATE/DELETE appear in desk/core/store/ only (migrations included)."""
    outside = {
        str(path.relative_to(DESK)): writes
        for path in sorted(DESK.rglob("*.py"))
        if STORE not in path.parents and (writes := sql_writes(path))
    }
    assert outside == {}


def test_the_check_sees_a_write() -> None:
    """The scan above finds the store's own writes (it can fail)."""
    assert sql_writes(STORE / "store.py")


def test_one_function_inserts_revisions() -> None:
    """Only `Store.record` holds an `INSERT INTO revisions`; no other name writes one."""
    tree = ast.parse((STORE / "store.py").read_text(encoding="utf-8"))
    writers = set()
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef):
            for node in ast.walk(func):
                text = node.value if isinstance(node, ast.Constant) else None
                if isinstance(text, str) and re.search(r"INSERT\s+INTO\s+revisions\b", text, re.I):
                    writers.add(func.name)
    assert writers == {"record"}
    assert not hasattr(Store, "add_revision")
