#!/usr/bin/env bash
# The libFuzzer targets of tests/fuzz (one per parser of untrusted input), built
# by the asan-ubsan preset (clang-14, ASan + UBSan).
#
#   scripts/fuzz.sh SECONDS [TARGET...]   fuzz each target for SECONDS; prints a table
#                                         (execs, time, crashes) for benchmarks/RESULTS.md
#   scripts/fuzz.sh --replay [TARGET...]  run each target once over its seeds (CI)
#
# TARGET is a name without the fuzz_ prefix (tntp_net, matpower, ...); default all.
# Seeds: the reference data and documented examples of the repository, the
# hand-written inputs in tests/fuzz/corpus/TARGET (all of observations' seeds), and, made with the built
# citytwin, a small twin (snapshot) and its results file (results_gpkg).
# The corpus a campaign grows is kept in BUILD_DIR/fuzz/TARGET/corpus.
# Crashing inputs are saved as FUZZ_ARTIFACTS/TARGET/crash-* (default
# tests/fuzz/crashes, to be committed as reproducers), each with a .log of its report.
# Environment: BUILD_DIR (build-asan-ubsan), FUZZ_ARTIFACTS (tests/fuzz/crashes),
#   FUZZ_REPLAY_CRASHES=1 (--replay also runs the saved reproducers: on once they are fixed),
#   FUZZ_MAX_CRASHES (5: a target stops after this many crashes in one campaign).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${BUILD_DIR:-build-asan-ubsan}
artifacts=${FUZZ_ARTIFACTS:-tests/fuzz/crashes}
all_targets=(tntp_net tntp_trips tntp_flow tntp_node matpower od_csv snapshot manifest scenario results_gpkg observations)
ref=datasets/reference

usage() { echo "usage: $0 SECONDS|--replay [TARGET...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
mode=$1
shift
if [ "$mode" != "--replay" ] && ! [[ "$mode" =~ ^[0-9]+$ && "$mode" -gt 0 ]]; then usage; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz: unknown target '$t' (one of: ${all_targets[*]})" >&2; exit 2; }
done

# Leaks count as findings; a sanitizer report ends the run with a crash file.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ ! -f "$build_dir/CMakeCache.txt" ]; then cmake --preset asan-ubsan >/dev/null; fi
cmake --build "$build_dir" -j "${JOBS:-2}" --target citytwin_fuzz_targets citytwin >/dev/null

# Seeds of one target into $1 (emptied first).
seeds() {
  local target=$1 dir=$2
  rm -rf "$dir"
  mkdir -p "$dir"
  case $target in
    tntp_net) cp $ref/tntp/*/*_net.tntp "$dir/" ;;
    tntp_trips) cp $ref/tntp/SiouxFalls/SiouxFalls_trips.tntp "$dir/" ;;  # the target's network is Sioux Falls
    tntp_flow) cp $ref/tntp/*/*_flow.tntp "$dir/" ;;
    tntp_node) cp $ref/tntp/SiouxFalls/SiouxFalls_node.tntp $ref/tntp/Chicago-Sketch/ChicagoSketch_node.tntp "$dir/" ;;
    matpower) cp $ref/matpower/case{9,14,30,118,300}.m tests/fixtures/matpower/*.m "$dir/" ;;
    manifest) cp datasets/manifests/*.toml "$dir/" ;;
    scenario) cp datasets/scenarios/*.toml "$dir/" ;;
    snapshot | results_gpkg) made_seeds "$dir" "$target" ;;
  esac
  if [ -d "tests/fuzz/corpus/$target" ]; then cp tests/fuzz/corpus/"$target"/* "$dir/"; fi
}

# A small twin and its results file, made once per call of this script.
made_seeds() {
  local dir=$1 target=$2 work="$build_dir/fuzz/made"
  if [ ! -f "$work/city.gpkg" ]; then
    rm -rf "$work"
    "$build_dir/app/citytwin" generate --links 500 --seed 1 -o "$work/city" >/dev/null
    "$build_dir/app/citytwin" import "$work/city/manifest.toml" -o "$work/city.twin" >/dev/null
    "$build_dir/app/citytwin" run "$work/city.twin" --hours 8 -o "$work/city.gpkg" >/dev/null
  fi
  case $target in
    snapshot) tail -c +33 "$work/city.twin" >"$dir/city.payload" ;;  # the target writes the 32-byte header itself
    results_gpkg) cp "$work/city.gpkg" "$dir/" ;;
  esac
}

# The inputs libFuzzer saved in $1 (crash-, leak-, timeout-, oom- files; not their .log).
reproducers() { find "$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) ! -name '*.log'; }

# The sanitizer's or the target's report in a libFuzzer log, without the progress lines.
report() { awk '/runtime error|ERROR: |^fuzz: /{p=1} p' "$1" | grep -v -E '^#[0-9]+[[:space:]]' | head -n 60; }

replay() {
  local failed=0 t
  for t in "${targets[@]}"; do
    local work="$build_dir/fuzz/$t"
    seeds "$t" "$work/seeds"
    local inputs=("$work"/seeds/*)
    if [ "${FUZZ_REPLAY_CRASHES:-0}" = 1 ] && [ -d "tests/fuzz/crashes/$t" ]; then
      mapfile -t -O ${#inputs[@]} inputs < <(reproducers "tests/fuzz/crashes/$t")
    fi
    if "$build_dir/tests/fuzz/fuzz_$t" -rss_limit_mb=2560 -timeout=30 "${inputs[@]}" >"$work/replay.log" 2>&1; then
      echo "fuzz replay: $t: ${#inputs[@]} inputs pass"
    else
      echo "fuzz replay: $t FAILED (${#inputs[@]} inputs); the report:" >&2
      tail -n 40 "$work/replay.log" >&2
      failed=1
    fi
  done
  return $failed
}

campaign() {
  local seconds=$1 t found=0
  echo "| target | seconds | execs | execs/s | corpus | crashes |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for t in "${targets[@]}"; do
    local work="$build_dir/fuzz/$t" out="$artifacts/$t"
    mkdir -p "$work/corpus" "$out"
    seeds "$t" "$work/seeds"
    local start now left execs=0 crashes=0 run=0
    start=$(date +%s)
    left=$seconds
    # A crash ends a libFuzzer run: start again on the grown corpus until the time is used.
    while [ "$left" -gt 0 ] && [ "$crashes" -lt "${FUZZ_MAX_CRASHES:-5}" ]; do
      run=$((run + 1))
      local log="$work/run$run.log" before
      before=$(reproducers "$out" | wc -l)
      set +e
      # FUZZ_RUNS: a fixed number of inputs from a fixed seed instead of a time box,
      # so CI's short run does the same amount of work on a slow or a fast machine.
      local budget=(-max_total_time="$left" -timeout=10)
      [ -n "${FUZZ_RUNS:-}" ] && budget=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}" -timeout=60)
      "$build_dir/tests/fuzz/fuzz_$t" "${budget[@]}" -rss_limit_mb=2560 -print_final_stats=1 \
        -artifact_prefix="$out/" "$work/corpus" "$work/seeds" >"$log" 2>&1
      set -e
      local n
      n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
      execs=$((execs + ${n:-0}))
      local after
      after=$(reproducers "$out" | wc -l)
      if [ "$after" -gt "$before" ]; then
        crashes=$((crashes + after - before))
        # Keep the report beside the newest reproducer.
        local newest
        newest=$(reproducers "$out" | xargs -r ls -t | head -n 1)
        [ -n "$newest" ] && report "$log" >"$newest.log"
      fi
      now=$(date +%s)
      left=$((seconds - (now - start)))
      [ -n "${FUZZ_RUNS:-}" ] && break  # one fixed run per target
    done
    now=$(date +%s)
    local took=$((now - start)) corpus
    corpus=$(find "$work/corpus" -type f | wc -l)
    echo "| fuzz_$t | $took | $execs | $((execs / (took > 0 ? took : 1))) | $corpus | $crashes |"
    [ "$crashes" -eq 0 ] || found=1
  done
  if [ "$found" -ne 0 ]; then
    echo
    echo "crashes (reproducers and reports in $artifacts/TARGET/):"
    for t in "${targets[@]}"; do
      for log in "$artifacts/$t"/*.log; do
        [ -f "$log" ] || continue
        echo "$t: $(grep -m1 -E '^(SUMMARY|fuzz: )|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' "$log")"
      done
    done | sort | uniq -c
  fi
  return $found
}

if [ "$mode" = "--replay" ]; then replay; else campaign "$mode"; fi
