"""The help screen: every key of the screen it was opened from, and of its boxes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from desk.tui.screens.keymap import keys_of

Keys = list[tuple[str, str, str]]
"""(key as shown, description, longer explanation) per binding."""


class HelpScreen(ModalScreen[None]):
    """Lists the keys of a screen with what each does; any listed key closes it.

    Below them, the keys of each widget of that screen with a HELP_TITLE (the English
    box's sentence keys): a widget's own bindings work only while it has the focus.
    """

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    #help-box {
        width: 80%;
        max-width: 90;
        height: 80%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help")
    ]

    def __init__(self, title: str, bindings: Sequence[tuple[str, str, str]]) -> None:
        """`bindings`: (key as shown, description, longer explanation) per binding."""
        super().__init__()
        self.title_text = title
        self.lines = bindings
        self.sections: list[tuple[str, Keys]] = []
        """(title, keys) of each widget of the screen below that names its keys."""

    def compose(self) -> ComposeResult:
        """A scrolling list of keys: the screen's, then its boxes'."""
        stack = self.app.screen_stack
        if len(stack) > 1 and stack[-1] is self:
            self.sections = widget_keys(stack[-2], self.app.get_key_display, self.app._keymap)
        every = [*self.lines, *(line for _, lines in self.sections for line in lines)]
        width = max((len(k) for k, _, _ in every), default=4) + 2
        rows = [f"{self.title_text} — keys", "", *_rows(self.lines, width)]
        for title, lines in self.sections:
            rows += ["", f"{title}:", *_rows(lines, width)]
        rows += ["", "Esc, q, ? or F1 closes this help."]
        with VerticalScroll(id="help-box"):
            yield Static("\n".join(rows), id="help-text", markup=False)


def widget_keys(
    screen: Screen[object],
    display: Callable[[Binding], str],
    keymap: Mapping[str, str],
) -> list[tuple[str, Keys]]:
    """(HELP_TITLE, keys) of each kind of widget on `screen` that has a HELP_TITLE, from
    the bindings its own class declares (not those it inherits, e.g. TextArea's)."""
    sections: list[tuple[str, Keys]] = []
    seen: set[type[object]] = set()
    for widget in screen.query("*"):
        kind = type(widget)
        title = getattr(kind, "HELP_TITLE", None)
        if kind in seen or not isinstance(title, str):
            continue
        seen.add(kind)
        lines = [
            (
                " ".join(display(Binding(key, "")) for key in keys_of(b, keymap)),
                b.description,
                b.tooltip,
            )
            for b in vars(kind).get("BINDINGS", [])
            if isinstance(b, Binding) and b.description
        ]
        if lines:
            sections.append((title, lines))
    return sections


def _rows(lines: Sequence[tuple[str, str, str]], width: int) -> list[str]:
    """Each key with its description, and its explanation under it when it says more."""
    rows: list[str] = []
    for key, description, tooltip in lines:
        rows.append(f"{key:<{width}}{description}")
        if tooltip and tooltip != description:
            rows.append(f"{'':<{width}}  {tooltip}")
    return rows
