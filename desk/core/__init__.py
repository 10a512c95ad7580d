"""The domain of desk: stories and their workflow, segmentation and alignment, the store,
the QA gate, the glossary, the engines, diffs and history, export. Never imports a front
end, the application layer or a UI library (import-linter contracts and a test hold it)."""
