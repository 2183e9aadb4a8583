#!/usr/bin/env bash
# Frame-time benchmark of citytwin-viewer (issue 8): software rendering (Mesa
# llvmpipe under Xvfb) unless a display with a GPU is available.
#
# Imports Malta from OpenStreetMap (datasets/reference/osm, when present: 39k
# directed links) and generates synthetic cities under /tmp (20k, 50k and 1M
# links), then renders off-screen frames at
# 1600x1000 with the viewer's --bench-frames mode:
#   pan          a new view every frame (camera moved), colours unchanged
#   hour-change  the hour advances every frame: metric re-evaluated and the
#                per-feature colour buffer re-uploaded, then drawn
# at the whole extent (zoom 1) and at street level (zoom 16, level of detail
# and chunk culling at work). Roads coloured by v/c of hour 8 from a real
# traffic assignment (`citytwin assign CITY.twin --hours 8 -o CITY-assign.gpkg`,
# made once and kept under /tmp, opened with --results).
#
# Usage: benchmarks/viewer/frame_time.sh [BUILD_DIR] [FRAMES]
#   BUILD_DIR  build folder with app/citytwin and viewer/citytwin-viewer (default build-viewer)
#   FRAMES     frames per measurement (default 30)
# Prints a Markdown table for benchmarks/RESULTS.md.
set -euo pipefail
build=${1:-build-viewer}
frames=${2:-30}
citytwin=${CITYTWIN_CLI:-$build/app/citytwin}  # CITYTWIN_CLI overrides (e.g. the lead's build/app/citytwin)
viewer=$build/viewer/citytwin-viewer
[ -x "$citytwin" ] || { echo "missing $citytwin (build the 'citytwin' target)" >&2; exit 1; }
[ -x "$viewer" ] || { echo "missing $viewer (build the 'citytwin-viewer' target)" >&2; exit 1; }

run() {
  if [ -n "${DISPLAY:-}" ]; then "$@"; else xvfb-run -a -s "-screen 0 1600x1000x24" "$@"; fi
}

echo "| city | links | view | mode | mean ms | median ms | p95 ms | fps | road vertices drawn |"
echo "|---|---:|---|---|---:|---:|---:|---:|---:|"
malta=${MALTA_PBF:-$(dirname "$0")/../../datasets/reference/osm/malta-2018-08-27.osm.pbf}
cities=()
if [ -f "$malta" ]; then
  [ -f /tmp/citytwin-bench-viewer-malta.twin ] ||
    "$citytwin" import "$malta" -o /tmp/citytwin-bench-viewer-malta.twin --population-total 475000 >/dev/null
  cities+=(malta)
fi
cities+=(20000 50000 1000000)
for links in "${cities[@]}"; do
  dir=/tmp/citytwin-bench-viewer-$links
  name=synthetic
  [ "$links" = malta ] && name="Malta (OSM 2018)"
  if [ ! -f "$dir.twin" ]; then
    "$citytwin" generate --links "$links" -o "$dir" >/dev/null
    "$citytwin" import "$dir/manifest.toml" -o "$dir.twin" >/dev/null
  fi
  [ -f "$dir-assign.gpkg" ] || "$citytwin" assign "$dir.twin" --hours 8 -o "$dir-assign.gpkg" >/dev/null
  for zoom in 1 16; do
    run "$viewer" "$dir.twin" --results "$dir-assign.gpkg" --color-by vc --hour 8 --width 1600 --height 1000 \
        --bench-frames "$frames" --zoom "$zoom" 2>/dev/null |
      awk -v zoom="$zoom" -v name="$name" '
        /^renderer/ { next }
        /^bench/ {
          for (i = 2; i <= NF; ++i) { split($i, kv, "="); v[kv[1]] = kv[2] }
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, v["links"],
                 (zoom == 1 ? "whole city" : "zoom " zoom), $2, v["mean_ms"], v["median_ms"], v["p95_ms"], v["fps"], v["road_vertices"]
        }'
  done
done
run "$viewer" --bench-frames 1 2>/dev/null | grep '^renderer' | sed 's/^renderer /\nRenderer: /'
