#!/bin/sh
# fuzz/run.sh [SECONDS_EACH]: builds the libFuzzer harnesses with clang
# (ASan + UBSan) in build-fuzz/ and runs each for SECONDS_EACH (default
# 600). Crashing inputs land in fuzz/crashes/<harness>/ (once fixed, copy
# one to tests/data/fuzz/normalize/crash-<what>: test_normalize_replay runs
# it on every build); the growing corpora
# in fuzz/corpus-<harness>/ (git-ignored), seeded from the repository's own
# rules, samples and test data.
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-600}
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DBUDGET_FUZZ=ON \
  -DBUDGET_TESTS=OFF -DBUDGET_WERROR=OFF >/dev/null
cmake --build build-fuzz -j 2 --target fuzz_normalize fuzz_rules fuzz_csv >/dev/null
seed() { # harness, then files to copy into its corpus
  h=$1; shift
  mkdir -p "fuzz/corpus-$h" "fuzz/crashes/$h"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "fuzz/corpus-$h/" || true; done
}
seed rules rules/*.rules
seed normalize samples/*/doc.txt tests/data/normalize/* 2>/dev/null
seed csv tests/data/csv/* 2>/dev/null
if [ -x build/bin/budget-extract ]; then
  for s in samples/*/doc.pdf; do
    n=$(basename "$(dirname "$s")")
    build/bin/budget-extract "$s" > "fuzz/corpus-normalize/$n.stream" 2>/dev/null || true
    [ -x build/bin/budget-normalize ] &&
      build/bin/budget-normalize "fuzz/corpus-normalize/$n.stream" \
        > "fuzz/corpus-csv/$n.tables" 2>/dev/null || true
  done
fi
export ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
for h in normalize rules csv; do
  echo "fuzz_$h: $SECS s"
  build-fuzz/bin/fuzz_$h -max_total_time="$SECS" -max_len=65536 -timeout=10 \
    -artifact_prefix="fuzz/crashes/$h/" "fuzz/corpus-$h" 2>&1 | tail -n 3
done
