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
