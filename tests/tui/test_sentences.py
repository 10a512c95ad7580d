"""The English box's sentences: where its sentence keys move and what they delete."""

from __future__ import annotations

import pytest

from desk.tui.sentences import (
    kill_backward,
    kill_forward,
    sentence_end,
    sentence_spans,
    sentence_start,
)


def sentences(text: str) -> list[str]:
    """The sentences of `text` as strings."""
    return [text[start:end] for start, end in sentence_spans(text)]


def at(text: str, marker: str = "|") -> tuple[str, int]:
    """`text` without its cursor marker, and the cursor's offset."""
    return text.replace(marker, ""), text.index(marker)


def test_full_stops_question_and_exclamation_marks_end_sentences() -> None:
    """Each mark followed by a space ends one; the space between is no sentence's."""
    assert sentences("Six died. Why? Nobody knows!  Then calm.") == [
        "Six died.", "Why?", "Nobody knows!", "Then calm.",
    ]  # fmt: skip


def test_closing_quotes_and_brackets_stay_with_their_sentence() -> None:
    """`said." Then` ends after the quote; a quote the next word is lower-case after does not."""
    assert sentences('"We will stay," he said. "It is ours." Then he left (for good.) Done.') == [
        '"We will stay," he said.', '"It is ours."', "Then he left (for good.)", "Done.",
    ]  # fmt: skip
    assert sentences('"Why?" he asked. Nobody knew.') == ['"Why?" he asked.', "Nobody knew."]
    assert sentences("They said “no.” Talks ended.") == ["They said “no.”", "Talks ended."]


@pytest.mark.parametrize(
    "text",
    [
        "U.S. envoy James Jeffrey met the rebels.",
        "Mr. Jeffrey met Gen. Salim Idris and Dr. Ali on Jan. 5 in St. Simeon.",
        "The envoy arrived at 5 p.m. on Sunday.",
        "John F. Kennedy Airport closed.",
        "A 6.3 quake struck; the toll rose to 1.5 thousand.",
        "Route No. 4 was closed.",
        "Supplies, food etc. and water ran out.",
    ],
)
def test_abbreviations_initials_and_numbers_end_nothing(text: str) -> None:
    """A listed abbreviation, an initial, a dotted initialism or a decimal point keeps the
    sentence going, as does a stop the next word begins in lower case after."""
    assert sentences(text) == [text]
    assert sentences(f"{text} Nothing was agreed.") == [text, "Nothing was agreed."]


def test_a_number_may_begin_the_next_sentence() -> None:
    """Only a lower-case word is taken to continue the sentence."""
    assert sentences("It began in 2011. 25 people died.") == [
        "It began in 2011.",
        "25 people died.",
    ]


def test_a_line_break_ends_a_sentence() -> None:
    """A sentence never runs over a line break; unfinished text is a sentence too."""
    assert sentences("  Heading without a stop \nBody. more body") == [
        "Heading without a stop", "Body. more body",
    ]  # fmt: skip
    assert sentences("") == [] and sentences(" \n ") == []


def test_start_goes_to_the_sentence_start_then_the_text_start() -> None:
    """Ctrl+A from inside a sentence, from the space after it, and again at its start."""
    text, cursor = at("A said. B di|ed. C left.")
    assert sentence_start(text, cursor) == text.index("B")
    assert sentence_start(text, text.index("B")) == 0
    assert sentence_start(text, text.index(" C")) == text.index("B")
    assert sentence_start(text, 0) == 0
    assert sentence_start("  lead", 1) == 0


def test_end_goes_to_the_sentence_end_then_the_text_end() -> None:
    """Ctrl+E from inside a sentence, from the space before one, and again at its end."""
    text, cursor = at("A said. B di|ed. C left.  ")
    assert sentence_end(text, cursor) == text.index(" C")
    assert sentence_end(text, text.index(" C")) == len(text)
    assert sentence_end(text, text.index(" B") + 1) == text.index(" C")
    assert sentence_end(text, len(text)) == len(text)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("A said. |B died.", "A said. "),  # the last one: the space before it stays
        ("A said. |B died. C left.", "A said. C left."),  # the next moves up
        ("A said. B di|ed. C left.", "A said. B di C left."),  # mid-sentence: to its stop
        ("A said.| B died. C left.", "A said. C left."),  # from an end: the next one
        ("|A said. B died.", "B died."),
        ("A said. B died.|  ", "A said. B died."),  # nothing after: the trailing space
        ("A said.|", "A said."),
        ("|Mr. Smith met U.S. envoys. They left.", "They left."),
    ],
)
def test_kill_forward(before: str, after: str) -> None:
    """Ctrl+K deletes to the sentence's end, and from its start the space after it too."""
    text, cursor = at(before)
    start, end = kill_forward(text, cursor)
    assert start == cursor
    assert text[:start] + text[end:] == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("A said. B di|ed. C left.", "A said. ed. C left."),
        ("A said. |B died.", "B died."),  # from a start: the sentence before
        ("A said. B died.  |", "A said. "),
        ("A said. B died.|", "A said. "),
        ("|A said.", "A said."),
        ("  |A said.", "A said."),
        ("Gen. Idris met U.S. en|voys.", "voys."),
    ],
)
def test_kill_backward(before: str, after: str) -> None:
    """Ctrl+U deletes back to the sentence's start; from a start, the sentence before."""
    text, cursor = at(before)
    start, end = kill_backward(text, cursor)
    assert end == cursor
    assert text[:start] + text[end:] == after
