#!/usr/bin/env python3
"""The last screen of scripts/main-job.sh: what calibration, sharing the traffic data, managed
charging and the outage what-if changed, read from the files the job wrote (argv[1])."""
import csv
import json
import sys
from pathlib import Path

out = Path(sys.argv[1])


def load(name):
    with open(out / name) as f:
        return json.load(f)


def hourly_load(name):
    with open(out / name, newline="") as f:
        return {int(r["hour"]): float(r["load_mw"]) for r in csv.DictReader(f)}


def evening_peak(by_hour, now):
    hour = max((h for h in by_hour if h >= now), key=lambda h: by_hour[h])
    return hour, by_hour[hour]


cal = load("calibration.json")
b, a = cal["before"], cal["after"]
print("== what each step changed")
print(f"calibration      counts %RMSE {b['counts_used']['rmse_pct']:.1f} -> {a['counts_used']['rmse_pct']:.1f} (used), "
      f"{b['counts_held_out']['rmse_pct']:.1f} -> {a['counts_held_out']['rmse_pct']:.1f} (held out); substation load MAPE "
      f"{b['loads']['mape_pct']:.1f} -> {a['loads']['mape_pct']:.1f} %, daily-peak error "
      f"{b['loads']['peak_mape_pct']:.1f} -> {a['loads']['peak_mape_pct']:.1f} %")

shared, alone = load("forecast-shared.summary.json"), load("forecast-energy-alone.summary.json")
now = shared["now"]
truth_hour, truth = evening_peak(hourly_load("reality-today.hours.csv"), now)
rows = [("typical day, no update (calibrated)", evening_peak(hourly_load("calibrated.hours.csv"), now))]
for label, f in (("energy department alone (meters)", alone), ("shared (meters + vehicle counts)", shared)):
    rows.append((label, evening_peak({c["hour"]: c["p_mw"] for c in f["citywide"]}, now)))
print(f"forecast at {now:02d}:00 of today's peak after it (citywide MW):")
print(f"  {'reality (hidden from the twin)':38s} {truth:8.1f} at {truth_hour:02d}:00")
errors = {}
for label, (hour, mw) in rows:
    errors[label] = abs(mw - truth) / truth * 100
    print(f"  {label:38s} {mw:8.1f} at {hour:02d}:00   error {errors[label]:4.1f} %")
e_alone, e_shared = errors["energy department alone (meters)"], errors["shared (meters + vehicle counts)"]
ratio = f"{e_shared / e_alone:.2f}x" if e_alone > 0 else "n/a"
print(f"  sharing the vehicle counts: peak error {e_shared:.1f} % instead of {e_alone:.1f} % ({ratio} the energy-alone error); "
      f"alerts {len(shared['alerts'])} shared, {len(alone['alerts'])} alone")

m = load("managed.summary.json")["managed_charging"]
print(f"managed charging peak {m['unmanaged_peak_mw']:.1f} MW at {m['unmanaged_peak_hour']:02d}:00 -> {m['managed_peak_mw']:.1f} MW at "
      f"{m['managed_peak_hour']:02d}:00 (-{m['peak_shaved_mw']:.1f} MW), {m['shifted_mwh']:.0f} MWh shifted, {m['sessions_delayed']:.0f} of {m['sessions']:.0f} sessions "
      f"delayed ({m['sessions_late']:.0f} late), branch overload-hours {m['branch_overload_hours']['unmanaged']} -> "
      f"{m['branch_overload_hours']['managed']}")

base, outage = load("baseline.summary.json")["totals"], load("outage.summary.json")["totals"]
print(f"outage what-if   substation C4 out 17:00-21:00, no signal batteries: dark signal-hours {base['dark_signals']} -> "
      f"{outage['dark_signals']}, unserved {base['unserved_energy_mwh']:.1f} -> {outage['unserved_energy_mwh']:.1f} MWh, "
      f"delay {base['delay_hours']:.0f} -> {outage['delay_hours']:.0f} veh-h")
