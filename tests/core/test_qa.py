"""The QA gate's checks on one story, without a glossary or a store."""

from __future__ import annotations

from desk.core import qa
from desk.core.story import Role, Segment, SegmentStatus, Story


def story(*pairs: tuple[str, str], drafts: tuple[str, ...] = ()) -> Story:
    """A story of confirmed segments with these (Arabic, English) pairs."""
    segments = [
        Segment(
            n=i,
            paragraph=i,
            role=Role.BODY,
            source=ar,
            text=en,
            draft=drafts[i - 1] if i <= len(drafts) else en,
            status=SegmentStatus.CONFIRMED,
        )
        for i, (ar, en) in enumerate(pairs, start=1)
    ]
    return Story(slug="s", headline_ar="", segments=segments)


def codes(problems: list[qa.Problem]) -> list[tuple[str, int]]:
    """(check, segment) of each item."""
    return [(p.code, p.segments[0]) for p in problems]


def test_a_clean_story_passes() -> None:
    """Numbers rendered, no Arabic, no repetition: the gate is open."""
    s = story(("قتل ٢٦ عنصرا في ٦.٣.٢٠١٥.", "At least 26 fighters were killed on 6 March 2015."))
    assert qa.gate(s) == []


def test_each_text_check_names_its_segment() -> None:
    """Untranslated, Arabic left, a missing number, a repeated phrase, a duplicate."""
    s = story(
        ("وأغلقت المدارس.", "وأغلقت المدارس."),
        ("اشتباكات في سرمين.", "Clashes in سرمين."),
        ("قتل ٢٦ عنصرا.", "Dozens of fighters were killed."),
        ("غارة استهدفت السوق.", "A raid that targeted a raid that targeted the market."),
        ("تقدمت القوات نحو الجبل.", "Forces advanced towards the mountain."),
        ("وتقدمت القوات مجددا.", "Forces advanced towards the mountain."),
    )
    assert codes(qa.gate(s)) == [
        ("untranslated", 1), ("arabic", 2), ("number", 3), ("repeated", 4), ("duplicate", 6),
    ]  # fmt: skip
    assert "segment 5" in str(qa.gate(s)[-1])


def test_repeated_phrases() -> None:
    """The MT stutter is found; English's own doubles and a repeat across a full stop not."""
    assert qa.repeated_phrases("in a raid that targeted a raid that targeted a meeting") == [
        "a raid that targeted"
    ]
    assert qa.repeated_phrases("the the town") == ["the"]
    assert qa.repeated_phrases("What it is is clear, and he had had enough.") == []
    assert qa.repeated_phrases("They left Homs. Homs was empty.") == []


def test_an_editors_dismissal_closes_one_item_only() -> None:
    """A dismissed key lets its item through; the others and unconfirmed ones stay."""
    s = story(("قتل ٢٦ عنصرا.", "Dozens were killed."), ("قتل ٥ مدنيين.", "Civilians died."))
    s.segments[1].status = SegmentStatus.EDITED
    items = qa.gate(s)
    assert [p.code for p in items] == ["unconfirmed", "number", "number"]
    number_1 = items[1]
    left = qa.gate(s, dismissed={number_1.key})
    assert [str(p) for p in left] == [str(items[0]), str(items[2])]
    # Unconfirmed segments cannot be dismissed.
    assert qa.gate(s, dismissed={items[0].key})[0] == items[0]


def test_describe_groups_items_by_check() -> None:
    """One line for a refusal: each check once, with its segments."""
    s = story(("قتل ٢٦.", "Killed."), ("قتل ٥.", "Died."), ("هنا.", "Here here."))
    assert qa.describe(qa.gate(s)) == (
        "numbers missing or changed in segments 1-2; repeated words in segment 3"
    )


def test_dismissal_notes_round_trip() -> None:
    """A dismissal's note gives back its key and reason; another note gives nothing."""
    item = qa.gate(story(("قتل ٢٦.", "Killed.")))[0]
    note = qa.dismissal_note(item, "The figure is in the headline.")
    assert qa.dismissed_key(note) == item.key
    assert qa.dismissal_reason(note) == "The figure is in the headline."
    assert qa.dismissed_key("not json") == "" and qa.dismissal_reason("[1]") == ""


def test_a_hidden_character_inside_a_name_is_an_item() -> None:
    """A zero-width space, a soft hyphen or a control character can split a name so no
    check sees it: each is an item of its own."""
    for char in ("\u200b", "\u00ad", "\x1b"):
        s = story(("قصف على الحسكة.", f"Shelling on Hass{char}akeh."))
        assert ("hidden", 1) in codes(qa.gate(s)), repr(char)


def test_a_dismissal_holds_for_the_text_it_was_made_on() -> None:
    """Rewrite the segment and a dismissed item of the same kind is open again."""
    s = story(("قتل ٢٦ عنصرا.", "Dozens were killed."))
    item = qa.gate(s)[0]
    assert qa.gate(s, dismissed={item.key}) == []
    s.segments[0].text = "Many were killed, activists said."
    assert [p.code for p in qa.gate(s, dismissed={item.key})] == ["number"]
