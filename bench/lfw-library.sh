#!/usr/bin/env bash
# Issue 16's LFW acceptance (docs/library.md): LFW split into five daily folders (bench/lfw-days.sh), run one
# after the other into one person library (`run --library`), scored against the LFW labels next to one-shot
# graph clustering of the same faces; id stability per day; then `recluster` and its id carry-over. The code is
# job/src/test/java/io/facecluster/library/LfwLibraryBench.java (a JUnit class outside surefire's patterns, so
# that it runs the job in the test JVM with the suite's Delta settings). Prints "lfwlib: " lines and writes them
# to <work-dir>/results.txt. About an hour on 2 cores. LfwLibraryBench#evaluateAgain repeats only the scoring and
# the recluster on the library a run of this script left (docs/library.md).
# Usage: bench/lfw-library.sh [work-dir] [days-dir]
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/lfw-library}"
DAYS="${2:-/tmp/lfw-days}"
cd "$HERE"
[ -d "$DAYS/dt=day5" ] || bash bench/lfw-days.sh "$DAYS"
rm -rf "$WORK"
mkdir -p "$WORK"
mvn -B -pl job -am test -Dtest='LfwLibraryBench#fiveDaysIntoOneLibrary' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlfwlib.dir="$WORK" -Dlfwlib.days="$DAYS" 2>&1 | tee "$WORK/bench.log" \
  | grep -E '^lfwlib: |Tests run:|FAIL|ERROR\]' || true
grep -q 'Tests run: 1, Failures: 0, Errors: 0' "$WORK/bench.log"
