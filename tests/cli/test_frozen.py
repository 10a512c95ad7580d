"""Published means frozen: every path that could change a published story is refused.

CLI: edit, confirm, status moves other than a correction, draft (also forced), glossary
fix, delete. TUI: typing (the English box is read-only), Ctrl+G, a finding's own key,
revert, confirm, redraft, undo. The story's segments and log are unchanged after all of
them; `desk correct` is the only way in, and it is in the log.
"""

from __future__ import annotations

import json
from pathlib import Path

from desk.app.home import Home
from desk.tui import make_app
from desk.tui.widgets.english_editor import EnglishEditor
from tests.helpers.cli import DeskCli, clear_gate
from tests.helpers.tui import SIZE, SLUG, settle, synchronous


def publish(desk: DeskCli) -> None:
    """Take the Lattakia sample to published as an editor would."""
    desk("confirm", SLUG, "--all", "--as", "tr")
    desk("status", SLUG, "review", "--as", "tr")
    clear_gate(desk, SLUG, "ed")
    desk("status", SLUG, "approved", "--as", "ed")
    desk("publish", SLUG, "--as", "ed")


def state(desk: DeskCli) -> tuple[str, str]:
    """The story's segments and log, as JSON text."""
    return desk("show", SLUG, "--json").output, desk("log", SLUG, "--json").output


def test_every_cli_path_is_refused(desk: DeskCli, env: Home, glossary: Path) -> None:
    """Each command that would change the published story exits 4 and changes nothing."""
    publish(desk)
    before = state(desk)
    attempts = [
        ["edit", SLUG, "2", "--text", "Changed."],
        ["confirm", SLUG, "2"],
        ["confirm", SLUG, "--all"],
        ["status", SLUG, "translating"],
        ["status", SLUG, "review"],
        ["draft", SLUG, "--engine", "none"],
        ["draft", SLUG, "--segments", "1", "--force"],
        ["glossary", "fix", SLUG],
        ["delete", SLUG, "--yes"],
    ]
    for args in attempts:
        result = desk(*args, ok=False)
        assert result.exit_code == 4, (args, result.output, result.stderr)
        assert "Traceback" not in result.stderr
    assert state(desk) == before
    desk("correct", SLUG, "--note", "An earlier version misspelt Douma.", "--as", "ed")
    log = json.loads(desk("log", SLUG, "--json").output)
    assert log[-1]["kind"] == "correction" and log[-1]["author"] == "ed"


@synchronous
async def test_every_tui_path_is_refused(desk: DeskCli, env: Home) -> None:
    """In the editor a published story cannot be typed into, fixed, reverted, confirmed,
    redrafted or undone; the store is unchanged afterwards."""
    publish(desk)
    before = state(desk)
    app = make_app(env, author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        editor = app.screen.query_one(EnglishEditor)
        assert editor.read_only
        await pilot.press("x", "y", "z")
        for key in ("ctrl+g", "shift+f1", "ctrl+r", "ctrl+s", "f3", "ctrl+right_square_bracket"):
            await pilot.press(key)
            await settle(app)
        await pilot.press("ctrl+underscore")
        await settle(app)
        await pilot.press("ctrl+down")
        await settle(app)
    assert state(desk) == before
