"""The names in an English text as the archive's spelling index keys them.

The index itself (tables, queue, refresh) lives with the store, in
desk/core/store/spelling_index.py; the audit hands it `spellings_in` to extract names.
"""

from __future__ import annotations

from desk.core.glossary.fuzzy import MAX_NGRAM, is_known_name, ngrams, surface_key
from desk.core.glossary.normalise import english_words
from desk.core.store.spelling_index import Spelling


def spellings_in(text: str) -> list[Spelling]:
    """(key, surface) of every whole name in an English text.

    A name is a longest run of capitalised words (or article compounds): "Tal Tamr",
    not "Tal" inside it. "Al-" is written "al-" so that the article's case, which the
    checks handle, does not make a spelling of its own.
    """
    names = [c for c in ngrams(text, english_words(text), MAX_NGRAM) if c.names_only]
    # "Al Jazeera" is a name in its own right: neither it nor "Jazeera" inside it counts.
    known = [(c.start, c.end) for c in names if is_known_name(c.text)]
    runs = [c for c in names if not any(a < c.end and c.start < b for a, b in known)]
    out: list[Spelling] = []
    for run in runs:
        inside = any(o is not run and o.start <= run.start and run.end <= o.end for o in runs)
        if not inside:
            out.append((run.key, surface_key(run.text)))
    return out
