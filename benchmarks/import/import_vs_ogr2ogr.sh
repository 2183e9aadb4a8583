#!/usr/bin/env bash
# Side by side in one run: `citytwin import` (read three departments' layers in
# three CRSs, reproject, build the road graph, grid, districts, joins, write the
# snapshot) against `ogr2ogr` merely converting the same layers into one
# GeoPackage. Usage: benchmarks/import/import_vs_ogr2ogr.sh [BUILD_DIR] [LINKS...]
set -euo pipefail
build=${1:-build}; shift || true
sizes=${*:-10000 100000 1000000}
bin="$build/app/citytwin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
best() {  # best of 3 wall-clock seconds of a command
  local b=999999
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    b=$(python3 -c "print(min($b, $e - $s))")
  done
  echo "$b"
}
convert_all() {  # ogr2ogr of every layer the manifest reads, into one GeoPackage
  local city=$1 out=$2
  rm -f "$out"
  ogr2ogr -f GPKG "$out" "$city/roads.gpkg" streets traffic_signals
  ogr2ogr -f GPKG -update "$out" "$city/grid.gpkg" substations hv_lines ev_chargers
  ogr2ogr -f GPKG -update "$out" "$city/districts.gpkg" planning_districts
}
printf '| links | citytwin import (s) | ogr2ogr copy (s) | ratio |\n|---:|---:|---:|---:|\n'
for n in $sizes; do
  "$bin" generate --links "$n" -o "$work/c$n" >/dev/null
  t_ct=$(best "$bin" import "$work/c$n/manifest.toml" -o "$work/c$n.twin")
  t_ogr=$(best convert_all "$work/c$n" "$work/c$n.gpkg")
  python3 -c "print(f'| {$n:,} | {$t_ct:.3f} | {$t_ogr:.3f} | {$t_ct/$t_ogr:.2f} |')"
done
