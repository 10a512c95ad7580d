#!/bin/sh
# A whole desk session on a bundled sample: import (the demo model drafts it, the house
# glossary fixes its listed spellings), edit as a translator, meet the QA gate, which
# refuses the story until the editor has fixed or dismissed what the machine got wrong,
# then approve, publish, export for the CMS, and show the figures.
# Uses $DESK (default: .venv/bin/desk) and $DESK_HOME (default: a new temporary folder).
set -eu
DESK=${DESK:-.venv/bin/desk}
DESK_HOME=${DESK_HOME:-$(mktemp -d)}
export DESK_HOME
story=lattakia-offensive
echo "desk home: $DESK_HOME"
# Roles: only the editor approves and publishes.
mkdir -p "$DESK_HOME"
printf '[desk]\neditors = ["editor"]\n' > "$DESK_HOME/config.toml"

"$DESK" import "samples/$story.ar.md" --as translator
"$DESK" show "$story" | head -n 14
"$DESK" edit "$story" 1 --as translator --text \
  "Fears of sectarian killings in the Lattakia countryside as regime forces close in on al-Akrad mountain"
"$DESK" glossary fix "$story" --as translator
"$DESK" confirm "$story" --all --as translator
"$DESK" status "$story" review --as translator

echo "--- the translator may not approve; the editor meets the QA gate ---"
"$DESK" status "$story" approved --as translator || true
"$DESK" status "$story" approved --as editor || true
"$DESK" qa "$story" || true

echo "--- the editor fixes what the machine got wrong, and dismisses what is right ---"
"$DESK" edit "$story" 2 --as editor --text \
  "Syrian regime forces, backed by National Defence Forces militias and allied sectarian groups, launched a surprise attack on opposition positions in the northern Lattakia countryside at dawn on Friday 6.3.2015, breaking through the first line of defence on al-Akrad mountain."
"$DESK" edit "$story" 14 --as editor --text \
  "In the eastern Hama countryside, the director of the Observatory, Rami Abdulrahman, announced the killing of at least 26 ISIS members, among them two leaders, in raids by regime aircraft on the Aqerbat area in the desert between Hama and Homs."
"$DESK" edit "$story" 17 --as editor --text \
  "The killing of al-Jazrawi comes a few days after the killing of the Nusra Front's general military commander, Abu Humam al-Shami, in a raid that targeted a meeting of the Front's leaders in the Idleb countryside on Thursday."
"$DESK" dismiss "$story" 18 1 --as editor \
  --reason "أبا همام is Abu Humam al-Shami, named in full in segment 17."
"$DESK" confirm "$story" 2 14 17 --as editor
"$DESK" qa "$story"
"$DESK" status "$story" approved --as editor
"$DESK" publish "$story" --as editor
"$DESK" export "$story" --as editor
"$DESK" log "$story" --kind dismiss
"$DESK" diff "$story" --from mt --to published --segment 17
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
