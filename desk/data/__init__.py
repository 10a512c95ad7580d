"""Data shipped with desk: the demo translation package and its manifest."""
