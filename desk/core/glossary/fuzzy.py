"""Near-spellings of canonical names: keys, thresholds and candidate word n-grams.

Names are compared by `english_key` (article, doubled letters, -ah/-eh endings,
hyphens, apostrophes and case removed), with rapidfuzz. Two bars, because the
evidence differs:

- Source-aware location (`SOURCE_CUTOFF`): the Arabic already names the entry, so
  we only have to pick which English words render it; `fuzz.ratio` >= 75 on the keys
  (>= 85 for keys of four letters or fewer, where one letter is a quarter of the name).
- Unlisted detection (`allowed_edits`): no Arabic evidence, so a hit needs a key
  equal to a canonical's key ("Hassakah"/"Hassakeh" -> "hasak"), or a Levenshtein
  distance of 1 for keys of 6-9 letters and 2 from 10 letters. Keys of 5 letters or
  fewer must be equal: "Hamas" is not "Hama" ("hamas"/"ham"), "Idlib" is left to the
  listed variants ("idlib"/"idleb").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from desk.core.glossary.normalise import ARTICLE_PREFIX, Word, english_key
from desk.core.glossary.words import COMMON_WORDS, FUNCTION_WORDS, KNOWN_NAMES

SOURCE_CUTOFF = 75.0
SOURCE_CUTOFF_SHORT = 85.0
PREFILTER = 80.0
"""`fuzz.ratio` below which no key pair can pass `allowed_edits`; narrows rapidfuzz's search."""
MIN_KEY = 3
"""Keys shorter than this ("al", "as") carry too little to compare."""
MAX_NGRAM = 5


def allowed_edits(length: int) -> int:
    """Levenshtein edits allowed between keys when the shorter has `length` letters."""
    if length <= 5:
        return 0
    return 1 if length <= 9 else 2


def source_cutoff(key: str) -> float:
    """`fuzz.ratio` a rendering's key needs against a canonical's key named by the Arabic."""
    return SOURCE_CUTOFF_SHORT if len(key) <= 4 else SOURCE_CUTOFF


def _initial_class(key: str) -> str:
    """A key's first letter, with letters romanisations swap at the start merged (Q/K, vowels)."""
    first = key[0]
    if first in "aeiou":
        return "a"
    if first in "qkc":
        return "k"
    return first


def surface_key(text: str) -> str:
    """A name as the exact matchers compare it: spaces and apostrophes unified, "Al-" as "al-"."""
    text = " ".join(text.split())
    for apostrophe in "’‘ʼ":
        text = text.replace(apostrophe, "'")
    if text.startswith("Al-"):
        text = "al-" + text[3:]
    return text


def is_known_name(text: str) -> bool:
    """Whether `text` is a well-known name that is never a near-spelling of another."""
    return " ".join(text.lower().replace("-", " ").split()) in KNOWN_NAMES


class NameKeys:
    """Keys of the canonical names, bucketed by initial and length for near-spelling search."""

    def __init__(self, canonicals: Sequence[str]) -> None:
        """Index the canonical names, `canonicals[i]` being entry i's."""
        self.keys = [english_key(c) for c in canonicals]
        self._exact: dict[str, list[int]] = {}
        buckets: dict[tuple[str, int], list[int]] = {}
        for index, key in enumerate(self.keys):
            if len(key) < MIN_KEY:
                continue
            self._exact.setdefault(key, []).append(index)
            buckets.setdefault((_initial_class(key), len(key)), []).append(index)
        self._buckets = {
            where: ([self.keys[i] for i in indices], indices) for where, indices in buckets.items()
        }

    def near(self, key: str) -> list[tuple[int, float]]:
        """Entries whose canonical key is equal or near to `key`, with a score (100 when equal).

        Only buckets within two letters of `key`'s length can hold a key within the
        allowed edits, so the search never touches most of a large glossary.
        """
        if len(key) < MIN_KEY:
            return []
        exact = self._exact.get(key)
        if exact:
            return [(i, 100.0) for i in exact]
        hits: list[tuple[int, float]] = []
        initial = _initial_class(key)
        for length in range(len(key) - 2, len(key) + 3):
            bucket = self._buckets.get((initial, length))
            if bucket is None:
                continue
            keys, indices = bucket
            found = process.extract(
                key, keys, scorer=fuzz.ratio, score_cutoff=PREFILTER, limit=None
            )
            for other, score, position in found:
                limit = allowed_edits(min(len(key), len(other)))
                if limit and Levenshtein.distance(key, other, score_cutoff=limit) <= limit:
                    hits.append((indices[position], score))
        return hits


@dataclass(frozen=True)
class Candidate:
    """A run of English words that may render a name."""

    text: str
    start: int
    end: int
    key: str
    words: int
    names_only: bool
    """Every word is capitalised or an article compound."""


def _name_like(word: str) -> bool:
    """Capitalised ("Hasakah") or an article compound ("al-Shami")."""
    if word[:1].isupper():
        return True
    match = ARTICLE_PREFIX.match(word)
    return match is not None and word[match.end() : match.end() + 1].isupper()


def ngrams(text: str, words: Sequence[Word], max_size: int) -> list[Candidate]:
    """Runs of up to `max_size` words that may be a name.

    A run is not broken by punctuation, neither starts nor ends on a function word,
    has a capitalised word or article compound, and is not one common word alone
    ("The", "But", "Syrian").
    """
    count = len(words)
    lowered = [w.text.lower() for w in words]
    name_like = [_name_like(w.text) for w in words]
    # english_key works word by word, so a run's key is its words' keys joined.
    keys = [english_key(w.text) for w in words]
    joined = [text[a.end : b.start].isspace() for a, b in pairwise(words)]
    found: list[Candidate] = []
    for i in range(count):
        if lowered[i] in FUNCTION_WORDS:
            continue
        any_name, all_names = False, True
        for j in range(i, min(count, i + max_size)):
            if j > i and not joined[j - 1]:
                break
            any_name = any_name or name_like[j]
            all_names = all_names and name_like[j]
            if not any_name or lowered[j] in FUNCTION_WORDS:
                continue
            if j == i and lowered[i] in COMMON_WORDS:
                continue
            surface = text[words[i].start : words[j].end]
            key = "".join(keys[i : j + 1])
            found.append(
                Candidate(surface, words[i].start, words[j].end, key, j - i + 1, all_names)
            )
    return found
