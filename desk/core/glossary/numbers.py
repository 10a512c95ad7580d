"""Numbers of an Arabic segment that its English lacks.

The Arabic writes digits as Western (0-9), Arabic-Indic (٠-٩) or Persian (۰-۹), with
٫ or . for decimals and ٬ or , for thousands; dates are dotted (٦.٣.٢٠١٥). The English
may write 1,200 or 1200, "460 thousand" or "460,000", a date as "6 March 2015", and a
number from one to ten as a word. Dual forms (يومين, "two days") carry no digit, so
they are never expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_TO_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# A digit glued to a Latin letter is part of a code (M5, A320), not a quantity.
_NUMBER = re.compile(r"(?<![A-Za-z0-9])[0-9]+(?:[.,٫٬/][0-9]+)*")
_AR_MULTIPLIER = re.compile(r"\s*(ألف|الف|آلاف|ألفا|ألفاً|مليون|ملايين|مليونا|مليار|مليارات)")
_EN_MULTIPLIER = re.compile(r"[\s-]*(thousand|million|billion)\b", re.IGNORECASE)
_MULTIPLIERS = {
    "ألف": 1000,
    "الف": 1000,
    "آلاف": 1000,
    "ألفا": 1000,
    "ألفاً": 1000,
    "مليون": 10**6,
    "ملايين": 10**6,
    "مليونا": 10**6,
    "مليار": 10**9,
    "مليارات": 10**9,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
}
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "once": 1,
    "twice": 2,
}
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_ENGLISH_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class ExpectedNumber:
    """A number of the Arabic: how it is written there and the values that count as present."""

    written: str
    """As the Arabic writes it, e.g. '٣٫٧' or the day of '٦.٣.٢٠١٥'."""
    value: str
    """Canonical Western form, e.g. '3.7'."""
    accepted: frozenset[str]
    """Canonical values and lowercase words any of which in the English counts as the number."""


def _canonical(number: Decimal) -> str:
    """'1200', '3.7', '0.5': no exponent, no trailing zeros after the point."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _value(written: str) -> Decimal | None:
    """The value of one number without date separators; None if it does not parse."""
    text = written.replace("٬", "").replace("٫", ".")
    # A comma before exactly three digits groups thousands (1,200); otherwise it is a
    # decimal comma (2,5) as some sources write it.
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", text):
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    if text.count(".") > 1:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _date_parts(written: str) -> list[str] | None:
    """Day, month and year of a dotted or slashed date (6.3.2015, 2015/3/6); None if not one."""
    parts = re.split(r"[./]", written)
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    if len(parts[2]) == 4 or len(parts[0]) == 4:
        return [str(int(p)) for p in parts]
    return None


def _words_for(value: str) -> set[str]:
    """Words an English writer may use for a small number."""
    return {word for word, number in NUMBER_WORDS.items() if str(number) == value}


def arabic_numbers(arabic: str) -> list[ExpectedNumber]:
    """The numbers of an Arabic segment, dates as their parts, in order of first appearance."""
    text = arabic.translate(_TO_WESTERN)
    expected: dict[str, ExpectedNumber] = {}
    for match in _NUMBER.finditer(text):
        shown = arabic[match.start() : match.end()]
        date = _date_parts(match.group())
        if date is not None:
            day_month_year = date if len(date[2]) == 4 else list(reversed(date))
            for position, part in enumerate(day_month_year):
                accepted = {part} | _words_for(part)
                if position == 1 and 1 <= int(part) <= 12:
                    accepted.add(MONTHS[int(part) - 1])
                expected.setdefault(part, ExpectedNumber(shown, part, frozenset(accepted)))
            continue
        number = _value(match.group())
        if number is None:
            continue
        value = _canonical(number)
        accepted = {value} | _words_for(value)
        multiplier = _AR_MULTIPLIER.match(text, match.end())
        if multiplier:
            accepted.add(_canonical(number * _MULTIPLIERS[multiplier.group(1)]))
        if value in expected:
            accepted |= expected[value].accepted
        expected[value] = ExpectedNumber(shown, value, frozenset(accepted))
    return list(expected.values())


def english_numbers(english: str) -> set[str]:
    """Canonical values and number/month words present in an English text."""
    present: set[str] = set()
    for match in _NUMBER.finditer(english):
        written = match.group()
        present.add(written)
        date = _date_parts(written)
        if date is not None:
            present.update(date)
            continue
        number = _value(written)
        if number is None:
            continue
        present.add(_canonical(number))
        multiplier = _EN_MULTIPLIER.match(english, match.end())
        if multiplier:
            present.add(_canonical(number * _MULTIPLIERS[multiplier.group(1).lower()]))
    present.update(w.lower() for w in _ENGLISH_WORD.findall(english))
    return present


def missing_numbers(english: str, arabic: str) -> list[ExpectedNumber]:
    """Numbers of the Arabic of which the English has none of the accepted forms."""
    present = english_numbers(english)
    return [n for n in arabic_numbers(arabic) if not (n.accepted & present)]
