"""Invented names: a glossary name in the English whose Arabic form the segment lacks.

Engines trained on news add the names they saw most ("which led to Homs", "areas of
Afrin"). Each case below is an engine-style invention in a sentence whose Arabic names
no place (or another one); its control is the same English with the name in the Arabic,
which must not be flagged. `python -m tests.core.glossary.test_invented` prints the table.
"""

from __future__ import annotations

import functools

from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.findings import FindingKind
from desk.core.glossary.model import glossary_files, load_files
from tests.helpers.paths import GLOSSARIES

# (English with the invented name, the name, Arabic without it, Arabic with it)
CASES = [
    ("The shelling continued, which led to Homs being cut off.", "Homs",
     "واستمر القصف مما أدى إلى قطع الطرق.", "واستمر القصف مما أدى إلى حصار حمص."),
    ("Aircraft struck areas of Afrin on Friday.", "Afrin",
     "قصفت الطائرات مناطق عدة يوم الجمعة.", "قصفت الطائرات مناطق في عفرين يوم الجمعة."),
    ("Families fled towards Idleb at dawn.", "Idleb",
     "نزحت العائلات نحو الشمال فجرا.", "نزحت العائلات نحو إدلب فجرا."),
    ("Fighting broke out near Aleppo again.", "Aleppo",
     "اندلعت الاشتباكات مجددا قرب المدينة.", "اندلعت الاشتباكات مجددا قرب حلب."),
    ("Activists in Douma said the raids killed six.", "Douma",
     "قال ناشطون إن الغارات قتلت ستة.", "قال ناشطون في دوما إن الغارات قتلت ستة."),
    ("The convoy reached Raqqa in the evening.", "Raqqa",
     "وصلت القافلة مساء.", "وصلت القافلة إلى الرقة مساء."),
    ("Regime forces shelled Daraa countryside.", "Daraa",
     "قصفت قوات النظام الريف.", "قصفت قوات النظام ريف درعا."),
    ("Water ran out in Hassakeh last week.", "Hassakeh",
     "انقطعت المياه الأسبوع الماضي.", "انقطعت المياه في الحسكة الأسبوع الماضي."),
    ("Protesters gathered in Suwayda on Sunday.", "Suwayda",
     "تجمع المحتجون يوم الأحد.", "تجمع المحتجون في السويداء يوم الأحد."),
    ("The fighters withdrew to Palmyra overnight.", "Palmyra",
     "انسحب المقاتلون ليلا.", "انسحب المقاتلون إلى تدمر ليلا."),
    ("Clashes erupted on the outskirts of Manbij.", "Manbij",
     "اندلعت اشتباكات في الأطراف.", "اندلعت اشتباكات في أطراف منبج."),
    ("Aid entered Madaya for the first time in months.", "Madaya",
     "دخلت المساعدات لأول مرة منذ أشهر.", "دخلت المساعدات إلى مضايا لأول مرة منذ أشهر."),
    ("The road to Jarablus was closed.", "Jarablus",
     "أغلقت الطريق.", "أغلقت الطريق إلى جرابلس."),
    ("Shops in Saraqib opened on Monday.", "Saraqib",
     "فتحت المحال أبوابها يوم الاثنين.", "فتحت المحال في سراقب أبوابها يوم الاثنين."),
    ("Displaced families arrived from Khan Sheikhoun.", "Khan Sheikhoun",
     "وصلت عائلات نازحة.", "وصلت عائلات نازحة من خان شيخون."),
    ("A car bomb exploded in Qamishli.", "Qamishli",
     "انفجرت سيارة مفخخة.", "انفجرت سيارة مفخخة في القامشلي."),
    ("Residents of Zabadani said food was scarce.", "Zabadani",
     "قال السكان إن الغذاء شحيح.", "قال سكان الزبداني إن الغذاء شحيح."),
    ("The checkpoint at Azaz was reopened.", "Azaz",
     "أعيد فتح الحاجز.", "أعيد فتح حاجز أعزاز."),
    ("Shells fell on Harasta overnight.", "Harasta",
     "سقطت قذائف ليلا.", "سقطت قذائف على حرستا ليلا."),
    ("The bridge in Deir Ezzor was destroyed.", "Deir Ezzor",
     "دمر الجسر.", "دمر الجسر في دير الزور."),
    ("Students in Tartous sat their exams.", "Tartous",
     "قدم الطلاب امتحاناتهم.", "قدم الطلاب في طرطوس امتحاناتهم."),
    ("Farmers around Hama lost their harvest.", "Hama",
     "خسر المزارعون محصولهم.", "خسر المزارعون حول حماة محصولهم."),
    ("The battle for Jobar entered its third week.", "Jobar",
     "دخلت المعركة أسبوعها الثالث.", "دخلت معركة جوبر أسبوعها الثالث."),
    ("Kurdish forces advanced on Tel Abyad.", "Tel Abyad",
     "تقدمت القوات الكردية.", "تقدمت القوات الكردية نحو تل أبيض."),
    ("Rockets hit the centre of Lattakia.", "Lattakia",
     "سقطت صواريخ في وسط المدينة.", "سقطت صواريخ في وسط اللاذقية."),
]  # fmt: skip


@functools.cache
def enforcer() -> Enforcer:
    """The house glossary's enforcer."""
    return Enforcer(load_files(glossary_files(GLOSSARIES)))


def invented(english: str, arabic: str) -> list[str]:
    """The names flagged as invented in `english` against `arabic`."""
    return [f.found for f in enforcer().check(english, arabic) if f.kind == FindingKind.INVENTED]


def table() -> tuple[int, int, int]:
    """(cases, inventions found, false findings on the controls)."""
    found = sum(name in invented(english, without) for english, name, without, _ in CASES)
    false = sum(bool(invented(english, with_)) for english, _, _, with_ in CASES)
    return len(CASES), found, false


def test_engine_style_inventions_are_found_and_named_places_are_not() -> None:
    """Every invention in the set is an `invented` finding; no control is."""
    cases, found, false = table()
    assert cases >= 20
    assert found == cases, [c[0] for c in CASES if c[1] not in invented(c[0], c[2])]
    assert false == 0, [c[0] for c in CASES if invented(c[0], c[3])]


def test_no_invented_finding_without_the_arabic() -> None:
    """A file checked without its Arabic cannot tell an invention: no finding."""
    assert invented(CASES[0][0], "") == []


if __name__ == "__main__":
    n, hit, fp = table()
    print(f"invented names: {hit}/{n} found ({hit / n:.0%}); false on controls: {fp}/{n}")
