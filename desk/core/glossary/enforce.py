"""Glossary enforcement on one segment's English, with its Arabic as evidence.

`Enforcer` is built once per glossary and checks any number of segments:

1. VARIANT: listed variants, found by a dictionary lookup on word n-grams (never a
   loop over entries), replaced by the canonical spelling.
2. SOURCE / MISSING: entries whose Arabic form the Arabic segment contains must have
   their canonical spelling in the English; the engine's rendering is located by
   fuzzy matching, or the name is reported missing.
3. UNLISTED: near-spellings of canonical names that no entry lists.
4. NUMBER: numbers of the Arabic that the English lacks.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from rapidfuzz import fuzz, process

from desk.core.glossary.findings import Finding, FindingKind, apply_fixes
from desk.core.glossary.fuzzy import (
    MAX_NGRAM,
    MIN_KEY,
    Candidate,
    NameKeys,
    is_known_name,
    lower_articles,
    ngrams,
    source_cutoff,
    straight_apostrophes,
    surface_key,
)
from desk.core.glossary.model import Entry, Glossary, Kind
from desk.core.glossary.normalise import (
    ARTICLE_PREFIX,
    ArabicNameIndex,
    at_sentence_start,
    cased,
    english_words,
    strip_article,
)
from desk.core.glossary.numbers import missing_numbers
from desk.core.glossary.words import COMMON_WORDS

# Names are looked up by the text between the boundaries of letter/digit runs, so one
# dictionary probe per run and length finds "Hay'at Tahrir al-Sham" as well as "Idlib".
_PIECE = re.compile(r"[^\W_]+")
_APOSTROPHES = "'’‘ʼ"
# An article glued to the name before it ("al-", "El-", "Ar-"...): the span takes it in,
# so "El-Hasakah" is replaced whole, never left as "El-Hassakeh".
_ARTICLE_BEFORE = re.compile(
    r"(?<![^\W_])(?:al|el|ad|adh|ash|as|ar|at|ath|az|an|ed|esh|es|er|et|ez|en)[-‐‑]$",
    re.IGNORECASE,
)
# Zero-width findings (missing names, numbers) first, then by kind at one span.
_KIND_ORDER = {
    FindingKind.MISSING: 0,
    FindingKind.NUMBER: 1,
    FindingKind.VARIANT: 2,
    FindingKind.SOURCE: 3,
    FindingKind.UNLISTED: 4,
    FindingKind.INVENTED: 5,
    FindingKind.BIDI: 6,
}
# Embedding, override and isolate controls, and the directional marks. In English copy
# they have no business; an override can make a name read differently from what it is.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BIDI_NAMES = {
    "\u061c": "ARABIC LETTER MARK", "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK", "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE", "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
}  # fmt: skip


def _file(entry: Entry) -> str:
    """The glossary file an entry came from, for messages."""
    return Path(entry.source).name if entry.source else "glossary"


@dataclass(frozen=True)
class _Occurrence:
    """A canonical name or listed variant found verbatim in the English."""

    start: int
    end: int
    entry: int
    canonical: bool


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps any of `spans`."""
    return any(start < e and s < end for s, e in spans)


class Enforcer:
    """A glossary compiled for checking segments: name lookup, Arabic index, canonical keys."""

    def __init__(self, glossary: Glossary) -> None:
        """Compile `glossary`; the work is done once, not per segment."""
        self.entries: Sequence[Entry] = list(glossary.entries)
        self.version = glossary.version
        names: dict[str, list[tuple[int, bool]]] = {}
        self._firsts: set[str] = set()
        self._max_pieces = 1
        # Keyed by entry * 2, plus 1 for an only_with_arabic scope form (as `_packed`).
        self._arabic: ArabicNameIndex[int] = ArabicNameIndex()
        self._scoped: set[int] = set()
        self._with_arabic: set[int] = set()
        for index, entry in enumerate(self.entries):
            self._add_name(names, entry.canonical, index, canonical=True)
            for variant in entry.variants:
                self._add_name(names, variant, index, canonical=False)
            for form in entry.arabic:
                if self._arabic.add(form, index * 2):
                    self._with_arabic.add(index)
            for form in entry.only_with_arabic:
                self._arabic.add(form, index * 2 + 1)
            if entry.only_with_arabic:
                self._scoped.add(index)
        self._keys = NameKeys(
            [e.canonical for e in self.entries], [e.variants for e in self.entries]
        )
        self._sizes = [len(e.canonical.split()) for e in self.entries]
        self._canonical_surfaces: set[str] = set()
        # "Idleb Health Directorate" spells Idleb: its presence covers the Idleb entry too.
        self._inner: dict[int, set[int]] = {}
        self._not_variants: dict[int, set[str]] = {}
        for index, entry in enumerate(self.entries):
            self._canonical_surfaces.add(_loose(entry.canonical))
            self._canonical_surfaces.add(_loose(strip_article(entry.canonical)))
            # A listed variant is that entry's spelling, never a look-alike of a third one.
            for variant in entry.variants:
                self._canonical_surfaces.add(_loose(variant))
                self._canonical_surfaces.add(_loose(strip_article(variant)))
            if entry.not_variants:
                self._not_variants[index] = {
                    _loose(strip_article(name)) for name in entry.not_variants
                }
            inner = _inner_canonicals(names, entry.canonical) - {index}
            if inner:
                self._inner[index] = inner
        self._names = {key: _packed(owners) for key, owners in names.items()}
        """Surface key of a canonical or variant → its entries (`_packed`)."""

    def state(self) -> tuple[object, ...]:
        """What the enforcer compiled, as plain tuples, lists, sets, dicts, strings and
        numbers, no object of desk's: `compiled` stores it with `marshal`."""
        # Each entry as marshal bytes of its fields: reading a state back then makes
        # one bytes object per entry, and an entry is decoded when first asked for.
        rows = [
            marshal.dumps((e.id, e.canonical, e.arabic, e.variants, e.kind.value, e.notes,
                           e.only_with_arabic, e.not_variants, e.source, e.line))
            for e in self.entries
        ]  # fmt: skip
        return (
            rows, self.version, self._names, self._firsts, self._max_pieces,
            self._arabic.state(), self._scoped, self._with_arabic, self._keys.state(),
            self._sizes, self._canonical_surfaces, self._inner, self._not_variants,
        )  # fmt: skip

    @classmethod
    def from_state(cls, state: tuple[object, ...]) -> Enforcer:
        """The enforcer `state()` described, without compiling anything again: its parts
        are used as they are, and an entry is made when it is first asked for."""
        enforcer = cls.__new__(cls)
        (
            rows, enforcer.version, enforcer._names, enforcer._firsts, enforcer._max_pieces,
            arabic, enforcer._scoped, enforcer._with_arabic, keys, enforcer._sizes,
            enforcer._canonical_surfaces, enforcer._inner, enforcer._not_variants,
        ) = state  # type: ignore[assignment]  # fmt: skip
        enforcer.entries = _Entries(rows)  # type: ignore[arg-type]
        enforcer._arabic = ArabicNameIndex.from_state(arabic)  # type: ignore[arg-type]
        enforcer._keys = NameKeys.from_state(keys)  # type: ignore[arg-type]
        return enforcer

    def _add_name(
        self, names: dict[str, list[tuple[int, bool]]], name: str, index: int, canonical: bool
    ) -> None:
        """Register a canonical or variant under its surface key."""
        key = surface_key(name)
        pieces = _PIECE.findall(key)
        if not pieces:
            return
        names.setdefault(key, []).append((index, canonical))
        self._firsts.add(pieces[0])
        self._max_pieces = max(self._max_pieces, len(pieces))

    def _occurrences(self, text: str) -> list[_Occurrence]:
        """Canonicals and variants in `text`, longest first at each word, left to right."""
        pieces = list(_PIECE.finditer(text))
        found: list[_Occurrence] = []
        i = 0
        while i < len(pieces):
            first = pieces[i]
            word = first.group()
            # "Al-", "El-"... are looked up lower-case (surface_key folds the article).
            starts = word in self._firsts or (len(word) <= 3 and word.lower() in self._firsts)
            if not starts or _inside_word(text, first.start()):
                i += 1
                continue
            size = min(self._max_pieces, len(pieces) - i)
            hit: tuple[int, int | tuple[int, ...]] | None = None
            for n in range(size, 0, -1):
                end = pieces[i + n - 1].end()
                if not _ends_word(text, end):
                    continue
                packed = self._names.get(surface_key(text[first.start() : end]))
                if packed is not None:
                    hit = (n, packed)
                    break
            if hit is None:
                i += 1
                continue
            n, names = hit[0], _owners(hit[1])
            start, end = first.start(), pieces[i + n - 1].end()
            # A canonical spelling wins over another entry's identical variant.
            index, canonical = next((x for x in names if x[1]), names[0])
            name = self.entries[index].canonical if canonical else text[start:end]
            article = _ARTICLE_BEFORE.search(text, 0, start)
            if article and not ARTICLE_PREFIX.match(name):
                if canonical:
                    # "al-Hassakeh" is not the house "Hassakeh": leave it to the fuzzy checks.
                    i += n
                    continue
                start = article.start()
            found.append(_Occurrence(start, end, index, canonical))
            i += n
        return found

    def entries_in(self, english: str, arabic: str = "") -> list[Entry]:
        """The entries named in a segment: canonical or variant in the English, or an
        Arabic form in the Arabic (scopes not applied), in glossary order."""
        found = {o.entry for o in self._occurrences(english)}
        if arabic.strip():
            found.update(code >> 1 for code in self._arabic.find(arabic) if not code & 1)
        return [self.entries[i] for i in sorted(found)]

    def arabic_names(self, arabic: str) -> list[tuple[int, int, Entry]]:
        """The names in an Arabic text: (first word, number of words, entry), words
        counted as `arabic_words` lists them; scoped forms left out."""
        return [
            (word, count, self.entries[code >> 1])
            for word, count, code in self._arabic.occurrences(arabic)
            if not code & 1
        ]

    def check(self, english: str, arabic: str = "", *, unlisted: bool = True) -> list[Finding]:
        """Findings on one segment's English, with its Arabic as evidence, sorted by span.

        `unlisted=False` leaves out UNLISTED detection (near-spellings no entry lists):
        listed variants, the source-aware check and numbers only.
        """
        occurrences = self._occurrences(english)
        named = self._arabic.find(arabic) if arabic.strip() else {}
        in_arabic = {code >> 1: form for code, form in named.items() if not code & 1}
        scope_met = {code >> 1 for code in named if code & 1}

        def applies(index: int) -> bool:
            """An entry with an only_with_arabic scope applies when the Arabic meets it."""
            return index not in self._scoped or index in scope_met

        findings: list[Finding] = []
        covered: set[int] = set()
        for occurrence in occurrences:
            if not applies(occurrence.entry):
                continue
            covered.add(occurrence.entry)
            covered.update(self._inner.get(occurrence.entry, ()))
            if occurrence.canonical:
                finding = self._article_case(english, occurrence)
            elif _in_known_name(english, occurrence.start, occurrence.end):
                # "State Duma" is the Russian parliament, not a spelling of Douma.
                finding = None
            else:
                finding = self._variant(english, occurrence)
            if finding is not None:
                findings.append(finding)
        if arabic.strip():
            applied = [o for o in occurrences if applies(o.entry)]
            findings += self._invented(english, applied, in_arabic)
        wanted: dict[int, str] = {}
        if english.strip():
            wanted = {i: form for i, form in in_arabic.items() if i not in covered and applies(i)}
        if wanted or unlisted:
            blocked = [(o.start, o.end) for o in occurrences]
            grams = [
                g
                for g in ngrams(english, english_words(english), MAX_NGRAM)
                if len(g.key) >= MIN_KEY and not _overlaps(g.start, g.end, blocked)
            ]
            if wanted:
                findings += self._source(english, grams, wanted)
            if unlisted:
                taken = [(f.start, f.end) for f in findings if f.end > f.start]
                grams = [g for g in grams if g.names_only and not _overlaps(g.start, g.end, taken)]
                evidence = in_arabic if arabic.strip() else None
                findings += self._unlisted(english, grams, evidence, applies)
        if english.strip() and arabic.strip():
            for number in missing_numbers(english, arabic):
                shown = number.written
                if shown != number.value:
                    shown = f"{shown} ({number.value})"
                message = f"{shown} in the Arabic is not in the English"
                findings.append(Finding(FindingKind.NUMBER, 0, 0, "", "", None, message))
        for match in _BIDI_CONTROLS.finditer(english):
            char = match.group()
            message = (
                f"U+{ord(char):04X} {_BIDI_NAMES[char]} in the English (invisible; it can "
                "reorder or hide text): remove it"
            )
            findings.append(
                Finding(FindingKind.BIDI, match.start(), match.end(), char, "", None, message)
            )
        return sorted(findings, key=lambda f: (f.start, f.end, _KIND_ORDER[f.kind]))

    def _invented(
        self, text: str, occurrences: list[_Occurrence], in_arabic: dict[int, str]
    ) -> list[Finding]:
        """Glossary names in the English whose Arabic forms the Arabic lacks (and none of
        the names around them has): the engine may have invented them."""
        named = set(in_arabic)
        for index in in_arabic:
            named.update(self._inner.get(index, ()))
        findings: list[Finding] = []
        for occurrence in occurrences:
            index = occurrence.entry
            if index not in self._with_arabic or index in named:
                continue
            if any(index in self._inner.get(i, ()) for i in named):
                continue
            entry = self.entries[index]
            found = text[occurrence.start : occurrence.end]
            message = (
                f"{found}: the Arabic has no {'، '.join(entry.arabic)} (invented by the "
                f"engine? {_file(entry)})"
            )
            span = (occurrence.start, occurrence.end)
            findings.append(Finding(FindingKind.INVENTED, *span, found, "", entry, message))
        return findings

    def fix(self, english: str, arabic: str = "") -> tuple[str, list[Finding]]:
        """`english` with its VARIANT and SOURCE findings applied, and the findings applied."""
        chosen: list[Finding] = []
        for finding in self.check(english, arabic):
            if not finding.automatic:
                continue
            if chosen and finding.start < chosen[-1].end:
                continue
            chosen.append(finding)
        return apply_fixes(english, chosen), chosen

    def _variant(self, text: str, occurrence: _Occurrence) -> Finding | None:
        """The finding for a listed variant; None when it already reads as the canonical."""
        return self._spelling(text, occurrence, article_only=False)

    def _article_case(self, text: str, occurrence: _Occurrence) -> Finding | None:
        """A canonical written with its article in another case, or a typographic apostrophe.

        "Al-" inside a sentence or "al-" at its start where the canonical writes "al-";
        "Bashar Al-Assad" for "Bashar al-Assad"; "People’s" for the house "People's".
        """
        return self._spelling(text, occurrence, article_only=True)

    def _spelling(
        self, text: str, occurrence: _Occurrence, *, article_only: bool
    ) -> Finding | None:
        """The VARIANT finding replacing an occurrence by the canonical, as cased there."""
        entry = self.entries[occurrence.entry]
        found = text[occurrence.start : occurrence.end]
        suggestion = cased(entry.canonical, at_sentence_start(text, occurrence.start))
        if found == suggestion:
            return None
        if article_only:
            # A canonical occurrence differs from the house form only in whitespace (left
            # alone), in its apostrophes, or in the case of an article.
            written = _one_line(found)
            straight = straight_apostrophes(written)
            if written == suggestion:
                return None
            if straight == suggestion:
                why = "house spelling: straight apostrophe"
            elif lower_articles(straight) != lower_articles(suggestion):
                return None
            elif straight[3:] == suggestion[3:] and entry.canonical[:3] == "al-":
                why = "house style: 'al-' inside a sentence, 'Al-' at its start"
            else:
                why = "house style: the article as the glossary writes it"
        else:
            why = "house spelling"
        message = f"{_one_line(found)} → {suggestion} ({why}, {_file(entry)})"
        return Finding(
            FindingKind.VARIANT,
            occurrence.start,
            occurrence.end,
            found,
            suggestion,
            entry,
            message,
        )

    def _source(self, text: str, grams: list[Candidate], wanted: dict[int, str]) -> list[Finding]:
        """SOURCE or MISSING for each entry the Arabic names and the English does not spell."""
        scored: list[tuple[float, int, Candidate]] = []
        silenced: set[int] = set()
        for index in wanted:
            size = self._sizes[index]
            # The engine may render a name in one word more or fewer than the house does.
            candidates = [c for c in grams if size - 1 <= c.words <= size + 1]
            keys = [c.key for c in candidates]
            # Near the canonical or near a listed variant ("Irbeen" beside the listed "Irbin").
            scores: dict[int, float] = {}
            for key in self._keys.spellings(index):
                for _, score, position in process.extract(
                    key, keys, scorer=fuzz.ratio, score_cutoff=source_cutoff(key), limit=None
                ):
                    scores[position] = max(score, scores.get(position, score))
            best = sorted(((score, position) for position, score in scores.items()), reverse=True)
            for score, position in best:
                candidate = candidates[position]
                if _cuts_a_name(text, candidate):
                    continue
                if is_known_name(candidate.text):
                    # "Al Jazeera" renders قناة الجزيرة: another name, not a misspelling.
                    if score >= best[0][0]:
                        silenced.add(index)
                    continue
                scored.append((score, index, candidate))
        scored.sort(key=lambda item: (-item[0], -(item[2].end - item[2].start)))
        taken: list[tuple[int, int]] = []
        placed: dict[int, str] = {}
        findings: list[Finding] = []
        for score, index, candidate in scored:
            if index in silenced or _overlaps(candidate.start, candidate.end, taken):
                continue
            # One rendering per entry, unless the same rendering comes again.
            if index in placed and placed[index] != candidate.key:
                continue
            placed[index] = candidate.key
            taken.append((candidate.start, candidate.end))
            finding = self._source_finding(text, index, wanted[index], candidate, score)
            if finding is not None:
                findings.append(finding)
        for index, form in wanted.items():
            if index in placed or index in silenced:
                continue
            entry = self.entries[index]
            message = f"{entry.canonical} missing: the Arabic has {form} ({_file(entry)})"
            findings.append(Finding(FindingKind.MISSING, 0, 0, "", "", entry, message))
        return findings

    def _source_finding(
        self, text: str, index: int, form: str, candidate: Candidate, score: float
    ) -> Finding | None:
        """The SOURCE finding replacing `candidate` with the canonical of entry `index`."""
        entry = self.entries[index]
        suggestion = cased(entry.canonical, at_sentence_start(text, candidate.start))
        if candidate.text == suggestion:
            return None
        message = (
            f"{_one_line(candidate.text)} → {suggestion} (the Arabic has {form}; "
            f"house spelling, {_file(entry)}; match {score:.0f})"
        )
        return Finding(
            FindingKind.SOURCE,
            candidate.start,
            candidate.end,
            candidate.text,
            suggestion,
            entry,
            message,
        )

    def _unlisted(
        self,
        text: str,
        grams: list[Candidate],
        in_arabic: dict[int, str] | None,
        applies: Callable[[int], bool],
    ) -> list[Finding]:
        """UNLISTED findings: capitalised n-grams whose key is a canonical's key or near it.

        With an Arabic segment, an entry that has Arabic forms is only considered when
        the Arabic names it: "al-Asaad" (الأسعد) is not a misspelling of "al-Assad" (الأسد).
        """
        hits: list[tuple[float, int, Candidate]] = []
        for candidate in grams:
            if is_known_name(candidate.text):
                continue
            loose = _loose(candidate.text)
            if loose in self._canonical_surfaces:
                continue
            # "Suleiman Ahmed": one word before another name is a person's first name,
            # never a place on its own.
            first_name = candidate.words == 1 and _FIRST_NAME.match(text, candidate.end)
            for index, score in self._keys.near(candidate.key):
                if not applies(index):
                    continue
                if first_name and self.entries[index].kind == Kind.PLACE:
                    continue
                if _loose(strip_article(candidate.text)) in self._not_variants.get(index, ()):
                    continue
                if in_arabic is not None and index in self._with_arabic and index not in in_arabic:
                    continue
                hits.append((score, index, candidate))
        hits.sort(key=lambda item: (-item[0], -(item[2].end - item[2].start), item[1]))
        taken: list[tuple[int, int]] = []
        findings: list[Finding] = []
        for score, index, candidate in hits:
            if _overlaps(candidate.start, candidate.end, taken):
                continue
            taken.append((candidate.start, candidate.end))
            entry = self.entries[index]
            suggestion = cased(entry.canonical, at_sentence_start(text, candidate.start))
            how = "same key as" if score == 100 else f"near ({score:.0f})"
            message = (
                f"{_one_line(candidate.text)} → {suggestion}? (unlisted spelling, {how} "
                f"{entry.canonical}, {_file(entry)})"
            )
            findings.append(
                Finding(
                    FindingKind.UNLISTED,
                    candidate.start,
                    candidate.end,
                    candidate.text,
                    suggestion,
                    entry,
                    message,
                )
            )
        return findings


_KINDS = {kind.value: kind for kind in Kind}
_Row = tuple[
    str,
    str,
    tuple[str, ...],
    tuple[str, ...],
    str,
    str,
    tuple[str, ...],
    tuple[str, ...],
    str,
    int,
]
"""An entry as `Enforcer.state` stores it: its fields in order, the kind as its value."""


class _Entries(Sequence[Entry]):
    """The entries of an enforcer read back from its state, each made when first asked
    for: a check of one story needs a few of 10,000."""

    __slots__ = ("_made", "_rows")

    def __init__(self, rows: list[bytes]) -> None:
        """Entries to be made from `rows` (each an entry's `_Row` as marshal bytes)."""
        self._rows = rows
        self._made: list[Entry | None] = [None] * len(rows)

    def __len__(self) -> int:
        """How many entries."""
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> list[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | list[Entry]:
        """The entry at `index` (made now if it was not yet), or a list for a slice."""
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._rows)))]
        entry = self._made[index]
        if entry is None:
            # Two threads may both make it: equal entries, either one kept.
            row: _Row = marshal.loads(self._rows[index])
            id_, canonical, arabic, variants, kind, notes, only, not_variants, source, line = row
            entry = Entry(
                id_, canonical, arabic, variants, _KINDS[kind], notes, only, not_variants,
                source, line,
            )  # fmt: skip
            self._made[index] = entry
        return entry


def _inner_canonicals(names: dict[str, list[tuple[int, bool]]], name: str) -> set[int]:
    """Entries whose canonical is a shorter run of words inside `name`."""
    pieces = list(_PIECE.finditer(name))
    inner: set[int] = set()
    for i in range(len(pieces)):
        for j in range(i, len(pieces)):
            if i == 0 and j == len(pieces) - 1:
                continue
            key = surface_key(name[pieces[i].start() : pieces[j].end()])
            inner.update(index for index, canonical in names.get(key, ()) if canonical)
    return inner


def _packed(owners: list[tuple[int, bool]]) -> int | tuple[int, ...]:
    """The entries a name belongs to, as numbers: entry * 2, plus 1 where it is that
    entry's canonical; one number alone for the usual one entry. A compiled glossary is
    read back much faster as numbers than as 30,000 lists of pairs."""
    codes = tuple(index * 2 + canonical for index, canonical in owners)
    return codes[0] if len(codes) == 1 else codes


def _owners(packed: int | tuple[int, ...]) -> list[tuple[int, bool]]:
    """(entry, is its canonical) of each entry a name belongs to (`_packed` read back)."""
    codes = (packed,) if isinstance(packed, int) else packed
    return [(code >> 1, bool(code & 1)) for code in codes]


def _one_line(text: str) -> str:
    """`text` on one line, whitespace runs as single spaces (a name broken across lines)."""
    return " ".join(text.split())


def _loose(text: str) -> str:
    """Lowercase with single spaces: names that differ only by case compare equal."""
    return " ".join(text.lower().split())


_NEXT_WORD = re.compile(r"[ \t]+([^\W_]+)")
_FIRST_NAME = re.compile(r"[ \t]+(?:(?:al|el|Al|El)-)?[A-Z][a-z]")
"""After a word: a capitalised word (or an article compound) that goes on the name."""
_PREVIOUS_WORD = re.compile(r"([^\W_]+)[ \t]+$")


def _cuts_a_name(text: str, candidate: Candidate) -> bool:
    """Whether a capitalised word joins `candidate` on either side: "Levant Liberation" of
    "Levant Liberation Authority" is part of a longer name, no rendering by itself."""
    after = _NEXT_WORD.match(text, candidate.end)
    before = _PREVIOUS_WORD.search(text, max(0, candidate.start - 40), candidate.start)
    return any(
        m is not None and m.group(1)[:1].isupper() and m.group(1).lower() not in COMMON_WORDS
        for m in (after, before)
    )


_WORDS_BEFORE = re.compile(r"(?:[^\W_]+[ \t]+){1,2}$")
_WORDS_AFTER = re.compile(r"(?:[ \t]+[^\W_]+){1,2}")


def _in_known_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is part of a longer well-known name ("State Duma").

    Only the words joined to it by spaces, up to two either side, are tried.
    """
    before = _WORDS_BEFORE.search(text, max(0, start - 60), start)
    after = _WORDS_AFTER.match(text, end, end + 60)
    heads = [start]
    if before:
        heads += [before.start() + m.start() for m in _PIECE.finditer(before.group())]
    tails = [end]
    if after:
        tails += [end + m.end() for m in _PIECE.finditer(after.group())]
    return any(
        is_known_name(text[head:tail])
        for head in heads
        for tail in tails
        if (head, tail) != (start, end)
    )


def _inside_word(text: str, start: int) -> bool:
    """Whether a piece starting at `start` continues a word after an apostrophe ("Hay'at")."""
    return start >= 2 and text[start - 1] in _APOSTROPHES and text[start - 2].isalnum()


def _ends_word(text: str, end: int) -> bool:
    """Whether a name may end at `end`: not before "'man" of "Nu'man", but before a possessive."""
    if end >= len(text) or text[end] not in _APOSTROPHES:
        return True
    after = text[end + 1 : end + 2]
    if not after.isalpha():
        return True
    possessive = after in "sS" and not text[end + 2 : end + 3].isalnum()
    return possessive
