"""Word-level diffs and post-edit distance over tokens that keep punctuation apart."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

# A word (letters, digits, inner apostrophes and hyphens, as in "al-Akrad" or "Lattakia's")
# or any single other non-space character, so "Idleb," diffs as "Idleb" + ",".
_TOKEN = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*|\S", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Split text into word and punctuation tokens."""
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class DiffOp:
    """One run of a word diff: `equal`, `insert`, `delete` or `replace`."""

    tag: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def word_diff(before: str, after: str) -> list[DiffOp]:
    """The word-level diff turning `before` into `after`."""
    a, b = tokenize(before), tokenize(after)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [
        DiffOp(tag, tuple(a[i1:i2]), tuple(b[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance between two token sequences (insert, delete, substitute)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, token_a in enumerate(a, 1):
        current = [i]
        for j, token_b in enumerate(b, 1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (token_a != token_b),
                )
            )
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class EditScore:
    """Post-edit figures for one text: edits, the edited text's length, and their ratio."""

    edits: int
    length: int

    @property
    def distance(self) -> float:
        """Edits per token of the edited text (HTER-like); 0 when both are empty."""
        if self.length == 0:
            return 0.0 if self.edits == 0 else 1.0
        return self.edits / self.length


def post_edit(before: str, after: str) -> EditScore:
    """Word-level edit distance from `before` to `after`, over the length of `after`."""
    b = tokenize(after)
    return EditScore(edits=edit_distance(tokenize(before), b), length=len(b))


def render_plain(ops: Sequence[DiffOp]) -> str:
    """A diff as text, deletions as [-...-] and insertions as {+...+}, like wdiff."""
    parts: list[str] = []
    for op in ops:
        if op.tag == "equal":
            parts.append(" ".join(op.before))
            continue
        if op.before:
            parts.append("[-" + " ".join(op.before) + "-]")
        if op.after:
            parts.append("{+" + " ".join(op.after) + "+}")
    return " ".join(parts)
