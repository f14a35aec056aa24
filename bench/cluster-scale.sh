#!/usr/bin/env bash
# Clustering at scale: synthetic faces fitted to MobileFaceNet PaddleX on LFW, clustered by the job's graph
# code with its defaults, at 100K and 1M faces, in one JVM capped at 2 GB of heap (embedded local Spark: the
# driver and the executor share it). Prints one line per size and leaves bench-clusters.json under $OUT/<size>.
# Usage: bench/cluster-scale.sh [out-dir] [extra bench-clusters options, e.g. --identity-min 1]
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-/tmp/facecluster-bench}"
shift || true
export FACECLUSTER_JAVA_OPTS="${FACECLUSTER_JAVA_OPTS:--Xmx2g}"
for n in 100000 1000000; do
  start=$(date +%s)
  "$HERE/submit.sh" bench-clusters --faces "$n" --output "$OUT/$n" --recall-queries 10000 "$@" > "$OUT-$n.log" 2>&1 \
    || { echo "bench-clusters --faces $n failed: see $OUT-$n.log" >&2; exit 1; }
  end=$(date +%s)
  python3 - "$OUT/$n/bench-clusters.json" "$((end - start))" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = d.get("recall_full_set", {}); s = d.get("recall_sample", {}); m = d["metrics"]; mem = d["memory"]
print(f"{d['faces']:>8} faces {d['identities']:>6} ids | clustering {d['clustering_ms']/1000:6.1f} s "
      f"(command {sys.argv[2]} s) | recall@10 {r.get('recall_at_10', float('nan')):.4f} "
      f"(sample {s.get('recall_at_10', float('nan')):.4f}) edge recall {r.get('edge_recall', float('nan')):.4f} | "
      f"pF1 {m['pairwise_f1']:.4f} BCubed F1 {m['bcubed_f1']:.4f} NMI {m['nmi']:.4f} | "
      f"heap live peak {mem['heap_live_peak_mib']} MiB of {mem['heap_max_mib']}, RSS peak {mem['rss_peak_mib']} MiB")
print("   stages (ms):", d["timings_ms"])
PY
done
