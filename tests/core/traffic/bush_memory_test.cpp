// Algorithm B's memory accounting against what the compact layout must hold:
// 12 bytes per bush link (link id + double flow) and a header per origin,
// nothing per node; bush sizes checked against independent bounds (every bush
// spans the nodes its origin reaches, and no bush holds more than every link).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "core/traffic/assignment.hpp"
#include "core/traffic/bush_layout.hpp"
#include "core/traffic/shortest_path.hpp"
#include "core/traffic/tntp_reader.hpp"
#include "tests/core/traffic/test_networks.hpp"

namespace citytwin::traffic {
namespace {

constexpr double kBytesPerBushLink = sizeof(std::int32_t) + sizeof(double);
constexpr double kHeader = sizeof(bush_detail::Bush);

// The bounds the layout promises: at least 12 bytes per link plus a header per
// bush, at most a quarter of slack (plus 16 links) per bush before it is trimmed.
void expect_compact(const BushMemory& m) {
  const double tight = kBytesPerBushLink * static_cast<double>(m.bush_links) + kHeader * static_cast<double>(m.origins);
  EXPECT_GE(static_cast<double>(m.bush_bytes), tight);
  EXPECT_LE(static_cast<double>(m.bush_bytes), 1.25 * tight + 16 * kBytesPerBushLink * static_cast<double>(m.origins));
}

AssignmentResult solve(const Network& net, const OdDemand& demand, double gap) {
  AssignmentOptions options;
  options.algorithm = Algorithm::bush;
  options.target_gap = gap;
  options.max_iterations = 100000;
  return assign(net, demand, options);
}

TEST(BushMemory, BraessBushHoldsEveryLinkAtEquilibrium) {
  // All three Braess paths carry flow at equilibrium (hand-computed flows in
  // test_networks.hpp), so the one origin's bush is all five links.
  const Network net = build_network(parse_tntp_network(testing::kBraessNet, "braess_net"), {});
  const OdDemand demand = build_demand(net, parse_tntp_trips(testing::kBraessTrips, "braess_trips"));
  const AssignmentResult r = solve(net, demand, 1e-10);
  ASSERT_TRUE(r.converged);
  EXPECT_EQ(r.bush_memory.origins, 1);
  EXPECT_EQ(r.bush_memory.bush_links, 5);
  expect_compact(r.bush_memory);
  EXPECT_GT(r.bush_memory.network_bytes, 0);
}

// A warm start handed over (take_warm_start, the options its only owner) is
// taken, not copied: the same equilibrium as from a copy, and the emptied
// state warm-starts nothing. Without the flag the state stays whole.
TEST(BushMemory, HandedOverWarmStartIsTakenNotCopied) {
  const Network net = build_network(parse_tntp_network(testing::kBraessNet, "braess_net"), {});
  const OdDemand demand = build_demand(net, parse_tntp_trips(testing::kBraessTrips, "braess_trips"));
  AssignmentOptions options;
  options.algorithm = Algorithm::bush;
  options.target_gap = 1e-10;
  options.keep_bushes = true;
  options.max_iterations = 3;  // stop short, so the warm starts have work left
  AssignmentResult first = assign(net, demand, options);
  ASSERT_TRUE(first.bushes);
  options.max_iterations = 100000;

  options.warm_start = first.bushes;  // shared with `first`: copied
  const AssignmentResult copied = assign(net, demand, options);
  ASSERT_TRUE(copied.warm_started);

  options.warm_start = std::move(first.bushes);  // the options' alone, but not handed over: copied
  const AssignmentResult kept = assign(net, demand, options);
  ASSERT_TRUE(kept.warm_started);
  EXPECT_EQ(kept.flow, copied.flow);

  options.take_warm_start = true;  // handed over: taken
  const AssignmentResult taken = assign(net, demand, options);
  ASSERT_TRUE(taken.warm_started);
  ASSERT_TRUE(taken.converged);
  EXPECT_EQ(taken.iterations, copied.iterations);
  EXPECT_EQ(taken.flow, copied.flow);  // the same bushes, the same operations
  EXPECT_NEAR(taken.flow[net.internal_link[4]], 24.0 / 13, 1e-9);  // a->b, hand-computed

  const AssignmentResult again = assign(net, demand, options);  // from the emptied state
  EXPECT_FALSE(again.warm_started);
  EXPECT_TRUE(again.converged);
  EXPECT_NEAR(again.flow[net.internal_link[4]], 24.0 / 13, 1e-9);
}

TEST(BushMemory, FrankWolfeReportsNoBushes) {
  const Network net = build_network(parse_tntp_network(testing::kBraessNet, "braess_net"), {});
  const OdDemand demand = build_demand(net, parse_tntp_trips(testing::kBraessTrips, "braess_trips"));
  AssignmentOptions options;
  options.algorithm = Algorithm::biconjugate_frank_wolfe;
  options.target_gap = 1e-4;
  const AssignmentResult r = assign(net, demand, options);
  EXPECT_EQ(r.bush_memory.origins, 0);
  EXPECT_EQ(r.bush_memory.bush_bytes, 0);
}

TEST(BushMemory, ChicagoSketchBushesSpanTheReachableNodesCompactly) {
  const std::string dir = std::string(CITYTWIN_REFERENCE_DATA) + "/tntp/Chicago-Sketch/";
  const Network net = build_network(read_tntp_network(dir + "ChicagoSketch_net.tntp"), {0.02, 0.04});
  const OdDemand demand = build_demand(net, read_tntp_trips(dir + "ChicagoSketch_trips.tntp"));
  const AssignmentResult r = solve(net, demand, 1e-6);
  ASSERT_TRUE(r.converged);
  // Independent bounds: a bush has an incoming link at every node its origin
  // reaches (Dijkstra's settled count), and no more links than the network.
  std::int64_t spanning = 0;
  ShortestPathTree tree;
  for (std::size_t o = 0; o < demand.origin_count(); ++o) {
    shortest_path_tree(net, r.cost.data(), demand.origin_node[o], tree);
    spanning += static_cast<std::int64_t>(tree.settled.size()) - 1;
  }
  const auto origins = static_cast<std::int64_t>(demand.origin_count());
  EXPECT_EQ(r.bush_memory.origins, origins);
  EXPECT_GE(r.bush_memory.bush_links, spanning);
  EXPECT_LE(r.bush_memory.bush_links, origins * net.link_count);
  expect_compact(r.bush_memory);
  // The old layout (with end nodes and a node order) needed 20 bytes per bush link.
  EXPECT_LT(r.bush_memory.bytes_per_bush_link(), 16.0);
  EXPECT_DOUBLE_EQ(r.bush_memory.bytes_per_origin(),
                   static_cast<double>(r.bush_memory.bush_bytes) / static_cast<double>(origins));
}

}  // namespace
}  // namespace citytwin::traffic
