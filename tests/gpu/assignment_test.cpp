// The device Frank-Wolfe assignment (issue 7): its host counterpart against outside
// references (TNTP best-known flows, Dijkstra, core/traffic's bfw), then the
// GPU against that counterpart.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/traffic/assignment.hpp"
#include "core/traffic/convergence.hpp"
#include "core/traffic/shortest_path.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "gpu/assignment_device.hpp"
#include "tests/support/synthetic_roads.hpp"

using namespace citytwin;

namespace {

struct Case {
  std::string folder, prefix;
  traffic::CostWeights weights;  // from each network's README
  double best_objective;
};

const Case kSiouxFalls{"SiouxFalls", "SiouxFalls", {}, 4231335.28710744};
const Case kAnaheim{"Anaheim", "Anaheim", {}, 1286032.17110};  // zones 1..38 are not through-nodes
const Case kChicago{"Chicago-Sketch", "ChicagoSketch", {0.02, 0.04}, 17313018.7387477};

std::string data(const Case& c, const std::string& suffix) {
  return std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/" + c.folder + "/" + c.prefix + suffix;
}

struct Loaded {
  traffic::Network net;
  traffic::OdDemand demand;
  std::vector<traffic::TntpFlow> best;  // best-known flows, file order
};

// Read once per process (Chicago's trips are 3 MB).
const Loaded& load(const Case& c) {
  static std::map<std::string, Loaded> cache;
  auto it = cache.find(c.prefix);
  if (it == cache.end()) {
    Loaded l;
    l.net = traffic::build_network(traffic::read_tntp_network(data(c, "_net.tntp")), c.weights);
    l.demand = traffic::build_demand(l.net, traffic::read_tntp_trips(data(c, "_trips.tntp")));
    l.best = traffic::read_tntp_flows(data(c, "_flow.tntp"));
    it = cache.emplace(c.prefix, std::move(l)).first;
  }
  return it->second;
}

gpu::DeviceAssignmentOptions bfw(double gap) {
  gpu::DeviceAssignmentOptions o;
  o.target_gap = gap;
  o.max_iterations = 5000;
  return o;
}

// Sum of |flow - reference| over the sum of reference flows.
double total_flow_difference(const std::vector<double>& flow, const std::vector<double>& reference) {
  double diff = 0, total = 0;
  for (std::size_t a = 0; a < flow.size(); ++a) {
    diff += std::abs(flow[a] - reference[a]);
    total += std::abs(reference[a]);
  }
  return diff / total;
}

// Largest |flow - reference| over links, relative to the largest reference flow.
double max_flow_difference(const std::vector<double>& flow, const std::vector<double>& reference) {
  double diff = 0, scale = 0;
  for (std::size_t a = 0; a < flow.size(); ++a) {
    diff = std::max(diff, std::abs(flow[a] - reference[a]));
    scale = std::max(scale, std::abs(reference[a]));
  }
  return diff / scale;
}

std::vector<double> best_known_internal(const Loaded& l) {
  std::vector<double> ref(static_cast<std::size_t>(l.net.link_count));
  for (std::size_t k = 0; k < l.best.size(); ++k) {
    const std::int32_t a = l.net.internal_link[k];
    EXPECT_EQ(l.net.tntp_node[l.net.tail[a]], l.best[k].tail);
    EXPECT_EQ(l.net.tntp_node[l.net.head[a]], l.best[k].head);
    ref[static_cast<std::size_t>(a)] = l.best[k].volume;
  }
  return ref;
}

// Costs at the all-or-nothing flows of free-flow costs: congested, uneven costs.
std::vector<double> loaded_costs(const Loaded& l) {
  std::vector<double> cost, flow;
  traffic::link_costs(l.net, std::vector<double>(static_cast<std::size_t>(l.net.link_count), 0.0), cost);
  traffic::all_or_nothing(l.net, l.demand, cost, flow);
  traffic::link_costs(l.net, flow, cost);
  return cost;
}

// Every demand origin plus the first non-zone node (which may pass through nothing special).
std::vector<std::int32_t> label_origins(const Loaded& l) {
  std::vector<std::int32_t> o = l.demand.origin_node;
  for (std::int32_t v = 0; v < l.net.node_count; ++v)
    if (!l.net.no_through[v]) {
      o.push_back(v);
      break;
    }
  return o;
}

// Number of labels that differ from Dijkstra's (traffic::shortest_path_tree).
std::size_t labels_unlike_dijkstra(const traffic::Network& net, std::span<const std::int32_t> origins,
                                   const std::vector<double>& cost, const std::vector<double>& labels) {
  const auto n = static_cast<std::size_t>(net.node_count);
  traffic::ShortestPathTree tree;
  std::size_t unequal = 0;
  for (std::size_t i = 0; i < origins.size(); ++i) {
    traffic::shortest_path_tree(net, cost.data(), origins[i], tree);
    for (std::size_t v = 0; v < n; ++v) unequal += labels[i * n + v] != tree.distance[v];
  }
  return unequal;
}

void expect_labels_equal_dijkstra(const Case& c) {
  const Loaded& l = load(c);
  const auto origins = label_origins(l);
  std::vector<double> free_flow;
  traffic::link_costs(l.net, std::vector<double>(static_cast<std::size_t>(l.net.link_count), 0.0), free_flow);
  for (const auto& cost : {free_flow, loaded_costs(l)}) {
    const auto labels = gpu::cpu::pull_distances(l.net, origins, cost);
    ASSERT_EQ(labels.size(), origins.size() * static_cast<std::size_t>(l.net.node_count));
    // Same additions, greatest fixed point = Dijkstra's labels: bit-identical.
    EXPECT_EQ(labels_unlike_dijkstra(l.net, origins, cost, labels), 0u) << c.prefix;
  }
}

}  // namespace

TEST(PullPaths, LabelsEqualDijkstraOnSiouxFalls) { expect_labels_equal_dijkstra(kSiouxFalls); }
TEST(PullPaths, LabelsEqualDijkstraOnAnaheim) { expect_labels_equal_dijkstra(kAnaheim); }
TEST(PullPaths, LabelsEqualDijkstraOnChicagoSketch) { expect_labels_equal_dijkstra(kChicago); }

TEST(PullPaths, ZonesAreNotPassedThrough) {
  // Sioux Falls and Chicago-Sketch declare <FIRST THRU NODE> 1 (Anaheim's
  // zones are the only real no-through ones, and hang off single junctions).
  // Sioux Falls' nodes are junctions: mark every other one a no-through zone,
  // and labels must rise where the shortest path crossed one, exactly as
  // Dijkstra's do under the same rule.
  const Loaded& l = load(kSiouxFalls);
  traffic::Network ruled_net = l.net;
  for (std::size_t v = 0; v < ruled_net.no_through.size(); v += 2) ruled_net.no_through[v] = 1;
  std::vector<std::int32_t> all(static_cast<std::size_t>(l.net.node_count));
  for (std::size_t v = 0; v < all.size(); ++v) all[v] = static_cast<std::int32_t>(v);
  const std::vector<double> cost = loaded_costs(l);
  const auto ruled = gpu::cpu::pull_distances(ruled_net, all, cost);
  const auto open = gpu::cpu::pull_distances(l.net, all, cost);
  std::size_t higher = 0;
  for (std::size_t k = 0; k < ruled.size(); ++k) {
    ASSERT_GE(ruled[k], open[k]);
    higher += ruled[k] > open[k];
  }
  EXPECT_GT(higher, 0u) << "the rule changed no label: the test would not notice it missing";
  EXPECT_EQ(labels_unlike_dijkstra(ruled_net, all, cost, ruled), 0u);
  EXPECT_EQ(labels_unlike_dijkstra(l.net, all, cost, open), 0u);
}

TEST(PullPaths, RejectsBadInput) {
  const Loaded& l = load(kSiouxFalls);
  std::vector<double> cost(static_cast<std::size_t>(l.net.link_count), 1.0);
  const std::vector<std::int32_t> bad{0, l.net.node_count};
  EXPECT_THROW(gpu::cpu::pull_distances(l.net, bad, cost), InvalidInput);
  cost[5] = -1;
  const std::vector<std::int32_t> good{0};
  EXPECT_THROW(gpu::cpu::pull_distances(l.net, good, cost), InvalidInput);
}

namespace {

// The host counterpart to gap 1e-4: converged by its own measure and by core/traffic's
// independent evaluation (Dijkstra SPTT), near the best-known flows and near
// core/traffic's bfw at the same gap.
// Tolerances: the largest link difference relative to the largest flow, and
// the summed differences relative to the summed flows.
struct FlowTolerance {
  double max, total;
};

void expect_host_reaches_equilibrium(const Case& c, double gap, FlowTolerance to_best_known, FlowTolerance to_core_bfw) {
  const Loaded& l = load(c);
  const auto r = gpu::cpu::assign_frank_wolfe(l.net, l.demand, bfw(gap));
  ASSERT_TRUE(r.converged) << c.prefix << ": gap " << r.relative_gap << " after " << r.iterations;
  EXPECT_LE(r.relative_gap, gap);
  EXPECT_EQ(r.gap_trace.size(), static_cast<std::size_t>(r.iterations) + 1);
  const traffic::GapMeasures m = traffic::evaluate(l.net, l.demand, r.flow);
  EXPECT_NEAR(m.relative_gap, r.relative_gap, 1e-7) << c.prefix;  // fixed-point demand rounding only
  EXPECT_NEAR(m.objective / c.best_objective, 1.0, 1e-4) << c.prefix;

  const std::vector<double> best = best_known_internal(l);
  const double to_best = max_flow_difference(r.flow, best);
  traffic::AssignmentOptions core;
  core.algorithm = traffic::Algorithm::biconjugate_frank_wolfe;
  core.target_gap = gap;
  const traffic::AssignmentResult cr = traffic::assign(l.net, l.demand, core);
  ASSERT_TRUE(cr.converged);
  const double to_core = max_flow_difference(r.flow, cr.flow);
  std::printf("%s to %.0e: %d iterations (core bfw %d), gap %.3g; flows vs best known: max %.3g of the largest, total %.3g; vs core bfw: max %.3g, total %.3g; %lld sweeps\n",
              c.prefix.c_str(), gap, r.iterations, cr.iterations, r.relative_gap, to_best, total_flow_difference(r.flow, best), to_core,
              total_flow_difference(r.flow, cr.flow), static_cast<long long>(r.sweeps));
  EXPECT_LE(to_best, to_best_known.max) << c.prefix;
  EXPECT_LE(total_flow_difference(r.flow, best), to_best_known.total) << c.prefix;
  EXPECT_LE(to_core, to_core_bfw.max) << c.prefix;
  EXPECT_LE(total_flow_difference(r.flow, cr.flow), to_core_bfw.total) << c.prefix;
}

}  // namespace

// Measured at 1e-4 (this commit): Sioux Falls max 0.25 %, total 0.09 % from
// the best-known flows; Chicago-Sketch max 0.97 %, total 0.28 %; about the
// same from core/traffic's bfw. Bounds: twice that. At 1e-6 Sioux Falls is
// within 0.005 % (bound 0.02 %): the flows approach the reference as the gap closes.
TEST(DeviceAssignmentHost, SiouxFallsReachesTheBestKnownEquilibrium) {
  expect_host_reaches_equilibrium(kSiouxFalls, 1e-4, {0.005, 0.002}, {0.006, 0.002});
}
TEST(DeviceAssignmentHost, SiouxFallsTightGap) { expect_host_reaches_equilibrium(kSiouxFalls, 1e-6, {2e-4, 1e-4}, {2e-3, 1e-3}); }
TEST(DeviceAssignmentHost, ChicagoSketchReachesTheBestKnownEquilibrium) {
  expect_host_reaches_equilibrium(kChicago, 1e-4, {0.02, 0.006}, {0.016, 0.005});
}

TEST(DeviceAssignmentHost, IdenticalForAnyThreadCount) {
  const Loaded& l = load(kSiouxFalls);
  gpu::DeviceAssignmentResult one, two;
  {
    ThreadLimit limit(1);
    one = gpu::cpu::assign_frank_wolfe(l.net, l.demand, bfw(1e-5));
  }
  {
    ThreadLimit limit(2);
    two = gpu::cpu::assign_frank_wolfe(l.net, l.demand, bfw(1e-5));
  }
  ASSERT_EQ(one.iterations, two.iterations);
  EXPECT_EQ(one.flow, two.flow);  // fixed-order sums, integer loading: bitwise
  EXPECT_EQ(one.gap_trace, two.gap_trace);
}

TEST(DeviceAssignmentHost, RejectsZeroCostLinksAndBush) {
  const Loaded& l = load(kSiouxFalls);
  traffic::Network net = l.net;
  net.coefficients[7].t0 = 0;
  net.coefficients[7].fixed = 0;
  try {
    gpu::cpu::assign_frank_wolfe(net, l.demand, bfw(1e-4));
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("positive costs"), std::string::npos) << e.what();
  }
  gpu::DeviceAssignmentOptions bush = bfw(1e-4);
  bush.algorithm = traffic::Algorithm::bush;
  EXPECT_THROW(gpu::cpu::assign_frank_wolfe(l.net, l.demand, bush), InvalidInput);
}

// traffic::assign's interface over the device iteration (here its host counterpart), as
// `citytwin assign --device gpu` uses it: the measures are recomputed on the
// host from the returned flows, so the stopping test is checked independently.
TEST(DeviceAssignmentHost, BehindTrafficAssignsInterface) {
  const Loaded& l = load(kSiouxFalls);
  traffic::AssignmentOptions o;
  o.algorithm = traffic::Algorithm::biconjugate_frank_wolfe;
  o.target_gap = 1e-4;
  const traffic::AssignmentResult r = gpu::cpu::assign(l.net, l.demand, o);
  const gpu::DeviceAssignmentResult d = gpu::cpu::assign_frank_wolfe(l.net, l.demand, bfw(1e-4));
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.flow, d.flow);
  EXPECT_EQ(r.iterations, d.iterations);
  EXPECT_LE(r.measures.relative_gap, 1e-4);
  EXPECT_NEAR(r.measures.relative_gap, d.relative_gap, 1e-9);
  EXPECT_NEAR(r.measures.objective / kSiouxFalls.best_objective, 1.0, 1e-4);
  ASSERT_EQ(r.cost.size(), r.flow.size());
  ASSERT_EQ(r.trace.size(), static_cast<std::size_t>(r.iterations) + 1);
  EXPECT_EQ(r.trace.back().measures.relative_gap, d.relative_gap);
  o.algorithm = traffic::Algorithm::bush;
  EXPECT_THROW(gpu::cpu::assign(l.net, l.demand, o), InvalidInput);
}

TEST(GpuAssignment, LabelsEqualTheHostVersion) {
  if (!gpu::device().available) GTEST_SKIP() << gpu::cpu_fallback_notice() << ": GPU comparison needs a GPU machine";
  for (const Case* c : {&kAnaheim, &kChicago}) {
    const Loaded& l = load(*c);
    const auto origins = label_origins(l);
    const std::vector<double> cost = loaded_costs(l);
    const auto on_gpu = gpu::pull_distances(l.net, origins, cost);
    const auto on_cpu = gpu::cpu::pull_distances(l.net, origins, cost);
    EXPECT_EQ(on_gpu, on_cpu) << c->prefix;  // the same greatest fixed point: bit-identical
  }
}

namespace {

void expect_gpu_equals_host(const traffic::Network& net, const traffic::OdDemand& demand, double gap, const std::string& what) {
  const auto g = gpu::assign_frank_wolfe(net, demand, bfw(gap));
  const auto c = gpu::cpu::assign_frank_wolfe(net, demand, bfw(gap));
  std::printf("%s: GPU %d iterations %.1f ms (%lld sweeps), host %d iterations %.1f ms\n", what.c_str(), g.iterations,
              g.times.device_ms, static_cast<long long>(g.sweeps), c.iterations, c.times.device_ms);
  EXPECT_TRUE(g.converged) << what;
  ASSERT_EQ(g.iterations, c.iterations) << what;
  EXPECT_EQ(g.flow, c.flow) << what;  // same sums in the same order, no FMA: identical
  ASSERT_EQ(g.gap_trace.size(), c.gap_trace.size());
  for (std::size_t k = 0; k < g.gap_trace.size(); ++k)
    EXPECT_NEAR(g.gap_trace[k], c.gap_trace[k], 1e-12 * std::max(1.0, std::abs(c.gap_trace[k]))) << what << " iteration " << k;
}

}  // namespace

TEST(GpuAssignment, ChicagoSketchEqualsTheHostVersion) {
  if (!gpu::device().available) GTEST_SKIP() << gpu::cpu_fallback_notice() << ": GPU comparison needs a GPU machine";
  const Loaded& l = load(kChicago);
  expect_gpu_equals_host(l.net, l.demand, 1e-4, "Chicago-Sketch");
}

TEST(GpuAssignment, SyntheticCityEqualsTheHostVersion) {
  if (!gpu::device().available) GTEST_SKIP() << gpu::cpu_fallback_notice() << ": GPU comparison needs a GPU machine";
  const std::uint64_t seed = synth::test_seed(31);
  const traffic::Network net = synth::synthetic_roads(2500, seed);
  const traffic::OdDemand demand = synth::random_demand(net, 40, 60, seed);  // 40 origins: a partial second warp of lanes
  expect_gpu_equals_host(net, demand, 1e-4, "synthetic 2500 nodes, seed " + std::to_string(seed));
}

TEST(GpuAssignment, EntryPointsThrowBackendUnavailableWithoutADevice) {
  if (gpu::device().available) GTEST_SKIP() << "a GPU is present: " << gpu::device().name;
  const Loaded& l = load(kSiouxFalls);
  const std::vector<std::int32_t> origins{0};
  const std::vector<double> cost(static_cast<std::size_t>(l.net.link_count), 1.0);
  EXPECT_THROW(gpu::pull_distances(l.net, origins, cost), BackendUnavailable);
  EXPECT_THROW(gpu::assign_frank_wolfe(l.net, l.demand, bfw(1e-4)), BackendUnavailable);
}
