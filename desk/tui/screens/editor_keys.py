"""The editor's keys: one list that names every key for the footer, the help, the command
palette and `[tui.keys]`. The footer shows the keys of moving through a story (F1 first);
the workflow and the rest are in the help (F1) and the palette (Ctrl+P).

Ctrl+arrows (Ctrl+Shift+Up/Down pick among the memory's matches), Ctrl+letters and
F-keys (Shift+F11 inserts a match, Shift+F12 opens the concordance): a focused TextArea
takes every printable key and its own bindings (TextArea.BINDINGS: Ctrl+A/E/K/U/W/Z/Y...,
F6, F7), but none of these; a test checks that each reaches the screen with the editor
focused. `keyed` gives each binding its action as id, so the config's `[tui.keys]`
rebinds them by action name.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from desk.tui.screens.keymap import keyed

EDITOR_BINDINGS: list[BindingType] = keyed(
    [
        # First, so the footer shows it at any width (the app's own F1 comes last there).
        Binding(
            "f1",
            "app.help",
            "Help",
            id="help",
            priority=True,  # the footer puts priority keys first: Help before Go to
            tooltip="List every key of this screen.",
        ),
        Binding("ctrl+down", "next", "Next", tooltip="Save and go to the next segment."),
        Binding("ctrl+up", "previous", "Prev", tooltip="Save and go to the previous segment."),
        Binding(
            "ctrl+s,f2",
            "confirm_next",
            "Confirm+next",
            tooltip="Save, confirm this segment, go to the next.",
        ),
        Binding(
            "f3",
            "confirm_all",
            "Confirm all",
            show=False,
            tooltip="Save, then confirm every segment of the story.",
        ),
        Binding(
            "ctrl+g",
            "fix",
            "Glossary fix",
            tooltip="Apply the automatic glossary fixes in this segment.",
        ),
        *(
            Binding(
                f"shift+f{n}",
                f"fix_one({n})",
                f"Fix finding {n}",
                show=False,
                # Checked before the English box, which takes most keys for itself.
                # (Alt+digits reach Textual as typographic characters, so not those.)
                priority=True,
                id=f"fix_{n}",
                tooltip=f"Apply only the segment's fixable finding number {n}.",
            )
            for n in range(1, 10)
        ),
        Binding(
            "ctrl+n",
            "next_finding",
            "Next finding",
            tooltip="Go to the next segment with glossary findings.",
        ),
        Binding(
            "ctrl+j,f6",
            "go_to",
            "Go to",
            # Before the English box, whose TextArea takes F6 (select line) and F7.
            priority=True,
            tooltip="Go to segment number N (OmegaT's Ctrl+J; F6 too).",
        ),
        Binding(
            "f7",
            "filter",
            "Filter",
            priority=True,
            tooltip="Show only unconfirmed, edited, with findings, or containing a word; or all.",
        ),
        Binding("ctrl+f", "search", "Search", tooltip="Find English or Arabic text in the story."),
        Binding("escape", "back", "Stories", tooltip="Save and go back to the story list."),
        Binding(
            "ctrl+r",
            "revert",
            "Revert",
            show=False,
            tooltip="Put the machine draft back as the English.",
        ),
        Binding("ctrl+t", "toggle_diff", "Diff", show=False, tooltip="Show or hide the word diff."),
        Binding("f4", "review", "Review", show=False, tooltip="Send the story to review."),
        Binding(
            "f5", "approve", "Approve", show=False, tooltip="Approve the story (QA gate applies)."
        ),
        Binding(
            "f9", "publish", "Publish", show=False, tooltip="Publish the story (QA gate applies)."
        ),
        Binding(
            "f8",
            "export",
            "Export",
            show=False,
            tooltip="Export Markdown with the config's profile and folder.",
        ),
        Binding(
            "f12",
            "correct",
            "Correct",
            show=False,
            tooltip="Start a correction of a published story.",
        ),
        Binding(
            "ctrl+l",
            "history",
            "History",
            show=False,
            tooltip="The story's revisions, diffs and stats.",
        ),
        Binding(
            "ctrl+o",
            "segment_history",
            "Seg history",
            show=False,
            tooltip="The revisions of this segment only.",
        ),
        Binding(
            "f11,ctrl+b",
            "glossary",
            "Glossary",
            show=False,
            tooltip="The glossary entries of this story; add the selected English to it.",
        ),
        Binding(
            "ctrl+right_square_bracket",
            "redraft",
            "Redraft",
            show=False,
            tooltip="Draft this segment again with the desk's engine (replaces its English).",
        ),
        Binding(
            "ctrl+backslash",
            "redraft_story",
            "Redraft story",
            show=False,
            tooltip="Draft every segment nobody has edited or confirmed again, row by row.",
        ),
        Binding(
            "shift+f11",
            "insert_match",
            "Insert match",
            show=False,
            priority=True,  # before the English box, as Shift+F<N> are
            tooltip="Put the memory's match marked ▶ into the English (a `tm` revision).",
        ),
        Binding(
            "ctrl+shift+down",
            "next_match",
            "Next match",
            show=False,
            tooltip="Mark the memory's next match (the one Shift+F11 inserts).",
        ),
        Binding(
            "ctrl+shift+up",
            "previous_match",
            "Prev match",
            show=False,
            tooltip="Mark the memory's previous match.",
        ),
        Binding(
            "shift+f12",
            "concordance",
            "Concordance",
            show=False,
            priority=True,
            tooltip="Search the whole memory for a word or phrase (the English selected).",
        ),
        Binding(
            "ctrl+underscore",
            "undo_saved",
            "Undo save",
            show=False,
            tooltip="Put back the English before this segment's last saved change (Ctrl+/).",
        ),
    ]
)
