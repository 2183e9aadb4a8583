#!/usr/bin/env bash
# Runs the whole test suite of a build made by scripts/build.sh, then the unit
# tests under ASan + UBSan and the fuzz targets' seed corpora
# (scripts/test-sanitized.sh; SANITIZE=0 skips that part). Reference data is
# read from datasets/reference (CMake variable CITYTWIN_REFERENCE_DATA).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
ctest --test-dir "$build_dir" --output-on-failure -j "${JOBS:-2}" --timeout 900
if [ "${SANITIZE:-1}" != 0 ]; then scripts/test-sanitized.sh; fi
