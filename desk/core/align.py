"""Line an English draft made elsewhere up with the Arabic source it translates."""

from __future__ import annotations

from dataclasses import dataclass

from desk.core.gale_church import Bead, align_lengths
from desk.core.segment import Block
from desk.core.story import Role


class AlignmentError(ValueError):
    """The draft cannot be aligned to the source; the message says where."""


@dataclass(frozen=True)
class Aligned:
    """English for each source sentence of one paragraph, with notes on non one-to-one matches."""

    texts: list[str]
    """One entry per source sentence ('' where it got none)."""
    notes: list[str]
    """Human-readable notes, one per match that is not one-to-one."""


# Extra cost for a bead mixing roles, so the paragraph DP prefers headline with
# headline and subheading with subheading.
_ROLE_PENALTY = 6.0

_ROLE_NAMES = {
    Role.HEADLINE: "a headline",
    Role.SUBHEADING: "a subheading",
    Role.BODY: "a body paragraph",
}


def _plural(count: int, word: str) -> str:
    """ "1 paragraph", "3 paragraphs"."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _where(source: list[Block], draft: list[Block], i: int, j: int, bead: Bead) -> str:
    """Describe one non 1-1 bead (or a role clash) with both files' line numbers."""

    def near(blocks: list[Block], k: int, side: str) -> str:
        if not blocks:
            return f"the {side} is empty"
        return f"near {side} line {blocks[min(k, len(blocks) - 1)].line}"

    if bead == (1, 0):
        s = source[i]
        return (
            f"source paragraph {i + 1} (line {s.line}) has no counterpart in the draft "
            f"({near(draft, j, 'draft')})"
        )
    if bead == (0, 1):
        d = draft[j]
        return (
            f"draft paragraph {j + 1} (line {d.line}) has no counterpart in the source "
            f"({near(source, i, 'source')})"
        )
    if bead == (2, 1):
        return (
            f"source paragraphs {i + 1}-{i + 2} (lines {source[i].line} and "
            f"{source[i + 1].line}) are one paragraph in the draft (line {draft[j].line})"
        )
    if bead == (1, 2):
        return (
            f"source paragraph {i + 1} (line {source[i].line}) is two paragraphs in the draft "
            f"(lines {draft[j].line} and {draft[j + 1].line})"
        )
    s, d = source[i], draft[j]
    return (
        f"roles differ: source line {s.line} is {_ROLE_NAMES[s.role]}, "
        f"draft line {d.line} is {_ROLE_NAMES[d.role]}"
    )


def align_paragraphs(
    source: list[Block], draft: list[Block], draft_name: str = "draft"
) -> list[tuple[Block, Block]]:
    """Pair source and draft blocks one to one, or say where the draft departs from the source."""
    if len(source) == len(draft) and all(
        s.role == d.role for s, d in zip(source, draft, strict=True)
    ):
        return list(zip(source, draft, strict=True))

    def role_cost(i: int, j: int, bead: Bead) -> float:
        # A bead whose blocks do not all share one role pairs, say, a subheading with
        # a body paragraph: possible, but only when nothing else fits.
        roles = {b.role for b in source[i : i + bead[0]]} | {b.role for b in draft[j : j + bead[1]]}
        return _ROLE_PENALTY if len(roles) > 1 else 0.0

    steps = align_lengths([len(b.text) for b in source], [len(b.text) for b in draft], role_cost)
    # The first step that is not a clean pairing is where the draft goes wrong.
    i, j, bead = next(
        (i, j, bead) for i, j, bead in steps if bead != (1, 1) or source[i].role != draft[j].role
    )
    if len(source) != len(draft):
        head = f"{draft_name} has {_plural(len(draft), 'paragraph')}, the source has {len(source)}"
    else:
        head = f"{draft_name} does not line up with the source"
    raise AlignmentError(f"{head}: {_where(source, draft, i, j, bead)}")


def _join(*parts: str) -> str:
    """Join non-empty texts with single spaces."""
    return " ".join(p for p in parts if p)


def align_sentences(source: list[str], draft: list[str]) -> Aligned:
    """Give each source sentence of a paragraph its English from the draft's sentences."""
    if len(source) == len(draft):
        return Aligned(list(draft), [])
    if not source:
        # There is nowhere to put the English, and none of it may be lost.
        raise AlignmentError(
            f"the source paragraph has no sentences but the draft has {len(draft)}"
        )

    steps = align_lengths([len(s) for s in source], [len(d) for d in draft])
    texts = [""] * len(source)
    notes: list[str] = []
    # English with no source sentence before it waits for the next source sentence.
    pending = ""
    for i, j, bead in steps:
        if bead == (0, 1):
            if i == 0:
                pending = _join(pending, draft[j])
                notes.append(
                    f"draft sentence {j + 1} has no source sentence; it went to sentence 1"
                )
            else:
                texts[i - 1] = _join(texts[i - 1], draft[j])
                notes.append(
                    f"draft sentence {j + 1} has no source sentence; it went to sentence {i}"
                )
            continue
        if bead == (1, 1):
            english = draft[j]
        elif bead == (1, 2):
            english = _join(draft[j], draft[j + 1])
            notes.append(
                f"source sentence {i + 1} matches draft sentences {j + 1}-{j + 2}; they were joined"
            )
        elif bead == (2, 1):
            english = draft[j]
            notes.append(
                f"source sentences {i + 1}-{i + 2} share one draft sentence; "
                f"it went to sentence {i + 1}"
            )
        else:
            english = ""
            notes.append(f"source sentence {i + 1} has no draft sentence")
        texts[i] = _join(pending, english)
        pending = ""
    return Aligned(texts, notes)
