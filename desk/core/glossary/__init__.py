"""The house glossary: entries in TOML files, enforcement on drafts (listed variants,
source-aware names, unlisted variants, numbers), lint, TBX/CSV exchange and the audit."""
