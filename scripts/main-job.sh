#!/usr/bin/env bash
# The main job on the built-in default city: the case citytwin exists for.
#  1. the twin: generate the synthetic city's department layers, import them into one twin;
#  2. a typical day calibrated from the city's measurements (counts at a fifth of the links, every
#     substation's meter; the "real" city is a scenario the twin never sees, datasets/scenarios/main-job/);
#  3. today's observations until 13:00, and the evening forecast twice: shared (the transport
#     department's counts and the energy department's meters) and the energy department alone;
#  4. managed charging acted on, and a what-if (a substation outage at 17:00 without signal batteries).
# Each step prints its own report; the last screen says what each changed. Results in ${OUT:-out}/.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BUILD_DIR:-build}/app/citytwin
out=${OUT:-out}
scn=datasets/scenarios/main-job
mkdir -p "$out"
quiet() { "$@" > "$out/last-step.log" 2>&1 || { cat "$out/last-step.log"; exit 1; }; }

echo "== 1. the built-in synthetic city -> $out/city.twin"
quiet "$bin" generate --links "${LINKS:-20000}" --seed 1 -o "$out/city"
"$bin" import "$out/city/manifest.toml" -o "$out/city.twin" | head -3
quiet "$bin" export "$out/city.twin" -o "$out/city.gpkg"

echo "== 2. a typical weekday measured in the city (5 weekdays), and the twin calibrated to it"
quiet "$bin" run "$out/city.twin" "$scn/reality-typical-day.toml" -o "$out/reality-typical-day.gpkg"
quiet "$bin" observe "$out/city.twin" "$out/reality-typical-day.gpkg" --sample-share 0.2 --days 5 --seed 11 -o "$out/measured"
"$bin" calibrate "$out/city.twin" --scenario "$scn/assumed.toml" --counts "$out/measured/counts.csv" \
  --loads "$out/measured/loads.csv" --holdout-share 0.2 -o "$out/calibrated.twin" --report "$out/calibration.json" 2>&1 |
  grep -vE '^  (Substation|Bulk|reading|run:|demand:|loads:)'  # per substation: calibration.json

echo "== 3. today until 13:00, and the forecast of the evening"
quiet "$bin" run "$out/city.twin" "$scn/reality-today.toml" -o "$out/reality-today.gpkg"
quiet "$bin" observe "$out/city.twin" "$out/reality-today.gpkg" --sample-share 0.2 --days 1 --seed 12 -o "$out/today"
for feeds in shared energy-alone; do
  flag=(); [ "$feeds" = energy-alone ] && flag=(--without-traffic)
  quiet "$bin" forecast "$out/calibrated.twin" --scenario "$scn/assumed.toml" --counts "$out/today/counts.csv" \
    --loads "$out/today/loads.csv" --now 13:00 "${flag[@]}" -o "$out/forecast-$feeds.gpkg"
done

echo "== 4. acting on it: managed charging; and a what-if, datasets/scenarios/substation-outage.toml"
quiet "$bin" run "$out/calibrated.twin" "$scn/assumed.toml" -o "$out/calibrated.gpkg"
quiet "$bin" run "$out/calibrated.twin" "$scn/today-managed.toml" -o "$out/managed.gpkg"
quiet "$bin" run "$out/city.twin" -o "$out/baseline.gpkg"
quiet "$bin" run "$out/city.twin" datasets/scenarios/substation-outage.toml -o "$out/outage.gpkg"
quiet "$bin" compare "$out/baseline.gpkg" "$out/outage.gpkg" --csv "$out/outage-deltas.csv"
rm -f "$out/last-step.log"

echo
python3 scripts/main_job_summary.py "$out"
echo
echo "== results in $out/: city.gpkg (the twin), calibration.json, forecast-*.gpkg (+ .summary.json),"
echo "   reality-*.gpkg, calibrated.gpkg, managed.gpkg, baseline.gpkg, outage.gpkg (+ .summary.json, .hours.csv)"
