"""Checks on a glossary itself: clashes between entries, duplicates, empty and risky fields."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from desk.core.glossary.fuzzy import surface_key
from desk.core.glossary.model import Entry, Glossary
from desk.core.glossary.normalise import arabic_words
from desk.core.glossary.words import COMMON_WORDS

MIN_VARIANT_LETTERS = 4
"""A variant with fewer letters replaces too much ("Tel", "Bab" stand in many names)."""

# Codes, as the CLI prints them and tests match them.
SPACES = "spaces"
NO_ARABIC = "no-arabic"
NOT_ARABIC = "not-arabic"
DUPLICATE_CANONICAL = "duplicate-canonical"
DUPLICATE_ARABIC = "duplicate-arabic"
VARIANT_IS_CANONICAL = "variant-is-canonical"
VARIANT_IS_OTHER_CANONICAL = "variant-is-other-canonical"
VARIANT_SHARED = "variant-shared"
VARIANT_REPEATED = "variant-repeated"
COMMON_WORD = "common-word"
SHORT_VARIANT = "short-variant"
HIDDEN_CHARACTER = "hidden-character"
ARABIC_IN_ENGLISH = "arabic-in-english"


@dataclass(frozen=True)
class LintProblem:
    """One problem with a glossary entry."""

    entry_id: str
    where: str
    """`file:line (entry id)` of the entry."""
    code: str
    """A stable short name of the problem, e.g. 'variant-is-other-canonical'."""
    message: str


def _badly_spaced(text: str) -> bool:
    """Leading, trailing or doubled whitespace, or a tab or newline inside a name."""
    return text != text.strip() or "  " in text or bool(re.search(r"[\t\r\n]", text))


def _hidden(text: str) -> list[str]:
    """Control, format (bidi, zero-width) and line-separator characters in a name, as U+XXXX.

    Tab, CR and LF are left to the spaces check. Any of the others is invisible or acts
    on the terminal, and splits or hides the name from the matchers.
    """
    found = dict.fromkeys(
        f"U+{ord(ch):04X}"
        for ch in text
        if ch not in "\t\r\n" and unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}
    )
    return list(found)


def _has_arabic_letters(text: str) -> bool:
    """Whether `text` holds a letter of the Arabic script (presentation forms included)."""
    return any(ch.isalpha() and unicodedata.name(ch, "").startswith("ARABIC") for ch in text)


def _arabic_key(form: str) -> str:
    """An Arabic form as enforcement compares it (normalised words, single spaces)."""
    return " ".join(arabic_words(form))


def _letters(text: str) -> int:
    """How many letters `text` has."""
    return sum(ch.isalpha() for ch in text)


def _entry_problems(entry: Entry) -> list[tuple[str, str]]:
    """(code, message) for the problems an entry has on its own."""
    problems: list[tuple[str, str]] = []
    english = [("canonical", entry.canonical)] + [("variant", v) for v in entry.variants]
    for what, text in english:
        if _badly_spaced(text):
            problems.append((SPACES, f"{what} {text!r} has leading, trailing or doubled spaces"))
    arabic = [("Arabic form", f) for f in entry.arabic + entry.only_with_arabic]
    for what, text in english + arabic:
        hidden = _hidden(text)
        if hidden:
            problems.append(
                (
                    HIDDEN_CHARACTER,
                    f"{what} {text!r} has invisible or control characters ({', '.join(hidden)})",
                )
            )
    for what, text in english:
        if _has_arabic_letters(text):
            problems.append(
                (ARABIC_IN_ENGLISH, f"{what} {text!r} is English but has Arabic letters")
            )
    if not entry.arabic:
        problems.append((NO_ARABIC, "no Arabic form: the source-aware check cannot use it"))
    for form in entry.arabic + entry.only_with_arabic:
        if not arabic_words(form):
            problems.append((NOT_ARABIC, f"{form!r} has no Arabic letters"))
    # Exact text only: 'Al-Nusra Front' beside 'al-Nusra Front', or a curly apostrophe
    # beside a straight one, documents what the engines write and is harmless.
    canonical = " ".join(entry.canonical.split())
    seen: set[str] = set()
    for variant in entry.variants:
        key = " ".join(variant.split())
        if key == canonical:
            problems.append((VARIANT_IS_CANONICAL, f"variant {variant!r} is the canonical itself"))
        if key in seen:
            problems.append((VARIANT_REPEATED, f"variant {variant!r} is listed twice"))
        seen.add(key)
        if variant.lower() in COMMON_WORDS:
            problems.append(
                (COMMON_WORD, f"variant {variant!r} is a common English word and would replace it")
            )
        elif _letters(variant) < MIN_VARIANT_LETTERS:
            problems.append(
                (
                    SHORT_VARIANT,
                    f"variant {variant!r} has fewer than {MIN_VARIANT_LETTERS} letters "
                    "and may replace other words",
                )
            )
    return problems


def lint(glossary: Glossary) -> list[LintProblem]:
    """Problems of each entry, in glossary order; a clash is reported on the later entry."""
    canonicals: dict[str, Entry] = {}
    folded: dict[str, Entry] = {}
    variants: dict[str, Entry] = {}
    arabic: dict[str, Entry] = {}
    for entry in glossary.entries:
        canonicals.setdefault(surface_key(entry.canonical), entry)
    problems: list[LintProblem] = []

    def report(entry: Entry, code: str, message: str) -> None:
        """Record one problem of `entry`."""
        problems.append(LintProblem(entry.id, entry.where(), code, message))

    for entry in glossary.entries:
        for code, message in _entry_problems(entry):
            report(entry, code, message)
        # Canonicals that differ only in case name one thing twice.
        first = folded.setdefault(surface_key(entry.canonical).casefold(), entry)
        if first is not entry:
            report(
                entry,
                DUPLICATE_CANONICAL,
                f"canonical {entry.canonical!r} is also the canonical of {first.where()}",
            )
        for variant in dict.fromkeys(surface_key(v) for v in entry.variants):
            owner = canonicals.get(variant)
            if owner is not None and owner is not entry:
                report(
                    entry,
                    VARIANT_IS_OTHER_CANONICAL,
                    f"variant {variant!r} is the canonical of {owner.where()}; "
                    "enforcing it would rename that entry",
                )
            earlier = variants.setdefault(variant, entry)
            if earlier is not entry:
                message = f"variant {variant!r} is also listed by {earlier.where()}"
                report(entry, VARIANT_SHARED, message)
        for form in dict.fromkeys(_arabic_key(f) for f in entry.arabic):
            if not form:
                continue
            earlier = arabic.setdefault(form, entry)
            if earlier is not entry:
                report(
                    entry,
                    DUPLICATE_ARABIC,
                    f"Arabic form {form} is also a form of {earlier.where()} (after normalisation)",
                )
    return problems
