"""desk: a translation-and-editing workbench for a news desk."""

__version__ = "0.1.0"
