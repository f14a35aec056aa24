#!/usr/bin/env bash
# Issue 16's cost at scale (docs/library.md, "Cost at scale"): bench-clusters' synthetic faces as a person library
# built by one run of N faces, then a run of about M more (new faces of known identities and faces of identities
# held out of the library); the second run's library step (match, pool, commit) timed against graph clustering
# of all N + M faces from scratch in the same JVM. The code is
# job/src/test/java/io/facecluster/library/LibraryScaleBench.java (a JUnit class outside surefire's patterns).
# Prints "libscale: " lines and writes them to <work-dir>/results.txt.
# Usage: bench/library-scale.sh [faces N] [added M] [work-dir]
# Environment: HEAP (the test JVM's -Xmx, default 2g, the acceptance's budget); LIBSCALE_REUSE=true keeps a
# library day1 already built in work-dir and runs day2 again; LIBSCALE_SCRATCH=false skips the baseline;
# LIBSCALE_OPTS more -D settings (e.g. -Dlibscale.exactLimit=2000).
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-100000}"
M="${2:-1000}"
WORK="${3:-/tmp/library-scale}"
cd "$HERE"
REUSE="${LIBSCALE_REUSE:-false}"
if [ "$REUSE" != true ]; then rm -rf "$WORK"; fi
mkdir -p "$WORK"
# shellcheck disable=SC2086
mvn -B -pl job -am test -Dtest='LibraryScaleBench' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.heap="${HEAP:-2g}" -Dlibscale.reuse="$REUSE" -Dlibscale.scratch="${LIBSCALE_SCRATCH:-true}" \
  ${LIBSCALE_OPTS:-} -Dlibscale.faces="$N" -Dlibscale.added="$M" -Dlibscale.dir="$WORK" 2>&1 | tee "$WORK/bench.log" \
  | grep -E '^libscale: |Tests run:|FAIL|ERROR\]' || true
grep '^libscale: ' "$WORK/bench.log" > "$WORK/results.txt"
grep -q 'Tests run: 1, Failures: 0, Errors: 0' "$WORK/bench.log"
