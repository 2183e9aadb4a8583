// Batched PHAST trees and all-or-nothing loading: the host version against
// Dijkstra (core/traffic), the GPU against the host version.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "core/common/errors.hpp"
#include "core/common/parallel.hpp"
#include "core/traffic/contraction_hierarchy.hpp"
#include "core/traffic/convergence.hpp"
#include "core/traffic/shortest_path.hpp"
#include "gpu/backend.hpp"
#include "gpu/kernels_host.hpp"
#include "gpu/phast_plan.hpp"
#include "tests/support/synthetic_roads.hpp"

using namespace citytwin;

namespace {

struct Case {
  traffic::Network net;
  std::vector<double> cost;
  traffic::ContractionHierarchy ch;
};

Case make_case(std::int32_t nodes, std::uint64_t seed) {
  Case c;
  c.net = synth::synthetic_roads(nodes, seed);
  traffic::link_costs(c.net, std::vector<double>(static_cast<std::size_t>(c.net.link_count), 0.0), c.cost);
  c.ch = traffic::build_contraction_hierarchy(c.net, c.cost);
  return c;
}

std::vector<std::int32_t> random_sources(std::int32_t n, std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::int32_t> s(count);
  for (auto& v : s) v = std::uniform_int_distribution<std::int32_t>(0, n - 1)(rng);
  return s;
}

double relative_difference(double a, double b) { return std::abs(a - b) / std::max(1.0, std::abs(b)); }

}  // namespace

TEST(PhastPlan, LevelsCoverTheSweepInOrder) {
  const Case c = make_case(2500, synth::test_seed(11));
  const auto levels = gpu::sweep_levels(c.ch);
  ASSERT_GE(levels.size(), 2u);
  EXPECT_EQ(levels.front(), 0);
  EXPECT_EQ(levels.back(), c.ch.node_count);
  EXPECT_TRUE(std::is_sorted(levels.begin(), levels.end()));
  // Every downward edge comes from an earlier level.
  std::vector<std::size_t> level_of(static_cast<std::size_t>(c.ch.node_count));
  for (std::size_t l = 0; l + 1 < levels.size(); ++l)
    for (auto s = levels[l]; s < levels[l + 1]; ++s) level_of[static_cast<std::size_t>(s)] = l;
  for (std::int32_t s = 0; s < c.ch.node_count; ++s)
    for (auto e = c.ch.down_offset[s]; e < c.ch.down_offset[s + 1]; ++e)
      ASSERT_LT(level_of[static_cast<std::size_t>(c.ch.down_tail[e])], level_of[static_cast<std::size_t>(s)]);
}

TEST(PhastHost, DistancesMatchDijkstra) {
  const std::uint64_t seed = synth::test_seed(12);
  const Case c = make_case(4900, seed);
  const auto sources = random_sources(c.net.node_count, 21, seed);  // not a multiple of the batch
  const auto got = gpu::cpu::phast_distances(c.ch, sources);
  traffic::ShortestPathTree tree;
  const auto n = static_cast<std::size_t>(c.net.node_count);
  for (std::size_t i = 0; i < sources.size(); ++i) {
    traffic::shortest_path_tree(c.net, c.cost.data(), sources[i], tree);
    for (std::size_t v = 0; v < n; ++v)
      ASSERT_LE(relative_difference(got[i * n + v], tree.distance[v]), 1e-9) << "source " << sources[i] << " node " << v << " seed " << seed;
  }
}

TEST(PhastHost, AllOrNothingMatchesDijkstraLoading) {
  const std::uint64_t seed = synth::test_seed(13);
  const Case c = make_case(3600, seed);
  const traffic::OdDemand demand = synth::random_demand(c.net, 45, 30, seed);
  const auto got = gpu::cpu::all_or_nothing(c.net, c.ch, c.cost, demand);
  std::vector<double> expected;
  traffic::all_or_nothing(c.net, demand, c.cost, expected);
  ASSERT_EQ(got.size(), expected.size());
  double loaded = 0;
  for (std::size_t a = 0; a < got.size(); ++a) {
    // Fixed point rounds each OD flow to 2^-24 vehicles.
    ASSERT_NEAR(got[a], expected[a], 1e-5) << "link " << a << " seed " << seed;
    loaded += got[a] * c.cost[a];
  }
  EXPECT_GT(loaded, 0);
}

TEST(PhastHost, AllOrNothingIsIdenticalForAnyThreadCount) {
  const std::uint64_t seed = synth::test_seed(14);
  const Case c = make_case(2500, seed);
  const traffic::OdDemand demand = synth::random_demand(c.net, 37, 50, seed);
  std::vector<double> one, two;
  {
    ThreadLimit limit(1);
    one = gpu::cpu::all_or_nothing(c.net, c.ch, c.cost, demand);
  }
  {
    ThreadLimit limit(2);
    two = gpu::cpu::all_or_nothing(c.net, c.ch, c.cost, demand);
  }
  EXPECT_EQ(one, two);
}

TEST(PhastHost, RejectsBadInputWithContext) {
  const Case c = make_case(400, 15);
  const std::vector<std::int32_t> bad{0, c.net.node_count};
  try {
    gpu::cpu::phast_distances(c.ch, bad);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("source 1"), std::string::npos) << e.what();
  }
  std::vector<double> zero = c.cost;
  zero[3] = 0;
  const traffic::OdDemand demand = synth::random_demand(c.net, 2, 2, 15);
  EXPECT_THROW(gpu::cpu::all_or_nothing(c.net, c.ch, zero, demand), InvalidInput);
}

TEST(GpuPhast, DistancesEqualTheHostVersion) {
  if (!gpu::device().available) GTEST_SKIP() << gpu::cpu_fallback_notice() << ": GPU comparison needs a GPU machine";
  const std::uint64_t seed = synth::test_seed(16);
  const Case c = make_case(40000, seed);
  const auto sources = random_sources(c.net.node_count, 100, seed);  // 4 groups, the last one partial
  const auto gpu_d = gpu::phast_distances(c.ch, sources);
  const auto cpu_d = gpu::cpu::phast_distances(c.ch, sources);
  ASSERT_EQ(gpu_d.size(), cpu_d.size());
  std::size_t unequal = 0;
  for (std::size_t k = 0; k < gpu_d.size(); ++k) {
    ASSERT_LE(relative_difference(gpu_d[k], cpu_d[k]), 1e-9) << "tree " << k / static_cast<std::size_t>(c.net.node_count) << " seed " << seed;
    unequal += gpu_d[k] != cpu_d[k];
  }
  // Same additions and comparisons in both schedules: expected bit-identical.
  EXPECT_EQ(unequal, 0u);
}

TEST(GpuPhast, AllOrNothingEqualsTheHostVersion) {
  if (!gpu::device().available) GTEST_SKIP() << gpu::cpu_fallback_notice() << ": GPU comparison needs a GPU machine";
  const std::uint64_t seed = synth::test_seed(17);
  const Case c = make_case(40000, seed);
  const traffic::OdDemand demand = synth::random_demand(c.net, 150, 200, seed);
  const auto gpu_f = gpu::all_or_nothing(c.net, c.ch, c.cost, demand);
  const auto cpu_f = gpu::cpu::all_or_nothing(c.net, c.ch, c.cost, demand);
  EXPECT_EQ(gpu_f, cpu_f);  // integer fixed-point sums: exactly equal
}

TEST(GpuPhast, EntryPointsThrowBackendUnavailableWithoutADevice) {
  if (gpu::device().available) GTEST_SKIP() << "a GPU is present: " << gpu::device().name;
  const Case c = make_case(100, 18);
  const std::vector<std::int32_t> sources{0};
  EXPECT_THROW(gpu::phast_distances(c.ch, sources), BackendUnavailable);
  EXPECT_THROW(gpu::all_or_nothing(c.net, c.ch, c.cost, synth::random_demand(c.net, 1, 1, 18)), BackendUnavailable);
}
