"""The two looks of the workbench's dialogs: forms to fill in, and warnings to answer.

Only the look lives here; each dialog composes its own content and handles its keys.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

T = TypeVar("T")


class FormScreen(ModalScreen[T]):
    """A centred dialog of labelled rows, an error line and buttons; only its look lives
    here (each form composes its own fields and submits them itself)."""

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
    }
    FormScreen .form-box {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 95%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    FormScreen .form-row {
        height: auto;
    }
    FormScreen .form-label {
        width: 18;
        padding: 1 1 0 0;
    }
    FormScreen .form-row Input {
        width: 1fr;
    }
    FormScreen .form-error {
        color: $error;
        height: auto;
    }
    FormScreen .form-buttons {
        height: auto;
    }
    """


class WarningScreen(ModalScreen[T]):
    """A centred box with a warning border: the QA gate, a correction note, a deletion."""

    DEFAULT_CSS = """
    WarningScreen {
        align: center middle;
    }
    WarningScreen .warning-box {
        width: 80%;
        max-width: 90;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1;
    }
    """
