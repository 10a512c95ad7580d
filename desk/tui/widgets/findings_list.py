"""A segment's glossary findings, one line each."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Static

from desk.core.glossary.findings import Finding
from desk.tui.arabic import DEFAULT_ARABIC_DISPLAY, display_mixed_text


class FindingsList(Static):
    """The segment's glossary findings, one line each."""

    DEFAULT_CSS = """
    FindingsList {
        padding: 0 1;
        color: $warning;
    }
    """

    def __init__(self, *, arabic_display: str = DEFAULT_ARABIC_DISPLAY, id: str | None = None):
        """A list drawing the Arabic its findings quote in `arabic_display` mode."""
        super().__init__(id=id)
        self.arabic_display = arabic_display

    def show(self, findings: Sequence[tuple[int | None, Finding]] | None) -> None:
        """Show `findings` with their numbers (None: the glossary scan has not finished
        yet). A number stays with its finding while the segment is open, so after one
        fix the others keep theirs (desk.app.finding_numbers)."""
        if findings is None:
            self.update("Glossary: scanning…")
        elif not findings:
            self.update("Glossary: no findings")
        else:
            lines = [f"Glossary: {len(findings)} finding(s)"]
            for number, f in findings:
                if number is not None and number <= 9:
                    # Shift+F<N> applies or accepts this one (Ctrl+G applies the listed ones).
                    how = "" if f.automatic else " accept"
                    lines.append(f"  {number}. {f.message or f.kind.value} [shift+F{number}{how}]")
                else:
                    lines.append(f"  • {f.message or f.kind.value}")
            # A finding may quote the English (its invisible characters as markers) and
            # the Arabic (shaped in its place when the display is `shaped`).
            self.update(display_mixed_text("\n".join(lines), self.arabic_display))
