"""Every name field of an entry is one line of plain text; notes may hold line breaks."""

from __future__ import annotations

import pytest

from desk.core.errors import InputError
from desk.core.glossary.model import parse_entry

FIELDS = ["canonical", "arabic", "variants", "not_variants", "only_with_arabic"]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("bad", ["\x1b", "\x85", "\x00", "\x07", "\x7f", "\t", "\n", "\u2028"])
def test_a_control_character_in_any_name_is_refused(field: str, bad: str) -> None:
    """A variant (or not_variants, only_with_arabic) holding ESC or NEL was accepted,
    though the same character in a canonical was refused."""
    value = f"Q{bad}x"
    table: dict[str, object] = {"canonical": "Q", field: value if field == "canonical" else [value]}
    with pytest.raises(InputError, match=rf"{field} .* holds U\+{ord(bad):04X}"):
        parse_entry("q", table, "x.toml", 1)


@pytest.mark.parametrize("bad", ["\x1b[2J", "\x00", "\x07", "\x7f", "\x9b", "\x0b"])
def test_notes_refuse_controls_other_than_tabs_and_line_breaks(bad: str) -> None:
    """ESC and the other controls in notes would act on a terminal showing them."""
    with pytest.raises(InputError, match=r"notes .* hold U\+"):
        parse_entry("q", {"canonical": "Q", "notes": f"a{bad}b"}, "x.toml", 1)


def test_notes_keep_tabs_and_line_breaks() -> None:
    """Notes over several lines, with tabs, NEL or U+2028, load as they are."""
    notes = "First line.\nSecond\tline.\r\nThird\x85and\u2028fourth."
    assert parse_entry("q", {"canonical": "Q", "notes": notes}).notes == notes
