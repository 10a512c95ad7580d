#!/bin/sh
# A whole desk session on a bundled sample: import (the demo model drafts it, the house
# glossary fixes its listed spellings), edit as a translator, meet the QA gate, which
# refuses the story until the editor has fixed or dismissed what the machine got wrong,
# then approve, publish, export for the CMS, and show the figures.
#
# It works in a desk of its own, the demo's desk home, never in yours: by default
# ${XDG_DATA_HOME:-~/.local/share}/desk-demo ($DESK_DEMO_HOME chooses another). Each run
# starts that folder afresh (it holds a .desk-demo mark, and the script refuses to empty
# a folder without one) and leaves it there, so that you can carry on with what the demo
# made (the last lines it prints say how). A shared desk ($DESK_DATABASE_URL) and your
# own glossary ($DESK_GLOSSARY) are left alone: the demo uses the house glossary of
# glossaries/. Run it from the top of the checkout; $DESK is the desk to run (default:
# .venv/bin/desk).
set -eu
DESK=${DESK:-.venv/bin/desk}
demo_home=${DESK_DEMO_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/desk-demo}
case $demo_home in
  /*) ;;
  *) demo_home=$PWD/$demo_home ;;
esac
if [ -e "$demo_home" ] && [ ! -e "$demo_home/.desk-demo" ] \
  && [ -n "$(ls -A "$demo_home" 2>/dev/null || echo unreadable)" ]; then
  echo "demo.sh: $demo_home is not the demo's desk home (it has no .desk-demo mark);" \
    "set DESK_DEMO_HOME to an empty or new folder" >&2
  exit 1
fi
rm -rf "$demo_home"
mkdir -p "$demo_home"
echo "made by samples/demo.sh, which empties this folder on each run" > "$demo_home/.desk-demo"
DESK_HOME=$demo_home
export DESK_HOME
unset DESK_DATABASE_URL DESK_GLOSSARY
story=lattakia-offensive
echo "desk home: $DESK_HOME (the demo's own desk)"
# Roles: only the editor approves and publishes.
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

carry_on() {
  # How to go on with this desk: the README's next steps, with this run's folder.
  cat <<MSG

The demo's desk is kept in $DESK_HOME (run the demo again to start it afresh).
To carry on with it, from this folder:

  . .venv/bin/activate          # puts desk on your PATH
  export DESK_HOME='$DESK_HOME'
  desk list

Your own desk is separate and starts empty: unset DESK_HOME (or open a new terminal),
then follow docs/getting-started.md.
MSG
}

# On a terminal, go on in the workbench with a second sample, drafted on import
# (when run without a terminal, as in CI, the script ends after its last lines).
if [ -t 0 ] && [ -t 1 ]; then
  "$DESK" import samples/idleb-displacement.ar.md --as translator
  echo "Opening the workbench on idleb-displacement (F1: keys; Esc, then q: quit)"
  status=0
  "$DESK" open idleb-displacement --as translator || status=$?
  carry_on
  exit "$status"
fi
carry_on
