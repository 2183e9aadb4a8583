// Dijkstra against Bellman-Ford on seeded random networks, and AON loading.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "core/traffic/convergence.hpp"
#include "core/traffic/shortest_path.hpp"
#include "tests/support/test_seed.hpp"

namespace citytwin::traffic {
namespace {

unsigned seed() { return static_cast<unsigned>(citytwin::testing::test_seed(20260611u)); }

TntpNetwork random_network(std::mt19937& rng, int nodes, int links, int zones, int first_thru) {
  TntpNetwork t;
  t.file = "random";
  t.nodes = nodes;
  t.zones = zones;
  t.first_thru_node = first_thru;
  std::uniform_int_distribution<int> node(1, nodes);
  std::uniform_real_distribution<double> time(0.0, 10.0);
  while (static_cast<int>(t.links.size()) < links) {
    TntpLink l;
    l.tail = node(rng);
    l.head = node(rng);
    if (l.tail == l.head) continue;
    l.capacity = 100;
    l.free_flow_time = time(rng);
    l.b = 0.15;
    l.power = 4;
    t.links.push_back(l);
  }
  return t;
}

TEST(ShortestPath, MatchesBellmanFordWithCentroidRule) {
  std::mt19937 rng(seed());
  for (int round = 0; round < 20; ++round) {
    const Network net = build_network(random_network(rng, 60, 240, 10, round % 2 ? 11 : 1), {});
    std::vector<double> cost;
    link_costs(net, std::vector<double>(net.link_count, 0.0), cost);
    ShortestPathTree tree;
    for (std::int32_t zone = 1; zone <= 10; ++zone) {
      const std::int32_t origin = net.zone_node(zone);
      shortest_path_tree(net, cost.data(), origin, tree);
      std::vector<double> bf(net.node_count, kUnreached);
      bf[origin] = 0;
      for (int pass = 0; pass < net.node_count; ++pass)
        for (std::int32_t a = 0; a < net.link_count; ++a) {
          const std::int32_t u = net.tail[a];
          if (net.no_through[u] && u != origin) continue;
          bf[net.head[a]] = std::min(bf[net.head[a]], bf[u] + cost[a]);
        }
      for (std::int32_t v = 0; v < net.node_count; ++v) {
        if (bf[v] == kUnreached) {
          EXPECT_EQ(tree.distance[v], kUnreached);
        } else {
          EXPECT_NEAR(tree.distance[v], bf[v], 1e-9);
          if (v != origin) {
            const std::int32_t a = tree.pred_link[v];
            ASSERT_GE(a, 0);
            EXPECT_NEAR(tree.distance[net.tail[a]] + cost[a], tree.distance[v], 1e-9);
          }
        }
      }
    }
  }
}

TEST(ShortestPath, AllOrNothingConservesDemand) {
  std::mt19937 rng(seed() + 1);
  TntpNetwork t = random_network(rng, 80, 400, 12, 13);
  const Network net = build_network(t, {});
  TntpTrips trips;
  trips.zones = 12;
  for (int o = 1; o <= 12; ++o)
    for (int d = 1; d <= 12; ++d) trips.entries.push_back({o, d, 1.0 * o + d, 0});
  const OdDemand demand = build_demand(net, trips);
  std::vector<double> cost, flow;
  link_costs(net, std::vector<double>(net.link_count, 0.0), cost);
  const double sptt = all_or_nothing(net, demand, cost, flow);
  // At all-or-nothing flows TSTT with fixed costs equals SPTT.
  double tstt = 0;
  for (std::int32_t a = 0; a < net.link_count; ++a) tstt += flow[a] * cost[a];
  EXPECT_NEAR(tstt, sptt, 1e-9 * sptt);
  // Net outflow of each origin zone equals its demand.
  for (std::size_t o = 0; o < demand.origin_count(); ++o) {
    const std::int32_t v = demand.origin_node[o];
    double out = 0, in = 0, want = 0;
    for (std::int32_t a = net.out_offset[v]; a < net.out_offset[v + 1]; ++a) out += flow[a];
    for (std::int32_t k = net.in_offset[v]; k < net.in_offset[v + 1]; ++k) in += flow[net.in_links[k]];
    for (std::int32_t k = demand.destination_offset[o]; k < demand.destination_offset[o + 1]; ++k)
      want += demand.destination_flow[k];
    EXPECT_NEAR(out, want, 1e-9) << "zones are never passed through, so nothing else leaves them";
    (void)in;
  }
}

}  // namespace
}  // namespace citytwin::traffic
