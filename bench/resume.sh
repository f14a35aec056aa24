#!/usr/bin/env bash
# Resume after a killed driver, on 2,000 LFW images (the first 2,000 files in sorted order, linked into one
# folder): an undisturbed run "full"; a run "resumed" killed with SIGKILL once 90 % of its chunks are
# committed; the same command again with --resume true. Prints the chunks and images the resumed run
# processed itself (its log lines, and its images rows per driver JVM) and whether its images, faces and
# clusters rows equal the undisturbed run's (bench/ResumeCompare.java). Embedded local Spark, as submit.sh.
# Usage: bench/resume.sh [work-dir] [images] [chunk-images]
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/facecluster-resume}"
N="${2:-2000}"
CHUNK="${3:-200}"
LFW="${FACECLUSTER_LFW:-$HERE/../shared/data/lfw}"
rm -rf "$WORK"
mkdir -p "$WORK/input"
# Flat links, one per image: a fixed input whatever the machine's listing order.
find "$LFW" -name '*.jpg' | sort | sed -n "1,${N}p" | while read -r f; do ln -s "$f" "$WORK/input/$(basename "$f")"; done
OUT="$WORK/out"
COMMON=(--input "$WORK/input" --output "$OUT" --chunk-images "$CHUNK" --progress-interval-seconds 5)
CHUNKS=$(( (N + CHUNK - 1) / CHUNK ))
KILL_AT=$(( (CHUNKS * 9 + 9) / 10 ))

t0=$(date +%s)
"$HERE/submit.sh" run "${COMMON[@]}" --run-id full > "$WORK/full.out" 2> "$WORK/full.log"
t1=$(date +%s)
echo "undisturbed run: $N images in $((t1 - t0)) s, $CHUNKS chunks of about $CHUNK"

# submit.sh execs java, so $! is the driver JVM itself.
"$HERE/submit.sh" run "${COMMON[@]}" --run-id resumed > "$WORK/killed.out" 2> "$WORK/killed.log" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  done_chunks=$(grep -c "run resumed: chunk .* committed$" "$WORK/killed.log" || true)
  if (( done_chunks >= KILL_AT )); then
    kill -9 "$pid"
    break
  fi
  sleep 0.2
done
status=0
wait "$pid" || status=$?
t2=$(date +%s)
committed=$(grep -c "run resumed: chunk .* committed$" "$WORK/killed.log" || true)
echo "killed run: exit status $status after $((t2 - t1)) s, $committed of $CHUNKS chunks logged as committed"
[[ -f "$OUT/runs/run_id=resumed/summary.json" ]] && echo "ERROR: the killed run has a commit marker" >&2 && exit 1

"$HERE/submit.sh" run "${COMMON[@]}" --run-id resumed --resume true > "$WORK/resumed.out" 2> "$WORK/resumed.log"
t3=$(date +%s)
ran=$(grep "run resumed: chunk .* committed$" "$WORK/resumed.log" | sed -E 's/.*\(([0-9]+) images\).*/\1/' \
  | paste -sd+ - | bc || true)
kept=$(grep -c "run resumed: chunk .* committed before, kept$" "$WORK/resumed.log" || true)
echo "resumed run: $((t3 - t2)) s, chunks kept $kept, chunks processed $(grep -c "run resumed: chunk .* committed$" \
  "$WORK/resumed.log"), images processed ${ran:-0} of $N"

OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
  java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
SPARK_LOCAL_IP=127.0.0.1 java "${OPENS[@]}" -Dlog4j2.configurationFile="file:$HERE/conf/log4j2.properties" \
  -cp "$HERE/job/target/facecluster-job.jar:$(cat "$HERE/job/target/embedded-classpath.txt")" \
  "$HERE/bench/ResumeCompare.java" "$OUT" full resumed
