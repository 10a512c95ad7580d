"""Tests of desk.core.glossary: files, enforcement, lint, TBX/CSV exchange, spellings, accuracy."""
