#!/bin/sh
# A whole desk session on a bundled sample: import (the demo model drafts it), edit as two
# people, confirm, review, approve, publish, export for the CMS, then show the figures.
# Uses $DESK (default: .venv/bin/desk) and $DESK_HOME (default: a new temporary folder).
set -eu
DESK=${DESK:-.venv/bin/desk}
DESK_HOME=${DESK_HOME:-$(mktemp -d)}
export DESK_HOME
story=lattakia-offensive
echo "desk home: $DESK_HOME"
"$DESK" import "samples/$story.ar.md" --as translator
"$DESK" show "$story" | head -n 14
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
echo "--- $DESK_HOME/export/$story.md (front matter) ---"
sed -n '1,/^---$/p' "$DESK_HOME/export/$story.md"
# On a terminal, go on in the workbench with a second sample, drafted on import
# (when run without a terminal, as in CI, the script ends here).
if [ -t 0 ] && [ -t 1 ]; then
  "$DESK" import samples/idleb-displacement.ar.md --as translator
  echo "Opening the workbench on idleb-displacement (F1: keys; Esc, then q: quit)"
  exec "$DESK" open idleb-displacement --as translator
fi
