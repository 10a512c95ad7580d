"""`python -m desk` runs the CLI."""

from desk.cli import main

main()
