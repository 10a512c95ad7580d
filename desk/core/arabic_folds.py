"""Arabic letter forms that writers and keyboards use for one another, and their fold.

A plain table, importable at start-up for nothing: the glossary's normalisation
(`glossary/normalise.py`) and the search index's triggers (`search.py`) both fold by it.
"""

from __future__ import annotations

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
