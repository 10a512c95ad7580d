"""Checking an English file that is not (yet) a story, with or without its Arabic."""

from __future__ import annotations

from pathlib import Path

from desk.core.glossary.enforce import Enforcer
from desk.core.glossary.stories import SegmentFindings, check_story
from desk.core.importer import ImportOptions, load_source, read_text_file, split_front_matter
from desk.core.segment import parse_document, split_sentences


def check_file(
    english: Path, arabic: Path | None, enforcer: Enforcer, credit: str
) -> list[SegmentFindings]:
    """Findings in an English file, numbered like the story's segments would be.

    With `arabic`, the two are aligned as `desk import --draft` aligns them, so the
    source-aware and number checks run; without, only the English is checked.
    """
    if arabic is not None:
        # The importer puts each aligned draft sentence in its segment's text.
        story = load_source(arabic, ImportOptions(draft=english), credit).story
        return check_story(story, enforcer)
    _, body = split_front_matter(english, read_text_file(english))
    out: list[SegmentFindings] = []
    n = 0
    for block in parse_document(body):
        for sentence in split_sentences(block.text, "en"):
            n += 1
            findings = enforcer.check(sentence, "")
            if findings:
                out.append(SegmentFindings(n, "", sentence, findings))
    return out
