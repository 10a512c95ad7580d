"""How the memory reads a sentence: normalised, clitic-aware Arabic tokens, numbers,
English words, and the index keys of both.

The Arabic is cut into words and numbers, each word normalised as the glossary
normalises names (harakat, tatweel and the letter forms writers use for one another
folded: `normalise_arabic`). A conjunction و/ف and the article chains (ال, وال, بال, كال, فال,
لل, ولل) come off a word as tokens of their own when what is left is a word (two
letters or more; three after a bare و), so والقوات and القوات differ by one token,
not by a whole word. Numbers are tokens in Latin digits whatever digits the source
used (٢٠٢٤ and 2024 are one number). A final question or exclamation mark is a token
too; other punctuation is not.

A token's index key is a signed 63-bit integer from BLAKE2b, with the language in it:
one index serves the Arabic (matches) and the English (concordance).
"""

from __future__ import annotations

import re
from hashlib import blake2b

from desk.core.arabic_folds import normalise_arabic

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
# A number: digits with inner separators (1,200  3.5  ١٢٫٥); an Arabic word; nothing else.
_TOKEN = re.compile(
    r"(?P<num>[0-9٠-٩۰-۹]+(?:[.,٫٬][0-9٠-٩۰-۹]+)*)"
    # Letters, with the harakat and tatweel that sit inside words (normalising drops them).
    r"|(?P<word>[\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3"
    r"\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]+)"
)
# Longest first: a conjunction or preposition with the article, then the article alone.
_ARTICLE_CHAINS = (
    ("ولل", ("و", "لل")),
    ("فلل", ("ف", "لل")),
    ("وال", ("و", "ال")),
    ("فال", ("ف", "ال")),
    ("بال", ("ب", "ال")),
    ("كال", ("ك", "ال")),
    ("لل", ("لل",)),
    ("ال", ("ال",)),
)
_CONJUNCTIONS = ("و", "ف")
_ENGLISH = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

NUMBER = "#"
"""The token kind of a number (`Token.kind`); a word's kind is ""."""
MARK = "?"
"""The token kind of a question or exclamation mark ending the sentence: a question is
not the same sentence as the statement of the same words."""
_END = re.compile(r"([?!؟])[\s\"'»”)\]]*$")


class Token:
    """One token of an Arabic sentence: its text as compared, its kind, and where the
    word it came from sits in the (unnormalised) source."""

    __slots__ = ("end", "kind", "start", "text")

    def __init__(self, text: str, kind: str, start: int, end: int) -> None:
        """A token `text` of `kind` ("" a word, NUMBER a number) from source[start:end]."""
        self.text, self.kind, self.start, self.end = text, kind, start, end

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.kind!r}, {self.start}, {self.end})"


def number_value(text: str) -> str:
    """A number as the memory compares it: Latin digits, Arabic separators made Latin."""
    return text.translate(_DIGITS)


def _split_word(word: str) -> list[str]:
    """A normalised word cut into its clitic tokens and its stem."""
    for chain, parts in _ARTICLE_CHAINS:
        if word.startswith(chain) and len(word) - len(chain) >= 2:
            return [*parts, word[len(chain) :]]
    if word[0] in _CONJUNCTIONS and len(word) >= 4:
        return [word[0], word[1:]]
    return [word]


def arabic_tokens(source: str) -> list[Token]:
    """The tokens of an Arabic sentence, in order, each with the span of its word."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(source):
        if match.group("num"):
            tokens.append(Token(number_value(match.group()), NUMBER, match.start(), match.end()))
            continue
        word = normalise_arabic(match.group())
        if word:
            tokens.extend(Token(p, "", match.start(), match.end()) for p in _split_word(word))
    end = _END.search(source)
    if end is not None and tokens:
        tokens.append(Token(final_mark(source), MARK, end.start(1), end.end(1)))
    return tokens


def final_mark(source: str) -> str:
    """ "?" for a sentence that ends in a question mark (Arabic or Latin), "!" for one
    that ends in an exclamation mark (closing quotes and brackets after it allowed);
    "" otherwise."""
    end = _END.search(source)
    if end is None:
        return ""
    return "?" if end.group(1) in "?؟" else "!"


def key(source: str) -> str:
    """The normalised Arabic of a sentence, its tokens joined by spaces: two sentences
    with the same key are one sentence to the memory (an exact match)."""
    return " ".join(t.text for t in arabic_tokens(source))


def english_words(text: str) -> list[str]:
    """The English words of a text, lower-cased (what the concordance looks up)."""
    return [w.lower().replace("’", "'") for w in _ENGLISH.findall(text)]


def token_id(text: str, language: str) -> int:
    """The index key of a token of `language` ("ar" or "en"): a signed 63-bit integer."""
    digest = blake2b(f"{language}:{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def index_keys(source: str, target: str) -> set[int]:
    """Every index key of a unit: its Arabic tokens and its English words."""
    keys = {token_id(t, "ar") for t in key(source).split()}
    keys.update(token_id(w, "en") for w in english_words(target))
    return keys
