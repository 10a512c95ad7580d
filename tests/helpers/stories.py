"""Stories for the tests: a small Arabic one and its draft written here; the bundled samples."""

from __future__ import annotations

from pathlib import Path

from desk.app.home import Home
from desk.core.importer import ImportOptions
from tests.helpers.paths import SAMPLES

SMALL_AR = """\
---
slug: douma-raids
outlet: Enab Baladi
source_url: https://www.example.com/ar/2015/05/douma-raids
date: 2015-05-16
byline: فريق التحرير
keywords: [Douma, eastern Ghouta]
standfirst: Regime aircraft struck Douma in eastern Ghouta.
---

# غارات للنظام على دوما في الغوطة الشرقية

شنت طائرات النظام غارات على مدينة دوما. وقُتل ستة مدنيين على الأقل، بحسب ناشطين.

## نزوح من القرى

وقال المرصد السوري لحقوق الإنسان إن القصف استمر حتى المساء؛ ونزح عشرات الأهالي.
"""

SMALL_EN = """\
# Regime raids on Duma in Eastern Ghouta

Regime aircraft launched raids on the city of Duma. At least six civilians were killed, according to activists.

## Displacement from villages

The Syrian Observatory for Human Rights said the shelling continued until the evening; Dozens of residents were displaced.
"""


def write_small(folder: Path) -> tuple[Path, Path]:
    """Write the small story and its draft into `folder`; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    source, draft = folder / "douma.ar.md", folder / "douma.draft.en.md"
    source.write_text(SMALL_AR, encoding="utf-8")
    draft.write_text(SMALL_EN, encoding="utf-8")
    return source, draft


def import_sample(env: Home, slug: str) -> None:
    """Import a bundled sample with its pasted draft through the core (no model runs)."""
    env.desk.import_story(
        SAMPLES / f"{slug}.ar.md",
        ImportOptions(draft=SAMPLES / f"{slug}.draft.en.md"),
        author="importer",
    )


# One segment for each kind of finding, with the house glossary:
KINDS_AR = """\
# قصف على اللاذقية

قصفت الطائرات الحسكة يوم ٥ آذار.

وتقدمت القوات نحو جبل الأكراد.

أفادت جبهة الأصالة بوقوع اشتباكات.

وقال ناشطون إن الغارة استهدفت السوق.

ووصلت القوات إلى الساحل.

وشهدت المدينة اشتباكات عنيفة.

وأغلقت المدارس أبوابها.

وقال الأهالي إن الوضع هادئ.
"""

KINDS_EN = """\
# Shelling on Latakia

Aircraft shelled Hasakkeh on 7 March.

Forces advanced towards the mountain.

The Jabhat al-Assala reported clashes.

Activists said a raid that targeted a raid that targeted the market.

Forces reached Homs.

The city saw fierce clashes in سرمين.

وأغلقت المدارس أبوابها.

Residents said the city saw fierce clashes in Sarmin.
"""

KINDS_EXPECTED = {
    "glossary:variant": 1,  # Latakia, a listed variant
    "glossary:source": 2,  # Hasakkeh for the Arabic's الحسكة
    "number": 2,  # ٥ rendered as 7
    "glossary:missing": 3,  # جبل الأكراد not in the English
    "glossary:unlisted": 4,  # Assala, near an entry with no Arabic form yet
    "repeated": 5,
    "glossary:invented": 6,  # Homs, which the Arabic does not name
    "arabic": 7,
    "untranslated": 8,
}


def kinds_glossary(folder: Path) -> Path:
    """The house glossary, plus an entry with no Arabic form yet (its near-spellings are
    `unlisted` suggestions even where the Arabic is known), in `folder`."""
    import shutil

    from tests.helpers.paths import GLOSSARIES

    folder.mkdir(parents=True, exist_ok=True)
    for path in GLOSSARIES.glob("*.toml"):
        shutil.copyfile(path, folder / path.name)
    (folder / "extra.toml").write_text(
        '[jabhat-al-asala]\ncanonical = "Jabhat al-Asala"\narabic = []\nkind = "organisation"\n',
        encoding="utf-8",
    )
    return folder
