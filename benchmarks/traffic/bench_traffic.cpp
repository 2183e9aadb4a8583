// bench_traffic: Algorithm B / BFW time-to-gap on the TNTP networks, trees per
// second of the shortest-path kernel on synthetic road networks, and the
// memory bandwidth of the machine measured in the same run.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "core/common/parallel.hpp"
#include "core/traffic/assignment.hpp"
#include "core/traffic/contraction_hierarchy.hpp"
#include "core/traffic/shortest_path.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "tests/support/synthetic_roads.hpp"

namespace tr = citytwin::traffic;

namespace {

struct Tntp {
  tr::Network net;
  tr::OdDemand demand;
};

const Tntp& chicago() {
  static const Tntp t = [] {
    const std::string dir = std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/Chicago-Sketch/";
    tr::Network net = tr::build_network(tr::read_tntp_network(dir + "ChicagoSketch_net.tntp"), {0.02, 0.04});
    tr::OdDemand demand = tr::build_demand(net, tr::read_tntp_trips(dir + "ChicagoSketch_trips.tntp"));
    return Tntp{std::move(net), std::move(demand)};
  }();
  return t;
}

// Algorithm B on Chicago-Sketch until the relative gap reaches 10^-range(0);
// range(1) threads. Time is the solver's (network and trips already read).
void BM_ChicagoBush(benchmark::State& state) {
  const Tntp& t = chicago();
  citytwin::ThreadLimit limit(static_cast<unsigned>(state.range(1)));
  tr::AssignmentOptions options;
  options.algorithm = tr::Algorithm::bush;
  options.target_gap = std::pow(10.0, -static_cast<double>(state.range(0)));
  tr::AssignmentResult r;
  for (auto _ : state) {
    r = tr::assign(t.net, t.demand, options);
    state.SetIterationTime(r.seconds);
  }
  state.counters["gap"] = r.measures.relative_gap;
  state.counters["iterations"] = r.iterations;
  state.counters["bush_MB"] = static_cast<double>(r.bush_memory.bush_bytes) / 1e6;
  state.counters["B_per_origin"] = r.bush_memory.bytes_per_origin();
  state.counters["B_per_bush_link"] = r.bush_memory.bytes_per_bush_link();
}
BENCHMARK(BM_ChicagoBush)
    ->ArgsProduct({{4, 8, 12}, {1, 2}})
    ->ArgNames({"gap_exp", "threads"})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_ChicagoBiconjugateFrankWolfe(benchmark::State& state) {
  const Tntp& t = chicago();
  citytwin::ThreadLimit limit(static_cast<unsigned>(state.range(1)));
  tr::AssignmentOptions options;
  options.algorithm = tr::Algorithm::biconjugate_frank_wolfe;
  options.target_gap = std::pow(10.0, -static_cast<double>(state.range(0)));
  tr::AssignmentResult r;
  for (auto _ : state) {
    r = tr::assign(t.net, t.demand, options);
    state.SetIterationTime(r.seconds);
  }
  state.counters["gap"] = r.measures.relative_gap;
  state.counters["iterations"] = r.iterations;
}
BENCHMARK(BM_ChicagoBiconjugateFrankWolfe)
    ->ArgsProduct({{4}, {1, 2}})
    ->ArgNames({"gap_exp", "threads"})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

using citytwin::synth::synthetic_roads;  // tests/support/synthetic_roads.hpp

// One-to-all Dijkstra trees per second: range(0) nodes, range(1) threads, 16 trees a run.
void BM_ShortestPathTrees(benchmark::State& state) {
  static std::map<std::int64_t, tr::Network> networks;  // built once per size
  if (!networks.count(state.range(0)))
    networks.emplace(state.range(0), synthetic_roads(static_cast<std::int32_t>(state.range(0)), 42));
  const tr::Network& net = networks.at(state.range(0));
  citytwin::ThreadLimit limit(static_cast<unsigned>(state.range(1)));
  std::vector<double> cost;
  tr::link_costs(net, std::vector<double>(static_cast<std::size_t>(net.link_count), 0.0), cost);
  constexpr int kTrees = 16;
  std::vector<std::int32_t> sources(kTrees);
  std::mt19937 rng(7);
  for (auto& s : sources) s = std::uniform_int_distribution<std::int32_t>(0, net.node_count - 1)(rng);
  tbb::enumerable_thread_specific<tr::ShortestPathTree> trees;
  double checksum = 0;
  for (auto _ : state) {
    std::vector<double> far(kTrees, 0.0);
    tbb::parallel_for(tbb::blocked_range<int>(0, kTrees, 1), [&](const tbb::blocked_range<int>& r) {
      tr::ShortestPathTree& tree = trees.local();
      for (int i = r.begin(); i != r.end(); ++i) {
        tr::shortest_path_tree(net, cost.data(), sources[i], tree);
        far[i] = tree.distance[tree.settled.back()];
      }
    });
    checksum += far[0];
  }
  benchmark::DoNotOptimize(checksum);
  state.counters["trees_per_s"] =
      benchmark::Counter(static_cast<double>(kTrees) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["nodes"] = net.node_count;
  state.counters["links"] = net.link_count;
}
BENCHMARK(BM_ShortestPathTrees)
    ->ArgsProduct({{10000, 100000, 1000000}, {1, 2}})
    ->ArgNames({"nodes", "threads"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// PHAST trees on a contraction hierarchy of the same synthetic networks:
// range(0) nodes, range(1) threads, range(2) trees per sweep (1 or kPhastBatch); 16 trees a run. The hierarchy is built
// once per size (its time is reported as prep_s, not in the per-tree time).
void BM_PhastTrees(benchmark::State& state) {
  // Built once per size: (hierarchy, seconds it took).
  static std::map<std::int64_t, std::pair<tr::ContractionHierarchy, double>> hierarchies;
  if (!hierarchies.count(state.range(0))) {
    const tr::Network net = synthetic_roads(static_cast<std::int32_t>(state.range(0)), 42);
    std::vector<double> cost;
    tr::link_costs(net, std::vector<double>(static_cast<std::size_t>(net.link_count), 0.0), cost);
    const auto start = std::chrono::steady_clock::now();
    tr::ContractionHierarchy built = tr::build_contraction_hierarchy(net, cost);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    hierarchies.emplace(state.range(0), std::pair{std::move(built), seconds});
  }
  const tr::ContractionHierarchy& ch = hierarchies.at(state.range(0)).first;
  const double prep_seconds = hierarchies.at(state.range(0)).second;
  citytwin::ThreadLimit limit(static_cast<unsigned>(state.range(1)));
  constexpr int kTrees = 16;
  std::vector<std::int32_t> sources(kTrees);
  std::mt19937 rng(7);
  for (auto& s : sources) s = std::uniform_int_distribution<std::int32_t>(0, ch.node_count - 1)(rng);
  tbb::enumerable_thread_specific<tr::PhastScratch> scratch;
  const bool batched = state.range(2) > 1;
  double checksum = 0;
  for (auto _ : state) {
    std::vector<double> far(kTrees, 0.0);
    if (batched) {
      tbb::parallel_for(tbb::blocked_range<int>(0, kTrees / tr::kPhastBatch, 1), [&](const tbb::blocked_range<int>& r) {
        tr::PhastScratch& s = scratch.local();
        for (int b = r.begin(); b != r.end(); ++b) {
          tr::phast_trees(ch, sources.data() + b * tr::kPhastBatch, s);
          far[b] = s.dist.back();
        }
      });
    } else {
      tbb::parallel_for(tbb::blocked_range<int>(0, kTrees, 1), [&](const tbb::blocked_range<int>& r) {
        tr::PhastScratch& s = scratch.local();
        for (int i = r.begin(); i != r.end(); ++i) {
          tr::phast_tree(ch, sources[i], s);
          far[i] = s.dist.back();
        }
      });
    }
    checksum += far[0];
  }
  benchmark::DoNotOptimize(checksum);
  const double trees = static_cast<double>(kTrees) * static_cast<double>(state.iterations());
  state.counters["trees_per_s"] = benchmark::Counter(trees, benchmark::Counter::kIsRate);
  // Bytes a sweep streams per tree: the labels (read + write) and the downward
  // edges, which a batch shares among its trees.
  const double batch = batched ? tr::kPhastBatch : 1.0;
  const double bytes = 16.0 * ch.node_count + 12.0 * static_cast<double>(ch.down_tail.size()) / batch;
  state.counters["sweep_bytes_per_s"] =
      benchmark::Counter(trees * bytes, benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
  state.counters["bytes_per_node"] = bytes / ch.node_count;
  state.counters["prep_s"] = prep_seconds;
  state.counters["shortcuts"] = static_cast<double>(ch.shortcuts);
}
BENCHMARK(BM_PhastTrees)
    ->ArgsProduct({{10000, 100000, 1000000}, {1, 2}, {1, 8}})
    ->ArgNames({"nodes", "threads", "batch"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// STREAM-style triad a = b + s * c over 3 x 64 MiB: bytes moved per second.
void BM_MemoryBandwidthTriad(benchmark::State& state) {
  citytwin::ThreadLimit limit(static_cast<unsigned>(state.range(0)));
  const std::size_t n = std::size_t{8} << 20;  // 8 Mi doubles = 64 MiB per array
  std::vector<double> a(n, 0.0), b(n, 1.0), c(n, 2.0);
  for (auto _ : state) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 16), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) a[i] = b[i] + 3.0 * c[i];
    });
    benchmark::ClobberMemory();
  }
  state.counters["bytes_per_s"] = benchmark::Counter(3.0 * 8.0 * static_cast<double>(n) * static_cast<double>(state.iterations()),
                                                     benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
}
BENCHMARK(BM_MemoryBandwidthTriad)->Arg(1)->Arg(2)->ArgName("threads")->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
