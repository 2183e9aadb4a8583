// bench_gpu: each GPU kernel beside its host version over synthetic sizes.
// backend 0 = CPU (TBB, all threads), 1 = GPU (CUDA events after a warm-up,
// reported as manual time). GPU rows carry copy_GBps, the device-to-device
// copy bandwidth measured once in this run: the ceiling the kernels are read
// against. Without a device the GPU rows are not registered and the reason is
// printed. PowerFlowBatch has a third backend: KLU per item (the existing
// CPU path) beside the host version and the GPU.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/grid/contingency.hpp"
#include "core/grid/synthetic_grid.hpp"
#include "core/traffic/contraction_hierarchy.hpp"
#include "core/traffic/assignment.hpp"
#include "core/traffic/convergence.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "gpu/assignment_device.hpp"
#include "gpu/backend.hpp"
#include "gpu/kernels_host.hpp"
#include "gpu/power_flow_batch.hpp"
#include "tests/support/synthetic_roads.hpp"

namespace tr = citytwin::traffic;
namespace gpu = citytwin::gpu;

namespace {

struct Roads {
  tr::Network net;
  std::vector<double> cost;
  tr::ContractionHierarchy ch;
  double ch_seconds = 0;
};

// Built once per size (contraction is minutes at 1M nodes).
const Roads& roads(std::int64_t nodes) {
  static std::map<std::int64_t, std::unique_ptr<Roads>> cache;
  auto& r = cache[nodes];
  if (!r) {
    r = std::make_unique<Roads>();
    r->net = citytwin::synth::synthetic_roads(static_cast<std::int32_t>(nodes), 42);
    tr::link_costs(r->net, std::vector<double>(static_cast<std::size_t>(r->net.link_count), 0.0), r->cost);
    const auto t0 = std::chrono::steady_clock::now();
    r->ch = tr::build_contraction_hierarchy(r->net, r->cost);
    r->ch_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  return *r;
}

double copy_gbps() {
  static const double v = gpu::device_copy_gbps(std::size_t{1} << 30);
  return v;
}

std::vector<std::int32_t> sources(std::int32_t n, std::size_t count) {
  std::mt19937_64 rng(7);
  std::vector<std::int32_t> s(count);
  for (auto& v : s) v = std::uniform_int_distribution<std::int32_t>(0, n - 1)(rng);
  return s;
}

// Every row has the same counters (the CSV reporter needs that): per_s items
// per second (the label names the item), host_ms host-side preparation per
// run, prep_s one-off preparation (hierarchy build), copy_GBps on GPU rows.
void counters(benchmark::State& state, const char* item, double items_per_run, bool on_gpu, double host_ms, double prep_s) {
  state.SetLabel(item);
  state.counters["per_s"] = benchmark::Counter(items_per_run * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["host_ms"] = host_ms;
  state.counters["prep_s"] = prep_s;
  state.counters["copy_GBps"] = on_gpu ? copy_gbps() : 0.0;
}

// PHAST trees: CPU runs 64 trees (phast_trees batches of 8 over TBB), GPU 2048
// trees (groups of 32, downward sweeps only; host upward searches as host_ms).
void BM_PhastTrees(benchmark::State& state) {
  const Roads& r = roads(state.range(1));
  const bool on_gpu = state.range(0) == 1;
  const auto src = sources(r.net.node_count, on_gpu ? 2048 : 64);
  double host_ms = 0;
  for (auto _ : state) {
    if (on_gpu) {
      const gpu::KernelTimes t = gpu::phast_sweep_times(r.ch, src);
      state.SetIterationTime(t.device_ms / 1e3);
      host_ms = t.host_ms;
    } else {
      const auto t0 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(gpu::cpu::phast_distances(r.ch, src).data());
      state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  counters(state, "trees", static_cast<double>(src.size()), on_gpu, host_ms, r.ch_seconds);
}

// All-or-nothing: 256 origins x 64 destinations on the PHAST trees.
void BM_AllOrNothing(benchmark::State& state) {
  const Roads& r = roads(state.range(1));
  const bool on_gpu = state.range(0) == 1;
  const tr::OdDemand demand = citytwin::synth::random_demand(r.net, 256, 64, 9);
  if (on_gpu) gpu::all_or_nothing(r.net, r.ch, r.cost, demand);  // warm-up
  double host_ms = 0;
  for (auto _ : state) {
    if (on_gpu) {
      gpu::KernelTimes t;
      benchmark::DoNotOptimize(gpu::all_or_nothing(r.net, r.ch, r.cost, demand, &t).data());
      state.SetIterationTime(t.device_ms / 1e3);
      host_ms = t.host_ms;
    } else {
      const auto t0 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(gpu::cpu::all_or_nothing(r.net, r.ch, r.cost, demand).data());
      state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  counters(state, "origins", 256.0, on_gpu, host_ms, r.ch_seconds);
}

// Nearest-neighbour join: range(1) queries against range(1) / 4 reference points over 10 km.
void BM_Nearest(benchmark::State& state) {
  const bool on_gpu = state.range(0) == 1;
  const auto n = static_cast<std::size_t>(state.range(1));
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> pos(0, 10000);
  std::vector<double> rx(n / 4), ry(n / 4), qx(n), qy(n);
  for (std::size_t i = 0; i < rx.size(); ++i) rx[i] = pos(rng), ry[i] = pos(rng);
  for (std::size_t i = 0; i < n; ++i) qx[i] = pos(rng), qy[i] = pos(rng);
  if (on_gpu) gpu::nearest_points(rx, ry, qx, qy);  // warm-up
  double host_ms = 0;
  for (auto _ : state) {
    if (on_gpu) {
      gpu::KernelTimes t;
      benchmark::DoNotOptimize(gpu::nearest_points(rx, ry, qx, qy, &t).data());
      state.SetIterationTime(t.device_ms / 1e3);
      host_ms = t.host_ms;
    } else {
      const auto t0 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(gpu::cpu::nearest_points(rx, ry, qx, qy).data());
      state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  counters(state, "queries", static_cast<double>(n), on_gpu, host_ms, 0);
}

// DC N-1 screening of every branch of a synthetic grid of range(1) buses (CPU: KLU blocks over TBB).
void BM_N1Screen(benchmark::State& state) {
  const bool on_gpu = state.range(0) == 1;
  const citytwin::grid::PowerCase pc = citytwin::grid::synthetic_grid({.buses = static_cast<std::int32_t>(state.range(1)), .seed = 1});
  citytwin::grid::ContingencyOptions options;
  options.ac_confirm = 0;
  if (on_gpu) gpu::screen_n_minus_1_dc(pc, options);  // warm-up
  std::size_t outages = 0;
  double host_ms = 0;
  for (auto _ : state) {
    if (on_gpu) {
      gpu::KernelTimes t;
      outages = gpu::screen_n_minus_1_dc(pc, options, &t).size();
      state.SetIterationTime(t.device_ms / 1e3);
      host_ms = t.host_ms;
    } else {
      const auto report = citytwin::grid::screen_n_minus_1(pc, options);
      outages = report.outages.size();
      state.SetIterationTime(report.screening_seconds);
    }
  }
  counters(state, "outages", static_cast<double>(outages), on_gpu, host_ms, 0);
}

// Traffic assignment to relative gap 1e-4, the whole solve: Chicago-Sketch
// (range(1) = its 2950 links) or a synthetic city of range(1) nodes with 100
// origins x 40 destinations (lightly loaded: congested, bfw needs thousands of
// iterations on the grid's many equal-cost paths). backend 0: core/traffic
// bfw, 1: core/traffic Algorithm B (both TBB), 2: the device Frank-Wolfe's
// host counterpart, 3: the GPU
// (CUDA events, after a warm-up solve). per_s is iterations per second; the
// label carries the gap reached; host_ms the preparation and uploads.
struct Assignment {
  tr::Network net;
  tr::OdDemand demand;
};

const Assignment& assignment_case(bool chicago, std::int64_t size) {
  static std::map<std::int64_t, std::unique_ptr<Assignment>> cache;
  auto& a = cache[chicago ? -1 : size];
  if (!a) {
    a = std::make_unique<Assignment>();
    if (chicago) {
      const std::string dir = std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/Chicago-Sketch/";
      a->net = tr::build_network(tr::read_tntp_network(dir + "ChicagoSketch_net.tntp"), {0.02, 0.04});  // README weights
      a->demand = tr::build_demand(a->net, tr::read_tntp_trips(dir + "ChicagoSketch_trips.tntp"));
    } else {
      a->net = citytwin::synth::synthetic_roads(static_cast<std::int32_t>(size), 42);
      a->demand = citytwin::synth::random_demand(a->net, 100, 40, 5);
    }
  }
  return *a;
}

void BM_Assign(benchmark::State& state, bool chicago) {
  const Assignment& a = assignment_case(chicago, state.range(1));
  const int backend = static_cast<int>(state.range(0));
  if (chicago && a.net.link_count != state.range(1)) {
    state.SkipWithError("Chicago-Sketch: unexpected link count");
    return;
  }
  constexpr double kGap = 1e-4;
  gpu::DeviceAssignmentOptions device_options;
  device_options.target_gap = kGap;
  if (backend == 3) gpu::assign_frank_wolfe(a.net, a.demand, device_options);  // warm-up
  double host_ms = 0, gap = 0, iterations = 0, seconds = 0;
  for (auto _ : state) {
    if (backend <= 1) {
      tr::AssignmentOptions options;
      options.algorithm = backend == 0 ? tr::Algorithm::biconjugate_frank_wolfe : tr::Algorithm::bush;
      options.target_gap = kGap;
      const tr::AssignmentResult r = tr::assign(a.net, a.demand, options);
      seconds = r.seconds;
      gap = r.measures.relative_gap;
      iterations = r.iterations;
    } else {
      const gpu::DeviceAssignmentResult r = backend == 2 ? gpu::cpu::assign_frank_wolfe(a.net, a.demand, device_options)
                                                         : gpu::assign_frank_wolfe(a.net, a.demand, device_options);
      seconds = r.times.device_ms / 1e3;
      host_ms = r.times.host_ms;
      gap = r.relative_gap;
      iterations = r.iterations;
    }
    state.SetIterationTime(seconds);
  }
  char label[64];
  std::snprintf(label, sizeof label, "iterations (gap %.2g)", gap);
  counters(state, label, iterations, backend == 3, host_ms, 0);
  // A plain value: a rate counter would divide by the CPU time, not the solve's.
  state.counters["per_s"] = seconds > 0 ? iterations / seconds : 0.0;
}

// Batched AC power flow, 24 hours x 64 scenarios of a synthetic grid of
// range(1) buses (loads scaled per item). backend 0 = grid::AcPowerFlow (KLU)
// per item under TBB, 1 = the host version of the batched kernels, 2 = the GPU
// (device time by CUDA events: uploads, Newton steps, downloads; the host's
// packing, unpacking and KLU re-solves as host_ms). prep_s: the plan (symbolic LU).
struct PfBatch {
  gpu::BatchPowerFlowPlan plan;
  gpu::BatchInjections injections;
  double plan_seconds = 0;
};

const PfBatch& pf_batch(std::int64_t buses) {
  static std::map<std::int64_t, std::unique_ptr<PfBatch>> cache;
  auto& b = cache[buses];
  if (!b) {
    b = std::make_unique<PfBatch>();
    const citytwin::grid::PowerCase pc = citytwin::grid::synthetic_grid({.buses = static_cast<std::int32_t>(buses), .seed = 1});
    const auto t0 = std::chrono::steady_clock::now();
    b->plan = gpu::batch_power_flow_plan(pc);
    b->plan_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::vector<double> factors;
    for (int scenario = 0; scenario < 64; ++scenario)
      for (int h = 0; h < 24; ++h) factors.push_back((0.9 + 0.2 * scenario / 63.0) * (0.85 + 0.15 * std::sin(3.14159265358979 * (h - 6) / 12.0)));
    b->injections = gpu::scaled_loads(pc, factors);
    const gpu::BatchPowerFlowPlan& p = b->plan;
    std::fprintf(stderr, "power-flow plan, %lld buses: %d unknowns, Jacobian %lld entries, LU %lld entries, %lld updates, %zu forward / %zu backward levels\n",
                 static_cast<long long>(buses), p.n_rows, static_cast<long long>(p.jacobian_nnz), static_cast<long long>(p.factor_nnz()),
                 static_cast<long long>(p.factor_updates()), p.fwd_level_ptr.size() - 1, p.bwd_level_ptr.size() - 1);
  }
  return *b;
}

void BM_PowerFlowBatch(benchmark::State& state) {
  const PfBatch& b = pf_batch(state.range(1));
  const auto backend = state.range(0);
  if (backend == 2) gpu::solve_power_flow_batch(b.plan, b.injections);  // warm-up
  double host_ms = 0;
  std::int32_t converged = 0, tiny = 0;
  for (auto _ : state) {
    gpu::BatchPowerFlowResult r;
    if (backend == 2) {
      gpu::KernelTimes t;
      r = gpu::solve_power_flow_batch(b.plan, b.injections, &t);
      state.SetIterationTime(t.device_ms / 1e3);
      host_ms = t.host_ms;
    } else {
      r = backend == 0 ? gpu::cpu::klu_power_flow_batch(b.plan, b.injections) : gpu::cpu::solve_power_flow_batch(b.plan, b.injections);
      state.SetIterationTime(r.seconds);
    }
    converged = r.converged_count();
    tiny = r.tiny_pivots;
  }
  // The outcome goes into the label: every row must carry the same counters.
  const std::string label = std::string("solves (").append(std::to_string(converged)).append(" converged; ").append(std::to_string(tiny)).append(" tiny-pivot to KLU)");
  counters(state, "solves", static_cast<double>(b.injections.items), backend == 2, host_ms, b.plan_seconds);
  state.SetLabel(label);
}

void register_all(bool with_gpu) {
  static const char* const kAssignTags[] = {"cpu-bfw", "cpu-bush", "host-bfw", "gpu-bfw"};
  for (int backend = 0; backend <= (with_gpu ? 3 : 2); ++backend) {
    benchmark::RegisterBenchmark((std::string("AssignChicago/") + kAssignTags[backend]).c_str(), BM_Assign, true)
        ->Args({backend, 2950})->ArgNames({"backend", "links"})->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("AssignCity/") + kAssignTags[backend]).c_str(), BM_Assign, false)
        ->Args({backend, 2500})->ArgNames({"backend", "nodes"})->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
  }
  for (int backend = 0; backend <= (with_gpu ? 1 : 0); ++backend) {
    const std::string tag = backend ? "gpu" : "cpu";
    for (const std::int64_t nodes : {10000, 100000, 1000000}) {
      benchmark::RegisterBenchmark(("PhastTrees/" + tag).c_str(), BM_PhastTrees)->Args({backend, nodes})->ArgNames({"backend", "nodes"})->UseManualTime()->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("AllOrNothing/" + tag).c_str(), BM_AllOrNothing)->Args({backend, nodes})->ArgNames({"backend", "nodes"})->UseManualTime()->Unit(benchmark::kMillisecond);
    }
    for (const std::int64_t points : {100000, 1000000, 10000000})
      benchmark::RegisterBenchmark(("Nearest/" + tag).c_str(), BM_Nearest)->Args({backend, points})->ArgNames({"backend", "points"})->UseManualTime()->Unit(benchmark::kMillisecond);
    for (const std::int64_t buses : {1000, 10000})
      benchmark::RegisterBenchmark(("N1Screen/" + tag).c_str(), BM_N1Screen)->Args({backend, buses})->ArgNames({"backend", "buses"})->UseManualTime()->Unit(benchmark::kMillisecond);
  }
  for (int backend = 0; backend <= (with_gpu ? 2 : 1); ++backend) {
    const char* tag[] = {"klu", "cpu", "gpu"};
    for (const std::int64_t buses : {1000, 10000})
      benchmark::RegisterBenchmark((std::string("PowerFlowBatch/") + tag[backend]).c_str(), BM_PowerFlowBatch)->Args({backend, buses})->ArgNames({"backend", "buses"})->UseManualTime()->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const gpu::DeviceInfo& d = gpu::device();
  if (d.available)
    std::printf("GPU: %s (sm_%d%d, %.1f GiB)\n", d.name.c_str(), d.compute_major, d.compute_minor, static_cast<double>(d.memory_bytes) / (1 << 30));
  else
    std::printf("%s: GPU rows skipped, CPU rows only\n", gpu::cpu_fallback_notice().c_str());
  register_all(d.available);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
