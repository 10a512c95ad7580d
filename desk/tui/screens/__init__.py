"""The workbench's screens and dialogs, one a module; the editor's parts that are not
widgets sit beside it (editor_keys, editor_messages, publishing, redraft)."""
