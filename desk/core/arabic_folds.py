"""Arabic letter forms that writers and keyboards use for one another, and their fold.

A plain table, importable at start-up for nothing: the glossary's normalisation
(`glossary/normalise.py`), the search index's triggers (`search.py`) and the translation
memory's tokens (`tm/text.py`) all fold by it, through `normalise_arabic` here.
"""

from __future__ import annotations

import re

# Hamza carriers, alef forms, ta marbuta and alef maqsura vary between writers of the
# same name (إدلب / ادلب, حماة / حماه); Persian yeh and keheh come from Persian keyboards.
ARABIC_LETTER_FOLDS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ؤ": "و",
    "ئ": "ي",
    "ی": "ي",
    "ک": "ك",
}

# Harakat, Quranic annotation marks, superscript alef (U+0670) and tatweel (U+0640):
# sources use them unevenly, so they never distinguish two names.
ARABIC_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]"
)
_ARABIC_FOLD = str.maketrans(ARABIC_LETTER_FOLDS)


def normalise_arabic(text: str) -> str:
    """`text` without diacritics and tatweel, with alef, hamza, ta marbuta and ya forms folded."""
    return ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
