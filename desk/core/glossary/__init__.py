"""The house glossary: entries in TOML files, enforcement on drafts, exchange formats."""
