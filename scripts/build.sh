#!/usr/bin/env bash
# Installs what is missing (Debian 12), configures and builds citytwin in build/.
# Environment: BUILD_DIR (default build), JOBS (default 2), CITYTWIN_CMAKE_ARGS (extra -D options).
set -euo pipefail
cd "$(dirname "$0")/.."
"$(pwd)/scripts/install-deps.sh"
build_dir=${BUILD_DIR:-build}
export PATH="/usr/local/cuda/bin:$PATH"  # nvcc, when the CUDA toolkit is installed
# shellcheck disable=SC2086
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release ${CITYTWIN_CMAKE_ARGS:-}
cmake --build "$build_dir" -j "${JOBS:-2}"
