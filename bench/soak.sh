#!/usr/bin/env bash
# The soak of issue 15 (docs/reliability.md): all 13,233 LFW images plus every bad-input kind of the tests,
# s3a:// to s3a:// through the fault-injecting proxy, on a standalone cluster of two 1-core workers; an
# undisturbed run, then one run with S3 faults, first-attempt task failures and one executor SIGKILLed, both by
# submit.sh run --spark-master. The code is job/src/test/java/io/facecluster/cli/LfwSoak.java (a JUnit class
# outside the suite's name patterns, so that it reuses the suite's S3Proxy, proxy and cluster fixtures); it
# fails on any difference and prints the numbers ("soak: ..." lines). Takes about an hour on 2 cores.
# Usage: bench/soak.sh [work-dir] [lfw-files (0 = all)] [chunk-images]
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/facecluster-soak}"
LIMIT="${2:-0}"
CHUNK="${3:-4000}"
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$HERE"
# package first: the cluster's executors and submit.sh run the job jar.
mvn -B -q -DskipTests package
mvn -B -pl job -am test -Dtest=LfwSoak -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.dir="$WORK" -Dsoak.limit="$LIMIT" -Dsoak.chunk="$CHUNK" 2>&1 | tee "$WORK/soak.log" \
  | grep -E '^soak: |^(GET_OBJECT|LIST|PUT_OBJECT|HEAD|UPLOAD_PART|OTHER)|Tests run:|FAIL|ERROR\]' || true
grep -q 'Tests run: 1, Failures: 0, Errors: 0' "$WORK/soak.log"
