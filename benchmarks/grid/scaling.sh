#!/bin/sh
# Scaling curves of the power flow on synthetic grids (10k, 30k, 100k buses):
# AC one call / solver kept, DC, N-1 DC. Writes one CSV row per benchmark
# (Google Benchmark's CSV: name, iterations, real_time, cpu_time, unit, ...).
#
#   benchmarks/grid/scaling.sh [build-dir] [out.csv]
set -eu
build=${1:-build-grid}
out=${2:-grid_scaling.csv}
"$build/benchmarks/grid/bench_grid" --benchmark_filter='Synthetic|Pegase_(AC|DC)_OneShot' \
  --benchmark_min_time=0.5 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_format=csv > "$out"
grep -E '_median' "$out" | cut -d, -f1,3,4,5
echo "written: $out"
