"""citytwin.load: counts, names, CRS and static attributes as NumPy arrays."""
import numpy as np
import pytest

import citytwin


def test_counts_names_and_crs(twin):
    assert twin.crs.startswith("EPSG:")
    assert "PROJCRS" in twin.crs_wkt or "PROJCS" in twin.crs_wkt
    assert twin.link_count > 500 and twin.node_count > 100
    assert twin.district_count == len(twin.district_names) > 1
    assert twin.substation_count == len(twin.substation_names) > 1
    assert twin.bus_count > 1 and twin.branch_count > 0 and twin.signal_count > 0
    assert all(isinstance(n, str) and n for n in twin.district_names)
    assert len(set(twin.substation_names)) == twin.substation_count
    assert {s["department"] for s in twin.sources} >= {"transport", "energy", "planning"}
    assert repr(twin).startswith("<citytwin.Twin")


def test_static_arrays_match_counts(twin):
    per = {
        "node": ["node_x", "node_y", "node_signal"],
        "link": ["link_from", "link_to", "link_length_m", "link_free_flow_s", "link_capacity_vph", "link_lanes",
                 "link_speed_limit_kph", "link_class_code", "link_class", "link_district"],
        "bus": ["bus_x", "bus_y", "bus_kv", "bus_type", "bus_substation"],
        "branch": ["branch_from", "branch_to", "branch_rating_mva", "branch_in_service"],
        "substation": ["substation_x", "substation_y", "substation_capacity_mva", "substation_bus"],
        "district": ["district_population", "district_households", "district_jobs", "district_area_m2",
                     "district_x", "district_y", "zone_node"],
        "signal": ["signal_node", "signal_bus"],
        "charger": ["charger_x", "charger_y", "charger_plugs", "charger_kw_per_plug"],
    }
    for element, names in per.items():
        n = getattr(twin, f"{element}_count")
        for name in names:
            a = getattr(twin, name)
            assert isinstance(a, np.ndarray) and a.shape == (n,), (name, a.shape, n)


def test_static_values_are_sane(twin):
    assert twin.link_length_m.dtype == np.float64 and (twin.link_length_m > 0).all()
    assert (twin.link_capacity_vph > 0).all()
    assert twin.link_from.max() < twin.node_count and twin.link_to.max() < twin.node_count
    assert set(twin.link_class) <= set(citytwin.ROAD_CLASS_NAMES)
    assert "connector" in set(twin.link_class)  # zone connectors are inferred by the import
    min_x, min_y, max_x, max_y = twin.extent
    assert (twin.node_x >= min_x - 1e-6).all() and (twin.node_x <= max_x + 1e-6).all()
    assert (twin.node_y >= min_y - 1e-6).all() and (twin.node_y <= max_y + 1e-6).all()
    assert twin.district_population.sum() > 0
    assert (twin.node_signal[twin.signal_node] == 1).all()
    assert (twin.bus_type == 3).sum() >= 1  # a slack bus


def test_static_arrays_are_read_only_views(twin):
    a = twin.link_length_m
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0] = 1.0
    assert np.shares_memory(a, twin.link_length_m)  # a view on the twin, not a copy


def test_arrays_outlive_the_twin_object(city):
    a = citytwin.load(city).link_length_m  # the twin itself is dropped
    assert (a > 0).all()


def test_missing_snapshot_raises_oserror(tmp_path):
    with pytest.raises(OSError) as e:
        citytwin.load(tmp_path / "nope.twin")
    assert "nope.twin" in str(e.value)
    assert isinstance(e.value, citytwin.IoError)


def test_corrupt_snapshot_raises_valueerror(tmp_path, city):
    bad = tmp_path / "bad.twin"
    data = bytearray(city.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(ValueError) as e:
        citytwin.load(bad)
    assert "bad.twin" in str(e.value)
    assert isinstance(e.value, citytwin.InvalidInput)


def test_exception_hierarchy():
    assert issubclass(citytwin.InvalidInput, ValueError)
    assert issubclass(citytwin.IoError, OSError)
    for e in (citytwin.Error, citytwin.NotConverged, citytwin.BackendUnavailable):
        assert issubclass(e, RuntimeError)
    assert issubclass(citytwin.NotConverged, citytwin.Error)
