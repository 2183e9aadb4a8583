"""Skims (issue 17 item 4): OMX files from `citytwin assign` and `citytwin run` read back with h5py
(an independent HDF5 reader) — layout, lookup and values — with the times checked against a
Dijkstra written here over the link costs the engine reports; the CLI options' errors."""
import csv
import heapq
import math
import os
import subprocess

import h5py
import numpy as np
import pytest

from conftest import REPO, _citytwin_exe

SIOUX = REPO / "datasets" / "reference" / "tntp" / "SiouxFalls"


def dijkstra(nodes, links, origin, closed_nodes=frozenset()):
    """links: (tail, head, cost); paths never leave a node in closed_nodes unless it is the origin."""
    out = {}
    for t, h, c in links:
        out.setdefault(t, []).append((h, c))
    dist = {origin: 0.0}
    heap = [(0.0, origin)]
    done = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        if u in closed_nodes and u != origin:
            continue
        for v, c in out.get(u, ()):
            if d + c < dist.get(v, math.inf):
                dist[v] = d + c
                heapq.heappush(heap, (d + c, v))
    return dist


def cli(*args):
    return subprocess.run([_citytwin_exe(), *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def sioux_assigned(tmp_path_factory):
    d = tmp_path_factory.mktemp("sioux")
    r = cli("assign", "--net", SIOUX / "SiouxFalls_net.tntp", "--trips", SIOUX / "SiouxFalls_trips.tntp", "--gap", "1e-6",
            "--quiet", "--flows", d / "flows.csv", "--skims", d / "skims.omx", "--value-of-time", "15", "--cost-per-km", "0.3")
    assert r.returncode == 0, r.stderr
    return d


def test_assign_omx_has_the_omx_layout(sioux_assigned):
    with h5py.File(sioux_assigned / "skims.omx", "r") as f:
        assert f.attrs["OMX_VERSION"] == b"0.2"
        assert list(f.attrs["SHAPE"]) == [24, 24]
        assert f.attrs["SHAPE"].dtype.kind == "i"
        assert sorted(f["data"]) == ["cost", "distance_km", "time_min"]  # a static assignment: no hour
        for name in f["data"]:
            m = f["data"][name]
            assert m.shape == (24, 24) and m.dtype == np.float64
            assert m.chunks is not None, "OMX matrices are chunked"
        assert f["data/time_min"].attrs["units"] == b"min"
        assert list(f["lookup"]) == ["zone_number"]
        assert list(f["lookup/zone_number"][:]) == list(range(1, 25))
        assert f.attrs["value_of_time_per_h"] == 15 and f.attrs["cost_per_km"] == 0.3


def test_assign_skim_times_are_shortest_paths_of_the_equilibrium_costs(sioux_assigned):
    with open(sioux_assigned / "flows.csv") as f:
        links = [(int(r["from"]), int(r["to"]), float(r["cost"])) for r in csv.DictReader(f)]
    with h5py.File(sioux_assigned / "skims.omx", "r") as f:
        time = f["data/time_min"][:]
        dist = f["data/distance_km"][:]
        cost = f["data/cost"][:]
    for o in range(1, 25):
        d = dijkstra(24, links, o)
        for z in range(1, 25):
            assert time[o - 1, z - 1] == pytest.approx(d[z], rel=1e-12, abs=1e-12), (o, z)
    # Sioux Falls has no tolls: the money cost is value of time x hours + cost per km x km.
    np.testing.assert_allclose(cost, 15 * time / 60 + 0.3 * dist, rtol=1e-12)
    assert np.all(np.diag(time) == 0) and np.all(time[~np.eye(24, dtype=bool)] > 0)


def test_assign_csv_holds_the_same_numbers_as_the_omx(sioux_assigned, tmp_path):
    r = cli("assign", "--net", SIOUX / "SiouxFalls_net.tntp", "--trips", SIOUX / "SiouxFalls_trips.tntp", "--gap", "1e-6",
            "--quiet", "--skims", tmp_path / "skims.csv", "--value-of-time", "15", "--cost-per-km", "0.3")
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "skims.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 24 * 24
    assert list(rows[0]) == ["origin", "destination", "hour", "time_min", "distance_km", "cost"]
    with h5py.File(sioux_assigned / "skims.omx", "r") as f:
        for row in rows:
            i, j = int(row["origin"]) - 1, int(row["destination"]) - 1
            assert row["hour"] == ""
            for q in ("time_min", "distance_km", "cost"):
                assert float(row[q]) == pytest.approx(f["data"][q][i, j], rel=1e-12, abs=1e-12)


def test_run_omx_matches_python_skims_and_an_independent_dijkstra(city, twin, baseline, tmp_path):
    out = tmp_path / "skims.omx"
    r = cli("run", city, "--hours", "16-18", "-o", tmp_path / "base.gpkg", "--skims", out, "--skim-hours", "17", "--json")
    assert r.returncode == 0, r.stderr
    py = baseline.skims(hours=17)
    assert py["hours"] == [17]
    z = twin.district_count
    with h5py.File(out, "r") as f:
        assert sorted(f["data"]) == ["cost__h17", "distance_km__h17", "time_min__h17"]
        assert list(f.attrs["SHAPE"]) == [z, z]
        assert list(f["lookup/zone_number"][:]) == list(py["zone"]) == list(range(1, z + 1))
        for q in ("time_min", "distance_km", "cost"):
            np.testing.assert_allclose(f["data"][f"{q}__h17"][:], py[q][0], rtol=1e-9)
    # Times against a Dijkstra over the hour's link times; centroids are never passed through.
    row = baseline.hour_index(17)
    t, kappa = baseline.link_time_s[row], baseline.link_capacity_factor[row]
    links = [(int(a), int(b), float(s) / 60.0) for a, b, s, k in zip(twin.link_from, twin.link_to, t, kappa) if k > 0]
    zone_nodes = [int(n) for n in twin.zone_node]
    for i, o in enumerate(zone_nodes):
        d = dijkstra(twin.node_count, links, o, frozenset(zone_nodes))
        for j, dn in enumerate(zone_nodes):
            assert py["time_min"][0, i, j] == pytest.approx(d.get(dn, math.inf), rel=1e-9), (i, j)


def test_python_skims_cost_follows_the_scenario_keys(twin):
    import citytwin
    s = citytwin.Scenario("costly", skim_value_of_time_per_h=30.0, skim_cost_per_km=0.0)
    r = citytwin.run(twin, s, hours=[3], threads=2)
    sk = r.skims()
    off = ~np.eye(twin.district_count, dtype=bool)
    # no per-km cost and (synthetic city) no tolls: cost = 30 / 60 x minutes
    np.testing.assert_allclose(sk["cost"][0][off], 0.5 * sk["time_min"][0][off], rtol=1e-12)
    sk2 = r.skims(value_of_time_per_h=0, cost_per_km=1)
    np.testing.assert_allclose(sk2["cost"][0][off], sk2["distance_km"][0][off], rtol=1e-12)
    with pytest.raises(KeyError):
        r.skims(hours=4)


def test_cli_skim_options_fail_clearly(city, tmp_path):
    gpkg = tmp_path / "x.gpkg"
    r = cli("run", city, "--hours", "8", "-o", gpkg, "--skims", tmp_path / "s.txt")
    assert r.returncode != 0 and ".omx" in r.stderr + r.stdout
    r = cli("run", city, "--hours", "8", "-o", gpkg, "--skims", tmp_path / "s.omx", "--skim-hours", "9")
    assert r.returncode == 2 and "hour 9" in r.stderr and "--skim-hours" in r.stderr
    assert not gpkg.exists(), "checked before the simulation runs"
    r = cli("run", city, "--hours", "8", "-o", gpkg, "--skim-hours", "8")
    assert r.returncode == 2 and "--skims" in r.stderr
    # An unwritable place: exit code 3 (I/O) and the path named.
    bad = "/proc/citytwin_skims.omx"
    r = cli("assign", "--net", SIOUX / "SiouxFalls_net.tntp", "--trips", SIOUX / "SiouxFalls_trips.tntp", "--gap", "1e-3",
            "--quiet", "--skims", bad)
    assert r.returncode == 3 and bad in r.stderr, r.stderr
    assert not os.path.exists(bad)
    # The twin form of assign writes the skims of every assigned hour.
    r = cli("assign", city, "--hours", "7-8", "-o", gpkg, "--skims", tmp_path / "a.omx")
    assert r.returncode == 0, r.stderr
    with h5py.File(tmp_path / "a.omx", "r") as f:
        assert sorted(f["data"]) == sorted(f"{q}__h{h:02d}" for q in ("time_min", "distance_km", "cost") for h in (7, 8))
