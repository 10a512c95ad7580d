"""Near-spellings of canonical names: keys, thresholds and candidate word n-grams.

Names are compared by `english_key` (article, doubled letters, -ah/-eh endings,
hyphens, apostrophes and case removed), with rapidfuzz. Two bars, because the
evidence differs:

- Source-aware location (`SOURCE_CUTOFF`): the Arabic already names the entry, so
  we only have to pick which English words render it; `fuzz.ratio` >= 75 on the keys
  (>= 85 for keys of four letters or fewer, where one letter is a quarter of the name).
- Unlisted detection (`allowed_edits`): no Arabic evidence, so a hit needs a key
  equal to a canonical's key ("Hassakah"/"Hassakeh" -> "hasak"), or a Levenshtein
  distance of 1 for keys of 6-9 letters and 2 from 10 letters. A short key (5 letters
  or fewer, where one letter is a fifth of the name) needs the stricter `short_key`
  equal: the same first sound and the same consonants, at least four sounds in all,
  only the vowels may differ ("Edleb", "Adlib" for Idleb; "Efreen" for Afrin), so
  "Hamas" is not "Hama" ("hamas"/"ham") and "Aziz" not "Azaz".
"""

from __future__ import annotations

import re
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


SHORT = 5
"""Keys this long or shorter match other short keys only by `short_key`."""
_VOWELS = re.compile("[aeiouy]")


def short_key(key: str) -> str:
    """A short name's stricter key: its first sound class, then its consonants, so that
    only vowels may differ ("edleb", "adlib", "idleb" -> "adlb"); '' when that leaves
    fewer than four sounds, too few to tell names apart ("Aziz" is not "Azaz", "Selma"
    not "Salamiyeh", "Deir" not "Daraya")."""
    if len(key) < 4:
        return ""
    short = _initial_class(key) + _VOWELS.sub("", key[1:])
    return short if len(short) >= 4 else ""


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


_STRAIGHT = str.maketrans(dict.fromkeys("’‘ʼ", "'"))
"""Typographic apostrophes as the straight one (the house writes People's, Hay'at)."""


def _lower(match: re.Match[str]) -> str:
    """The matched text lower-cased."""
    return match.group().lower()


def straight_apostrophes(text: str) -> str:
    """`text` with typographic apostrophes written as the straight one."""
    return text.translate(_STRAIGHT)


def lower_articles(text: str) -> str:
    """`text` with every romanised article at a word start lower-cased ("Bab Al-Hawa")."""
    return ARTICLE_PREFIX.sub(_lower, text)


def surface_key(text: str) -> str:
    """A name as the exact matchers compare it: spaces and apostrophes unified, articles lower-case.

    Every romanised article at a word start is lower-cased ("Al-", "El-", "Ar-"...), so
    "Bashar Al-Assad" meets "Bashar al-Assad" and "El-Hol" meets the listed "el-Hol";
    the enforcer then reports the article's case (or the typographic apostrophe) where
    it differs from the canonical as written at that place.
    """
    text = " ".join(text.split()).translate(_STRAIGHT)
    if "-" in text or "‐" in text or "‑" in text:
        text = lower_articles(text)
    return text


def is_known_name(text: str) -> bool:
    """Whether `text` is a well-known name that is never a near-spelling of another."""
    return " ".join(text.lower().replace("-", " ").split()) in KNOWN_NAMES


class NameKeys:
    """Keys of the canonical names, bucketed by initial and length for near-spelling search.

    With `variants`, the keys of each entry's listed variants are searched as well: a
    near-spelling of a listed variant ("Abou Kamal" beside the listed "Abu Kamal") is a
    spelling of that entry even when it is far from the canonical ("Bukamal").
    """

    def __init__(
        self, canonicals: Sequence[str], variants: Sequence[Sequence[str]] | None = None
    ) -> None:
        """Index the canonical names (`canonicals[i]` is entry i's, `variants[i]` its variants)."""
        self.keys = [english_key(c) for c in canonicals]
        spellings: list[tuple[str, ...]] = [(key,) for key in self.keys]
        exact: dict[str, list[int]] = {}
        shorts: dict[str, list[int]] = {}
        buckets: dict[tuple[str, int], dict[str, None]] = {}
        searched = list(enumerate(self.keys))
        if variants is not None:
            for index, names in enumerate(variants):
                keys = dict.fromkeys((self.keys[index], *(english_key(v) for v in names)))
                spellings[index] = tuple(keys)
                searched += [(index, key) for key in spellings[index][1:]]
        for index, key in searched:
            if len(key) < MIN_KEY:
                continue
            owners = exact.setdefault(key, [])
            if index not in owners:
                owners.append(index)
            buckets.setdefault((_initial_class(key), len(key)), {})[key] = None
            if len(key) <= SHORT + 1 and short_key(key):
                short = shorts.setdefault(short_key(key), [])
                if index not in short:
                    short.append(index)
        # Strings and numbers, few containers: a compiled glossary (`compiled`) is read
        # back the faster, and the garbage collector has next to nothing to walk.
        self._spellings = [_SPELLINGS_JOIN.join(keys) for keys in spellings]
        """Each entry's canonical key, then its variants' keys, joined (`spellings`)."""
        self._exact = {key: _packed(owners) for key, owners in exact.items()}
        """A key → the entries it is a key of (`_packed`)."""
        self._short = {key: tuple(owners) for key, owners in shorts.items()}
        self._buckets = {
            where: (list(keys), [self._exact[key] for key in keys])
            for where, keys in buckets.items()
        }

    def spellings(self, index: int) -> tuple[str, ...]:
        """Entry `index`'s canonical key, then its variants' keys (when `variants` was
        given), each once."""
        return tuple(self._spellings[index].split(_SPELLINGS_JOIN))

    def state(self) -> tuple[object, ...]:
        """The keys as plain lists, tuples and dicts (for `from_state`)."""
        return (self.keys, self._spellings, self._exact, self._short, self._buckets)

    @classmethod
    def from_state(cls, state: tuple[object, ...]) -> NameKeys:
        """The keys `state()` described, shared, not copied."""
        keys = cls.__new__(cls)
        keys.keys, keys._spellings, keys._exact, keys._short, keys._buckets = state  # type: ignore[assignment]
        return keys

    def near(self, key: str) -> list[tuple[int, float]]:
        """Entries whose canonical (or variant) key is equal or near to `key`, with a score.

        The score is 100 when equal. Only buckets within two letters of `key`'s length
        can hold a key within the allowed edits, so the search never touches most of a
        large glossary.
        """
        if len(key) < MIN_KEY:
            return []
        exact = self._exact.get(key)
        if exact is not None:
            return [(i, 100.0) for i in _owners(exact)]
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
                    hits += [(index, score) for index in _owners(indices[position])]
        if len(key) <= SHORT and short_key(key):
            hits += [(index, 90.0) for index in self._short.get(short_key(key), ())]
        best: dict[int, float] = {}
        for index, score in hits:
            best[index] = max(score, best.get(index, score))
        return list(best.items())


_SPELLINGS_JOIN = "\x00"
"""Joins an entry's keys into one string (a name holds no control character)."""


def _packed(owners: list[int]) -> int | tuple[int, ...]:
    """The entries a key belongs to: the one number alone for the usual one entry."""
    return owners[0] if len(owners) == 1 else tuple(owners)


def _owners(packed: int | tuple[int, ...]) -> tuple[int, ...]:
    """The entries a key belongs to (`_packed` read back)."""
    return (packed,) if isinstance(packed, int) else packed


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


_POSSESSIVE_GAP = re.compile(r"['’‘ʼ][sS][ \t]+")


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
    ("The", "But", "Syrian"). A possessive inside a run ("Syria's Democratic Forces")
    does not break it, but makes it no candidate for unlisted detection.
    """
    count = len(words)
    lowered = [w.text.lower() for w in words]
    name_like = [_name_like(w.text) for w in words]
    # english_key works word by word, so a run's key is its words' keys joined.
    keys = [english_key(w.text) for w in words]
    gaps = [text[a.end : b.start] for a, b in pairwise(words)]
    joined = [gap.isspace() for gap in gaps]
    # "Syria's Democratic Forces" renders قوات سوريا الديمقراطية whole: a run may go on
    # over a possessive, but such a run is no name as written (never names_only).
    possessive = [
        not ok and _POSSESSIVE_GAP.fullmatch(gap) is not None
        for ok, gap in zip(joined, gaps, strict=True)
    ]
    found: list[Candidate] = []
    for i in range(count):
        if lowered[i] in FUNCTION_WORDS:
            continue
        any_name, all_names = False, True
        for j in range(i, min(count, i + max_size)):
            if j > i and not joined[j - 1]:
                if not possessive[j - 1]:
                    break
                all_names = False
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
