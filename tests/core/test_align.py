"""Tests for aligning an English draft with its Arabic source."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bench.align import full_table_align
from desk.core.align import Aligned, AlignmentError, align_paragraphs, align_sentences
from desk.core.gale_church import align_lengths
from desk.core.segment import Block, parse_document, split_sentences
from desk.core.story import Role

SOURCE = """# مقتل ستة مدنيين بقصف على ريف إدلب

قال المرصد السوري لحقوق الإنسان إن ستة مدنيين بينهم طفلان قتلوا اليوم الأحد جراء قصف مدفعي على قرية في ريف إدلب الجنوبي.

وأضاف المرصد أن القصف استهدف منازل المدنيين في ساعات الصباح الأولى، ما أدى أيضاً إلى إصابة عشرة آخرين بجروح متفاوتة.

## اشتباكات في جبل الأكراد

وفي ريف اللاذقية الشمالي، دارت اشتباكات عنيفة بين فصائل المعارضة وقوات النظام على محاور في جبل الأكراد.

وأفاد ناشطون بأن الطيران الحربي نفذ عدة غارات على المنطقة دون ورود معلومات عن خسائر بشرية.
"""

HEADLINE = "# Six civilians killed in shelling on Idleb countryside"
P1 = (
    "The Syrian Observatory for Human Rights said six civilians, including two children, "
    "were killed on Sunday by artillery shelling of a village in the southern Idleb countryside."
)
P2 = (
    "The Observatory added that the shelling targeted civilian homes in the early morning, "
    "also wounding ten others."
)
SUB = "## Clashes in al-Akrad mountain"
P3 = (
    "In the northern Lattakia countryside, violent clashes broke out between opposition "
    "factions and regime forces on several fronts in al-Akrad mountain."
)
P4 = (
    "Activists reported that warplanes carried out several raids on the area, "
    "with no information on casualties."
)


def _doc(*blocks: str) -> list[Block]:
    """Parse blocks written one per paragraph, separated by blank lines."""
    return parse_document("\n\n".join(blocks) + "\n")


# --- align_paragraphs --------------------------------------------------------------------


def test_paragraphs_equal_counts_pair_one_to_one() -> None:
    source = parse_document(SOURCE)
    draft = _doc(HEADLINE, P1, P2, SUB, P3, P4)
    pairs = align_paragraphs(source, draft)
    assert pairs == list(zip(source, draft, strict=True))
    assert [s.role for s, _ in pairs] == [
        Role.HEADLINE,
        Role.BODY,
        Role.BODY,
        Role.SUBHEADING,
        Role.BODY,
        Role.BODY,
    ]


def test_paragraphs_dropped_paragraph_is_named_with_both_line_numbers() -> None:
    draft = _doc(HEADLINE, P1, SUB, P3, P4)
    with pytest.raises(AlignmentError) as info:
        align_paragraphs(parse_document(SOURCE), draft, "draft.en.md")
    assert str(info.value) == (
        "draft.en.md has 5 paragraphs, the source has 6: source paragraph 3 (line 5) "
        "has no counterpart in the draft (near draft line 5)"
    )


def test_paragraphs_dropped_subheading() -> None:
    draft = _doc(HEADLINE, P1, P2, P3, P4)
    with pytest.raises(AlignmentError, match=r"source paragraph 4 \(line 7\) has no counterpart"):
        align_paragraphs(parse_document(SOURCE), draft, "draft.en.md")


def test_paragraphs_added_paragraph_in_draft() -> None:
    extra = "Local sources said the village had been emptied of most of its residents last year."
    draft = _doc(HEADLINE, P1, P2, SUB, P3, extra, P4)
    with pytest.raises(AlignmentError) as info:
        align_paragraphs(parse_document(SOURCE), draft, "story.en.txt")
    assert str(info.value) == (
        "story.en.txt has 7 paragraphs, the source has 6: draft paragraph 6 (line 11) "
        "has no counterpart in the source (near source line 11)"
    )


def test_paragraphs_merged_in_draft() -> None:
    draft = _doc(HEADLINE, P1 + " " + P2, SUB, P3, P4)
    with pytest.raises(AlignmentError) as info:
        align_paragraphs(parse_document(SOURCE), draft)
    assert str(info.value) == (
        "draft has 5 paragraphs, the source has 6: source paragraphs 2-3 (lines 3 and 5) "
        "are one paragraph in the draft (line 3)"
    )


def test_paragraphs_split_in_draft() -> None:
    first, second = P1.split(" by artillery")
    draft = _doc(HEADLINE, first + ".", "It was caused by artillery" + second, P2, SUB, P3, P4)
    with pytest.raises(
        AlignmentError, match=r"^draft has 7 paragraphs, the source has 6: "
    ) as info:
        align_paragraphs(parse_document(SOURCE), draft)
    assert str(info.value).endswith(
        "source paragraph 2 (line 3) is two paragraphs in the draft (lines 3 and 5)"
    )


def test_paragraphs_role_mismatch_with_equal_counts() -> None:
    draft = _doc(HEADLINE, P1, P2, SUB.removeprefix("## "), P3, P4)
    with pytest.raises(AlignmentError) as info:
        align_paragraphs(parse_document(SOURCE), draft, "draft.en.md")
    message = str(info.value)
    assert message == (
        "draft.en.md does not line up with the source: roles differ: "
        "source line 7 is a subheading, draft line 7 is a body paragraph"
    )
    assert "\n" not in message


def test_paragraphs_alignment_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="has 0 paragraphs, the source has 1"):
        align_paragraphs(_doc("# عنوان"), [], "empty.md")


def test_paragraphs_empty_on_both_sides() -> None:
    assert align_paragraphs([], []) == []


# --- align_sentences ---------------------------------------------------------------------

AR = split_sentences(
    "قال المرصد السوري إن ستة مدنيين قتلوا في قصف على ريف إدلب الجنوبي. "
    "وأضاف أن بين القتلى طفلين وامرأة. "
    "وتواصل فرق الدفاع المدني البحث عن ناجين تحت أنقاض المنازل المدمرة."
)
EN = [
    "The Syrian Observatory said six civilians were killed in shelling on southern Idleb.",
    "It added that two children and a woman were among the dead.",
    "Civil defence teams are still searching for survivors under the rubble of destroyed homes.",
]


def _ink(texts: list[str]) -> str:
    """All the non-space characters of `texts`, in order."""
    return "".join("".join(texts).split())


def test_sentences_equal_counts_are_one_to_one() -> None:
    assert len(AR) == 3
    assert align_sentences(AR, EN) == Aligned(EN, [])


def test_sentences_one_source_two_english() -> None:
    source = [
        AR[0],
        "وأضاف المرصد أن بين القتلى طفلين وامرأة، وأن فرق الإسعاف نقلت عشرة جرحى إلى مشفى "
        "ميداني في بلدة سراقب، بعضهم في حالة حرجة.",
        AR[2],
    ]
    split = [
        "It added that two children and a woman were among the dead.",
        "Ambulance crews took ten wounded people to a field hospital in the town of Saraqeb, "
        "some of them in a critical condition.",
    ]
    result = align_sentences(source, [EN[0], *split, EN[2]])
    assert result.texts == [EN[0], " ".join(split), EN[2]]
    assert result.notes == ["source sentence 2 matches draft sentences 2-3; they were joined"]


def test_sentences_two_source_one_english() -> None:
    merged = EN[0].removesuffix(".") + ", two children and a woman among them."
    result = align_sentences(AR, [merged, EN[2]])
    assert result.texts == [merged, "", EN[2]]
    assert result.notes == ["source sentences 1-2 share one draft sentence; it went to sentence 1"]


def test_sentences_source_with_no_english_gets_empty_text() -> None:
    long_ar = [
        AR[0],
        "وأوضح المرصد أن القصف جاء بعد ساعات من اشتباكات عنيفة شهدتها محاور جبل الأكراد "
        "في ريف اللاذقية الشمالي بين فصائل المعارضة وقوات النظام.",
        AR[2],
    ]
    result = align_sentences(long_ar, [EN[0], EN[2]])
    assert result.texts == [EN[0], "", EN[2]]
    assert result.notes == ["source sentence 2 has no draft sentence"]


def test_sentences_extra_english_goes_to_previous_sentence() -> None:
    extra = (
        "Reuters could not independently verify the report, and the regime did not comment "
        "on the shelling or on the toll given by the monitor."
    )
    result = align_sentences(AR[:2], [EN[0], EN[1], extra])
    assert result.texts == [EN[0], EN[1] + " " + extra]
    assert result.notes == ["draft sentence 3 has no source sentence; it went to sentence 2"]


def test_sentences_extra_english_at_start_goes_to_first_sentence() -> None:
    extra = (
        "Editor's note: this report was updated on Monday with new casualty figures from "
        "the monitor, with comment from local officials in the province and with a "
        "correction to the name of the village."
    )
    result = align_sentences(AR, [extra, *EN])
    assert result.texts == [extra + " " + EN[0], EN[1], EN[2]]
    assert result.notes == ["draft sentence 1 has no source sentence; it went to sentence 1"]


@pytest.mark.parametrize(
    "draft",
    [
        [EN[0], "It added that two children", "were among the dead,", "with a woman.", EN[2]],
        [EN[0] + " " + EN[1] + " " + EN[2]],
        [EN[0]],
        ["Breaking:", *EN, "More to follow.", "Updated at noon."],
        [],
    ],
)
def test_sentences_never_lose_english(draft: list[str]) -> None:
    result = align_sentences(AR, draft)
    assert len(result.texts) == len(AR)
    assert _ink(result.texts) == _ink(draft)
    assert len(result.notes) >= 1


def test_sentences_empty_source_with_english_is_an_error() -> None:
    with pytest.raises(AlignmentError, match="no sentences"):
        align_sentences([], ["Six civilians were killed."])
    assert align_sentences([], []) == Aligned([], [])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(
    source=st.lists(st.text("ابت ", min_size=1, max_size=120), min_size=1, max_size=8),
    draft=st.lists(st.text("abc ", min_size=1, max_size=140).map(str.strip), max_size=10),
)
def test_sentences_never_lose_english_for_any_lengths(source: list[str], draft: list[str]) -> None:
    result = align_sentences(source, draft)
    assert len(result.texts) == len(source)
    assert _ink(result.texts) == _ink(draft)
    assert (result.notes == []) == (len(source) == len(draft))


# --- the banded programme against the whole table ----------------------------------------

# Unit lengths as sentences and paragraphs have them (never empty).
LENGTHS = st.integers(min_value=1, max_value=400)
ROLES = st.sampled_from([Role.HEADLINE, Role.SUBHEADING, Role.BODY])


def _role_cost(
    source: list[Role], draft: list[Role]
) -> Callable[[int, int, tuple[int, int]], float]:
    """`align_paragraphs`'s extra cost for beads that mix roles."""

    def extra(i: int, j: int, bead: tuple[int, int]) -> float:
        roles = set(source[i : i + bead[0]]) | set(draft[j : j + bead[1]])
        return 6.0 if len(roles) > 1 else 0.0

    return extra


@settings(max_examples=150, deadline=None)
@given(
    source=st.lists(st.tuples(LENGTHS, ROLES), max_size=40),
    draft=st.lists(st.tuples(LENGTHS, ROLES), max_size=40),
    with_roles=st.booleans(),
)
def test_banded_alignment_equals_the_whole_table(
    source: list[tuple[int, Role]], draft: list[tuple[int, Role]], with_roles: bool
) -> None:
    """For any lengths (and roles), the banded programme finds the chain the whole table
    (the previous algorithm, kept in bench/align.py as the benchmark's baseline) finds."""
    assume(source or draft)
    src, dst = [n for n, _ in source], [n for n, _ in draft]
    extra = _role_cost([r for _, r in source], [r for _, r in draft]) if with_roles else None
    assert align_lengths(src, dst, extra) == full_table_align(src, dst, extra)


@st.composite
def translations(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    """Source lengths and a draft's: each unit about 1.15 times as long, some split in two,
    merged with the next, dropped, or followed by an addition."""
    src = draw(st.lists(st.integers(20, 300), min_size=1, max_size=60))
    dst: list[int] = []
    i = 0
    while i < len(src):
        english = round(src[i] * draw(st.floats(0.9, 1.4)))
        what = draw(st.sampled_from(["same"] * 6 + ["split", "merge", "drop", "add"]))
        if what == "split":
            dst += [english // 2 + 1, english - english // 2]
        elif what == "merge" and i + 1 < len(src):
            dst.append(english + round(src[i + 1] * 1.15))
            i += 1
        elif what == "add":
            dst += [english, draw(st.integers(20, 300))]
        elif what != "drop":
            dst.append(english)
        i += 1
    return src, dst


@settings(max_examples=100, deadline=None)
@given(pair=translations(), band=st.sampled_from([2, 4]))
def test_banded_alignment_follows_a_drifting_draft(
    pair: tuple[list[int], list[int]], band: int
) -> None:
    """A draft that drifts from the source's order (drops, additions, splits, merges) pulls
    a narrow band wider; the result is still the whole table's."""
    src, dst = pair
    assert align_lengths(src, dst, band=band) == full_table_align(src, dst)
