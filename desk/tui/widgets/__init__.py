"""The workbench's widgets, one a module, each with its own look in DEFAULT_CSS."""
