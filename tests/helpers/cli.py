"""DeskCli: `desk` commands run in-process through click's CliRunner (the `desk` fixture)."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result

from desk.cli import main


class DeskCli:
    """Runs `desk` commands in-process, as a person would type them."""

    def __init__(self) -> None:
        """A runner that keeps stderr apart from stdout."""
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, ok: bool = True) -> Result:
        """Run one command; with ok=True, fail the test on a non-zero exit."""
        result = self.runner.invoke(main, list(args), input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, f"desk {' '.join(args)}: {result.output}{result.stderr}"
        return result


def clear_gate(desk: DeskCli, slug: str, editor: str) -> None:
    """As `editor`: apply the listed spellings, then dismiss each open QA item (as an
    editor would who has checked them against the Arabic)."""
    desk("glossary", "fix", slug, "--as", editor)
    items = json.loads(desk("qa", slug, "--json", ok=False).output)
    for item in items:
        if item["dismissable"]:
            desk("dismiss", slug, str(item["segments"][0]), "1", "--as", editor,
                 "--reason", "Checked against the Arabic.")  # fmt: skip
