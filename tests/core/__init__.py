"""Unit tests of desk.core: segments, alignment, diffs, export, store, search; glossary/ engine/."""
