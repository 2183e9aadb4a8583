#!/usr/bin/env bash
# 24-hour coupled runs (baseline and the substation-outage what-if) of a
# Malta-size synthetic twin (about 18k drivable links) and, when the OSM
# import is built, of Malta itself; prints wall time and per-phase seconds.
# Usage: benchmarks/coupling/run_24h.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
bin="$build/app/citytwin"
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" generate --links 18000 --seed 1 -o "$work/city" >/dev/null
"$bin" import "$work/city/manifest.toml" -o "$work/synthetic.twin" >/dev/null
twins=("$work/synthetic.twin")
malta="$here/datasets/reference/osm/malta-2018-08-27.osm.pbf"
if [ -f "$malta" ] && "$bin" import "$malta" -o "$work/malta.twin" >/dev/null 2>&1; then twins+=("$work/malta.twin"); fi
printf '| twin | scenario | links | zones | wall s | demand | assignment | EV | power flow | failures | rounds |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for twin in "${twins[@]}"; do
  info=$("$bin" info "$twin" --json)
  links=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['road_links'])" "$info")
  zones=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['zones'])" "$info")
  for scen in "" "$here/datasets/scenarios/substation-outage.toml"; do
    [ -n "$scen" ] && [ "$(basename "$twin")" != synthetic.twin ] && continue  # the outage names a synthetic substation
    s=$(date +%s.%N)
    json=$("$bin" run "$twin" $scen -o "$work/r.gpkg" --json)
    e=$(date +%s.%N)
    python3 - "$json" "$(basename "$twin" .twin)" "$links" "$zones" "$s" "$e" <<'PY'
import json, sys
d = json.loads(sys.argv[1]); p = d["phase_seconds"]
rounds = sum(h["coupling_rounds"] for h in d["hours"])
print(f"| {sys.argv[2]} | {d['scenario']} | {sys.argv[3]} | {sys.argv[4]} | {float(sys.argv[6]) - float(sys.argv[5]):.1f} | "
      f"{p['demand']:.2f} | {p['assignment']:.2f} | {p['ev_charging']:.2f} | {p['power_flow']:.2f} | {p['failures']:.3f} | {rounds} |")
PY
  done
done
