"""The store: stories, segments, the revision log and the search and spelling indexes.

Nothing outside this package writes SQL. `sqlite.py` is the embedded SQLite store,
`migrations.py` its named schema migrations, `opening.py` how the file is opened
(writable, read-only, on a read-only mount) and what SQLite's failures mean,
`rows.py` the records rows become (a row no desk writes is damage), `maintenance.py`
the check and backup of `desk db`, `spelling_index.py` the audit's index.
"""

from __future__ import annotations

from desk.core.store.store import BUSY_TIMEOUT_MS, Revision, Store, StorySummary, utc_now

__all__ = ["BUSY_TIMEOUT_MS", "Revision", "Store", "StorySummary", "utc_now"]
