#!/usr/bin/env bash
# The driver's heap when `run` lists a flat input folder of N empty files (issue 15 item 7; numbers in
# docs/benchmarks.md and README "Inputs"). Makes DIR with N zero-byte .jpg files once (real files: 1M take
# minutes to create and about no disk space beyond their inodes), then runs bench/ListingMemory.java (the
# job's own InputFiles.list and a count, embedded local[2]) under each -Xmx given, and prints what it reports
# or that it failed (OutOfMemoryError). The staging file a listing writes goes under OUT.
#
# Usage: bench/listing-memory.sh [--files 1000000] [--dir /tmp/facecluster-flat] [--out /tmp/facecluster-listing]
#                                [--heaps "512m 1g 4g"]   (Spark refuses a heap under 450 MB)
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
FILES=1000000
DIR=/tmp/facecluster-flat
OUT=/tmp/facecluster-listing
HEAPS="512m 1g 4g"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --files) FILES="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --heaps) HEAPS="$2"; shift 2 ;;
    *) echo "unknown option $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
TARGET="$HERE/job/target"
if [[ ! -f "$TARGET/facecluster-job.jar" || ! -f "$TARGET/embedded-classpath.txt" ]]; then
  (cd "$HERE" && mvn -B -q -Dstyle.color=never -DskipTests package) >&2
fi
mkdir -p "$DIR"
have=$(find "$DIR" -maxdepth 1 -name 'img_*.jpg' | wc -l)
if [[ "$have" -lt "$FILES" ]]; then
  echo "creating $FILES empty files in $DIR ..." >&2
  python3 -c "
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    os.close(os.open(os.path.join(d, 'img_%07d.jpg' % i), os.O_CREAT | os.O_WRONLY, 0o644))
" "$DIR" "$FILES"
fi
OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
  java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
echo "flat folder $DIR: $(find "$DIR" -maxdepth 1 -type f | wc -l) files"
for heap in $HEAPS; do
  rm -rf "$OUT"
  if line=$(java "-Xmx$heap" "${OPENS[@]}" -Dlog4j2.configurationFile="file:$HERE/conf/log4j2.properties" \
      -cp "$TARGET/facecluster-job.jar:$(cat "$TARGET/embedded-classpath.txt")" \
      "$HERE/bench/ListingMemory.java" "$DIR" "$OUT" 2>"$OUT.stderr" | tail -1); then
    echo "-Xmx$heap: $line"
  else
    echo "-Xmx$heap: FAILED ($(grep -m1 -o 'OutOfMemoryError[^\"]*' "$OUT.stderr" || tail -1 "$OUT.stderr"))"
  fi
done
