"""The store: stories, segments, the revision log and the search and spelling indexes.

Nothing outside this package writes SQL. `sqlite.py` is the embedded SQLite store,
`migrations.py` its named schema migrations, `spelling_index.py` the audit's index.
"""

from __future__ import annotations

from desk.core.store.sqlite import Revision, Store, StorySummary, utc_now

__all__ = ["Revision", "Store", "StorySummary", "utc_now"]
