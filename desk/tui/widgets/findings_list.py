"""A segment's glossary findings, one line each."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from desk.core.glossary.findings import Finding


class FindingsList(Static):
    """The segment's glossary findings, one line each."""

    def show(self, findings: Sequence[Finding] | None) -> None:
        """Show `findings` (None: the glossary scan has not finished yet)."""
        if findings is None:
            self.update("Glossary: scanning…")
        elif not findings:
            self.update("Glossary: no findings")
        else:
            lines = [f"Glossary: {len(findings)} finding(s)"]
            for f in findings:
                fix = " [fixable]" if f.fixable else ""
                lines.append(f"  • {f.message or f.kind.value}{fix}")
            self.update(Text("\n".join(lines)))
