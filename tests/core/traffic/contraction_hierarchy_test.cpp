// PHAST trees on a contraction hierarchy against Dijkstra (the oracle).
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "core/traffic/contraction_hierarchy.hpp"
#include "core/traffic/convergence.hpp"
#include "core/traffic/shortest_path.hpp"
#include "tests/support/test_seed.hpp"

namespace citytwin::traffic {
namespace {

unsigned seed() { return static_cast<unsigned>(citytwin::testing::test_seed(20260611u)); }

// A grid of two-way streets with some one-way links and random times.
Network grid(int side, std::mt19937& rng) {
  TntpNetwork t;
  t.file = "grid";
  t.nodes = side * side;
  std::uniform_real_distribution<double> time(0.1, 2.0);
  std::bernoulli_distribution one_way(0.15);
  auto add = [&](int u, int v) {
    TntpLink l;
    l.tail = u;
    l.head = v;
    l.capacity = 100;
    l.free_flow_time = time(rng);
    l.b = 0.15;
    l.power = 4;
    t.links.push_back(l);
  };
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const int v = r * side + c + 1;
      if (c + 1 < side) {
        add(v, v + 1);
        if (!one_way(rng)) add(v + 1, v);
      }
      if (r + 1 < side) {
        add(v, v + side);
        if (!one_way(rng)) add(v + side, v);
      }
    }
  return build_network(t, {});
}

TEST(ContractionHierarchy, PhastMatchesDijkstra) {
  std::mt19937 rng(seed());
  for (const int side : {2, 7, 30}) {
    const Network net = grid(side, rng);
    std::vector<double> cost;
    link_costs(net, std::vector<double>(static_cast<std::size_t>(net.link_count), 0.0), cost);
    const ContractionHierarchy ch = build_contraction_hierarchy(net, cost);
    PhastScratch scratch;
    ShortestPathTree tree;
    for (std::int32_t source = 0; source < net.node_count; source += std::max(1, net.node_count / 25)) {
      phast_tree(ch, source, scratch);
      shortest_path_tree(net, cost.data(), source, tree);
      for (std::int32_t v = 0; v < net.node_count; ++v) {
        const double expected = tree.distance[v];
        const double got = scratch.dist[ch.sweep_id[v]];
        if (expected == kUnreached)
          EXPECT_EQ(got, kUnreached);
        else
          EXPECT_NEAR(got, expected, 1e-9 * (1 + expected)) << "side " << side << " source " << source << " node " << v;
      }
    }
  }
}

TEST(ContractionHierarchy, BatchedPhastMatchesSingleTrees) {
  std::mt19937 rng(seed() + 3);
  const Network net = grid(20, rng);
  std::vector<double> cost;
  link_costs(net, std::vector<double>(static_cast<std::size_t>(net.link_count), 0.0), cost);
  const ContractionHierarchy ch = build_contraction_hierarchy(net, cost);
  std::int32_t sources[kPhastBatch];
  for (int i = 0; i < kPhastBatch; ++i) sources[i] = (i * 53) % net.node_count;
  PhastScratch batch, single;
  phast_trees(ch, sources, batch);
  for (int i = 0; i < kPhastBatch; ++i) {
    phast_tree(ch, sources[i], single);
    for (std::int32_t s = 0; s < net.node_count; ++s)
      EXPECT_EQ(batch.dist[static_cast<std::size_t>(s) * kPhastBatch + i], single.dist[s]);
  }
}

}  // namespace
}  // namespace citytwin::traffic
