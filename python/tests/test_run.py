"""citytwin.run: baseline and what-if runs, hourly [hour, element] arrays, totals, errors."""
import os
import subprocess
import threading
import time

import numpy as np
import pytest

import citytwin
from conftest import REPO

HOURS = [16, 17, 18]


def feeder_substation(twin):
    """A substation that is not the bulk supply point (whose bus is the slack)."""
    slack_buses = set(np.flatnonzero(twin.bus_type == 3))
    for s, name in enumerate(twin.substation_names):
        if twin.substation_bus[s] not in slack_buses:
            return s, name
    pytest.fail("the synthetic city has no feeder substation")


def test_baseline_shapes_dtypes_and_ranges(twin, baseline):
    r = baseline
    assert r.hours == HOURS
    counts = {"link": twin.link_count, "bus": twin.bus_count, "branch": twin.branch_count,
              "substation": twin.substation_count, "district": twin.district_count, "signal": twin.signal_count}
    for name, element in citytwin.Results.FIELDS.items():
        a = getattr(r, name)
        assert a.shape == (len(HOURS), counts[element]), name
        flag = name in ("bus_energised", "substation_failed", "signal_dark")
        assert a.dtype == (np.bool_ if flag else np.float32), name
        if not flag:
            assert np.isfinite(a).all(), name
    assert (r.link_flow >= 0).all() and r.link_flow.sum() > 0
    assert (r.link_speed_kph > 0).all() and (r.link_time_s > 0).all() and (r.link_vc >= 0).all()
    assert r.bus_energised.all() and not r.substation_failed.any() and not r.signal_dark.any()
    assert (r.district_unserved_mwh == 0).all() and (r.district_ev_mwh == 0).all()
    assert (r.bus_load_mw.sum(axis=1) > 0).all()
    # the district vehicle-km add up to the citywide total of each hour
    np.testing.assert_allclose(r.district_vkt.sum(axis=1), r.totals["vehicle_km"], rtol=1e-4)
    assert r.totals["converged"].dtype == np.bool_ and r.totals["converged"].all()
    np.testing.assert_array_equal(r.totals["hour"], HOURS)
    assert set(r.phase_seconds) == {"demand", "assignment", "ev_charging", "power_flow", "failures"}


def test_baseline_matches_the_command_line(city, twin, baseline, tmp_path):
    """The module and `citytwin run --json` are the same engine: same citywide totals."""
    import json
    exe = os.environ.get("CITYTWIN_EXE")
    if not exe:
        pytest.skip("CITYTWIN_EXE not set")
    out = subprocess.run([exe, "run", str(city), "--hours", "16-18", "-o", str(tmp_path / "base.gpkg"), "--json"],
                         check=True, capture_output=True, text=True).stdout
    cli = json.loads(out)["hours"]
    np.testing.assert_allclose([h["vehicle_km"] for h in cli], baseline.totals["vehicle_km"], rtol=1e-12)
    np.testing.assert_allclose([h["delay_hours"] for h in cli], baseline.totals["delay_hours"], rtol=1e-12)


def test_ev_energy_is_share_times_vkt_times_kwh_per_km(twin):
    share = 0.3
    r = citytwin.run(twin, citytwin.Scenario(ev_share=share), hours=HOURS)
    expected = share * r.totals["vehicle_km"] * 0.18 / 1000
    np.testing.assert_allclose(r.totals["ev_energy_mwh"], expected, rtol=1e-6)
    assert (r.totals["ev_energy_mwh"] > 0).all()
    # charged where trips end, spread over the following hours: per district, not per-hour identical
    assert (r.district_ev_mwh >= 0).all() and r.district_ev_mwh.sum() > 0


def test_substation_outage_de_energises_and_leaves_demand_unserved(twin, baseline):
    sub, name = feeder_substation(twin)
    scenario = citytwin.Scenario("outage", battery_backup_hours=0, outages=[("substation", name, 17, 4)])
    r = citytwin.run(twin, scenario, hours=HOURS)
    before, during = r.hour_index(16), r.hour_index(17)
    assert r.bus_energised[before].all() and r.totals["unserved_energy_mwh"][before] == 0
    assert not r.bus_energised[during].all()                       # some buses are 0
    assert r.substation_failed[during, sub]
    assert (r.district_unserved_mwh[during] > 0).any()             # unserved energy somewhere
    assert r.totals["unserved_energy_mwh"][during] > 0
    # signals powered from de-energised buses are dark at once (no battery backup)
    off = ~r.bus_energised[during][twin.signal_bus]
    np.testing.assert_array_equal(r.signal_dark[during], off)
    if off.any():
        assert r.totals["delay_hours"][during] > baseline.totals["delay_hours"][during]
        assert (r.link_capacity_factor[during] < 1).any()
    assert scenario.outages == [("substation", sub, 17, 4.0)]


def test_scenario_file_and_keyword_scenario_agree(twin, tmp_path):
    _, name = feeder_substation(twin)
    kw = citytwin.Scenario("what-if", ev_share=0.25, outages=[("substation", name, 17, 4)])
    path = tmp_path / "what-if.toml"
    path.write_text(kw.to_toml())
    from_file = citytwin.Scenario.from_file(path, twin)
    assert from_file.name == "what-if" and from_file.ev_share == 0.25
    a, b = citytwin.run(twin, kw, hours=HOURS), citytwin.run(twin, from_file, hours=HOURS)
    for name_, arr in a.arrays().items():
        np.testing.assert_array_equal(arr, getattr(b, name_), err_msg=name_)
    # a path works as the scenario too
    c = citytwin.run(twin, path, hours=[17])
    np.testing.assert_array_equal(c.link_flow[0], a.link_flow[a.hour_index(17)])


def test_example_scenarios_resolve_against_the_built_in_city(builtin_twin):
    """datasets/scenarios/*.toml, written for the main job's built-in city, resolve against it."""
    folder = REPO / "datasets" / "scenarios"
    scenarios = sorted(folder.glob("*.toml"))
    assert scenarios
    for path in scenarios:
        s = citytwin.Scenario.from_file(path, builtin_twin)
        assert s.name and s.to_toml() == path.read_text()
    outage = citytwin.Scenario.from_file(folder / "substation-outage.toml", builtin_twin)
    kind, sub, from_hour, repair = outage.outages[0]
    assert builtin_twin.substation_names[sub] == "Substation C4" and (kind, from_hour, repair) == ("substation", 17, 4.0)
    assert outage.battery_backup_hours == 0


def test_bad_scenario_file_raises_valueerror_naming_the_file(twin, tmp_path):
    bad = tmp_path / "broken-scenario.toml"
    bad.write_text('name = "x"\n[parameters]\nev_share = 0.2\nwarp_speed = 9\n')
    with pytest.raises(ValueError) as e:
        citytwin.Scenario.from_file(bad, twin)
    msg = str(e.value)
    assert "broken-scenario.toml" in msg and "line 4" in msg and "warp_speed" in msg
    assert isinstance(e.value, citytwin.InvalidInput)
    with pytest.raises(ValueError, match="broken-scenario.toml"):
        citytwin.run(twin, bad, hours=[0])


def test_missing_scenario_file_raises_oserror(twin, tmp_path):
    with pytest.raises(OSError, match="no-such.toml"):
        citytwin.Scenario.from_file(tmp_path / "no-such.toml", twin)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"ev_share": 2}, "ev_share"),
    ({"warp_speed": 9}, "unknown parameter 'warp_speed'"),
    ({"outages": [("substation", "No Such Substation", 17)]}, "No Such Substation"),
    ({"outages": [("bus", 10_000, 3)]}, "bus id 10000 does not exist"),
    ({"outages": [("substation", 0, 25)]}, "0..23"),
    ({"share_home": 0.5}, "must be 1"),
    ({"growth": [("Atlantis", 2.0)]}, "Atlantis"),
])
def test_bad_keyword_scenario_raises_valueerror(twin, kwargs, fragment):
    with pytest.raises(ValueError) as e:
        citytwin.run(twin, citytwin.Scenario("bad one", **kwargs), hours=[0])
    assert fragment in str(e.value) and "bad one" in str(e.value)


def test_bad_arguments(twin):
    with pytest.raises(ValueError, match="0..23"):
        citytwin.run(twin, hours=[24])
    with pytest.raises(ValueError):
        citytwin.run(twin, hours=[])
    with pytest.raises(ValueError):
        citytwin.Scenario(outages=[("transformer", 1, 2)])
    with pytest.raises(TypeError):
        citytwin.run("city.twin")


def test_link_changes_and_growth(twin, baseline):
    # close the busiest non-connector link at 17:00; grow every district
    flows = baseline.link_flow[baseline.hour_index(17)].copy()
    flows[twin.link_class == "connector"] = -1
    busiest = int(np.argmax(flows))
    s = citytwin.Scenario("closure", link_changes=[([busiest], 0.0, 17, 17)], growth=[("*", 1.2, 1.1)])
    r = citytwin.run(twin, s, hours=HOURS)
    assert r.link_capacity_factor[r.hour_index(17), busiest] == 0
    assert r.link_flow[r.hour_index(17), busiest] < flows[busiest]
    assert r.link_capacity_factor[r.hour_index(16), busiest] == 1
    np.testing.assert_allclose(s.resolve(twin).population_growth, 1.2)
    assert r.totals["demand_vehicles"][0] > baseline.totals["demand_vehicles"][0]


def test_results_identical_across_thread_counts(twin):
    s = citytwin.Scenario(ev_share=0.4)
    one, two = citytwin.run(twin, s, hours=[8, 17], threads=1), citytwin.run(twin, s, hours=[8, 17], threads=2)
    for name, arr in one.arrays().items():
        np.testing.assert_array_equal(arr, getattr(two, name), err_msg=name)


def test_progress_callback(twin):
    calls = []
    citytwin.run(twin, hours=[3, 17], progress=lambda *a: calls.append(a))
    assert {c[0] for c in calls} == {3, 17} and all(c[2] == 2 for c in calls)
    with pytest.raises(ZeroDivisionError):
        citytwin.run(twin, hours=[3], progress=lambda *a: 1 / 0)


def test_run_releases_the_gil(builtin_twin):
    """While one thread runs the engine, another keeps executing Python."""
    span = {}

    def work():
        span["t0"] = time.perf_counter()
        citytwin.run(builtin_twin, hours=[3], threads=1)
        span["t1"] = time.perf_counter()

    worker = threading.Thread(target=work)
    ticks = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    t0, t1 = span["t0"], span["t1"]
    lo, hi = t0 + 0.1 * (t1 - t0), t1 - 0.1 * (t1 - t0)
    inside = sum(lo <= t <= hi for t in ticks)
    assert t1 - t0 > 0.02, "the run was too short to tell"
    print(f"main thread ran {inside} times in the middle of a {t1 - t0:.3f} s run")
    assert inside > 100, f"the main thread ran {inside} times during a {t1 - t0:.3f} s run"


def test_od_matrix_feedback_and_carry_over(twin, tmp_path):
    od = tmp_path / "od.csv"
    od.write_text("origin,destination,hour,trips\n1,2,17,400\n2,3,17,250.5\n3,1,18,90\n")
    r = citytwin.run(twin, citytwin.Scenario("given od", od_matrix=od), hours=[17, 18])
    np.testing.assert_allclose(r.totals["demand_vehicles"], [650.5, 90.0])
    assert r.totals["vehicle_km"][0] > 0
    busy = citytwin.Scenario("busy", demand_scale=3.0, carry_over_unserved=True, feedback_loops=1)
    assert "carry_over_unserved = true" in busy.to_toml()
    b = citytwin.run(twin, busy, hours=[17, 18])
    assert b.totals["carried_over_vehicles"][0] > 0
    assert b.totals["carried_in_vehicles"][1] == b.totals["carried_over_vehicles"][0]
    for key in ("carry_over_unserved", "feedback_loops", "max_queue_wait_h"):
        assert key in citytwin.Scenario.parameter_names()


def test_peak_substation_loading_is_the_hours_largest_utilisation(baseline):
    """A total added as one line of the field list reaches Python's totals."""
    peak = baseline.totals["peak_substation_loading"]
    assert peak.dtype == np.float64 and (peak > 0).all()
    np.testing.assert_array_equal(peak, baseline.substation_utilisation.max(axis=1).astype(np.float64))


def test_managed_charging_lowers_the_peak_and_reports_the_unmanaged_run(twin):
    """managed_charging is a scenario parameter like any other: its totals reach Python."""
    s = citytwin.Scenario("managed", ev_share=0.6, managed_charging=True)
    assert "managed_charging = true" in s.to_toml()
    for key in ("managed_charging", "home_departure_hour", "work_departure_hour", "home_charger_kw", "work_charger_kw",
                "charging_session_kwh", "managed_utilisation_limit"):
        assert key in citytwin.Scenario.parameter_names()
    r = citytwin.run(twin, s)
    u = citytwin.run(twin, citytwin.Scenario("uncontrolled", ev_share=0.6))
    np.testing.assert_allclose(r.totals["unmanaged_load_mw"], u.totals["load_mw"], rtol=1e-12)
    assert r.totals["load_mw"].max() < u.totals["load_mw"].max()
    assert r.totals["ev_shifted_mwh"].sum() > 0 and r.totals["sessions_delayed"].sum() > 0
    assert (u.totals["ev_shifted_mwh"] == 0).all()
