#!/bin/sh
# Time for `citytwin assign` (Algorithm B) to reach relative gaps 1e-4, 1e-8 and
# 1e-12 on Chicago-Sketch, read from its --gap-trace; best and median of N runs.
# Usage: benchmarks/traffic/chicago_time_to_gap.sh <citytwin binary> [runs=7] [threads=1]
set -eu
bin=${1:?path to the citytwin binary}
runs=${2:-7}
threads=${3:-1}
data=$(dirname "$0")/../../datasets/reference/tntp/Chicago-Sketch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ "$i" -lt "$runs" ]; do
  start=$(date +%s.%N)
  "$bin" assign --net "$data/ChicagoSketch_net.tntp" --trips "$data/ChicagoSketch_trips.tntp" \
    --toll-factor 0.02 --distance-factor 0.04 --gap 1e-12 --threads "$threads" --quiet \
    --gap-trace "$tmp/trace.csv" > /dev/null
  end=$(date +%s.%N)
  awk -F, -v wall="$(echo "$end - $start" | bc)" 'NR > 1 {
      if ($3 <= 1e-4 && a == "") a = $2; if ($3 <= 1e-8 && b == "") b = $2; if ($3 <= 1e-12 && c == "") c = $2 }
    END { printf "%s %s %s %s\n", a, b, c, wall }' "$tmp/trace.csv" >> "$tmp/times"
  i=$((i + 1))
done
echo "runs=$runs threads=$threads (seconds from solver start; wall = whole process incl. I/O)"
for col in 1 2 3 4; do
  sort -g -k$col "$tmp/times" | awk -v col=$col -v n="$runs" '{ v[NR] = $col } END {
    name = (col == 1 ? "gap 1e-4 " : col == 2 ? "gap 1e-8 " : col == 3 ? "gap 1e-12" : "wall     ");
    printf "%s  best %.3f s  median %.3f s\n", name, v[1], v[int((n + 1) / 2)] }'
done
