#!/bin/sh
# accuracy.sh BIN_DIR SHARED OUT
#
# Runs BIN_DIR/budget2csv on every SHARED/corpus/dev/*/doc.pdf into
# OUT/dev/<docid>/, on every SHARED/seeds/*/doc.txt into OUT/seeds/<name>/
# and on every SHARED/real/*/doc.pdf into OUT/real/<slug>/, then prints
# score.py's summary for each set (and, for real, table_recall.py's). A
# document that fails (or runs over the time limit) is reported and
# counted, never stops the run; its stderr is kept in OUT/<set>/<id>.err.
# Each output folder is emptied first, so an earlier run's CSVs never
# count for a document that fails now. Without SHARED it says so and
# exits 0 (the corpus is not part of the repository).
#
# Exit status: 0 when the run happened (whatever the scores), 2 on bad
# usage, 1 when BIN_DIR has no budget2csv.
set -u

if [ $# -ne 3 ]; then
  echo "usage: tools/accuracy.sh BIN_DIR SHARED OUT" >&2
  exit 2
fi
BIN=$1
SHARED=$2
OUT=$3
LIMIT=${ACCURACY_TIMEOUT:-300}   # seconds per document

if [ ! -d "$SHARED/corpus" ] && [ ! -d "$SHARED/seeds" ]; then
  echo "accuracy: $SHARED has no corpus/ or seeds/; skipped"
  exit 0
fi
if [ ! -x "$BIN/budget2csv" ]; then
  echo "accuracy: $BIN/budget2csv not found (run make first)" >&2
  exit 1
fi
SCORE=$SHARED/corpus/score.py
TIMEOUT=""
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout $LIMIT"

# run_set NAME GLOB_DIR INPUT_FILE_NAME
run_set() {
  set_name=$1
  dir=$2
  input=$3
  total=0
  failed=0
  mkdir -p "$OUT/$set_name" || exit 1
  for doc in "$dir"/*/"$input"; do
    [ -f "$doc" ] || continue
    id=$(basename "$(dirname "$doc")")
    dest=$OUT/$set_name/$id
    total=$((total + 1))
    rm -rf "$dest"
    # shellcheck disable=SC2086
    $TIMEOUT "$BIN/budget2csv" "$doc" -o "$dest" \
      2>"$OUT/$set_name/$id.err" </dev/null
    rc=$?
    # A document that lists no table (narrative only) should say so: exit 7.
    listed=$(dirname "$doc")/tables.csv
    if [ "$rc" -eq 7 ] && [ -f "$listed" ] && [ "$(wc -l <"$listed")" -le 1 ]; then
      rc=0
    fi
    if [ "$rc" -ne 0 ]; then
      failed=$((failed + 1))
      [ "$rc" -eq 124 ] && echo "over ${LIMIT}s" >>"$OUT/$set_name/$id.err"
      printf 'accuracy: %s/%s: exit %d: %s\n' "$set_name" "$id" "$rc" \
        "$(head -n 1 "$OUT/$set_name/$id.err")"
    fi
  done
  echo "accuracy: $set_name: $total documents, $failed failed"
  if [ "$total" -gt 0 ] && [ -f "$SCORE" ]; then
    python3 "$SCORE" "$dir" "$OUT/$set_name"
  elif [ "$total" -gt 0 ]; then
    echo "accuracy: $SCORE not found; not scored"
  fi
  echo
}

if [ -d "$SHARED/corpus/dev" ]; then
  echo "== corpus/dev (PDF) =="
  run_set dev "$SHARED/corpus/dev" doc.pdf
else
  echo "accuracy: no $SHARED/corpus/dev; skipped"
fi
if [ -d "$SHARED/seeds" ]; then
  echo "== seeds (text) =="
  run_set seeds "$SHARED/seeds" doc.txt
else
  echo "accuracy: no $SHARED/seeds; skipped"
fi
# Real published documents: the truth covers some tables (read cells and
# numeric); every table each one prints is listed, so recall and phantom
# tables are counted by tools/table_recall.py.
if [ -d "$SHARED/real" ]; then
  echo "== real (published PDFs) =="
  run_set real "$SHARED/real" doc.pdf
  python3 "$(dirname "$0")/table_recall.py" "$SHARED/real" "$OUT/real" | tail -n 1
else
  echo "accuracy: no $SHARED/real; skipped"
fi
exit 0
