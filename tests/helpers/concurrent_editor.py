"""One editor process for tests/pressure/test_concurrency.py: read a segment, edit it, repeat.

Run as `python -m tests.helpers.concurrent_editor NAME SEED OPS SLUG OUT`. Every operation goes
through the real CLI (click's runner, in this process, so each call opens the store
afresh as `desk` does): `desk show --json` to read a segment's text and version, then
`desk edit --expect-version` (or, one time in eight, `desk confirm`). What happened is
written to OUT as JSON: each edit that landed, each conflict with its message, and any
other outcome (which the test treats as a failure).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from desk.cli import main as desk


def run(name: str, seed: int, ops: int, slug: str, out: Path) -> None:
    """Do `ops` operations on story `slug` as author `name`; record them in `out`."""
    rng = random.Random(seed)
    runner = CliRunner()
    landed: list[dict[str, Any]] = []
    conflicts: list[str] = []
    other: list[dict[str, Any]] = []
    for i in range(ops):
        shown = runner.invoke(desk, ["show", slug, "--json"])
        if shown.exit_code != 0:
            other.append({"op": "show", "code": shown.exit_code, "out": shown.output})
            continue
        segments = json.loads(shown.output)["segments"]
        seg = rng.choice(segments)
        if rng.random() < 0.125:
            args = ["confirm", slug, str(seg["n"]), "--as", name]
        else:
            text = f"{name} edit {i} of segment {seg['n']}."
            args = ["edit", slug, str(seg["n"]), "--text", text, "--as", name]
            args += ["--expect-version", str(seg["version"])]
        result = runner.invoke(desk, args)
        if result.exit_code == 0:
            if args[0] == "edit":
                landed.append({"n": seg["n"], "text": args[4], "read": seg["version"]})
        elif result.exit_code == 5:
            conflicts.append(result.stderr.strip())
        else:
            other.append({"op": args[0], "code": result.exit_code, "out": result.output})
    out.write_text(
        json.dumps({"landed": landed, "conflicts": conflicts, "other": other}), encoding="utf-8"
    )


if __name__ == "__main__":
    run(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], Path(sys.argv[5]))
