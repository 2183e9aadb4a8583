#!/usr/bin/env bash
# Side by side in one run (issue 3): the whole `citytwin import city.osm.pbf`
# (one GDAL pass over points/lines/multipolygons, reprojection, road graph,
# districts with population, grid with distribution completion, zones, joins,
# snapshot) against a bare `ogr2ogr` of the roads alone into a GeoPackage.
# Best of N wall-clock runs each, interleaved. Map data (c) OpenStreetMap contributors.
# Usage: benchmarks/osm/osm_vs_ogr2ogr.sh [BUILD_DIR] [RUNS] [PBF...]
set -euo pipefail
build=${1:-build}
runs=${2:-5}
shift 2 || shift $# || true
here=$(cd "$(dirname "$0")/../.." && pwd)
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=("$here/datasets/reference/osm/malta-2018-08-27.osm.pbf" "$here/datasets/reference/osm/andorra-2025-01-18.osm.pbf")
fi
bin="$build/app/citytwin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
printf '| extract | ogr2ogr roads -> GPKG (s) | citytwin import, whole twin (s) | ratio |\n|---|---:|---:|---:|\n'
for pbf in "${files[@]}"; do
  best_ogr=999; best_ct=999
  for _ in $(seq "$runs"); do
    rm -f "$work/roads.gpkg"
    s=$(now); ogr2ogr -f GPKG "$work/roads.gpkg" "$pbf" lines -where "highway IS NOT NULL" >/dev/null 2>&1; e=$(now)
    best_ogr=$(python3 -c "print(min($best_ogr, $e - $s))")
    s=$(now); "$bin" import "$pbf" -o "$work/city.twin" >/dev/null; e=$(now)
    best_ct=$(python3 -c "print(min($best_ct, $e - $s))")
  done
  python3 -c "print(f'| $(basename "$pbf") | {$best_ogr:.3f} | {$best_ct:.3f} | {$best_ct/$best_ogr:.2f} |')"
done
