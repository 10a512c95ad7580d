"""The editor's keys: one list that names every key for the footer, the help and `[tui.keys]`.

Ctrl+arrows, Ctrl+letters and F-keys: a focused TextArea takes every printable key and
its own bindings (TextArea.BINDINGS: Ctrl+A/E/K/U/W/Z/Y..., F6, F7), but none of these;
a test checks that each reaches the screen with the editor focused. `keyed` gives each
binding its action as id, so the config's `[tui.keys]` rebinds them by action name.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from desk.tui.screens.keymap import keyed

EDITOR_BINDINGS: list[BindingType] = keyed(
    [
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
        Binding("ctrl+r", "revert", "Revert", tooltip="Put the machine draft back as the English."),
        Binding("ctrl+t", "toggle_diff", "Diff", tooltip="Show or hide the word diff."),
        Binding("f4", "review", "Review", tooltip="Send the story to review."),
        Binding("f5", "approve", "Approve", tooltip="Approve the story (QA gate applies)."),
        Binding("f9", "publish", "Publish", tooltip="Publish the story (QA gate applies)."),
        Binding(
            "f8",
            "export",
            "Export",
            tooltip="Export Markdown with the config's profile and folder.",
        ),
        Binding("f12", "correct", "Correct", tooltip="Start a correction of a published story."),
        Binding("ctrl+l", "history", "History", tooltip="The story's revisions, diffs and stats."),
        Binding(
            "ctrl+o",
            "segment_history",
            "Seg history",
            tooltip="The revisions of this segment only.",
        ),
        Binding(
            "f11,ctrl+b",
            "glossary",
            "Glossary",
            tooltip="The glossary entries of this story; add the selected English to it.",
        ),
        Binding("ctrl+f", "search", "Search", tooltip="Find English or Arabic text in the story."),
        Binding(
            "ctrl+right_square_bracket",
            "redraft",
            "Redraft",
            tooltip="Draft this segment again with the desk's engine (replaces its English).",
        ),
        Binding(
            "ctrl+backslash",
            "redraft_story",
            "Redraft story",
            tooltip="Draft every segment nobody has edited or confirmed again, row by row.",
        ),
        Binding(
            "ctrl+underscore",
            "undo_saved",
            "Undo save",
            tooltip="Put back the English before this segment's last saved change (Ctrl+/).",
        ),
        Binding("escape", "back", "Stories", tooltip="Save and go back to the story list."),
    ]
)
