"""The repository's folders the tests read, wherever a test module lives."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
"""The tests/ folder."""
ROOT = TESTS.parent
"""The repository."""
SAMPLES = ROOT / "samples"
"""The bundled sample stories and their drafts."""
GLOSSARIES = ROOT / "glossaries"
"""The shipped house glossary."""
GOLDEN = TESTS / "golden"
"""Golden exports (tests/cli/test_session.py)."""
FIXTURES = TESTS / "fixtures"
"""Files made for the tests: an old-schema database, glossary files of other tools."""
GLOSSARY_ACCURACY = TESTS / "glossary_accuracy"
"""The labelled set of tests/core/glossary/test_accuracy.py."""
