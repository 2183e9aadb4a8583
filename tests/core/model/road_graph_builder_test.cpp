#include "core/model/road_graph_builder.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace citytwin;

namespace {
RoadFeature road(std::vector<Point2> line, OneWay oneway = OneWay::No, RoadClass cls = RoadClass::Residential) {
  RoadFeature f;
  f.line = std::move(line);
  f.oneway = oneway;
  f.road_class = cls;
  f.speed_kph = 36;  // 10 m/s: free-flow time = length / 10
  return f;
}
std::size_t count_links(const RoadNetwork& r, std::uint32_t from, std::uint32_t to) {
  std::size_t n = 0;
  for (std::size_t l = 0; l < r.link_count(); ++l) n += r.link_from[l] == from && r.link_to[l] == to;
  return n;
}
}  // namespace

//   A street crossing another in the middle of both ways:
//
//          (5,10)
//            |
//   (0,5) ---+--- (10,5)
//            |
//          (5,0)
// Both are single polylines; the junction at (5,5) is a vertex of each.
TEST(RoadGraphBuilder, SplitsAtSharedMidWayVertices) {
  std::vector<RoadFeature> f{road({{0, 5}, {5, 5}, {10, 5}}), road({{5, 0}, {5, 5}, {5, 10}})};
  const auto r = build_road_graph(f, {}, {});
  EXPECT_EQ(r.roads.node_count(), 5u);
  EXPECT_EQ(r.roads.link_count(), 8u);  // 4 two-way pieces
  EXPECT_EQ(r.stats.components, 1u);
  for (std::size_t l = 0; l < r.roads.link_count(); ++l) {
    EXPECT_DOUBLE_EQ(r.roads.length_m[l], 5.0);
    EXPECT_DOUBLE_EQ(r.roads.free_flow_s[l], 0.5);
  }
}

TEST(RoadGraphBuilder, SnapsEndsWithinTolerance) {
  // Two ways whose ends miss each other by 0.3 m join at tolerance 0.5 m, not at 0.1 m.
  std::vector<RoadFeature> f{road({{0, 0}, {10, 0}}), road({{10.3, 0}, {20, 0}}, OneWay::No, RoadClass::Primary)};
  RoadGraphOptions opt;
  opt.snap_tolerance_m = 0.5;
  EXPECT_EQ(build_road_graph(f, {}, opt).roads.node_count(), 3u);
  opt.snap_tolerance_m = 0.1;
  EXPECT_EQ(build_road_graph(f, {}, opt).roads.node_count(), 4u);
}

TEST(RoadGraphBuilder, MergesDegreeTwoChainsKeepingGeometry) {
  // One street drawn as three consecutive ways with a bend: one link each way.
  std::vector<RoadFeature> f{road({{0, 0}, {10, 0}}), road({{10, 0}, {20, 0}, {20, 10}}), road({{20, 10}, {30, 10}})};
  const auto r = build_road_graph(f, {}, {});
  ASSERT_EQ(r.roads.link_count(), 2u);
  EXPECT_EQ(r.stats.merged_pieces, 2u);
  EXPECT_DOUBLE_EQ(r.roads.length_m[0], 40.0);
  EXPECT_EQ(r.roads.geometry.points(0), 5u);  // bend vertices kept
}

TEST(RoadGraphBuilder, DoesNotMergeAcrossAttributeChangeOrSignal) {
  std::vector<RoadFeature> f{road({{0, 0}, {10, 0}}), road({{10, 0}, {20, 0}}, OneWay::No, RoadClass::Primary)};
  EXPECT_EQ(build_road_graph(f, {}, {}).roads.link_count(), 4u);
  std::vector<RoadFeature> g{road({{0, 0}, {10, 0}}), road({{10, 0}, {20, 0}})};
  const auto r = build_road_graph(g, {{10.5, 0.5}}, {});
  EXPECT_EQ(r.roads.link_count(), 4u);
  EXPECT_EQ(r.stats.signals_matched, 1u);
  ASSERT_EQ(r.roads.signals().size(), 1u);
  EXPECT_DOUBLE_EQ(r.roads.node_x[r.roads.signals()[0]], 10.0);
}

TEST(RoadGraphBuilder, OneWaysProduceOneDirectedLink) {
  // Triangle of one-ways 0 -> 1 -> 2 -> 0 (last drawn backwards with oneway=-1); the
  // middle side is of another class so the corner stays a node.
  std::vector<RoadFeature> f{road({{0, 0}, {10, 0}}, OneWay::Forward),
                             road({{10, 0}, {5, 8}}, OneWay::Forward, RoadClass::Primary),
                             road({{0, 0}, {5, 8}}, OneWay::Backward)};
  const auto r = build_road_graph(f, {}, {});
  ASSERT_EQ(r.roads.link_count(), 3u);
  EXPECT_EQ(r.stats.components, 1u);  // a directed cycle is strongly connected
  const auto& R = r.roads;
  EXPECT_EQ(count_links(R, 0, 1), 1u);
  EXPECT_EQ(count_links(R, 1, 0), 0u);
  // the oneway=-1 piece runs from (5,8) to (0,0)
  const auto n58 = R.link_to[1];
  EXPECT_EQ(count_links(R, n58, 0), 1u);
}

TEST(RoadGraphBuilder, ReportsAndDropsIslands) {
  // A main square loop plus a separate short street 1 km away, and a dead-end one-way.
  std::vector<RoadFeature> f{road({{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}), road({{1000, 0}, {1050, 0}}),
                             road({{100, 0}, {200, 0}}, OneWay::Forward)};
  const auto kept = build_road_graph(f, {}, {});
  EXPECT_EQ(kept.stats.components, 3u);  // loop, the separate street, the dead-end node alone
  EXPECT_EQ(kept.stats.island_nodes, 3u);
  EXPECT_DOUBLE_EQ(kept.stats.island_length_m, 50.0 * 2 + 100.0);
  RoadGraphOptions opt;
  opt.keep_largest_scc_only = true;
  const auto pruned = build_road_graph(f, {}, opt);
  EXPECT_EQ(pruned.stats.dropped_links, 3u);
  EXPECT_EQ(strongly_connected_components(pruned.roads.node_count(), pruned.roads.link_from, pruned.roads.link_to),
            std::vector<std::uint32_t>(pruned.roads.node_count(), 0u));
  // adjacency is consistent with the link list
  const auto& R = pruned.roads;
  for (std::uint32_t n = 0; n < R.node_count(); ++n)
    for (auto k = R.out_links.offsets[n]; k < R.out_links.offsets[n + 1]; ++k) EXPECT_EQ(R.link_from[R.out_links.entries[k]], n);
}

TEST(StronglyConnectedComponents, MatchesHandComputedExample) {
  // 0<->1, 1->2, 2<->3, 4 alone
  const std::vector<std::uint32_t> from{0, 1, 1, 2, 3}, to{1, 0, 2, 3, 2};
  const auto c = strongly_connected_components(5, from, to);
  EXPECT_EQ(c[0], c[1]);
  EXPECT_EQ(c[2], c[3]);
  EXPECT_NE(c[0], c[2]);
  EXPECT_NE(c[4], c[0]);
  EXPECT_EQ(c[4], 2u);  // smallest component numbered last
}

TEST(RoadGraphBuilder, SignalOnAMidWayVertexBecomesAJunction) {
  // One long street with a signal at its middle vertex (no cross street there).
  std::vector<RoadFeature> f{road({{0, 0}, {50, 0}, {100, 0}})};
  const auto r = build_road_graph(f, {{50, 3}}, {});
  EXPECT_EQ(r.stats.signals_matched, 1u);
  ASSERT_EQ(r.roads.signals().size(), 1u);
  EXPECT_DOUBLE_EQ(r.roads.node_x[r.roads.signals()[0]], 50.0);
  EXPECT_EQ(r.roads.node_count(), 3u);  // the signal splits the street
  EXPECT_EQ(r.roads.link_count(), 4u);
}
