#!/bin/sh
# tools/memcheck.sh [BUILD_DIR [TEST_NAME...]]
#
# Runs the test programs of an existing build (default: build) under
# valgrind memcheck, following them into every budget-* program they
# start, and fails when any test fails or valgrind reports a memory error
# or a definite leak. System tools the tests run as stand-in stages
# (/bin/sh, sort, tr ...) are not traced: their own leaks are not ours.
#
# Slow (the PDF tests take minutes under valgrind), so CI runs the
# ASan+UBSan build instead; run this before a release or after touching
# memory ownership. Logs: $MEMCHECK_LOGS (default: BUILD_DIR/memcheck).
#
# Exit: 0 clean, 1 a test failed or valgrind reported, 2 bad usage.
set -u

build=${1:-build}
[ $# -gt 0 ] && shift
case $build in /*) ;; *) build=$PWD/$build ;; esac
if [ ! -d "$build/bin" ]; then
  echo "memcheck: $build/bin: no such build (cmake -B $build && cmake --build $build)" >&2
  exit 2
fi
command -v valgrind >/dev/null 2>&1 || {
  echo "memcheck: valgrind is not installed (tools/install-deps.sh)" >&2
  exit 2
}

here=$(cd "$(dirname "$0")/.." && pwd)
logs=${MEMCHECK_LOGS:-$build/memcheck}
mkdir -p "$logs"
export BUDGET_BIN_DIR="$build/bin" BUDGET_HOME="$here"
# valgrind cannot follow PCRE2's JIT code; the interpreter matches the same.
export BUDGET_NO_JIT=1

if [ $# -gt 0 ]; then
  tests=$*
else
  tests=$(cd "$build/bin" && ls test_* 2>/dev/null)
fi

bad=0
for t in $tests; do
  log=$logs/$t.log
  # --jobs=1: one Criterion worker at a time keeps the log readable.
  valgrind -q --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --error-exitcode=99 \
    --trace-children=yes --trace-children-skip='/bin/*,/usr/bin/*' \
    --suppressions="$here/tests/valgrind.supp" \
    "$build/bin/$t" --jobs=1 >"$log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    echo "ok    $t"
  else
    bad=1
    why="test failed"
    [ $rc -eq 99 ] && why="valgrind reported"
    echo "FAIL  $t ($why, exit $rc): $log"
  fi
done
exit $bad
