"""Word tokens, word diffs and post-edit distance."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.core.diffing import edit_distance, post_edit, render_plain, tokenize, word_diff


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (
            "Regime forces advanced in Latakia.",
            ["Regime", "forces", "advanced", "in", "Latakia", "."],
        ),
        ("Latakia's countryside", ["Latakia's", "countryside"]),
        ("al-Akrad mountain, Idleb", ["al-Akrad", "mountain", ",", "Idleb"]),
        ('"first line of defence"', ['"', "first", "line", "of", "defence", '"']),
        ("3.5 million (UN)", ["3.5", "million", "(", "UN", ")"]),
        ("قتل ستة مدنيين، بينهم طفلان.", ["قتل", "ستة", "مدنيين", "،", "بينهم", "طفلان", "."]),
        ("", []),
    ],
)
def test_tokenize_keeps_punctuation_apart(text: str, tokens: list[str]) -> None:
    """Words stay whole (possessives, hyphenated names, decimals); punctuation stands alone."""
    assert tokenize(text) == tokens


def test_edit_distance_counts_word_operations() -> None:
    """Levenshtein over tokens: substitutions, insertions and deletions cost one each."""
    assert edit_distance(["a", "b", "c"], ["a", "b", "c"]) == 0
    assert edit_distance(["a", "b", "c"], ["a", "x", "c"]) == 1
    assert edit_distance(["a", "b"], ["a", "b", "c", "d"]) == 2
    assert edit_distance([], ["a", "b"]) == 2
    assert edit_distance(["a", "b", "c"], []) == 3
    assert edit_distance(["k", "i", "t"], ["s", "i", "t", "s"]) == 2


def textbook_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """The Wagner-Fischer Levenshtein desk used before rapidfuzz: the reference."""
    previous = list(range(len(b) + 1))
    for i, token_a in enumerate(a, 1):
        current = [i]
        for j, token_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (token_a != token_b))
            )
        previous = current
    return previous[-1]


# Few distinct tokens, so random lists share many and the alignment has choices to make;
# one-character and longer tokens (rapidfuzz treats the two differently), Arabic included.
TOKENS = st.sampled_from(
    ["a", "b", "،", ".", "Lattakia", "Latakia", "al-Akrad", "Idleb", "قتل", "ستة", ""]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=40), st.lists(TOKENS, max_size=40))
def test_edit_distance_agrees_with_the_textbook_algorithm(a: list[str], b: list[str]) -> None:
    """rapidfuzz's Levenshtein over tokens gives what the Wagner-Fischer table gives, on
    lists and tuples alike, in both directions."""
    expected = textbook_distance(a, b)
    assert edit_distance(a, b) == expected
    assert edit_distance(tuple(b), tuple(a)) == expected


@given(st.lists(st.text(max_size=6), max_size=30), st.lists(st.text(max_size=6), max_size=30))
def test_edit_distance_agrees_on_any_tokens(a: list[str], b: list[str]) -> None:
    """Any text as tokens (empty ones, control characters, any script): the same."""
    assert edit_distance(a, b) == textbook_distance(a, b)


def test_post_edit_distance_is_over_the_edited_length() -> None:
    """HTER-like: word edits divided by the number of words in the edited text."""
    score = post_edit("The regime attacked Latakia .", "The regime attacked Lattakia .")
    assert (score.edits, score.length) == (1, 5)
    assert score.distance == pytest.approx(0.2)
    assert post_edit("same words", "same words").distance == 0.0
    assert post_edit("", "").distance == 0.0
    assert post_edit("something", "").distance == 1.0


def test_word_diff_and_plain_rendering() -> None:
    """The diff names replaced, inserted and deleted words; plain rendering marks them."""
    ops = word_diff("Clashes in Tal Tamr yesterday.", "Clashes in Tel Tamer.")
    assert [op.tag for op in ops] == ["equal", "replace", "equal"]
    assert render_plain(ops) == "Clashes in [-Tal Tamr yesterday-] {+Tel Tamer+}."
    assert render_plain(word_diff("Fighting in Idlib, Hama.", "Fighting in Idleb, Hama.")) == (
        "Fighting in [-Idlib-] {+Idleb+}, Hama."
    )
    assert render_plain(word_diff("Yesterday clashes erupted.", "Clashes erupted.")) == (
        "[-Yesterday clashes-] {+Clashes+} erupted."
    )
    assert render_plain(word_diff("old start here", "here")) == "[-old start-] here"
    inserted = word_diff("Shelling hit Douma.", "Shelling hit Douma again.")
    assert [(op.tag, op.after) for op in inserted if op.tag != "equal"] == [("insert", ("again",))]
