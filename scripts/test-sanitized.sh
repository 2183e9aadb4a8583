#!/usr/bin/env bash
# The unit tests under AddressSanitizer + UndefinedBehaviorSanitizer, then every
# fuzz target over its seeds: the asan-ubsan preset (clang-14; no CUDA, viewer,
# Python module or benchmarks) in build-asan-ubsan/. scripts/test.sh runs it
# after the normal suite, so CI (.ci/run) does; SANITIZE=0 there skips it.
#
# Run sanitized: every unit-test suite but two groups, to keep .ci/run under
# 20 minutes on 2 cores (figures in benchmarks/RESULTS.md, "Sanitizers and fuzzing"):
#  - test_gpu (label gpu): without CUDA it tests the host twins of the kernels,
#    85 s under ASan; the normal run has them.
#  - the platform tests (label platform): the normal run has them against the
#    real PostgreSQL server; they exercise GDAL's PG driver more than our code.
#  - the MPI sweep (test_mpi_sweep): Open MPI's own allocations are not ours to
#    sanitize (the preset builds without MPI); the normal run has it.
#  - the Chicago-Sketch validations (TntpValidation.ChicagoSketch*): 36 s of
#    numerics on a network the TNTP parser tests already read sanitized.
# CITYTWIN_CI_FUZZ_SECONDS=N adds a short fuzz run per target (at most N seconds;
# CITYTWIN_CI_FUZZ_RUNS inputs, default 5000, from seed 1: a fixed amount of work, not a time)
# (scripts/fuzz.sh; its crashes land in build-asan-ubsan/fuzz-artifacts).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=build-asan-ubsan

# Findings that another change fixes (issue 18); each test leaves this list with its fix.
#  - Snapshot.RoundTripIsExact, OsmMalta.GeoPackageExportOpensWithOgrinfoAndSnapshotRoundTrips:
#    UBSan, core/model/snapshot.cpp:41, memcpy into the null data() of an empty
#    column (a twin with no chargers, signals...): "null pointer passed as argument 1".
awaiting_fix='NONE_AWAITING_A_FIX'

unit_tests=(test_core_common test_core_model test_core_traffic test_core_grid test_core_demand test_core_coupling
  test_core_observations test_core_forecast test_core_calibration test_geo_gdal test_geo_index test_geo_import test_geo_results test_geo_osm test_geo_pbf test_geo_observations test_geo_skims
  test_datasets test_fit_recovery test_app test_app_hardening test_grid_cli test_osm_cli test_forecast_cli)

# Each step says how long it took, so CI's time budget can be followed.
step() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "test-sanitized: $name took $((SECONDS - start)) s"
}

step configure bash -c 'cmake --preset asan-ubsan >/dev/null'
step build cmake --build "$build_dir" -j "${JOBS:-2}" --target citytwin "${unit_tests[@]}" citytwin_fuzz_targets
step "unit tests" ctest --preset asan-ubsan -LE "gpu|platform" -E "test_gpu_NOT_BUILT|test_platform_NOT_BUILT|test_mpi_sweep_NOT_BUILT|TntpValidation\.ChicagoSketch|$awaiting_fix"
step "fuzz seed replay" scripts/fuzz.sh --replay
if [ "${CITYTWIN_CI_FUZZ_SECONDS:-0}" -gt 0 ]; then
  # A fixed seed and number of inputs per target (FUZZ_RUNS), not a time box.
  step "fuzz run" env FUZZ_ARTIFACTS="$build_dir/fuzz-artifacts" FUZZ_RUNS="${CITYTWIN_CI_FUZZ_RUNS:-5000}" FUZZ_SEED=1 \
    scripts/fuzz.sh "$CITYTWIN_CI_FUZZ_SECONDS"
fi
