"""Spell checking of the English: the installed Hunspell dictionaries and the house names."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.core.config import load_config
from desk.core.errors import InputError
from desk.core.glossary.model import load_folder
from desk.core.spelling import Speller, load_speller, name_words
from tests.helpers.paths import GLOSSARIES


@pytest.fixture(scope="module")
def gb() -> Speller:
    """The British English speller, from the dictionary installed with desk."""
    return load_speller("en-GB")


@pytest.fixture(scope="module")
def us() -> Speller:
    """The American English speller, from the dictionary installed with desk."""
    return load_speller("en-US")


@pytest.fixture(scope="module")
def house() -> frozenset[str]:
    """The words of every canonical name in the shipped house glossary."""
    return name_words(entry.canonical for entry in load_folder(GLOSSARIES).entries)


def flagged(speller: Speller, text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The flagged words of `text`, each checked against the span it claims."""
    found = speller.misspelt(text, names)
    assert all(text[m.start : m.end] == m.word for m in found)
    return [m.word for m in found]


def test_misspelt_words_are_flagged_with_their_spans(gb: Speller) -> None:
    """Unknown words come back in order, with offsets into the text."""
    text = "The goverment said that 12 civilans were killed."
    found = gb.misspelt(text)
    assert [(m.start, m.end, m.word) for m in found] == [
        (4, 13, "goverment"),
        (27, 35, "civilans"),
    ]


def test_house_names_are_never_flagged(gb: Speller, house: frozenset[str]) -> None:
    """Names from the real house glossary pass, with or without the article, any case."""
    names = {e.canonical for e in load_folder(GLOSSARIES).entries}
    assert {"Hassakeh", "Abu Humam al-Shami", "Lattakia", "al-Akrad mountain"} <= names
    text = (
        "Abu Humam al-Shami left Hassakeh for Lattakia and the al-Akrad mountain; "
        "Al-Akrad, Akrad and Hassakeh's countryside, and el-Shami's men."
    )
    without = ["Humam", "Shami", "Hassakeh", "Lattakia", "Akrad", "Akrad", "Akrad"]
    assert flagged(gb, text) == [*without, "Hassakeh's", "Shami's"]
    assert flagged(gb, text, house) == []
    assert flagged(gb, "The civilans of Hassakeh", house) == ["civilans"]


def test_misspelt_names_and_sentence_capitals(gb: Speller, house: frozenset[str]) -> None:
    """A misspelt capitalised name is flagged; an ordinary word at a sentence start is not."""
    text = "Civilians fled Hasakeh. Goverment forces shelled Lattakiya. Damascus said so."
    assert flagged(gb, text, house) == ["Hasakeh", "Goverment", "Lattakiya"]
    assert flagged(gb, "the road to damascus") == ["damascus"]


def test_british_and_american_spellings(gb: Speller, us: Speller) -> None:
    """en-GB and en-US each flag the other's spellings (en-GB also takes Oxford -ize)."""
    text = "The organisation's colour. The organization's color."
    assert flagged(gb, text) == ["color"]
    assert flagged(us, text) == ["organisation's", "colour"]
    assert (gb.variant, us.variant) == ("en-GB", "en-US")


def test_acronyms_numbers_and_possessives_are_not_flagged(gb: Speller) -> None:
    """All-capital acronyms, words with digits, possessives and contractions pass."""
    text = (
        "ISIS and the SDF's fighters, 300 IDPs and the HTS, on 3rd May 2024 with M16s in "
        "the 1990s; the Observatory's and the Observatory’s reports don't agree."
    )
    assert flagged(gb, text) == []
    assert flagged(gb, "ISIS and the SDF's civilans") == ["civilans"]


def test_hyphenated_words_are_checked_part_by_part(gb: Speller) -> None:
    """A known compound passes; otherwise each part is checked, the al-/el- article skipped."""
    text = "A well-known, Turkish-backed, SDF-held, pro-goverment and al-Qaeda-linked group."
    assert flagged(gb, text) == ["goverment"]
    found = gb.misspelt("the anti-civilans al-Zzyx")
    assert [(m.start, m.end, m.word) for m in found] == [(9, 17, "civilans"), (21, 25, "Zzyx")]


def test_urls_emails_handles_and_arabic_are_skipped(gb: Speller) -> None:
    """Links, addresses, handles, dotted abbreviations and other scripts are not prose."""
    text = (
        "See https://sana.sy/en/?p=12345 and www.syriaobserver.com, write to "
        "desk.editor@example.org or @SyrObsrvr #Idlb; the U.S. and U.K. said قال الرئيس "
        "in “quotes” and ‘single quotes’, e.g. 3.5 km."
    )
    assert flagged(gb, text) == []


def test_suggestions_are_computed_on_demand(gb: Speller) -> None:
    """suggest() offers the dictionary word first, at most `limit` of them."""
    assert gb.suggest("civilans")[0] == "civilians"
    assert "government" in gb.suggest("goverment", limit=3)
    assert len(gb.suggest("civilans", limit=2)) <= 2


def test_one_speller_per_variant_is_loaded(gb: Speller) -> None:
    """A second load of a variant returns the speller already in memory."""
    assert load_speller("en-GB") is gb


def test_unknown_variant_and_missing_dictionary_are_clear_errors(tmp_path: Path) -> None:
    """An unknown variant is named with the known ones; a missing dictionary names both."""
    with pytest.raises(InputError, match=r"unknown spelling variant 'en-AU' \(known: en-GB, en-US"):
        load_speller("en-AU")
    (tmp_path / "en_US.dic").write_text("1\ncolor\n", encoding="utf-8")
    with pytest.raises(InputError, match="the en-US spelling dictionary is missing") as caught:
        load_speller("en-US", tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_a_dictionary_folder_can_be_given(tmp_path: Path) -> None:
    """A folder of Hunspell files (e.g. Debian's /usr/share/hunspell) is read instead."""
    (tmp_path / "en_GB.aff").write_text("SET UTF-8\n", encoding="utf-8")
    (tmp_path / "en_GB.dic").write_text("2\ncolour\nshelling\n", encoding="utf-8")
    speller = load_speller("en-GB", tmp_path)
    assert flagged(speller, "colour shelling civilians") == ["civilians"]


def test_config_spelling_setting(tmp_path: Path) -> None:
    """`[desk] spelling` is en-GB by default, en-US or off; anything else names the file."""
    path = tmp_path / "config.toml"
    assert load_config(path).spelling == "en-GB"
    for value in ("en-US", "off", "en-GB"):
        path.write_text(f'[desk]\neditors = ["omar"]\nspelling = "{value}"\n', encoding="utf-8")
        config = load_config(path)
        assert (config.spelling, config.editors) == (value, ("omar",))
    for bad, message in [
        ('spelling = "en-AU"', "[desk] spelling must be one of en-GB, en-US, off"),
        ("spelling = false", "[desk] spelling must be a string"),
    ]:
        path.write_text(f"[desk]\n{bad}\n", encoding="utf-8")
        with pytest.raises(InputError) as caught:
            load_config(path)
        assert str(caught.value) == f"{path}: {message}"
