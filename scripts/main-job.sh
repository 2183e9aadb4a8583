#!/usr/bin/env bash
# The main job on the built-in default city: generate the synthetic city's
# department layers, import them into one twin, run the coupled 24-hour
# baseline and one what-if (a substation outage at 17:00 with no battery
# backup for the signals it feeds), and print the headline cross-domain
# effects. Results land in ${OUT:-out}/ (GeoPackages open in QGIS).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BUILD_DIR:-build}/app/citytwin
out=${OUT:-out}
mkdir -p "$out"
echo "== citytwin main job: built-in synthetic city -> $out/"
"$bin" generate --links "${LINKS:-20000}" --seed 1 -o "$out/city"
"$bin" import "$out/city/manifest.toml" -o "$out/city.twin"
"$bin" export "$out/city.twin" -o "$out/city.gpkg"
echo "== baseline, 24 hours"
"$bin" run "$out/city.twin" -o "$out/baseline.gpkg"
echo "== what-if: datasets/scenarios/substation-outage.toml"
"$bin" run "$out/city.twin" datasets/scenarios/substation-outage.toml -o "$out/outage.gpkg"
echo "== what the outage did (sums over the 24 hours)"
"$bin" compare "$out/baseline.gpkg" "$out/outage.gpkg" --csv "$out/outage-deltas.csv"
echo "== results: $out/city.gpkg (the twin), $out/baseline.gpkg and $out/outage.gpkg (hourly results),"
echo "   $out/*.summary.json, $out/*.hours.csv, $out/outage-deltas.csv"
