#!/usr/bin/env bash
# LFW as five "daily" input folders for the person-library measurements of issue 16 (docs/library.md): every
# LFW image goes to day (first 8 hex digits of md5(file name)) mod 5, so the split is fixed whatever the machine,
# the listing order or the number of images, and an identity's images spread over the days. The folders hold
# symbolic links named like the files (LFW file names are unique: <person>_<nnnn>.jpg), laid out as the
# Airflow DAG's input (`dt=<day>/`), with the person folder kept so that eval-clusters reads the label.
# Prints the images per day. Usage: bench/lfw-days.sh [out-dir] [lfw-dir] [days]
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-/tmp/lfw-days}"
LFW="$(cd "${2:-$HERE/../shared/data/lfw}" && pwd)"
DAYS="${3:-5}"
rm -rf "$OUT"
for ((d = 1; d <= DAYS; d++)); do mkdir -p "$OUT/dt=day$d"; done
find "$LFW" -name '*.jpg' | sort | while read -r f; do
  name="$(basename "$f")"
  h="$(printf '%s' "$name" | md5sum | cut -c1-8)"
  day=$(( 16#$h % DAYS + 1 ))
  person="$(basename "$(dirname "$f")")"
  mkdir -p "$OUT/dt=day$day/$person"
  ln -s "$f" "$OUT/dt=day$day/$person/$name"
done
for ((d = 1; d <= DAYS; d++)); do
  printf 'dt=day%d: %d images, %d identities\n' "$d" "$(find "$OUT/dt=day$d" -name '*.jpg' | wc -l)" \
    "$(find "$OUT/dt=day$d" -mindepth 1 -maxdepth 1 -type d | wc -l)"
done
