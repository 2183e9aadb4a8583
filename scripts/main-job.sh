#!/usr/bin/env bash
# The main job on the built-in default city: generate the synthetic city's
# department layers, import them into a twin, report, and export for QGIS.
# Results land in ${OUT:-out}/.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BUILD_DIR:-build}/app/citytwin
out=${OUT:-out}
mkdir -p "$out"
echo "== citytwin main job: built-in synthetic city -> $out/"
"$bin" generate --links "${LINKS:-20000}" --seed 1 -o "$out/city"
"$bin" import "$out/city/manifest.toml" -o "$out/city.twin"
"$bin" info "$out/city.twin" --json > "$out/city-info.json"
"$bin" export "$out/city.twin" -o "$out/city.gpkg"
echo "== results: $out/city.twin (snapshot), $out/city.gpkg (open in QGIS), $out/city-info.json"
