"""Cut a source or draft document into blocks, and a paragraph into sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desk.core.story import Role


@dataclass(frozen=True)
class Block:
    """One headline, subheading or paragraph of a source or draft document."""

    role: Role
    text: str
    """Stripped; a paragraph's internal line breaks are kept as "\\n"."""
    line: int
    """1-based line number in the file where the block starts."""


# An ATX heading: up to three spaces of indent (as in CommonMark), 1-6 marks, then a space.
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*)$")
# A closing run of marks needs whitespace before it, so "C#" or "#سوريا" survive.
_CLOSING_MARKS = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")


def _normalise(text: str) -> str:
    """Drop a leading BOM and turn every line ending into "\\n"."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _heading(line: str) -> tuple[int, str] | None:
    """The level and text of an ATX heading line, or None for any other line."""
    m = _HEADING.match(line)
    if m is None:
        return None
    content = _CLOSING_MARKS.sub("", m.group(2).strip())
    return len(m.group(1)), content.strip()


def parse_document(text: str, first_line: int = 1) -> list[Block]:
    """Cut plain text or Markdown into a headline, subheadings and body paragraphs."""
    blocks: list[Block] = []
    para: list[str] = []
    para_line = 0
    saw_headline = False

    def flush() -> None:
        if para:
            blocks.append(Block(Role.BODY, "\n".join(para), para_line))
            para.clear()

    for offset, raw in enumerate(_normalise(text).split("\n")):
        lineno = first_line + offset
        if not raw.strip():
            flush()
            continue
        heading = _heading(raw)
        if heading is not None:
            flush()
            level, content = heading
            # An empty heading ("## ") carries nothing to translate; it only ends a paragraph.
            if not content:
                continue
            role = Role.HEADLINE if level == 1 and not saw_headline else Role.SUBHEADING
            saw_headline = saw_headline or role == Role.HEADLINE
            blocks.append(Block(role, content, lineno))
            continue
        if not para:
            para_line = lineno
        para.append(raw.strip())
    flush()

    if not saw_headline and blocks:
        # Plain text: the first line of the document is the headline. A leading
        # subheading is promoted whole, so every story has a headline.
        first = blocks[0]
        head, _, rest = first.text.partition("\n")
        promoted = [Block(Role.HEADLINE, head, first.line)]
        if rest:
            promoted.append(Block(Role.BODY, rest, first.line + 1))
        blocks[:1] = promoted
    return blocks


# --- sentences -------------------------------------------------------------------------

_TERMINALS = frozenset(".?!؟؛…")
_OPEN_QUOTES = {"«": "»", "“": "”"}
_CLOSE_QUOTES = {v: k for k, v in _OPEN_QUOTES.items()}
_OPEN_BRACKETS = frozenset("([{")
# Characters allowed to trail a sentence's final punctuation and stay with it.
_TRAILERS = frozenset("»”)]}\"'’")

_ARABIC_LETTER = r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FC]"
_LETTER = rf"(?:{_ARABIC_LETTER}|[A-Za-z])[\u064B-\u0652\u0670\u0640]*"
# A single letter ("د", "A") or dotted initials ("U.S", "أ.د", "e.g"), seen before the dot.
_INITIALS = re.compile(rf"^(?:{_LETTER}\.)*{_LETTER}$")
_NUMBER = re.compile(r"^[\d٠-٩۰-۹]+$")

# English abbreviations after which a sentence never ends: titles come before a name,
# months before a day. Dotted acronyms (U.S., U.N., e.g.) are covered by _INITIALS;
# we do not split after them either, accepting that "... the U.S. He" stays one sentence.
_EN_NEVER_FINAL = frozenset(
    [
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Prof",
        "Gen",
        "Col",
        "Lt",
        "Sgt",
        "St",
        "Capt",
        "Maj",
        "Brig",
        "Cmdr",
        "Adm",
        "Rev",
        "Gov",
        "Sen",
        "Rep",
        "Hon",
        "Pres",
        "Jr",
        "Sr",
        "vs",
        "cf",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "Mt",
        "Ft",
        "Eng",
        "approx",
    ]
)
# Abbreviations that often do end a sentence: split only before a capitalised word.
_EN_MAYBE_FINAL = frozenset(["etc", "Inc", "Ltd", "Co", "Corp", "a.m", "p.m"])
# Arabic words that, right after a quotation ending in "." or "؟", attribute it rather
# than start a new sentence: «...عاجل.» قال المتحدث.
_AR_ATTRIBUTION = frozenset(
    [
        "قال",
        "قالت",
        "أضاف",
        "أضافت",
        "تابع",
        "تابعت",
        "أكد",
        "أكدت",
        "أوضح",
        "أوضحت",
        "أشار",
        "أشارت",
        "تساءل",
        "تساءلت",
        "يقول",
        "تقول",
        "يضيف",
        "تضيف",
        "يتابع",
        "تتابع",
        "يؤكد",
        "تؤكد",
        "يوضح",
        "توضح",
        "يشير",
        "تشير",
        "ذكر",
        "ذكرت",
        "صرح",
        "صرحت",
        "بحسب",
        "حسب",
        "وفق",
        "وفقا",
        "وفقاً",
    ]
)


def _language(lang: str) -> str:
    """'ar' or 'en' from a language tag such as "ar", "en" or "en-GB"."""
    base = lang.lower().split("-")[0].split("_")[0]
    if base not in ("ar", "en"):
        raise ValueError(f"unsupported language {lang!r}: use 'ar' or 'en'")
    return base


def _match_quotes(line: str) -> dict[int, int]:
    """Map the position of each closed quotation's opening mark to its closing mark."""
    pairs: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(line):
        if ch in _OPEN_QUOTES:
            stack.append((ch, i))
        elif ch in _CLOSE_QUOTES or ch == '"':
            opener = _CLOSE_QUOTES.get(ch, '"')
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == opener:
                    pairs[stack[k][1]] = i
                    # Openers left inside a closed quotation were never closed: drop them.
                    del stack[k:]
                    break
            else:
                if ch == '"':
                    stack.append((ch, i))
    # Whatever is still on the stack is unbalanced and is treated as plain text.
    return pairs


def _token_before(line: str, i: int) -> str:
    """The word that ends at position `i`, without opening quotes or brackets."""
    start = i
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    return line[start:i].lstrip("«“\"'‘([{")


def _next_word(line: str, j: int) -> str:
    """The first word at or after position `j`, skipping whitespace."""
    m = re.match(r"\s*(\S*)", line[j:])
    return m.group(1) if m else ""


def _starts_sentence(word: str, lang: str) -> bool:
    """Whether `word` can open a new sentence after a quotation that ended in a stop."""
    if not word:
        return False
    first = word[0]
    if first.isdigit() or first in _OPEN_QUOTES or first in _OPEN_BRACKETS or first == '"':
        return True
    if first.isupper():
        return True
    if lang == "ar" and re.match(_ARABIC_LETTER, first):
        return word.rstrip("،,:.") not in _AR_ATTRIBUTION
    return False


def _dot_is_final(line: str, i: int, start: int, after: int, lang: str) -> bool:
    """Whether a lone "." at `i`, followed by whitespace at `after`, ends the sentence."""
    token = _token_before(line, i)
    if _NUMBER.match(token) and line[start:i].strip().lstrip('«“"([') == token:
        # "1. " opening a numbered line is a list marker, not a sentence.
        return False
    if lang == "en":
        bare = token.rstrip(".")
        if bare in _EN_MAYBE_FINAL:
            return _next_word(line, after)[:1].isupper()
        if bare in _EN_NEVER_FINAL or bare in ("e.g", "i.e"):
            return False
        if bare == "No":
            # "No. 5" is a number sign; "No." before a word is the answer.
            return not _next_word(line, after)[:1].isdigit()
    return not _INITIALS.match(token)


def _split_line(line: str, lang: str) -> list[str]:
    """Split one line (no line breaks) into sentences."""
    pairs = _match_quotes(line)
    out: list[str] = []
    start = 0
    i = 0
    n = len(line)

    def cut(end: int) -> None:
        nonlocal start
        piece = line[start:end].strip()
        if piece:
            out.append(piece)
        start = end

    while i < n:
        if i in pairs:
            # Skip the quotation: no sentence ends inside it.
            close = pairs[i]
            inner = line[i + 1 : close].rstrip().rstrip("".join(_TRAILERS))
            j = close + 1
            while j < n and line[j] in _TRAILERS and j not in pairs:
                j += 1
            ended = bool(inner) and inner[-1] in _TERMINALS and j < n and line[j].isspace()
            if ended and _starts_sentence(_next_word(line, j), lang):
                cut(j)
            i = j
            continue
        ch = line[i]
        if ch not in _TERMINALS:
            i += 1
            continue
        run_end = i
        while run_end < n and line[run_end] in _TERMINALS:
            run_end += 1
        j = run_end
        # A stop outside any quotation cannot be followed by a quotation's closing mark,
        # so a quote mark here is a stray one (or opens the next quotation: keep it).
        while j < n and line[j] in _TRAILERS and j not in pairs:
            j += 1
        final = j == n or line[j].isspace()
        before = line[start:i].strip()
        if not before or before[-1] in _OPEN_BRACKETS:
            # A stop opening the sentence, or "(...)" marking a cut in a quotation.
            final = False
        elif final and line[i:run_end] == ".":
            final = _dot_is_final(line, i, start, j, lang)
        elif final and lang == "en" and line[i:run_end] in ("...", "…"):
            # English ellipsis before a lower-case word trails off mid-sentence.
            final = not _next_word(line, j)[:1].islower()
        if final:
            cut(j)
        i = j
    cut(n)
    return out


def split_sentences(text: str, lang: str = "ar") -> list[str]:
    """Split a paragraph of Arabic ("ar") or English ("en") into sentences."""
    code = _language(lang)
    sentences: list[str] = []
    # Every line break ends a sentence, and a quotation never spans one.
    for line in _normalise(text).split("\n"):
        sentences.extend(_split_line(line, code))
    return sentences
