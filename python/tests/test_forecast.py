"""citytwin.forecast: a true day the forecast is not told (EV share 0.5, 20 % more traffic against a
typical 0.15), observed as arrays until 13:00; NumPy outputs, observed hours kept, the shared
forecast's peak error against the energy department alone, and bad input."""
import numpy as np
import pytest

import citytwin

NOW = 13


@pytest.fixture(scope="module")
def typical():
    return citytwin.Scenario(name="typical", ev_share=0.15, residential_kwh_per_household=3000)


@pytest.fixture(scope="module")
def truth(twin):
    s = citytwin.Scenario(name="truth", ev_share=0.5, residential_kwh_per_household=3000, demand_scale=1.2)
    return citytwin.run(twin, s, threads=2)


def substation_p(twin, results):
    """[hour, substation] active power of each substation's own energised buses (what its meter reads)."""
    p = np.zeros((len(results.hours), twin.substation_count))
    sub = np.asarray(twin.bus_substation)
    for b in np.flatnonzero(sub >= 0):
        p[:, sub[b]] += results.bus_load_mw[:, b] * results.bus_energised[:, b]
    return p


@pytest.fixture(scope="module")
def observed(twin, truth):
    """All 24 hours of counts on every 4th used link and every substation's meter, 1 % noise."""
    rng = np.random.default_rng(3)
    links = np.flatnonzero(truth.link_flow.sum(axis=0) > 0)[::4]
    hours = np.repeat(np.arange(24), len(links))
    flows = truth.link_flow[:, links].ravel()
    counts = {"link": np.tile(links, 24), "hour": hours, "vehicles": np.round(flows * (1 + 0.01 * rng.standard_normal(flows.size)))}
    p = substation_p(twin, truth)
    K = twin.substation_count
    loads = {"substation": list(np.tile(twin.substation_names, 24)), "hour": np.repeat(np.arange(24), K),
             "p_mw": (p * (1 + 0.005 * rng.standard_normal(p.shape))).ravel()}
    return counts, loads


def peak_error(twin, truth, forecast_p):
    true = substation_p(twin, truth)[NOW:].sum(axis=1).max()
    return abs(forecast_p[NOW:].sum(axis=1).max() - true) / true


def test_forecast_arrays_and_observed_hours(twin, typical, observed):
    counts, loads = observed
    f = citytwin.forecast(twin, counts, loads, now=NOW, scenario=typical, threads=2)
    K, L = twin.substation_count, twin.link_count
    assert isinstance(f, citytwin.Forecast) and f.feeds == "shared" and f.now == NOW
    assert f.substation_p_mw.shape == (24, K) and f.substation_p_mw.dtype == np.float64
    assert f.link_flow.shape == (24, L) and f.link_flow.dtype == np.float32
    assert f.branch_loading_pct.shape == (24, twin.branch_count)
    assert f.substation_observed.dtype == np.bool_ and f.substation_observed[:NOW].all() and not f.substation_observed[NOW:].any()
    assert not f.substation_p_mw.flags.writeable
    # hours before now are the meters' values; hours 13..23 were given and ignored, and counted
    np.testing.assert_array_equal(f.substation_p_mw[:NOW].ravel(), loads["p_mw"][:NOW * K])
    assert f.observations["loads_after_now"] == K * (24 - NOW)
    assert f.observations["counts_after_now"] == len(counts["link"]) // 24 * (24 - NOW)
    links = counts["link"][:len(counts["link"]) // 24]
    np.testing.assert_allclose(f.link_flow[NOW - 1, links], counts["vehicles"][(NOW - 1) * len(links):NOW * len(links)], rtol=1e-6)
    # peaks over the remaining hours, bands around them
    np.testing.assert_allclose(f.citywide_p_mw, f.substation_p_mw.sum(axis=1))
    assert f.citywide_peak["hour"] == NOW + int(np.argmax(f.citywide_p_mw[NOW:]))
    assert f.citywide_peak["low_mw"] < f.citywide_peak["mw"] < f.citywide_peak["high_mw"]
    assert (f.substation_peak_hour >= NOW).all()
    assert (f.substation_peak_low_mw <= f.substation_peak_mw).all() and (f.substation_peak_mw <= f.substation_peak_high_mw).all()
    assert f.adjustment["traffic_ratio"] == pytest.approx(1.2, abs=0.03)
    assert "citywide peak" in repr(f)


def test_shared_beats_the_energy_department_alone(twin, typical, truth, observed):
    counts, loads = observed
    shared = citytwin.forecast(twin, counts, loads, now=NOW, scenario=typical, threads=2)
    energy = citytwin.forecast(twin, counts, loads, now=NOW, scenario=typical, feeds="without_traffic", threads=2)
    transport = citytwin.forecast(twin, counts, loads, now=NOW, scenario=typical, feeds="without_grid", threads=2)
    e_shared, e_energy = peak_error(twin, truth, shared.substation_p_mw), peak_error(twin, truth, energy.substation_p_mw)
    print(f"peak error shared {e_shared:.4f}, energy alone {e_energy:.4f}, ratio {e_shared / e_energy:.2f}")
    assert e_shared < 0.6 * e_energy
    assert not energy.adjustment["traffic_updated"] and np.isnan(energy.link_band_relative)
    assert not transport.adjustment["grid_updated"] and np.isnan(transport.citywide_low_mw[NOW:]).all()
    # transport alone forecasts the traffic as well as the shared forecast
    flow_err = lambda f: np.abs(f.link_flow[NOW:] - truth.link_flow[NOW:]).sum() / truth.link_flow[NOW:].sum()
    assert flow_err(transport) == pytest.approx(flow_err(shared), abs=0.01)
    assert flow_err(transport) < 0.2 * flow_err(energy)


def test_bad_input_names_the_array(twin, observed):
    counts, loads = observed
    with pytest.raises(ValueError, match="now"):
        citytwin.forecast(twin, counts, loads, now=25)
    with pytest.raises(ValueError, match="feeds"):
        citytwin.forecast(twin, counts, loads, feeds="everyone")
    bad = dict(counts, link=np.full(len(counts["link"]), twin.link_count))
    with pytest.raises(citytwin.InvalidInput, match=r"counts\['link'\]\[0\]"):
        citytwin.forecast(twin, bad, None)
    bad = dict(counts, hour=counts["hour"] + 0.5)
    with pytest.raises(citytwin.InvalidInput, match="whole hour"):
        citytwin.forecast(twin, bad, None)
    bad = dict(loads, substation=["Nowhere"] * len(loads["hour"]))
    with pytest.raises(citytwin.InvalidInput, match="Nowhere"):
        citytwin.forecast(twin, None, bad)
    bad = dict(loads, p_mw=loads["p_mw"][:-1])
    with pytest.raises(citytwin.InvalidInput, match="p_mw"):
        citytwin.forecast(twin, None, bad)
    with pytest.raises(TypeError):
        citytwin.forecast(twin, 42, None)
