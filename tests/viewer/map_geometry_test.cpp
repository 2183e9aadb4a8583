#include <gtest/gtest.h>

#include <random>

#include "geo/index/spatial_index.hpp"
#include "tests/viewer/hand_laid_twin.hpp"
#include "viewer/model/map_geometry.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

TEST(MapGeometry, EverySegmentOnceInAChunkOfItsClass) {
  const Twin t = test_support::hand_laid_twin();
  const MapGeometry g = build_map_geometry(t, 8);
  std::size_t segments = 0;
  for (std::size_t i = 0; i < t.roads.link_count(); ++i) segments += t.roads.geometry.points(i) - 1;
  EXPECT_EQ(g.roads.vertices.size(), 2 * segments);
  std::vector<std::size_t> per_link(t.roads.link_count(), 0);
  std::uint32_t expect_first = 0;
  int last_group = -1;
  for (const Chunk& c : g.roads.chunks) {
    EXPECT_EQ(c.first, expect_first);  // chunks tile the buffer in order
    expect_first += c.count;
    EXPECT_GE(int(c.group), last_group);  // sorted by class
    last_group = c.group;
    for (std::uint32_t v = c.first; v < c.first + c.count; ++v) {
      const MapVertex& mv = g.roads.vertices[v];
      EXPECT_EQ(std::uint8_t(t.roads.road_class[mv.feature]), c.group);
      const double x = mv.x + g.origin.x, y = mv.y + g.origin.y;
      EXPECT_GE(x, c.box.min_x - 1e-3);
      EXPECT_LE(x, c.box.max_x + 1e-3);
      EXPECT_GE(y, c.box.min_y - 1e-3);
      EXPECT_LE(y, c.box.max_y + 1e-3);
      ++per_link[mv.feature];
    }
  }
  EXPECT_EQ(expect_first, g.roads.vertices.size());
  for (std::size_t i = 0; i < per_link.size(); ++i) EXPECT_EQ(per_link[i], 2 * (t.roads.geometry.points(i) - 1));
  // 16 district squares: 2 triangles each, 4 outline segments each
  EXPECT_EQ(g.district_fill.vertices.size(), 16u * 6);
  EXPECT_EQ(g.district_outline.vertices.size(), 16u * 8);
  EXPECT_EQ(g.buses.vertices.size(), t.grid.bus_count());
  EXPECT_EQ(g.fallback_polygons, 0u);
}

TEST(MapGeometry, CullingKeepsEverySegmentInView) {
  const Twin t = test_support::hand_laid_twin();
  const MapGeometry g = build_map_geometry(t, 16);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-500, 4500), s(10, 1500);
  RoadClassMask all;
  all.fill(true);
  for (int q = 0; q < 300; ++q) {
    const double x = test_support::kGridOrigin.x + u(rng), y = test_support::kGridOrigin.y + u(rng), w = s(rng);
    const Box2 view{x, y, x + w, y + w * 0.6};
    const auto chunks = visible_chunks(g.roads.chunks, view, &all);
    std::vector<bool> drawn(g.roads.vertices.size() / 2, false);
    for (auto c : chunks)
      for (std::uint32_t v = g.roads.chunks[c].first; v < g.roads.chunks[c].first + g.roads.chunks[c].count; v += 2)
        drawn[v / 2] = true;
    for (std::size_t k = 0; k < drawn.size(); ++k) {
      const MapVertex& a = g.roads.vertices[2 * k];
      const MapVertex& b = g.roads.vertices[2 * k + 1];
      const Point2 pa{a.x + g.origin.x, a.y + g.origin.y}, pb{b.x + g.origin.x, b.y + g.origin.y};
      if (segment_intersects_box(pa, pb, view)) {
        EXPECT_TRUE(drawn[k]) << "segment " << k << " query " << q;
      }
    }
  }
}

TEST(MapGeometry, LevelOfDetail) {
  // small networks: everything but connectors at every scale
  auto m = road_lod(500, 20000, false);
  for (std::size_t c = 0; c < m.size(); ++c) EXPECT_EQ(m[c], c != std::size_t(RoadClass::Connector));
  EXPECT_TRUE(road_lod(500, 20000, true)[std::size_t(RoadClass::Connector)]);
  // large networks zoomed out: major roads only
  m = road_lod(60, 1000000, true);
  EXPECT_TRUE(m[std::size_t(RoadClass::Motorway)]);
  EXPECT_TRUE(m[std::size_t(RoadClass::Secondary)]);
  EXPECT_FALSE(m[std::size_t(RoadClass::Tertiary)]);
  EXPECT_FALSE(m[std::size_t(RoadClass::Residential)]);
  EXPECT_FALSE(m[std::size_t(RoadClass::Connector)]);
  // and zoomed in: everything
  m = road_lod(3, 1000000, false);
  EXPECT_TRUE(m[std::size_t(RoadClass::Residential)]);
  EXPECT_TRUE(m[std::size_t(RoadClass::Service)]);
  EXPECT_GT(road_width_px(RoadClass::Motorway, 10), road_width_px(RoadClass::Residential, 10));
}

TEST(MapGeometry, SimplifiedLevelsStayWithinTheirTolerance) {
  // wavy roads: a zig-zag of 2 m amplitude every 10 m, and one of 30 m
  Twin t;
  for (double amp : {2.0, 30.0}) {
    std::vector<Point2> line;
    for (int k = 0; k <= 50; ++k) line.push_back({k * 10.0, (k % 2 ? amp : 0.0) + amp * 10});
    t.roads.geometry.add(line);
    t.roads.road_class.push_back(RoadClass::Residential);
    t.roads.link_from.push_back(0);
    t.roads.link_to.push_back(0);
  }
  const MapGeometry g = build_map_geometry(t, 4);
  ASSERT_EQ(g.roads_simplified.size(), kRoadSimplifyLevels.size());
  auto segments_of = [](const Batch& b, std::uint32_t link) {
    std::size_t n = 0;
    for (std::size_t v = 0; v < b.vertices.size(); v += 2) n += b.vertices[v].feature == link;
    return n;
  };
  EXPECT_EQ(segments_of(g.roads, 0), 50u);
  EXPECT_EQ(segments_of(g.roads_simplified[0], 0), 1u);   // 2 m wiggle < 8 m: one chord
  EXPECT_EQ(segments_of(g.roads_simplified[0], 1), 50u);  // 30 m wiggle kept at 8 m
  EXPECT_EQ(segments_of(g.roads_simplified[1], 1), 1u);   // 30 m wiggle < 40 m: one chord
  EXPECT_EQ(&g.roads_for(1.0), &g.roads);
  EXPECT_EQ(&g.roads_for(10.0), &g.roads_simplified[0]);
  EXPECT_EQ(&g.roads_for(100.0), &g.roads_simplified[1]);
  EXPECT_EQ(road_level(1.0), 0u);
  EXPECT_EQ(road_level(100.0), 2u);
}

TEST(MapGeometry, ViewExtentIgnoresARoadToTheHorizon) {
  Twin t = test_support::hand_laid_twin();
  const Box2 city = view_extent(t);
  // the built-in city's districts cover all its nodes
  EXPECT_DOUBLE_EQ(city.min_x, test_support::kGridOrigin.x);
  EXPECT_DOUBLE_EQ(city.max_x, test_support::kGridOrigin.x + 4000);
  // one node 100 km away (a ferry route) grows Twin::extent() but not the view
  t.roads.node_x.push_back(test_support::kGridOrigin.x + 1000);
  t.roads.node_y.push_back(test_support::kGridOrigin.y + 100000);
  EXPECT_GT(t.extent().max_y, test_support::kGridOrigin.y + 99000);
  EXPECT_DOUBLE_EQ(view_extent(t).max_y, test_support::kGridOrigin.y + 4000);
}
