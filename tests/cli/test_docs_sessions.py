"""The sessions of README.md and docs/*.md run as written.

A command block that follows a `<!-- session -->` line is run, page by page, in one bash
shell (`set -euo pipefail`), in order, as a newcomer would type them: from a folder that
holds a copy of `samples/` and `glossaries/` and the checkout's `.venv` (so that
`. .venv/bin/activate` works as in a clone), with `HOME` in a temporary folder, no
`DESK_*`, `XDG_*` or `ARGOS_*` variable set, and no `desk` on the PATH until the page
puts it there. The marker may say more (docs/development.md, "The documentation runs"):

- `<!-- session: exit 4 -->`: the block is one command that must exit 4 (a refusal the
  page shows on purpose);
- `<!-- session: prints "TEXT" -->`: the block must print TEXT on standard output;
- `<!-- session: after samples/demo.sh -->` (a page's first block): the page's session
  starts after `sh samples/demo.sh`, as the README's next steps do.

A failure names the page, the line and the command, with the exit code.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COPIED = ("samples", "glossaries")
"""What a session may read from the checkout (copied: a session must not change it)."""
MARKER = re.compile(r"<!--\s*session(?::(?P<spec>.*?))?\s*-->")
SPEC = re.compile(
    r'\s*(?:exit\s+(?P<exit>\d+)|prints\s+"(?P<prints>[^"]+)"|after\s+(?P<after>\S+))'
)
FAILED = re.compile(r"^docs-session: failed at (\d+) with exit (\d+): (.*)$", re.M)
TIMEOUT_S = 900


@dataclass(frozen=True)
class Block:
    """One marked command block of a page."""

    page: str
    """The page's path in the checkout (`docs/getting-started.md`)."""
    line: int
    """The page's line of the block's first command (1-based)."""
    code: str
    exit: int = 0
    prints: str | None = None
    after: str | None = None

    @property
    def where(self) -> str:
        """`docs/page.md:LINE`."""
        return f"{self.page}:{self.line}"


def parse_spec(spec: str, where: str) -> dict[str, object]:
    """The options of a marker (`exit N`, `prints "TEXT"`, `after SCRIPT`)."""
    options: dict[str, object] = {}
    rest = spec.strip()
    while rest:
        match = SPEC.match(rest)
        if match is None:
            raise ValueError(
                f"{where}: a session marker says {spec.strip()!r}, which is not understood"
            )
        if match["exit"] is not None:
            options["exit"] = int(match["exit"])
        elif match["prints"] is not None:
            options["prints"] = match["prints"]
        else:
            options["after"] = match["after"]
        rest = rest[match.end() :].strip()
    return options


def session_blocks(page: Path, root: Path = ROOT) -> list[Block]:
    """The page's marked blocks, in order."""
    name = str(page.relative_to(root))
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        match = MARKER.fullmatch(lines[index].strip())
        if match is None:
            index += 1
            continue
        where = f"{name}:{index + 1}"
        if index + 1 >= len(lines) or not lines[index + 1].startswith("```"):
            raise ValueError(f"{where}: a session marker must be followed by a ``` block")
        end = index + 2
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        if end == len(lines):
            raise ValueError(f"{where}: the block after the session marker is not closed")
        options = parse_spec(match["spec"] or "", where)
        code = "\n".join(lines[index + 2 : end])
        if options.get("exit", 0) != 0 and len(code.strip().splitlines()) != 1:
            raise ValueError(f"{where}: a block that must fail is one command")
        if options.get("after") and blocks:
            raise ValueError(f"{where}: `after` is for a page's first block")
        blocks.append(Block(name, index + 3, code, **options))  # type: ignore[arg-type]
        index = end + 1
    return blocks


def script(blocks: list[Block]) -> tuple[str, dict[int, tuple[Block, int]]]:
    """The bash script of a page's session, and which page line each script line is."""
    out = [
        "set -euo pipefail",
        "exec 3>&2",
        "trap '__rc=$?; echo \"docs-session: failed at $LINENO with exit $__rc: $BASH_COMMAND\" >&3' ERR",
    ]
    lines: dict[int, tuple[Block, int]] = {}

    def add(block: Block, code: str) -> None:
        for offset, text in enumerate(code.splitlines()):
            out.append(text)
            lines[len(out)] = (block, offset)

    for number, block in enumerate(blocks):
        if block.after:
            out.append(f"sh {shlex.quote(block.after)}")
            lines[len(out)] = (block, -1)
        if block.exit:
            out.append("if")
            add(block, block.code)
            out.append("then __rc=0; else __rc=$?; fi")
            out.append(
                f'if [ "$__rc" -ne {block.exit} ]; then printf "docs-session: %s: exit %s, where the'
                f' page says %s: %s\\n" {shlex.quote(block.where)} "$__rc" {block.exit}'
                f" {shlex.quote(block.code.strip())} >&3; exit 1; fi"
            )
        elif block.prints:
            output = f"$__out/{number}"
            out.append("{")
            add(block, block.code)
            out.append(f'}} > "{output}"')
            out.append(f'cat "{output}"')
            out.append(
                f'grep -qF -- {shlex.quote(block.prints)} "{output}" || {{ printf "docs-session: %s:'
                f' the block does not print %s\\n" {shlex.quote(block.where)} {shlex.quote(block.prints)}'
                " >&3; exit 1; }"
            )
        else:
            add(block, block.code)
    return "\n".join(out) + "\n", lines


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under the folder (the `.venv` link left out), with a hash of it."""
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] == ".venv" or path.is_dir():
            continue
        files[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def newcomer_env(home: Path) -> dict[str, str]:
    """The environment of a person who has just cloned desk: no desk settings, no desk
    on the PATH, nothing of this test run's own home."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DESK_", "XDG_", "ARGOS_", "PYTEST_"))
        and name not in {"VIRTUAL_ENV", "HOME", "PYTHONHOME"}
    }
    path = [
        entry
        for entry in os.environ.get("PATH", os.defpath).split(os.pathsep)
        if entry and not (Path(entry) / "desk").exists()
    ]
    env["PATH"] = os.pathsep.join(path)
    env["HOME"] = str(home)
    return env


SESSIONS = [page for page in PAGES if session_blocks(page)]


def test_the_newcomer_pages_have_sessions() -> None:
    """The README's next steps and the getting-started page are sessions: a marker lost
    in an edit would otherwise stop their test without a word."""
    names = {str(page.relative_to(ROOT)) for page in SESSIONS}
    assert {"README.md", "docs/getting-started.md"} <= names
    readme = session_blocks(ROOT / "README.md")
    assert readme[0].after == "samples/demo.sh"
    started = session_blocks(ROOT / "docs" / "getting-started.md")
    assert len(started) >= 10
    assert any(block.exit for block in started)
    assert any(block.prints for block in started)


def test_markers_are_read_as_written(tmp_path: Path) -> None:
    """The parser keeps each block's line, exit code and expected output, and refuses a
    marker it does not understand, a block that must fail with two commands, and a marker
    with no block after it."""
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n<!-- session -->\n```sh\ndesk list\ndesk show x\n```\n\n"
        '<!-- session: exit 4 -->\n```sh\ndesk publish x\n```\n\n<!-- session: prints "x [2]" -->\n'
        "```sh\ndesk search x\n```\n\n```sh\ndesk open x\n```\n",
        encoding="utf-8",
    )
    blocks = session_blocks(page, tmp_path)
    assert [(b.where, b.code, b.exit, b.prints) for b in blocks] == [
        ("page.md:5", "desk list\ndesk show x", 0, None),
        ("page.md:11", "desk publish x", 4, None),
        ("page.md:16", "desk search x", 0, "x [2]"),
    ]
    for text, message in [
        ("<!-- session: exits 4 -->\n```sh\ndesk list\n```\n", "page.md:1: .* not understood"),
        ("<!-- session: exit 1 -->\n```sh\ndesk a\ndesk b\n```\n", "one command"),
        ("<!-- session -->\n\ndesk list\n", "followed by"),
        ("<!-- session -->\n```sh\ndesk list\n", "not closed"),
        (
            "<!-- session -->\n```sh\nls\n```\n<!-- session: after x.sh -->\n```sh\nls\n```\n",
            "first block",
        ),
    ]:
        page.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            session_blocks(page, tmp_path)


def run_session(blocks: list[Block], workdir: Path, tmp_path: Path) -> str | None:
    """Run a page's session in `workdir`; None when it ran as written, else what failed:
    the page, line and command, and the session's output."""
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    text, lines = script(blocks)
    env = newcomer_env(home) | {"__out": str(outputs)}
    run = subprocess.run(
        ["bash", "-c", text],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    if run.returncode == 0:
        return None
    failed = FAILED.search(run.stderr)
    said = re.search(r"^docs-session: (.*)$", run.stderr, re.M)
    if failed is not None:
        block, offset = lines.get(int(failed[1]), (None, 0))
        where = "?" if block is None else f"{block.page}:{block.line + max(offset, 0)}"
        if block is not None and offset < 0:
            where += f" (running {block.after} first)"
        headline = f"{where}: `{failed[3]}` exited {failed[2]}"
    elif said is not None:
        headline = said[1]
    else:
        headline = f"the session failed (exit {run.returncode})"
    return f"{headline}\n--- stderr ---\n{run.stderr[-4000:]}\n--- stdout ---\n{run.stdout[-4000:]}"


def test_a_failing_block_is_named(tmp_path: Path) -> None:
    """A command that fails is named with its page and line; a block that exits otherwise
    than its marker says, or does not print what it says, is named too."""
    page = tmp_path / "page.md"
    cases = [
        (
            "<!-- session -->\n```sh\necho one\nls /no/such/folder\necho two\n```\n",
            "page.md:4: `ls /no/such/folder` exited 2",
        ),
        (
            "<!-- session: exit 4 -->\n```sh\nfalse\n```\n",
            "page.md:3: exit 1, where the page says 4: false",
        ),
        (
            '<!-- session: prints "three" -->\n```sh\necho one\n```\n',
            "page.md:3: the block does not print three",
        ),
        (
            "<!-- session -->\n```sh\necho one\n```\n<!-- session: exit 3 -->\n```sh\nsh -c 'exit 3'\n```\n",
            None,
        ),
    ]
    for number, (text, expected) in enumerate(cases):
        page.write_text(text, encoding="utf-8")
        (tmp_path / str(number)).mkdir()
        failure = run_session(session_blocks(page, tmp_path), tmp_path, tmp_path / str(number))
        if expected is None:
            assert failure is None
        else:
            assert failure is not None and failure.splitlines()[0] == expected


@pytest.mark.parametrize("page", SESSIONS, ids=[str(page.relative_to(ROOT)) for page in SESSIONS])
def test_the_session_runs_as_written(page: Path, tmp_path: Path) -> None:
    """Every marked block of the page runs in a fresh desk as the page says it does, and
    the session leaves the folder it runs in as it found it."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in COPIED:
        shutil.copytree(ROOT / name, checkout / name)
    (checkout / ".venv").symlink_to(ROOT / ".venv")
    before = snapshot(checkout)
    failure = run_session(session_blocks(page), checkout, tmp_path)
    if failure is not None:
        pytest.fail(failure)
    assert snapshot(checkout) == before, "the session changed or left files in the folder it ran in"
