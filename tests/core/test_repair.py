"""Repair of near matches from the translation memory, with the house glossary: only
where the English is certain to say what the exchanged numbers and names say."""

from __future__ import annotations

import pytest

from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.model import load_folder
from desk.core.glossary.repair import repairer
from desk.core.tm.match import Unit
from desk.core.tm.text import key
from tests.helpers.paths import ROOT


@pytest.fixture(scope="module")
def house() -> Enforcer:
    """The house glossary as shipped."""
    return Enforcer(load_folder(ROOT / "glossaries"))


def repaired(house: Enforcer, unit_ar: str, unit_en: str, segment: str) -> str | None:
    """The unit's English repaired for `segment`, or None."""
    repair = repairer(house)
    assert repair is not None
    unit = Unit(id=1, source=unit_ar, target=unit_en, origin="x", key=key(unit_ar))
    done = repair(unit, segment)
    return None if done is None else done[0]


@pytest.mark.parametrize(
    ("unit_ar", "unit_en", "segment", "want"),
    [
        # Values that trade places are exchanged at once, not one after the other.
        (
            "قصفت قوات النظام حمص ثم حماة صباح اليوم",
            "Regime forces shelled Homs and then Hama this morning.",
            "قصفت قوات النظام حماة ثم حمص صباح اليوم",
            "Regime forces shelled Hama and then Homs this morning.",
        ),
        (
            "قتل 5 مدنيين وجرح 10 آخرون في القصف",
            "5 civilians were killed and 10 others wounded in the shelling.",
            "قتل 10 مدنيين وجرح 5 آخرون في القصف",
            "10 civilians were killed and 5 others wounded in the shelling.",
        ),
        (
            "وصل عدد القتلى إلى 12 بعد أن كان 8 صباحا",
            "The death toll reached 12, up from 8 in the morning.",
            "وصل عدد القتلى إلى 16 بعد أن كان 12 صباحا",
            "The death toll reached 16, up from 12 in the morning.",
        ),
        # Thousands written with a comma keep it; Arabic-Indic digits are numbers too.
        (
            "نزح 1200 شخص من اللاذقية خلال أسبوع",
            "1,200 people fled Lattakia within a week.",
            "نزح ١٥٠٠ شخص من إدلب خلال أسبوع",
            "1,500 people fled Idleb within a week.",
        ),
        # A listed variant with its article is one name: al-Raqqa, not al-Aleppo.
        (
            "الرقة شهدت اشتباكات عنيفة الليلة الماضية",
            "al-Raqqa saw fierce clashes last night.",
            "حلب شهدت اشتباكات عنيفة الليلة الماضية",
            "Aleppo saw fierce clashes last night.",
        ),
        # A digit the English also uses in an ordinal for another word: only the number.
        (
            "قتل 3 أشخاص بينهم طفلان في الغارة الثالثة",
            "3 people, including two children, were killed in the 3rd raid.",
            "قتل 4 أشخاص بينهم طفلان في الغارة الثالثة",
            "4 people, including two children, were killed in the 3rd raid.",
        ),
    ],
)
def test_repairs_that_are_certain(
    house: Enforcer, unit_ar: str, unit_en: str, segment: str, want: str
) -> None:
    assert repaired(house, unit_ar, unit_en, segment) == want


@pytest.mark.parametrize(
    ("unit_ar", "unit_en", "segment"),
    [
        # The number is only part of an ordinal in the English.
        (
            "احتفل السكان بالذكرى 21 لتأسيس المدينة",
            "Residents celebrated the 21st anniversary of the city's founding.",
            "احتفل السكان بالذكرى 22 لتأسيس المدينة",
        ),
        # A date the English writes in words: 3 is not in it.
        (
            "وقع الهجوم في 4/3/2015 على أطراف المدينة",
            "The attack took place on March 4, 2015 on the outskirts of the city.",
            "وقع الهجوم في 3/4/2015 على أطراف المدينة",
        ),
        # The name to change also sits inside another name the Arabic keeps.
        (
            "قالت مديرية صحة إدلب إن 7 أشخاص قتلوا في إدلب",
            "The Idleb Health Directorate said 7 people were killed in Idleb.",
            "قالت مديرية صحة إدلب إن 7 أشخاص قتلوا في حلب",
        ),
        # The English spells the name in a way the glossary does not list.
        (
            "قصف على ريف اللاذقية",
            "Shelling on the Latakiyya countryside.",
            "قصف على ريف إدلب",
        ),
        # More than numbers and names differ.
        (
            "قصف على ريف اللاذقية",
            "Shelling on the Lattakia countryside.",
            "غارات على ريف إدلب",
        ),
    ],
)
def test_no_repair_where_it_is_not_certain(
    house: Enforcer, unit_ar: str, unit_en: str, segment: str
) -> None:
    assert repaired(house, unit_ar, unit_en, segment) is None
