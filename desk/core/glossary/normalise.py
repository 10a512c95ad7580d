"""Normalising names so that spellings of one name compare equal, in Arabic and in English.

Arabic: `normalise_arabic` folds the letter forms that writers and keyboards use
interchangeably, and `ArabicNameIndex` finds glossary forms in a segment on whole
words, allowing the clitics that attach to the first word (و ف, ب ك ل, ال).

English: `english_key` reduces a transliteration to a key that ignores the usual
differences between romanisations (article prefixes, doubled letters, -ah/-eh
endings, hyphens, apostrophes, case), `english_words` cuts a text into words
with their spans, possessives left outside the word, and `cased` writes a canonical
name as a sentence start or the middle of a sentence needs it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar, cast

from desk.core.arabic_folds import normalise_arabic as normalise_arabic  # re-exported

_ARABIC_WORD = re.compile("[\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3]+")
# The kunya "Abu" declines: أبو همام (nominative), أبا همام, بأبي عمار. One name, one key.
_ABU_FORMS = {"ابا": "ابو", "ابي": "ابو"}
ARTICLE = "ال"


def arabic_words(text: str) -> list[str]:
    """The normalised Arabic words of `text`, in order (punctuation, digits and Latin dropped)."""
    return _ARABIC_WORD.findall(normalise_arabic(text))


def _fold_word(word: str) -> str:
    """A normalised word as the index compares it (declined forms of أبو folded)."""
    return _ABU_FORMS.get(word, word)


def _clitic_prefixes() -> tuple[tuple[str, bool, bool], ...]:
    """(written prefix, carries the article, needs a stem starting with lam) for every clitic chain.

    A conjunction (و ف), then a preposition (ب ك ل), then the article. After ل the
    article loses its alef (ل + الحسكة = للحسكة), and before a stem that itself starts
    with lam the article's lam merges too (ل + اللاذقية = للاذقية).
    """
    chains: list[tuple[str, bool, bool]] = []
    for conjunction in ("", "و", "ف"):
        for preposition in ("", "ب", "ك", "ل"):
            chains.append((conjunction + preposition, False, False))
            if preposition == "ل":
                chains.append((conjunction + "لل", True, False))
                chains.append((conjunction + "ل", True, True))
            else:
                chains.append((conjunction + preposition + ARTICLE, True, False))
    return tuple(chains)


def _by_first_letter() -> dict[str, tuple[tuple[str, bool, bool], ...]]:
    """The clitic chains grouped by their first letter.

    Most words start with none of و ف ب ك ل ا; bucketing keeps the per-word work to the
    one or few chains that can apply.
    """
    groups: dict[str, tuple[tuple[str, bool, bool], ...]] = {}
    for chain in _clitic_prefixes():
        if chain[0]:
            groups[chain[0][0]] = (*groups.get(chain[0][0], ()), chain)
    return groups


_PREFIXES_BY_LETTER = _by_first_letter()
_BARE = (("", False, False),)

K = TypeVar("K")


_Form = tuple[K, str, bool]
"""One indexed Arabic form: its key, its text, whether its first word has the article."""
_WORDS_JOIN = "\x1f"
"""Joins a form's words into one dictionary key (no Arabic word holds it)."""


class ArabicNameIndex(Generic[K]):
    """Arabic forms of names indexed by their first word's stem, then by the words after it.

    A segment word whose stem starts forms (تل, أبو, جبل start hundreds in a large
    glossary) costs one dictionary probe per length of the rest that those forms have,
    not a walk over the forms.
    """

    def __init__(self) -> None:
        """An empty index."""
        # Plain strings and flat tuples: a compiled glossary (`compiled`) stores the index
        # with `marshal` and reads it back as it is, and strings and tuples of strings
        # and numbers are no work for the garbage collector.
        self._forms: dict[str, tuple[K | str | bool, ...]] = {}
        """The stem of a form's first word and the words after it, joined → the forms
        written there, flat: key, text, article, key, text, article..."""
        self._lengths: dict[str, tuple[int, ...]] = {}
        """Stem of a first word → the numbers of words after it that its forms have,
        longest first."""

    def add(self, form: str, key: K) -> bool:
        """Index `form` under `key`; False when it has no Arabic word to match on."""
        words = [_fold_word(w) for w in arabic_words(form)]
        if not words:
            return False
        first = words[0]
        # The article is written in the glossary form when the name takes it (الحسكة);
        # it is then required in the text, so الباب (al-Bab) does not match باب الهوى.
        article = first.startswith(ARTICLE) and len(first) > len(ARTICLE) + 1
        stem = first[len(ARTICLE) :] if article else first
        where = _WORDS_JOIN.join((stem, *words[1:]))
        self._forms[where] = (*self._forms.get(where, ()), key, form, article)
        lengths = self._lengths.get(stem, ())
        if len(words) - 1 not in lengths:
            self._lengths[stem] = tuple(sorted((*lengths, len(words) - 1), reverse=True))
        return True

    def state(self) -> tuple[object, ...]:
        """The index as plain dicts, tuples and strings (for `from_state`)."""
        return (self._forms, self._lengths)

    @classmethod
    def from_state(cls, state: tuple[object, ...]) -> ArabicNameIndex[K]:
        """The index `state()` described, shared, not copied."""
        index: ArabicNameIndex[K] = cls()
        index._forms, index._lengths = state  # type: ignore[assignment]
        return index

    def find(self, text: str) -> dict[K, str]:
        """Keys of the forms that occur in `text` on whole words, each with the form found."""
        found: dict[K, str] = {}
        for _, _, (key, shown, _) in self._hits(text):
            # Longest first: a key found by two of its forms is shown with the longer.
            if key not in found:
                found[key] = shown
        return found

    def occurrences(self, text: str) -> list[tuple[int, int, K]]:
        """Where forms occur in `text`: (first word, number of words, key), left to right,
        the longest at each word, none overlapping. Words are counted as
        `arabic_words(text)` lists them."""
        longest: dict[int, tuple[int, K]] = {}
        for i, length, (key, _, _) in self._hits(text):
            if i not in longest or length + 1 > longest[i][0]:
                longest[i] = (length + 1, key)
        taken: list[tuple[int, int, K]] = []
        end = 0
        for i, (count, key) in sorted(longest.items()):
            if i >= end:
                taken.append((i, count, key))
                end = i + count
        return taken

    def _hits(self, text: str) -> Iterator[tuple[int, int, _Form[K]]]:
        """(word, words after it, form) for every form at every word of `text`: words in
        order, longer forms first at each word."""
        if not self._forms:
            return
        normal = normalise_arabic(text)
        matches = list(_ARABIC_WORD.finditer(normal))
        words = [_fold_word(m.group()) for m in matches]
        # Words of a multi-word name must be separated by spaces only, not by punctuation:
        # `run[i]` is how many words after word i follow it across spaces alone.
        run = [0] * len(words)
        for i in range(len(words) - 2, -1, -1):
            if normal[matches[i].end() : matches[i + 1].start()].isspace():
                run[i] = run[i + 1] + 1
        for i, word in enumerate(words):
            for surface, has_article, lam_merge in _BARE + _PREFIXES_BY_LETTER.get(word[0], ()):
                if not word.startswith(surface):
                    continue
                stem = _fold_word(word[len(surface) :])
                if len(stem) < 2 or (lam_merge and not stem.startswith("ل")):
                    continue
                lengths = self._lengths.get(stem)
                if lengths is None:
                    continue
                for length in lengths:
                    if length > run[i]:
                        continue
                    where = _WORDS_JOIN.join((stem, *words[i + 1 : i + 1 + length]))
                    forms = self._forms.get(where, ())
                    for f in range(0, len(forms), 3):
                        if has_article or not forms[f + 2]:
                            yield i, length, cast("_Form[K]", forms[f : f + 3])


def contains_arabic_name(segment: str, name: str) -> bool:
    """Whether the Arabic `segment` contains `name` on whole words, clitics allowed on the first."""
    index: ArabicNameIndex[int] = ArabicNameIndex()
    return index.add(name, 0) and bool(index.find(segment))


# Arabic article as romanised before a name: al-, el-, and the assimilated forms
# before sun letters (ad-, ash-, ar-, at-, az-, an-, as-, ...).
ARTICLE_PREFIX = re.compile(
    r"(?<![^\W_])(?:al|el|ad|adh|ash|as|ar|at|ath|az|an|ed|esh|es|er|et|ez|en)[-‐‑]",
    re.IGNORECASE,
)
_APOSTROPHES = "'’‘ʼʻʿʾ`´"
_KEY_DROP = str.maketrans("", "", _APOSTROPHES)
_DOUBLED = re.compile(r"([a-z])\1+")
_ENDING = re.compile(r"(?<=[a-z]{3})(?:ah|eh|a|e)$")


@lru_cache(maxsize=65536)
def english_key(name: str) -> str:
    """A key under which romanisations of one name meet: 'Al-Hasaka', 'Hassakeh' -> 'hasak'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = ARTICLE_PREFIX.sub(" ", text.translate(_KEY_DROP))
    parts: list[str] = []
    for word in re.split(r"[\s\-‐‑]+", text):
        word = re.sub(r"[^a-z0-9]", "", word)
        if not word or word in ("al", "el"):
            continue
        word = _DOUBLED.sub(r"\1", word).replace("ou", "u")
        parts.append(_ENDING.sub("", word))
    return "".join(parts)


def strip_article(name: str) -> str:
    """`name` without a leading romanised article ('al-Assad' -> 'Assad')."""
    match = ARTICLE_PREFIX.match(name)
    return name[match.end() :] if match else name


class Word(NamedTuple):
    """A word of an English text and its span (a possessive 's is left outside)."""

    text: str
    start: int
    end: int


# Letters and digits, held together by inner hyphens and apostrophes: al-Shami, Hay'at.
_ENGLISH_WORD = re.compile(r"[^\W_]+(?:['’‘ʼ\-‐‑][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’‘ʼ]s$")


def english_words(text: str) -> list[Word]:
    """The words of `text` with spans; "Latakia's" gives "Latakia"."""
    words: list[Word] = []
    for match in _ENGLISH_WORD.finditer(text):
        word, end = match.group(), match.end()
        possessive = _POSSESSIVE.search(word)
        # "Ra's al-Ain" is one name: a one- or two-letter stem takes no possessive.
        if possessive and possessive.start() > 2:
            word, end = word[: possessive.start()], end - 2
        words.append(Word(word, match.start(), end))
    return words


# Abbreviations whose full stop does not end a sentence ("Dr. al-Omar").
_ABBREVIATIONS = frozenset(
    ("dr", "eng", "mr", "mrs", "ms", "gen", "col", "lt", "maj", "capt", "sgt", "st", "prof")
)
_QUOTES_AND_BRACKETS = "\"'“”‘’«»()[]#*"


def at_sentence_start(text: str, position: int) -> bool:
    """Whether `position` begins a sentence: the text's start, or after . ! ? (quotes between)."""
    i = position
    quoted = False
    while i > 0 and (text[i - 1].isspace() or text[i - 1] in _QUOTES_AND_BRACKETS):
        quoted = quoted or text[i - 1] in _QUOTES_AND_BRACKETS
        i -= 1
    if i == 0:
        return True
    before = text[i - 1]
    if before in "!?…":
        return True
    if before == ":":
        # 'says: "Al-Hasakah …' opens a quoted sentence; 'in: Hasakah' does not.
        return quoted
    if before != ".":
        return False
    word = re.search(r"([^\W_]+)\.$", text[max(0, i - 12) : i])
    # "Dr." and initials ("U.N.") end no sentence.
    return not (word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1))


def cased(canonical: str, sentence_start: bool) -> str:
    """The canonical as written at this place: a leading "al-" becomes "Al-" at a sentence start.

    A canonical that the glossary writes with a capital "Al-" ("Al-Quds Al-Arabi", a
    paper's own name) keeps it everywhere; only a lower-case first letter changes.
    """
    if sentence_start and canonical[:1].islower():
        return canonical[:1].upper() + canonical[1:]
    return canonical
