#!/usr/bin/env bash
# The pipeline speed benchmark (docs/benchmarks.md, "The job against a bare ONNX Runtime loop"):
#   1. job vs bare ONNX Runtime loop on 2,000 LFW images, 3 repetitions, plus the one-core runs (scaling);
#   2. memory: once on 2,000 and once on all 13,233 LFW images with an executor-sized heap (-Xmx1g), for the
#      job's peak RSS as the input grows;
#   3. with ORT_VERSION=x.y.z, step 1 again (2 repetitions) on a build against that ONNX Runtime version,
#      made in a copy of the tree so that the project's own jar is left alone.
# Usage: bash bench/pipeline-speed.sh [output dir]        (about 20 minutes on 2 cores; more with ORT_VERSION)
set -euo pipefail
OUT="${1:-/tmp/fc-speed}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LFW="$ROOT/../shared/data/lfw"
MODELS=(--embedder mobilefacenet-paddlex)
cd "$ROOT"
./submit.sh bench --images "$LFW" --limit 2000 --output "$OUT/2000" "${MODELS[@]}"
for n in 2000 13233; do
  FACECLUSTER_JAVA_OPTS=-Xmx1g ./submit.sh bench --images "$LFW" --limit "$n" --output "$OUT/mem-$n" "${MODELS[@]}" \
    --repeat 1 --scaling false
done
if [[ -n "${ORT_VERSION:-}" ]]; then
  COPY="$OUT/ort-$ORT_VERSION-tree"
  rm -rf "$COPY" && mkdir -p "$COPY"
  git -C "$ROOT" archive HEAD | tar -x -C "$COPY"
  ln -sfn "$ROOT/../shared" "$OUT/shared"   # the copy finds ../shared beside it
  (cd "$COPY" && mvn -B -q -DskipTests -Dort.version="$ORT_VERSION" package)
  (cd "$COPY" && ./submit.sh bench --images "$LFW" --limit 2000 --output "$OUT/ort-$ORT_VERSION" "${MODELS[@]}" \
    --repeat 2 --scaling false)
fi
grep -h '"job_bare_ratio"\|"job_rss_peak_mib"\|"onnxruntime"' "$OUT"/*/bench.json
