"""Glossary lint: clashes between entries, duplicates, empty and risky fields."""

from __future__ import annotations

from desk.core.glossary.lint import (
    COMMON_WORD,
    DUPLICATE_ARABIC,
    DUPLICATE_CANONICAL,
    NO_ARABIC,
    NOT_ARABIC,
    SHORT_VARIANT,
    SPACES,
    VARIANT_IS_CANONICAL,
    VARIANT_IS_OTHER_CANONICAL,
    VARIANT_REPEATED,
    VARIANT_SHARED,
    LintProblem,
    lint,
)
from desk.core.glossary.model import Entry, Kind, from_entries, parse_file


def codes(problems: list[LintProblem]) -> list[tuple[str, str]]:
    """(entry id, code) of each problem."""
    return [(p.entry_id, p.code) for p in problems]


def test_clean_glossary_has_no_problems() -> None:
    """Entries as the house writes them pass."""
    glossary = from_entries(
        [
            Entry("lattakia", "Lattakia", ("اللاذقية",), ("Latakia", "Latakiya"), Kind.PLACE),
            Entry("hassakeh", "Hassakeh", ("الحسكة",), ("Hasakah", "al-Hasakah"), Kind.PLACE),
            Entry("abu-humam", "Abu Humam al-Shami", ("أبو همام الشامي",), (), Kind.PERSON),
        ]
    )
    assert lint(glossary) == []


def test_variant_that_is_another_entrys_canonical() -> None:
    """Enforcing it would rename the other entry's name; reported on the entry that lists it."""
    glossary = from_entries(
        [
            Entry("tel-tamer", "Tel Tamer", ("تل تمر",), ("Tal Tamr",)),
            Entry("tel-nasri", "Tel Nasri", ("تل نصري",), ("Tal Nasri", "Tel Tamer")),
        ]
    )
    problems = lint(glossary)
    assert codes(problems) == [("tel-nasri", VARIANT_IS_OTHER_CANONICAL)]
    assert "'Tel Tamer'" in problems[0].message and "tel-tamer" in problems[0].message
    assert problems[0].where == "<glossary> (entry tel-nasri)"


def test_variant_equal_to_its_canonical() -> None:
    """Listing the canonical as its own variant is a slip; another article case is not."""
    glossary = from_entries(
        [
            Entry("hol", "al-Hol camp", ("مخيم الهول",), ("al-Hol camp", "al-Hawl camp")),
            Entry(
                "ypg",
                "People's Protection Units",
                ("وحدات حماية الشعب",),
                ("People’s Protection Units",),
            ),
            Entry("nusra", "Nusra Front", ("جبهة النصرة",), ("al-Nusra Front", "Al-Nusra Front")),
        ]
    )
    assert codes(lint(glossary)) == [("hol", VARIANT_IS_CANONICAL)]


def test_variant_of_another_entry_in_other_article_case() -> None:
    """Matching ignores the article's case, so 'Al-Hol camp' would still rename the other entry."""
    glossary = from_entries(
        [
            Entry("hol", "al-Hol camp", ("مخيم الهول",), ()),
            Entry("hol-town", "al-Hol", ("الهول",), ("Al-Hol camp",)),
        ]
    )
    assert codes(lint(glossary)) == [("hol-town", VARIANT_IS_OTHER_CANONICAL)]


def test_duplicates_across_entries_name_the_first_one() -> None:
    """Duplicate canonical (any case), shared variant and shared Arabic form after normalisation."""
    glossary = from_entries(
        [
            Entry("idleb", "Idleb", ("إدلب",), ("Idlib",)),
            Entry("idleb-city", "IDLEB", ("مدينة إدلب",), ()),
            Entry("idleb-gov", "Idleb governorate", ("ادلب",), ("Idlib",)),
        ]
    )
    problems = lint(glossary)
    assert codes(problems) == [
        ("idleb-city", DUPLICATE_CANONICAL),
        ("idleb-gov", VARIANT_SHARED),
        ("idleb-gov", DUPLICATE_ARABIC),
    ]
    assert all("entry idleb)" in p.message for p in problems)


def test_empty_or_non_arabic_forms() -> None:
    """No Arabic form at all, or a form typed in Latin letters."""
    glossary = from_entries(
        [
            Entry("unhcr", "UNHCR", (), ()),
            Entry("douma", "Douma", ("Douma",), ("Duma",)),
        ]
    )
    assert codes(lint(glossary)) == [("unhcr", NO_ARABIC), ("douma", NOT_ARABIC)]


def test_risky_variants() -> None:
    """A common word or a variant under four letters would replace ordinary text."""
    glossary = from_entries(
        [
            Entry("al-bab", "al-Bab", ("الباب",), ("Bab", "Al-Baab")),
            Entry("front", "Nusra Front", ("جبهة النصرة",), ("Front", "Nusra", "Nusra")),
        ]
    )
    assert codes(lint(glossary)) == [
        ("al-bab", SHORT_VARIANT),
        ("front", COMMON_WORD),
        ("front", VARIANT_REPEATED),
    ]


def test_spacing_problems() -> None:
    """Leading, trailing and doubled spaces in names made in code (files strip the ends)."""
    glossary = from_entries(
        [
            Entry("ras-al-ain", "Ras  al-Ain", ("رأس العين",), ("Ras al-Ayn ",)),
        ]
    )
    problems = lint(glossary)
    assert codes(problems) == [("ras-al-ain", SPACES), ("ras-al-ain", SPACES)]
    assert "'Ras  al-Ain'" in problems[0].message and "'Ras al-Ayn '" in problems[1].message


def test_problems_point_at_the_file_and_line() -> None:
    """Entries read from a file are reported as file:line (entry id)."""
    text = (
        "[hama]\n"
        'canonical = "Hama"\n'
        'arabic = ["حماة"]\n'
        "\n"
        "[hamah]\n"
        'canonical = "Hamah"\n'
        'arabic = ["حماه"]\n'
        'variants = ["Hama"]\n'
    )
    glossary = from_entries(parse_file(text, "glossaries/places.toml"))
    problems = lint(glossary)
    assert codes(problems) == [("hamah", VARIANT_IS_OTHER_CANONICAL), ("hamah", DUPLICATE_ARABIC)]
    assert problems[0].where == "glossaries/places.toml:5 (entry hamah)"
    assert "glossaries/places.toml:1 (entry hama)" in problems[1].message
