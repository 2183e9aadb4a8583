"""citytwin.calibrate: observations as NumPy columns (what a pandas DataFrame gives by column),
a known truth recovered, the calibrated twin loaded back and run, bad rows named."""
import csv
import subprocess

import numpy as np
import pytest

import citytwin
from conftest import _citytwin_exe


def _read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {k: [r[k] for r in rows] for k in rows[0]}


@pytest.fixture(scope="module")
def observations(city, tmp_path_factory):
    """Counts and meter loads of a truth run (more trips in every district, higher EV share), via `citytwin observe`."""
    exe = _citytwin_exe()
    d = tmp_path_factory.mktemp("calibrate")
    truth = citytwin.Scenario("truth", ev_share=0.3, demand_scale=5, growth=[("*", 1.3, 1.2)])
    (d / "truth.toml").write_text(truth.to_toml())
    subprocess.run([exe, "run", str(city), str(d / "truth.toml"), "-o", str(d / "truth.gpkg")], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([exe, "observe", str(city), str(d / "truth.gpkg"), "-o", str(d / "obs"), "--seed", "2"], check=True,
                   stdout=subprocess.DEVNULL)
    counts = _read_csv(d / "obs" / "counts.csv")
    loads = _read_csv(d / "obs" / "loads.csv")
    counts = {"station": np.array(counts["station"]), "lon": np.array(counts["lon"], float), "lat": np.array(counts["lat"], float),
              "bearing": np.array(counts["bearing"], float), "time": np.array(counts["time"], "datetime64[m]"),
              "vehicles": np.array(counts["vehicles"], float)}
    loads = {"substation": loads["substation"], "time": loads["time"], "p_mw": np.array(loads["p_mw"], float)}
    return d, counts, loads


def test_calibrate_recovers_the_truth_and_the_twin_runs(twin, observations):
    d, counts, loads = observations
    prior = citytwin.Scenario("prior", ev_share=0.1, demand_scale=5)
    calibrated, report = citytwin.calibrate(twin, d / "cal.twin", counts=counts, loads=loads, scenario=prior, holdout_share=0.25,
                                            seed=4, report=d / "fit.json", threads=2)
    assert isinstance(calibrated, citytwin.Twin)
    assert (d / "fit.json").exists()
    assert report["counts"]["held_out"] == round(0.25 * report["counts"]["matched"])
    before, after = report["before"], report["after"]
    assert after["counts_used"]["share_geh_below_5"] >= 0.85
    assert after["counts_held_out"]["rmse_pct"] < before["counts_held_out"]["rmse_pct"]
    assert after["loads"]["mape_pct"] < before["loads"]["mape_pct"]
    # Everything grew by 1.3 / 1.2: the load factors move up from 1 for every substation.
    factors = report["load_factors"]["per_substation"]
    assert len(factors) == calibrated.substation_count
    assert all(0.5 <= f["residential_factor"] <= 2 and 0 <= f["ev_factor"] <= 4 for f in factors)
    assert np.mean([f["residential_factor"] for f in factors]) > 1.1
    # The calibrated twin runs like any other; its loads are the report's "after".
    res = citytwin.run(calibrated, prior, hours=[18], threads=2)
    assert res.substation_load_mva.shape == (1, calibrated.substation_count)


def test_bad_rows_are_named(twin, observations):
    d, counts, loads = observations
    bad = dict(loads)
    bad["substation"] = list(loads["substation"])
    bad["substation"][3] = "Substation Z9"
    with pytest.raises(ValueError, match=r"loads row 3, column 'substation'.*Substation Z9"):
        citytwin.calibrate(twin, d / "x.twin", loads=bad)
    bad_counts = dict(counts)
    bad_counts["vehicles"] = counts["vehicles"].copy()
    bad_counts["vehicles"][5] = -1
    with pytest.raises(ValueError, match=r"counts row 5, column 'vehicles'"):
        citytwin.calibrate(twin, d / "x.twin", counts=bad_counts)
    with pytest.raises(ValueError, match="holdout_share"):
        citytwin.calibrate(twin, d / "x.twin", loads=loads, holdout_share=1.0)
    with pytest.raises(ValueError, match="missing column 'p_mw'"):
        citytwin.calibrate(twin, d / "x.twin", loads={"substation": loads["substation"], "time": loads["time"]})
    assert not (d / "x.twin").exists()
