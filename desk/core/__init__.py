"""The domain of desk: stories, segments, the store, diffs and export. Never imports a UI."""
