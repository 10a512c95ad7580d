#!/bin/sh
# A whole desk session on a bundled sample: import with an English draft, edit as two
# people, confirm, review, approve, publish, export for the CMS, then show the figures.
# Uses $DESK (default: .venv/bin/desk) and $DESK_HOME (default: a new temporary folder).
set -eu
DESK=${DESK:-.venv/bin/desk}
DESK_HOME=${DESK_HOME:-$(mktemp -d)}
export DESK_HOME
story=lattakia-offensive
echo "desk home: $DESK_HOME"
"$DESK" import "samples/$story.ar.md" --draft "samples/$story.draft.en.md" --as translator
"$DESK" show "$story" | head -n 16
"$DESK" edit "$story" 1 --as translator --text \
  "Fears of sectarian killings in the Lattakia countryside as regime forces close in on al-Akrad mountain"
"$DESK" confirm "$story" --all --as translator
"$DESK" status "$story" review --as translator
"$DESK" edit "$story" 1 --as editor --text \
  "Fears of sectarian killings in Lattakia countryside as regime forces near al-Akrad mountain"
"$DESK" confirm "$story" 1 --as editor
"$DESK" status "$story" approved --as editor
"$DESK" publish "$story" --as editor
"$DESK" export "$story" --as editor
"$DESK" log "$story" --kind edit
"$DESK" diff "$story" --from mt --to published
"$DESK" stats "$story" | head -n 4
echo "--- $DESK_HOME/export/$story.md (first lines) ---"
head -n 12 "$DESK_HOME/export/$story.md"
