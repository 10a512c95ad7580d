"""Rebindable keys: every binding gets an id (its action) that `[tui.keys]` can remap."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from textual.binding import Binding, BindingType


def keyed(bindings: list[BindingType]) -> list[BindingType]:
    """`bindings` with each Binding's id set to its action name (when it has none).

    Textual's keymap (`App.set_keymap`) replaces the keys of bindings by id, so the
    config's `[tui.keys] confirm_next = "ctrl+s"` rebinds the binding of `confirm_next`.
    """
    return [
        dataclasses.replace(b, id=b.action) if isinstance(b, Binding) and not b.id else b
        for b in bindings
    ]


def keys_of(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys `binding` answers to: the keymap's choice for its id, else its own."""
    chosen = keymap.get(binding.id) if binding.id else None
    return [key.strip() for key in (chosen or binding.key).split(",") if key.strip()]
