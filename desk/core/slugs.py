"""Story slugs: safe in a URL and a file name, made from a headline when none is given."""

from __future__ import annotations

import re
import unicodedata

from desk.core.errors import InputError

MAX_SLUG = 80
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# A plain ASCII romanisation, only to make a readable slug from an Arabic headline when
# no English headline exists yet; it is not the desk's transliteration of names.
_ARABIC_TO_LATIN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ء": "", "ؤ": "u", "ئ": "i", "ب": "b",
    "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "ة": "a", "و": "w", "ي": "y", "ى": "a",
}  # fmt: skip
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def check_slug(slug: str) -> str:
    """Return `slug` if it is lowercase ASCII words joined by hyphens; InputError otherwise."""
    if not _SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
        raise InputError(
            f"slug {slug!r} is not valid: use lowercase letters, digits and single hyphens, "
            f"at most {MAX_SLUG} characters (e.g. lattakia-offensive)"
        )
    return slug


def slug_from_text(text: str, date: str = "") -> str:
    """A slug made from a headline (English, or Arabic romanised); never empty."""
    text = text.translate(_DIGITS)
    latin = "".join(_ARABIC_TO_LATIN.get(ch, ch) for ch in text)
    ascii_text = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > 60:
            break
        slug = candidate
    if not slug:
        slug = "story-" + (date.replace("-", "")[:8] or "untitled")
    return slug
