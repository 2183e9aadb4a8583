#!/usr/bin/env bash
# Calibration time beside one plain 24-hour run (issue 14, "Tests and figures"):
# a truth run (every district +15 % households, +10 % jobs, EV share 0.3) is
# observed at ~500 count stations and every substation (5 % noise, 5 weekdays),
# then the twin is calibrated under the prior (EV share 0.1).
# Usage: benchmarks/calibration/calibration_bench.sh BUILD_DIR WORK_DIR [city.twin | malta.osm.pbf] [threads]
# Without a twin or .osm.pbf: the generated 20,000-link city (seed 1).
set -euo pipefail
exe="$1/app/citytwin"; work="$2"; input="${3:-}"; threads="${4:-2}"
mkdir -p "$work"; cd "$work"
if [[ -z "$input" ]]; then
  "$exe" generate --links 20000 --seed 1 -o city >/dev/null
  "$exe" import city/manifest.toml -o city.twin >/dev/null
elif [[ "$input" == *.osm.pbf ]]; then
  "$exe" import "$input" -o city.twin >/dev/null
else
  cp "$input" city.twin
fi
printf 'name = "prior"\n[parameters]\nev_share = 0.1\n' > prior.toml
printf 'name = "truth"\n[parameters]\nev_share = 0.3\n[[growth]]\ndistrict = "*"\npopulation = 1.15\njobs = 1.1\n' > truth.toml
links=$("$exe" info city.twin --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["road_links"])')
share=$(python3 -c "print(min(1.0, 500 / $links))")
/usr/bin/time -f "plain 24-hour run: %e s wall, %M KB" "$exe" run city.twin prior.toml -o prior.gpkg --threads "$threads" >/dev/null
"$exe" run city.twin truth.toml -o truth.gpkg --threads "$threads" >/dev/null
"$exe" observe city.twin truth.gpkg -o obs --sample-share "$share" --seed 3
/usr/bin/time -f "calibrate: %e s wall, %M KB" "$exe" calibrate city.twin --scenario prior.toml --counts obs/counts.csv \
  --loads obs/loads.csv -o calibrated.twin --report fit.json --threads "$threads"
