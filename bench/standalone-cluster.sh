#!/usr/bin/env bash
# The job on a real Spark standalone cluster on this machine, against local mode. Starts a master and N workers,
# each its own JVM on 127.0.0.1, from the Spark jars the build resolved (job/target/spark-classpath.txt, laid out
# as a Spark distribution's jars/ folder: no Spark download); submits the job jar with
# `submit.sh run --spark-master spark://127.0.0.1:<port>` (driver here, executors in JVMs the workers start);
# runs the same input with `submit.sh run` in local mode; prints both wall times, the job's own timings, the
# executors the app had per worker, and whether the counts of summary.json agree (exit 1 when they differ).
# StandaloneClusterTest checks the same and more (rows, faces, cluster membership). Every JVM started here is
# stopped on exit.
#
# Usage: bench/standalone-cluster.sh [--input DIR|s3a://...] [--workers N] [--worker-cores C] [--worker-memory 2g]
#                                    [--out DIR] [-- options of run for both runs]
# Default run options: --input-images-per-partition 3 (so that the 22-image sample reaches every executor).
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
INPUT="$HERE/sample"
WORKERS=2
CORES=1
MEMORY=2g
OUT=/tmp/facecluster-standalone
RUN_OPTS=(--input-images-per-partition 3)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --input) INPUT="$2"; [[ -d "$2" ]] && INPUT="$(cd "$2" && pwd)"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --worker-cores) CORES="$2"; shift 2 ;;
    --worker-memory) MEMORY="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --) shift; RUN_OPTS=("$@"); break ;;
    *) echo "unknown option $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done

TARGET="$HERE/job/target"
if [[ ! -f "$TARGET/facecluster-job.jar" || ! -f "$TARGET/spark-classpath.txt" ]]; then
  echo "building the job jar (mvn package)..." >&2
  (cd "$HERE" && mvn -B -q -Dstyle.color=never -DskipTests package) >&2
fi

# $OUT is replaced on each run: refuse a folder that this script did not make.
if [[ -e "$OUT" && ! -e "$OUT/.standalone-cluster" ]]; then
  echo "$OUT exists and is not an output of $0: choose another --out" >&2
  exit 2
fi
rm -rf "$OUT"
mkdir -p "$OUT/spark/jars"
touch "$OUT/.standalone-cluster"
tr ':' '\n' < "$TARGET/spark-classpath.txt" | while read -r jar; do ln -s "$jar" "$OUT/spark/jars/"; done

OPENS=(java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent
  java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar)
JAVA_FLAGS=(-Xmx256m)
for p in "${OPENS[@]}"; do JAVA_FLAGS+=("--add-opens=java.base/$p=ALL-UNNAMED"); done
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

PIDS=()
stop_all() {
  local pid children=()
  for pid in "${PIDS[@]}"; do children+=($(pgrep -P "$pid" || true)); done   # executors of each worker
  for pid in "${PIDS[@]}" "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 40); do
    local alive=0
    for pid in "${PIDS[@]}" "${children[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && return
    sleep 0.5
  done
  for pid in "${PIDS[@]}" "${children[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT

# Workers build their executors' command line from SPARK_HOME (jars/*) and the Scala version.
export SPARK_HOME="$OUT/spark" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$OUT/local"
MASTER_PORT=$(free_port)
MASTER_UI=$(free_port)
MASTER="spark://127.0.0.1:$MASTER_PORT"
java "${JAVA_FLAGS[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port "$MASTER_PORT" --webui-port "$MASTER_UI" > "$OUT/master.log" 2>&1 &
PIDS+=($!)
for i in $(seq "$WORKERS"); do
  java "${JAVA_FLAGS[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
    --cores "$CORES" --memory "$MEMORY" --webui-port "$(free_port)" --work-dir "$OUT/work-$i" "$MASTER" \
    > "$OUT/worker-$i.log" 2>&1 &
  PIDS+=($!)
done
alive_workers() {
  curl -sf "http://127.0.0.1:$MASTER_UI/json/" | python3 -c 'import json, sys; print(json.load(sys.stdin)["aliveworkers"])' \
    2>/dev/null || echo 0
}
for _ in $(seq 240); do
  [[ "$(alive_workers)" -ge "$WORKERS" ]] && break
  sleep 0.5
done
[[ "$(alive_workers)" -ge "$WORKERS" ]] || { echo "workers did not register; logs in $OUT" >&2; exit 1; }
echo "cluster: $MASTER, $WORKERS workers x $CORES core(s), master UI http://127.0.0.1:$MASTER_UI" >&2

# Both runs: the driver in submit.sh's JVM; on the cluster it waits for every executor before scheduling.
export FACECLUSTER_EMBEDDED=1
export FACECLUSTER_JAVA_OPTS="${FACECLUSTER_JAVA_OPTS:--Xmx2g} -Dspark.scheduler.minRegisteredResourcesRatio=1.0 \
-Dspark.scheduler.maxRegisteredResourcesWaitingTime=120s"
submit() {
  local label="$1" t0 t1
  shift
  t0=$(date +%s%N)
  "$HERE/submit.sh" run --input "$INPUT" --output "$OUT/out-$label" --run-id "$label" "$@" "${RUN_OPTS[@]}" \
    > "$OUT/$label.log" 2>&1 || { echo "$label run failed: see $OUT/$label.log" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 )) > "$OUT/$label.wall_ms"
}
submit standalone --spark-master "$MASTER"
submit local

python3 - "$OUT" "$MASTER_UI" <<'PY'
import json, sys, urllib.request
out, ui = sys.argv[1], sys.argv[2]
def get(url):
    return json.load(urllib.request.urlopen(url, timeout=10))
runs = {}
for label in ("standalone", "local"):
    s = json.load(open(f"{out}/out-{label}/runs/run_id={label}/summary.json"))
    wall = int(open(f"{out}/{label}.wall_ms").read()) / 1000
    t = s["timings_ms"]
    runs[label] = s
    print(f"{label:>10}  {s['spark']['master']:<26} wall {wall:6.1f} s (submit.sh, JVM start included)  "
          f"job {t['total'] / 1000:6.1f} s (list {t['list'] / 1000:.1f}, pipeline+write "
          f"{t['pipeline_and_write'] / 1000:.1f}, cluster {t['cluster'] / 1000:.1f})  "
          f"sessions {s['spark']['model_sessions_created']}")
master = get(f"http://127.0.0.1:{ui}/json/")
app = next(a for a in master["completedapps"] if a["name"] == "facecluster run standalone")
hosting = [w["id"] for w in master["workers"]
           if any(e["appid"] == app["id"] for e in get(w["webuiaddress"] + "/json/")["finishedexecutors"])]
print(f"app {app['id']} ({app['state']}): executors on {len(hosting)} of {len(master['workers'])} workers")
a, b = runs["standalone"]["counts"], runs["local"]["counts"]
print("counts standalone:", a)
print("counts local:     ", b)
print("counts", "EQUAL" if a == b else "DIFFER")
sys.exit(0 if a == b and len(hosting) == len(master["workers"]) else 1)
PY
