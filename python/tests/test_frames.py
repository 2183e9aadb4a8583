"""Twin.frame / Results.frame: pandas DataFrames and GeoPandas GeoDataFrames.

Checked against two independent sources: the twin's and the run's NumPy arrays, and the same
layers and hourly tables of a results GeoPackage written by the `citytwin` command line and read
back here with GDAL's own Python bindings (ogr), geometry and CRS included."""
import subprocess
import sys

import geopandas as gpd  # scripts/install-deps.sh: python3-geopandas, python3-pandas, python3-gdal
import numpy as np
import pandas as pd
import pytest
from osgeo import ogr, osr
from shapely import wkb

import citytwin  # noqa: F401  (adds Twin.frame and Results.frame)
from conftest import _citytwin_exe

HOURS = [16, 17, 18]


@pytest.fixture(scope="module")
def run_gpkg(city, tmp_path_factory):
    """The CLI's results GeoPackage of the same twin and hours as the `baseline` fixture."""
    out = tmp_path_factory.mktemp("frames") / "run.gpkg"
    subprocess.run([_citytwin_exe(), "run", str(city), "--hours", "16-18", "--threads", "2", "-o", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    ds = ogr.Open(str(out))
    assert ds is not None
    return ds


def ogr_rows(ds, name):
    """Every feature of a layer or table: (fid-ordered) list of (fields dict, geometry WKB or None)."""
    layer = ds.GetLayerByName(name)
    assert layer is not None, name
    rows = []
    for f in layer:
        g = f.GetGeometryRef()
        rows.append((f.items(), bytes(g.ExportToWkb()) if g is not None else None))
    return layer, rows


def test_roads_frame_equals_the_twins_arrays(twin):
    f = twin.frame("roads")
    assert isinstance(f, pd.DataFrame) and f.index.name == "link_id" and len(f) == twin.link_count
    np.testing.assert_array_equal(f.index.to_numpy(), np.arange(twin.link_count))
    np.testing.assert_array_equal(f["from_node"].to_numpy(), twin.link_from)
    np.testing.assert_array_equal(f["to_node"].to_numpy(), twin.link_to)
    np.testing.assert_array_equal(f["length_m"].to_numpy(), twin.link_length_m)
    np.testing.assert_array_equal(f["capacity_vph"].to_numpy(), twin.link_capacity_vph)
    np.testing.assert_array_equal(f["class"].to_numpy(), twin.link_class)
    assert f["length_m"].dtype == np.float64 and f["from_node"].dtype == np.int64
    # "links" is the same layer
    pd.testing.assert_frame_equal(twin.frame("links"), f)


def test_other_layers_equal_the_twins_arrays(twin):
    s = twin.frame("substations")
    assert list(s["name"]) == list(twin.substation_names)
    np.testing.assert_array_equal(s["capacity_mva"].to_numpy(), twin.substation_capacity_mva)
    d = twin.frame("districts")
    assert list(d["name"]) == list(twin.district_names)
    np.testing.assert_array_equal(d["population"].to_numpy(), twin.district_population)
    b = twin.frame("buses")
    np.testing.assert_array_equal(b["kv"].to_numpy(), twin.bus_kv)
    # a NULL reference (a bus outside every substation) is a missing value, not a number
    sub = b["substation_id"]
    np.testing.assert_array_equal(sub.isna().to_numpy(), twin.bus_substation < 0)
    np.testing.assert_array_equal(sub[~sub.isna()].to_numpy(dtype=np.int64), twin.bus_substation[twin.bus_substation >= 0])
    c = twin.frame("chargers")
    np.testing.assert_array_equal(c["plugs"].to_numpy(), twin.charger_plugs)
    n = twin.frame("nodes")
    np.testing.assert_array_equal(n["signal"].to_numpy(), twin.node_signal)
    assert set(twin.frame_layers) >= {"roads", "signals", "buses", "branches", "substations", "districts", "road_nodes", "ev_chargers"}
    with pytest.raises(ValueError, match="no twin layer 'rivers'"):
        twin.frame("rivers")


@pytest.mark.parametrize("layer", ["roads", "buses", "branches", "substations", "districts", "signals"])
def test_twin_geoframe_equals_the_geopackage(twin, run_gpkg, layer):
    g = twin.geoframe(layer)
    assert isinstance(g, gpd.GeoDataFrame)
    ogr_layer, rows = ogr_rows(run_gpkg, layer)
    assert len(rows) == len(g)
    # attributes: every column of the file's layer, value by value
    for name in g.columns.drop("geometry"):
        ours = g[name].to_numpy(dtype=object)
        theirs = [r[0][name] for r in rows]
        for i, (a, b) in enumerate(zip(ours, theirs)):
            if b is None:
                assert pd.isna(a), (layer, name, i)
            elif isinstance(b, float):
                assert a == pytest.approx(b, rel=1e-12, abs=1e-12), (layer, name, i)
            else:
                assert a == b, (layer, name, i, a, b)
    file_columns = {ogr_layer.GetLayerDefn().GetFieldDefn(k).GetName() for k in range(ogr_layer.GetLayerDefn().GetFieldCount())}
    assert file_columns - {ogr_layer.GetFIDColumn()} - {g.index.name} == set(g.columns.drop("geometry"))
    # geometry: same type and the same coordinates, feature by feature
    expected_type = {"roads": "LineString", "branches": "LineString", "buses": "Point", "signals": "Point",
                     "substations": "MultiPolygon", "districts": "MultiPolygon"}[layer]
    assert set(g.geom_type) == {expected_type}
    for i, (_, blob) in enumerate(rows):
        theirs = wkb.loads(blob)
        assert theirs.geom_type == expected_type
        assert g.geometry.iloc[i].equals_exact(theirs, 1e-9), (layer, i)
    # CRS: the twin's, the same as the file's
    file_srs = ogr_layer.GetSpatialRef()
    ours = osr.SpatialReference()
    ours.SetFromUserInput(g.crs.to_wkt())
    assert file_srs.IsSame(ours), (g.crs, file_srs.ExportToWkt())
    assert g.crs.to_epsg() == int(twin.crs.split(":")[1])


def test_results_frame_equals_the_arrays(twin, baseline):
    f = baseline.frame("roads")
    n = twin.link_count
    assert len(f) == n * len(HOURS) and list(f.columns[:2]) == ["link_id", "hour"]
    for row, hour in enumerate(HOURS):
        part = f.iloc[row * n:(row + 1) * n]
        assert (part["hour"] == hour).all()
        np.testing.assert_array_equal(part["link_id"].to_numpy(), np.arange(n))
        np.testing.assert_array_equal(part["flow"].to_numpy(), baseline.link_flow[row])
        np.testing.assert_array_equal(part["time_s"].to_numpy(), baseline.link_time_s[row])
        # the derived column, by hand: vehicle hours above free-flow time
        delay = baseline.link_flow[row].astype(np.float64) * np.maximum(
            0.0, baseline.link_time_s[row].astype(np.float64) - twin.link_free_flow_s) / 3600.0
        np.testing.assert_allclose(part["delay_veh_h"].to_numpy(), delay, rtol=1e-12, atol=1e-12)
    s = baseline.frame("substations")
    np.testing.assert_array_equal(s["failed"].to_numpy(), baseline.substation_failed.reshape(-1).astype(np.int32))
    h = baseline.frame("hours")
    assert list(h["hour"]) == HOURS and len(h) == len(HOURS)
    np.testing.assert_array_equal(h["vehicle_hours"].to_numpy(), baseline.totals["vehicle_hours"])
    pd.testing.assert_frame_equal(baseline.frame("links"), f)


@pytest.mark.parametrize("table", ["roads", "buses", "substations", "districts", "signals", "branches"])
def test_results_frame_equals_the_geopackage(baseline, run_gpkg, table):
    f = baseline.frame(table)
    _, rows = ogr_rows(run_gpkg, f"{table}_hourly_data")
    assert len(rows) == len(f)
    theirs = pd.DataFrame([r[0] for r in rows])
    theirs = theirs.sort_values(["hour", f.columns[0]]).reset_index(drop=True)
    for name in f.columns:
        np.testing.assert_allclose(f[name].to_numpy(dtype=np.float64), theirs[name].to_numpy(dtype=np.float64),
                                   rtol=1e-6, atol=1e-9, err_msg=f"{table}.{name}")


def test_results_geoframe_repeats_each_elements_geometry(twin, baseline):
    g = baseline.geoframe("substations")
    shapes = twin.geoframe("substations").geometry
    assert isinstance(g, gpd.GeoDataFrame) and g.crs == shapes.crs
    for i in range(len(g)):
        assert g.geometry.iloc[i].equals(shapes.iloc[g["substation_id"].iloc[i]])
    with pytest.raises(ValueError, match="no geometry"):
        baseline.frame("hours", geometry=True)


def test_a_missing_pandas_or_geopandas_is_named(twin, monkeypatch):
    monkeypatch.setitem(sys.modules, "geopandas", None)  # import geopandas now raises ImportError
    with pytest.raises(ImportError, match="frames with geometry need geopandas"):
        twin.geoframe("roads")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="citytwin frames need pandas"):
        twin.frame("roads")
