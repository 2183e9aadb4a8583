#!/usr/bin/env python3
"""A day of 48 load levels on one grid: citytwin's warm-started time series
(grid::PowerFlowSeries, via benchmarks/grid/pf_series) beside lightsim2grid's
KLU time-series solver (TimeSeriesCPP), one thread each, on the same MATPOWER
file, in one run. Both start step 1 from a flat start and each later step from
the previous solution; both stop at a 1e-8 pu mismatch, at most 10 Newton steps.
The voltage magnitudes of the two are compared step by step, so the figures are
for the same operating points.

  pip install lightsim2grid matpowercaseframes   (PyPI; not an engine dependency)
  benchmarks/grid/series_vs_lightsim2grid.py BUILD_DIR CASE.m [CASE.m ...]
  benchmarks/grid/series_vs_lightsim2grid.py BUILD_DIR --synthetic 10000
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")  # lightsim2grid's notes on phase shifters with tap 0 (MATPOWER's rule is kept)
import lightsim2grid.lightsim2grid_cpp as lsc  # noqa: E402
import lightsim2grid.network as lsn  # noqa: E402

LEVELS = [0.85 - 0.15 * math.cos(2 * math.pi * (0.5 * t - 6) / 24) for t in range(48)]
REPEAT = 5


def lightsim2grid_series(case_file):
    grid = lsn.init_from_matpower(case_file)
    loads, gens = grid.get_loads(), grid.get_generators()
    p0 = np.array([l.target_p_mw for l in loads])
    q0 = np.array([l.target_q_mvar for l in loads])
    g0 = np.array([g.target_p_mw for g in gens])
    levels = np.array(LEVELS)
    gen_p = np.ascontiguousarray(np.tile(g0, (len(levels), 1)))
    sgen_p = np.ascontiguousarray(np.zeros((len(levels), len(grid.get_static_generators()))))
    load_p = np.ascontiguousarray(np.outer(levels, p0))
    load_q = np.ascontiguousarray(np.outer(levels, q0))
    v_flat = np.ones(len(grid.get_bus_vn_kv()), dtype=complex)
    best, vm, iters = None, None, None
    for _ in range(REPEAT):
        ts = lsc.TimeSeriesCPP(grid)
        ts.nb_thread = 1
        t0 = time.perf_counter()
        status = ts.compute_Vs(gen_p, sgen_p, load_p, load_q, v_flat, 10, 1e-8)
        wall = time.perf_counter() - t0
        if status != 1 or ts.nb_converged() != len(levels):
            raise SystemExit(f"lightsim2grid: {ts.nb_converged()} of {len(levels)} steps converged on {case_file}")
        if best is None or wall < best["wall"]:
            best = {"wall": wall, "total": ts.total_time(), "solver": ts.solver_time()}
            vm = np.abs(ts.get_voltages())
            iters = int(np.sum(ts.get_row_nb_iter()))
    return best, vm, iters


def citytwin_series(build, case_file):
    with tempfile.TemporaryDirectory() as tmp:
        vm_file = os.path.join(tmp, "vm.csv")
        out = subprocess.run([os.path.join(build, "benchmarks/grid/pf_series"), case_file, "--levels",
                              ",".join(f"{x:.17g}" for x in LEVELS), "--vm-out", vm_file, "--repeat", str(REPEAT)],
                             check=True, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        return json.loads(out.stdout), np.loadtxt(vm_file, delimiter=",", ndmin=2)


def compare(build, case_file):
    ours, our_vm = citytwin_series(build, case_file)
    peer, peer_vm, peer_iters = lightsim2grid_series(case_file)
    n = len(LEVELS)
    # lightsim2grid numbers the buses in the file's order, as citytwin does.
    worst_vm = float(np.max(np.abs(our_vm - peer_vm[:, : our_vm.shape[1]]))) if peer_vm.shape == our_vm.shape else float("nan")
    peer_ms = 1e3 * peer["wall"] / n
    print(f"{ours['case']:>18} {ours['buses']:>7} buses  48 steps  citytwin warm {ours['warm_ms_per_solve']:7.3f} ms/solve "
          f"({ours['warm_iterations']} Newton steps)  lightsim2grid {peer_ms:7.3f} ms/solve ({peer_iters} steps)  "
          f"ratio citytwin/lightsim2grid {ours['warm_ms_per_solve'] / peer_ms:5.2f}  "
          f"citytwin cold (kept solver) {ours['cold_kept_ms_per_solve']:7.3f} ms  max |dVm| {worst_vm:.1e} pu")


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    build = sys.argv[1]
    if sys.argv[2] == "--synthetic":
        with tempfile.TemporaryDirectory() as tmp:
            for buses in sys.argv[3:]:
                case = os.path.join(tmp, f"synthetic{buses}.m")
                subprocess.run([os.path.join(build, "benchmarks/grid/pf_series"), "--write-synthetic", buses, "7", case],
                               check=True)
                compare(build, case)
    else:
        for case in sys.argv[2:]:
            compare(build, case)


if __name__ == "__main__":
    main()
