#!/usr/bin/env bash
# The GPU suite (issue 7): build here, run on a GPU machine, print a markdown table.
#   run_suite.sh build   configure (CUDA ON) + build test_gpu and bench_gpu, and collect
#                        them with libtbb into .device/gpu-suite (git ignores .device/)
#   run_suite.sh run     on the GPU machine, from the repository root: run the GPU
#                        tests, then the benchmarks, and print the table
#   run_suite.sh         both, on one machine that has a GPU and the build packages
# With the device tool: build here, then run `benchmarks/gpu/run_suite.sh run` there with
# .device/gpu-suite carried (git ignores it, so it travels only when named).
# The GPU machine has no Debian packages (no TBB, KLU, GDAL), hence the split:
# the suite folder holds the binaries and every shared library they load from
# the system besides glibc and the CUDA toolkit (TBB, KLU and the SuiteSparse
# parts, libstdc++). The TNTP and MATPOWER reference data are read from the
# working tree (datasets/reference, tracked) through a path relative to the
# repository root, so run from there.
# Environment: BUILD_DIR (build-gpu-suite), JOBS (2), BENCH_FILTER (all), MIN_TIME (0.5).
set -euo pipefail
cd "$(dirname "$0")/../.."
suite=.device/gpu-suite
build_dir=${BUILD_DIR:-build-gpu-suite}

build() {
  export PATH="/usr/local/cuda/bin:$PATH"
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCITYTWIN_WITH_CUDA=ON \
    -DCITYTWIN_BUILD_VIEWER=OFF -DCITYTWIN_BUILD_PYTHON=OFF -DCITYTWIN_REFERENCE_DATA:STRING=datasets/reference
  cmake --build "$build_dir" -j "${JOBS:-2}" --target test_gpu bench_gpu
  rm -rf "$suite"
  mkdir -p "$suite"
  cp "$build_dir/tests/gpu/test_gpu" "$build_dir/benchmarks/gpu/bench_gpu" "$suite/"
  # glibc must match the machine's loader and the CUDA libraries come with its toolkit.
  ldd "$suite/test_gpu" "$suite/bench_gpu" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' |
    grep -v -E '/(libc|libm|libdl|libpthread|librt|ld-linux[^/]*)\.so|/usr/local/cuda' | sort -u |
    while read -r lib; do cp -L "$lib" "$suite/"; done
  echo "built into $suite ($(du -sh "$suite" | cut -f1)): $(cd "$suite" && ls -- *.so* | tr '\n' ' ')"
}

run() {
  export LD_LIBRARY_PATH="$PWD/$suite:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
  # The tests read the reference data through the compiled-in relative path datasets/reference.
  "$suite/test_gpu" --gtest_brief=1
  local csv
  csv=$(mktemp "/tmp/bench_gpu.$$.XXXX.csv")
  "$suite/bench_gpu" --benchmark_filter="${BENCH_FILTER:-.}" --benchmark_min_time="${MIN_TIME:-0.5}" \
    --benchmark_format=csv >"$csv"
  echo
  echo "| benchmark | backend | size | time (ms) | per second | host ms | prep s | copy GB/s |"
  echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"
  # bench_gpu prints the device line first; the CSV header starts with "name,".
  awk -F, '/^name,/ { for (i = 1; i <= NF; ++i) { h = $i; gsub(/"/, "", h); col[h] = i }; next }
    /^(GPU|CUDA)/ { print "device: " $0 > "/dev/stderr"; next }
    /^"/ { name = $1; gsub(/"/, "", name); split(name, p, "/"); label = $(col["label"]); gsub(/"/, "", label)
      printf "| %s | %s | %s | %.3f | %.4g %s | %.1f | %.1f | %.0f |\n", p[1], p[2], p[4], $(col["real_time"]),
        $(col["per_s"]), label, $(col["host_ms"]), $(col["prep_s"]), $(col["copy_GBps"]) }' "$csv"
  rm -f "$csv"
}

case "${1:-all}" in
  build) build ;;
  run) run ;;
  all) build && run ;;
  *) echo "usage: $0 [build|run|all]" >&2; exit 2 ;;
esac
