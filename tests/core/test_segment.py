"""Tests for cutting documents into blocks and paragraphs into sentences."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.core.segment import Block, parse_document, split_sentences
from desk.core.story import Role

# --- split_sentences: Arabic -------------------------------------------------------------

ARABIC_CASES: list[tuple[str, list[str]]] = [
    # The Arabic comma never ends a sentence.
    (
        "قال المرصد السوري لحقوق الإنسان، ومقره لندن، إن طائرات حربية شنت غارات على ريف إدلب "
        "الجنوبي، ما أدى إلى مقتل أربعة مدنيين.",
        [
            "قال المرصد السوري لحقوق الإنسان، ومقره لندن، إن طائرات حربية شنت غارات على ريف "
            "إدلب الجنوبي، ما أدى إلى مقتل أربعة مدنيين."
        ],
    ),
    # A full stop does.
    (
        "قُتل ثلاثة عناصر من قوات النظام في اشتباكات بجبل الأكراد. "
        "وأفاد ناشطون بسقوط قذائف على بلدة سلمى.",
        [
            "قُتل ثلاثة عناصر من قوات النظام في اشتباكات بجبل الأكراد.",
            "وأفاد ناشطون بسقوط قذائف على بلدة سلمى.",
        ],
    ),
    # The Arabic semicolon is a boundary in this project; the ASCII one is not.
    (
        "تواصلت الاشتباكات في جبل الأكراد بريف اللاذقية الشمالي؛ "
        "وسط قصف مدفعي مكثف على محاور القتال.",
        [
            "تواصلت الاشتباكات في جبل الأكراد بريف اللاذقية الشمالي؛",
            "وسط قصف مدفعي مكثف على محاور القتال.",
        ],
    ),
    (
        "نزحت عشرات العائلات من القرى الحدودية; وتوجه معظمها إلى مدينة الحسكة.",
        ["نزحت عشرات العائلات من القرى الحدودية; وتوجه معظمها إلى مدينة الحسكة."],
    ),
    # Question and exclamation marks, alone and combined.
    (
        "هل يتوقف القصف على ريف الحسكة؟ لا أحد يعرف! لكن الأهالي يواصلون النزوح.",
        ["هل يتوقف القصف على ريف الحسكة؟", "لا أحد يعرف!", "لكن الأهالي يواصلون النزوح."],
    ),
    (
        "أين المجتمع الدولي مما يجري في إدلب؟! تساءل ناشط من المدينة.",
        ["أين المجتمع الدولي مما يجري في إدلب؟!", "تساءل ناشط من المدينة."],
    ),
    # A quotation with inner full stops, closed and followed by the rest of its sentence.
    (
        "«قتل ستة مدنيين. ونطالب بتحرك عاجل» أضاف المتحدث. وغادر الوفد المدينة.",
        [
            "«قتل ستة مدنيين. ونطالب بتحرك عاجل» أضاف المتحدث.",
            "وغادر الوفد المدينة.",
        ],
    ),
    # A quotation ending in a full stop, followed by a new sentence.
    (
        "وقال مدير المرصد رامي عبد الرحمن: «الغارات استهدفت سوقاً شعبياً. معظم الضحايا من "
        "النساء والأطفال.» وأشار إلى أن عدد القتلى مرشح للارتفاع.",
        [
            "وقال مدير المرصد رامي عبد الرحمن: «الغارات استهدفت سوقاً شعبياً. معظم الضحايا من "
            "النساء والأطفال.»",
            "وأشار إلى أن عدد القتلى مرشح للارتفاع.",
        ],
    ),
    # ... but followed by an attribution verb it is still the same sentence.
    (
        "«لن نغادر أرضنا مهما اشتد القصف.» قال أحد الأهالي في ريف الحسكة.",
        ["«لن نغادر أرضنا مهما اشتد القصف.» قال أحد الأهالي في ريف الحسكة."],
    ),
    # The full stop after the closing guillemet.
    (
        "ونقل المرصد عن ناشط قوله: «القصف لم يتوقف منذ الفجر. الوضع كارثي». "
        "وأضاف أن فرق الإسعاف عاجزة عن الوصول.",
        [
            "ونقل المرصد عن ناشط قوله: «القصف لم يتوقف منذ الفجر. الوضع كارثي».",
            "وأضاف أن فرق الإسعاف عاجزة عن الوصول.",
        ],
    ),
    # Curly double quotes.
    (
        "ونقلت الوكالة عن مصدر عسكري قوله: “أحبطنا محاولة تسلل. وقتلنا عدداً من المسلحين” "
        "في ريف اللاذقية الشمالي.",
        [
            "ونقلت الوكالة عن مصدر عسكري قوله: “أحبطنا محاولة تسلل. وقتلنا عدداً من المسلحين” "
            "في ريف اللاذقية الشمالي."
        ],
    ),
    # Straight double quotes.
    (
        'ووصف ناشط محلي القصف بأنه "الأعنف منذ أشهر. لم نشهد مثله من قبل" بحسب المرصد. '
        "وتواصل فرق الدفاع المدني البحث عن ناجين.",
        [
            'ووصف ناشط محلي القصف بأنه "الأعنف منذ أشهر. لم نشهد مثله من قبل" بحسب المرصد.',
            "وتواصل فرق الدفاع المدني البحث عن ناجين.",
        ],
    ),
    # Nested quotation marks.
    (
        "وقال الناشط: «كتبوا على الجدار “ارحلوا. لا مكان لكم هنا.” ثم انسحبوا» من القرية.",
        ["وقال الناشط: «كتبوا على الجدار “ارحلوا. لا مكان لكم هنا.” ثم انسحبوا» من القرية."],
    ),
    # Arabic-Indic decimals (U+066B) and dotted dates.
    (
        "ارتفع سعر ربطة الخبز ٢٫٥ ضعف منذ ١٥.٥.٢٠١٥ في مدينة الحسكة. "
        "ويعاني السكان من شح المواد الأساسية.",
        [
            "ارتفع سعر ربطة الخبز ٢٫٥ ضعف منذ ١٥.٥.٢٠١٥ في مدينة الحسكة.",
            "ويعاني السكان من شح المواد الأساسية.",
        ],
    ),
    (
        "تبعد القرية ١٢.٥ كيلومتر عن خط الجبهة، و۱۲.۵ كيلومتر عن الحدود التركية.",
        ["تبعد القرية ١٢.٥ كيلومتر عن خط الجبهة، و۱۲.۵ كيلومتر عن الحدود التركية."],
    ),
    # Western decimals, percentages and dates.
    (
        "وثق المرصد نزوح 3.7% من سكان القرية منذ 16.5.2015 حتى اليوم. "
        "وبلغت الأضرار 2.5 ضعف ما سجل العام الماضي.",
        [
            "وثق المرصد نزوح 3.7% من سكان القرية منذ 16.5.2015 حتى اليوم.",
            "وبلغت الأضرار 2.5 ضعف ما سجل العام الماضي.",
        ],
    ),
    # A single Arabic letter with a dot is an abbreviation (doctor, engineer, professor).
    (
        "وقال د. أحمد الخطيب، مدير مشفى في إدلب، إن المشفى استقبل عشرات الجرحى.",
        ["وقال د. أحمد الخطيب، مدير مشفى في إدلب، إن المشفى استقبل عشرات الجرحى."],
    ),
    (
        "وأكد م. خالد حسن أن محطة المياه توقفت، فيما أشار أ.د. سامر علي إلى خطر الأوبئة.",
        ["وأكد م. خالد حسن أن محطة المياه توقفت، فيما أشار أ.د. سامر علي إلى خطر الأوبئة."],
    ),
    # Dots inside a URL or an email address; the full stop after one still counts.
    (
        "ونشر المرصد التقرير على موقعه www.syriahr.com/ar/report.html ويمكن مراسلته عبر "
        "info@syriahr.com. ولم يصدر تعليق رسمي.",
        [
            "ونشر المرصد التقرير على موقعه www.syriahr.com/ar/report.html ويمكن مراسلته عبر "
            "info@syriahr.com.",
            "ولم يصدر تعليق رسمي.",
        ],
    ),
    # An ellipsis is one boundary, whether three dots or one character.
    (
        "وقال أحد الناجين: لم يبق لنا شيء... كل البيوت دُمّرت.",
        ["وقال أحد الناجين: لم يبق لنا شيء...", "كل البيوت دُمّرت."],
    ),
    (
        "انتظرنا ساعات تحت الأنقاض… ثم وصلت فرق الإنقاذ.",
        ["انتظرنا ساعات تحت الأنقاض…", "ثم وصلت فرق الإنقاذ."],
    ),
    # "(...)" marking a cut in quoted text is not a boundary.
    (
        "وجاء في البيان أن الهجوم (...) استهدف مواقع مدنية في ريف حماة.",
        ["وجاء في البيان أن الهجوم (...) استهدف مواقع مدنية في ريف حماة."],
    ),
    # Every line break ends a sentence, punctuated or not.
    (
        "سقطت قذائف على حي غويران في الحسكة\nوأصيب ثلاثة مدنيين بجروح",
        ["سقطت قذائف على حي غويران في الحسكة", "وأصيب ثلاثة مدنيين بجروح"],
    ),
    # An unclosed quotation does not swallow the rest of the paragraph.
    (
        "وقال المتحدث باسم الدفاع المدني: «انتشلنا جثث خمسة مدنيين. "
        "ولا يزال آخرون تحت الأنقاض. وتواصل فرقنا العمل.",
        [
            "وقال المتحدث باسم الدفاع المدني: «انتشلنا جثث خمسة مدنيين.",
            "ولا يزال آخرون تحت الأنقاض.",
            "وتواصل فرقنا العمل.",
        ],
    ),
    # ... and a quotation never runs across a line break.
    (
        "«انتشلنا جثث خمسة مدنيين. ولا يزال آخرون\nتحت الأنقاض. وتواصل فرقنا العمل.»",
        [
            "«انتشلنا جثث خمسة مدنيين.",
            "ولا يزال آخرون",
            "تحت الأنقاض.",
            "وتواصل فرقنا العمل.»",
        ],
    ),
    # A closing bracket stays with the sentence it ends.
    (
        "(نفت مصادر محلية هذه الرواية.) وأكد المرصد صحة المعلومات.",
        ["(نفت مصادر محلية هذه الرواية.)", "وأكد المرصد صحة المعلومات."],
    ),
    # No final punctuation: the text is one sentence.
    (
        "  دخان كثيف فوق سوق معرة النعمان  ",
        ["دخان كثيف فوق سوق معرة النعمان"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), ARABIC_CASES)
def test_split_sentences_arabic(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "ar") == expected


# --- split_sentences: English ------------------------------------------------------------

ENGLISH_CASES: list[tuple[str, list[str]]] = [
    (
        "Six civilians were killed in Idleb. The Observatory said the toll could rise.",
        ["Six civilians were killed in Idleb.", "The Observatory said the toll could rise."],
    ),
    # Titles, initials and months take a dot but do not end a sentence.
    (
        "Dr. Ahmad al-Khatib met Gen. A. Hassan in Lattakia on Jan. 5. They discussed aid.",
        [
            "Dr. Ahmad al-Khatib met Gen. A. Hassan in Lattakia on Jan. 5.",
            "They discussed aid.",
        ],
    ),
    # Dotted acronyms stay inside their sentence.
    (
        "The U.S. envoy and the U.N. team, e.g. its medics, reached Hassakeh. Talks began.",
        [
            "The U.S. envoy and the U.N. team, e.g. its medics, reached Hassakeh.",
            "Talks began.",
        ],
    ),
    # "etc." ends a sentence before a capital, not before a lower-case word.
    (
        "They lacked bread, fuel, medicine etc. The siege went on.",
        ["They lacked bread, fuel, medicine etc.", "The siege went on."],
    ),
    (
        "Bread, fuel etc. were scarce in Hassakeh.",
        ["Bread, fuel etc. were scarce in Hassakeh."],
    ),
    # "No." before a number is a number sign.
    (
        "Checkpoint No. 4 was shelled. Nobody was hurt.",
        ["Checkpoint No. 4 was shelled.", "Nobody was hurt."],
    ),
    (
        "Prices rose 2.5 times since 16.5.2015, a 3.7% rise a month. Many left.",
        ["Prices rose 2.5 times since 16.5.2015, a 3.7% rise a month.", "Many left."],
    ),
    # A quotation followed by a lower-case attribution stays one sentence.
    (
        '"Is this justice?" he asked. "We will not leave," a resident said.',
        ['"Is this justice?" he asked.', '"We will not leave," a resident said.'],
    ),
    # ... followed by a capital it is a new one.
    (
        "“We will stay. This is our land.” The spokesman then left.",
        ["“We will stay. This is our land.”", "The spokesman then left."],
    ),
    # An English ellipsis before a lower-case word trails off mid-sentence.
    (
        "He said the shelling was... relentless. Then the line went dead.",
        ["He said the shelling was... relentless.", "Then the line went dead."],
    ),
    (
        "The report is at www.syriahr.com/en/report.html today. Read it.",
        ["The report is at www.syriahr.com/en/report.html today.", "Read it."],
    ),
    # A list number at the start of a line is not a sentence of its own.
    (
        "1. Shelling on Idleb.\n2. Clashes in Lattakia.",
        ["1. Shelling on Idleb.", "2. Clashes in Lattakia."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH_CASES)
def test_split_sentences_english(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


def _ink(text: str) -> str:
    """The text without any whitespace."""
    return "".join(text.split())


@pytest.mark.parametrize(
    ("text", "lang"),
    [(t, "ar") for t, _ in ARABIC_CASES] + [(t, "en") for t, _ in ENGLISH_CASES],
)
def test_split_sentences_loses_no_character(text: str, lang: str) -> None:
    sentences = split_sentences(text, lang)
    assert _ink("".join(sentences)) == _ink(text)
    assert all(s == s.strip() and s for s in sentences)


# Text built from the characters the splitter cares about, to shake out lost text.
_TRICKY = st.text(
    alphabet=st.sampled_from(list('دقتل مدنيين AbU.S .؟?!؛;…،,«»“”"()\n٢٫٥5.3%@/') + [" "] * 4),
    max_size=80,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(text=_TRICKY, lang=st.sampled_from(["ar", "en"]))
def test_split_sentences_never_loses_text(text: str, lang: str) -> None:
    sentences = split_sentences(text, lang)
    assert _ink("".join(sentences)) == _ink(text)
    assert all(s and s == s.strip() and "\n" not in s for s in sentences)


def test_split_sentences_arabic_titles_are_not_english_abbreviations() -> None:
    # In Arabic text "Dr." is not in the abbreviation list, but "د." is.
    assert split_sentences("وصل د. محمد إلى القامشلي. وبدأ العمل.") == [
        "وصل د. محمد إلى القامشلي.",
        "وبدأ العمل.",
    ]


def test_split_sentences_crlf_is_a_line_break() -> None:
    assert split_sentences("قصف على إدلب\r\nونزوح من القرى") == ["قصف على إدلب", "ونزوح من القرى"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", " \n \t "])
def test_split_sentences_empty(text: str) -> None:
    assert split_sentences(text) == []


def test_split_sentences_accepts_region_tag_and_rejects_unknown_language() -> None:
    assert split_sentences("Mr. Smith left. He returned.", "en-GB") == [
        "Mr. Smith left.",
        "He returned.",
    ]
    with pytest.raises(ValueError, match="unsupported language"):
        split_sentences("Bonjour.", "fr")


# --- parse_document ----------------------------------------------------------------------

MARKDOWN = """# مقتل ستة مدنيين بقصف على ريف إدلب

قال المرصد السوري لحقوق الإنسان إن ستة مدنيين قتلوا.
وأضاف أن بينهم طفلين.

## اشتباكات في جبل الأكراد ##

دارت اشتباكات عنيفة في ريف اللاذقية الشمالي.

### نزوح من ريف الحسكة
"""


def test_parse_markdown_headline_and_subheadings() -> None:
    assert parse_document(MARKDOWN) == [
        Block(Role.HEADLINE, "مقتل ستة مدنيين بقصف على ريف إدلب", 1),
        Block(
            Role.BODY,
            "قال المرصد السوري لحقوق الإنسان إن ستة مدنيين قتلوا.\nوأضاف أن بينهم طفلين.",
            3,
        ),
        Block(Role.SUBHEADING, "اشتباكات في جبل الأكراد", 6),
        Block(Role.BODY, "دارت اشتباكات عنيفة في ريف اللاذقية الشمالي.", 8),
        Block(Role.SUBHEADING, "نزوح من ريف الحسكة", 10),
    ]


def test_parse_first_line_offsets_line_numbers() -> None:
    blocks = parse_document(MARKDOWN, first_line=5)
    assert [b.line for b in blocks] == [5, 7, 10, 12, 14]


def test_parse_plain_text_first_line_is_headline() -> None:
    text = (
        "غارات على ريف إدلب\nقال المرصد إن الغارات استهدفت بلدة كفرنبل.\n\nوأفاد ناشطون بسقوط جرحى."
    )
    assert parse_document(text, first_line=3) == [
        Block(Role.HEADLINE, "غارات على ريف إدلب", 3),
        Block(Role.BODY, "قال المرصد إن الغارات استهدفت بلدة كفرنبل.", 4),
        Block(Role.BODY, "وأفاد ناشطون بسقوط جرحى.", 6),
    ]


def test_parse_plain_text_single_line_headline_block() -> None:
    blocks = parse_document("قصف على الحسكة\n\nقتل مدنيان.\n")
    assert [(b.role, b.text, b.line) for b in blocks] == [
        (Role.HEADLINE, "قصف على الحسكة", 1),
        (Role.BODY, "قتل مدنيان.", 3),
    ]


def test_parse_crlf_and_bom() -> None:
    text = "\ufeff# عنوان الخبر\r\n\r\nالفقرة الأولى\r\nتكملتها\r\n\r\n## عنوان فرعي\r\n"
    assert parse_document(text) == [
        Block(Role.HEADLINE, "عنوان الخبر", 1),
        Block(Role.BODY, "الفقرة الأولى\nتكملتها", 3),
        Block(Role.SUBHEADING, "عنوان فرعي", 6),
    ]


def test_parse_lone_carriage_returns() -> None:
    blocks = parse_document("عنوان\r\rفقرة")
    assert [(b.role, b.line) for b in blocks] == [(Role.HEADLINE, 1), (Role.BODY, 3)]


def test_parse_heading_lines_without_blank_lines() -> None:
    text = "# قصف على إدلب\n## الحصيلة\nقتل ستة مدنيين.\n## ردود الفعل\nندد ناشطون بالقصف."
    assert parse_document(text) == [
        Block(Role.HEADLINE, "قصف على إدلب", 1),
        Block(Role.SUBHEADING, "الحصيلة", 2),
        Block(Role.BODY, "قتل ستة مدنيين.", 3),
        Block(Role.SUBHEADING, "ردود الفعل", 4),
        Block(Role.BODY, "ندد ناشطون بالقصف.", 5),
    ]


def test_parse_only_first_hash_line_is_headline() -> None:
    blocks = parse_document("# الأول\n\nنص.\n\n# الثاني\n")
    assert [(b.role, b.text) for b in blocks] == [
        (Role.HEADLINE, "الأول"),
        (Role.BODY, "نص."),
        (Role.SUBHEADING, "الثاني"),
    ]


def test_parse_whitespace_only_lines_separate_blocks_and_lines_are_stripped() -> None:
    blocks = parse_document("# عنوان\n \t \n  سطر أول  \n  سطر ثان\n   \nفقرة")
    assert [(b.text, b.line) for b in blocks] == [
        ("عنوان", 1),
        ("سطر أول\nسطر ثان", 3),
        ("فقرة", 6),
    ]


def test_parse_hashtag_is_not_a_heading_and_nbsp_is_kept() -> None:
    blocks = parse_document("# عنوان\n\n#سوريا وسم\u00a0متداول")
    assert blocks[1] == Block(Role.BODY, "#سوريا وسم\u00a0متداول", 3)


def test_parse_leading_subheading_is_promoted_without_hash_headline() -> None:
    blocks = parse_document("## تقرير من القامشلي\n\nنص التقرير.")
    assert [(b.role, b.text) for b in blocks] == [
        (Role.HEADLINE, "تقرير من القامشلي"),
        (Role.BODY, "نص التقرير."),
    ]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(
    lines=st.lists(
        st.sampled_from(["", "  ", "# عنوان", "## فرعي", "### فرعي #", "نص الفقرة.", "#وسم"]),
        max_size=12,
    ),
    first_line=st.integers(min_value=1, max_value=40),
)
def test_parse_document_line_numbers_point_at_the_block(lines: list[str], first_line: int) -> None:
    blocks = parse_document("\n".join(lines), first_line)
    assert sum(b.role == Role.HEADLINE for b in blocks) == (1 if blocks else 0)
    for block in blocks:
        raw = lines[block.line - first_line]
        # The block's first line is the file line it names, less any heading marks.
        assert block.text.split("\n")[0] in raw
    assert [b.line for b in blocks] == sorted({b.line for b in blocks})


@pytest.mark.parametrize("text", ["", "\ufeff", "\n\n  \n", "\r\n"])
def test_parse_empty(text: str) -> None:
    assert parse_document(text) == []
