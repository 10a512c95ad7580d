"""The words of the segment's English the dictionary does not know, on one line."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Static

from desk.tui.visible import visible_text


class SpellingNotice(Static):
    """'Spelling: civilans, goverment' under the findings; empty (no height) when none."""

    DEFAULT_CSS = """
    SpellingNotice {
        padding: 0 1;
        height: auto;
        color: $text-warning;
    }
    SpellingNotice.-empty {
        display: none;
    }
    """

    def show(self, words: Sequence[str], variant: str = "") -> None:
        """Show the misspelt `words` (none: hidden)."""
        self.set_class(not words, "-empty")
        if words:
            which = f" (not in the {variant} dictionary)" if variant else ""
            self.update(visible_text(f"Spelling{which}: " + ", ".join(words)))
