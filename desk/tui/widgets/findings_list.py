"""A segment's glossary findings, one line each."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Static

from desk.core.glossary.findings import Finding
from desk.tui.visible import visible_text


class FindingsList(Static):
    """The segment's glossary findings, one line each."""

    DEFAULT_CSS = """
    FindingsList {
        padding: 0 1;
        color: $warning;
    }
    """

    def show(self, findings: Sequence[Finding] | None) -> None:
        """Show `findings` (None: the glossary scan has not finished yet)."""
        if findings is None:
            self.update("Glossary: scanning…")
        elif not findings:
            self.update("Glossary: no findings")
        else:
            lines = [f"Glossary: {len(findings)} finding(s)"]
            fixable = 0
            for f in findings:
                if f.fixable and fixable < 9:
                    fixable += 1
                    # Shift+F<N> applies or accepts this one (Ctrl+G applies the listed ones).
                    how = "" if f.automatic else " accept"
                    lines.append(
                        f"  {fixable}. {f.message or f.kind.value} [shift+F{fixable}{how}]"
                    )
                else:
                    lines.append(f"  • {f.message or f.kind.value}")
            # A finding may quote the English: its invisible characters as markers.
            self.update(visible_text("\n".join(lines)))
