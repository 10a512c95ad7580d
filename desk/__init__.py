"""desk: a translation-and-editing workbench for a news desk.

The layers, each importing only the ones below it (import-linter contracts in
pyproject.toml hold them): the front ends `cli.py` + `commands/` (click) and `tui/`
(Textual); the application layer `app/`, which both call; the domain `core/`;
`locations.py`, where a desk home keeps its files.
"""

__version__ = "0.1.0"
