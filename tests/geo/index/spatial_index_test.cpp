// Every index query against a brute-force scan over the same data (the OSRM
// and cuSpatial practice), and the exact geometry against Boost.Geometry's
// own algorithms as an independent oracle. Tolerance for distances compared
// across the two implementations: 1e-9 m (coordinates are up to ~1e4 m).
#include "geo/index/spatial_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/model/twin.hpp"
#include "geo/index/boost_geometry_adapter.hpp"
#include "tests/geo/index/random_layers.hpp"

using namespace citytwin;
using namespace citytwin::testing;
namespace bg = boost::geometry;

namespace {

constexpr double kTol = 1e-9;

std::vector<IndexHit> sorted_hits(std::vector<IndexHit> hits) {
  std::sort(hits.begin(), hits.end(), [](const IndexHit& a, const IndexHit& b) {
    return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.id < b.id;
  });
  return hits;
}

// Brute force: every feature's exact distance, best k by (distance, id).
template <class Dist>
std::vector<IndexHit> brute_nearest(std::size_t n, std::size_t k, Dist dist, const IdFilter& accept = {}) {
  std::vector<IndexHit> all;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (accept && !accept(i)) continue;
    const double d = dist(i);
    if (std::isfinite(d)) all.push_back({i, d});
  }
  all = sorted_hits(std::move(all));
  if (all.size() > k) all.resize(k);
  return all;
}

template <class Dist>
std::vector<IndexHit> brute_within(std::size_t n, double r, Dist dist) {
  std::vector<IndexHit> all;
  for (std::uint32_t i = 0; i < n; ++i)
    if (dist(i) <= r) all.push_back({i, dist(i)});
  return sorted_hits(std::move(all));
}

template <class Pred>
std::vector<std::uint32_t> brute_ids(std::size_t n, Pred pred) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < n; ++i)
    if (pred(i)) out.push_back(i);
  return out;
}

Box2 random_box(Rng& rng, double extent, double max_side) {
  const double x = rng.uniform(-0.1 * extent, extent), y = rng.uniform(-0.1 * extent, extent);
  return {x, y, x + rng.uniform(0, max_side), y + rng.uniform(0, max_side)};
}

// Same ids, and the same distance at every rank within tol (ids may differ
// only where two oracles' distances tie within tol).
void expect_same_ranking(const std::vector<IndexHit>& got, const std::vector<IndexHit>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t r = 0; r < got.size(); ++r) EXPECT_NEAR(got[r].distance_m, want[r].distance_m, tol) << "rank " << r;
}

}  // namespace

TEST(PointIndex, MatchesBruteForceOnRandomPoints) {
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed);
  const auto pts = random_points(rng, 5000, 0, 10000);
  std::vector<double> x, y;
  for (auto p : pts) x.push_back(p.x), y.push_back(p.y);
  const auto index = PointIndex::build(x, y);
  ASSERT_EQ(index.size(), pts.size());
  std::size_t found_within = 0, found_in_box = 0;  // the queries are not trivially empty
  for (int q = 0; q < 200; ++q) {
    const Point2 p{rng.uniform(-500, 10500), rng.uniform(-500, 10500)};
    auto dist = [&](std::uint32_t i) { return std::hypot(x[i] - p.x, y[i] - p.y); };
    const std::size_t k = static_cast<std::size_t>(rng.integer(1, 20));
    EXPECT_EQ(index.nearest(p, k), brute_nearest(pts.size(), k, dist));
    const double r = rng.uniform(0, 600);
    EXPECT_EQ(index.within(p, r), brute_within(pts.size(), r, dist));
    found_within += index.within(p, r).size();
    const Box2 b = random_box(rng, 10000, 1500);
    EXPECT_EQ(index.in_box(b), brute_ids(pts.size(), [&](std::uint32_t i) {
                return x[i] >= b.min_x && x[i] <= b.max_x && y[i] >= b.min_y && y[i] <= b.max_y;
              }));
    found_in_box += index.in_box(b).size();
  }
  EXPECT_GT(found_within, 1000u);
  EXPECT_GT(found_in_box, 1000u);
}

TEST(PointIndex, BreaksTiesByLowerIdOnAnIntegerLattice) {
  // Many points at equal distances (and duplicates): the k-th place must go to the lower id.
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed);
  std::vector<double> x, y;
  for (int i = 0; i < 3000; ++i) {
    x.push_back(rng.integer(0, 30));
    y.push_back(rng.integer(0, 30));
  }
  const auto index = PointIndex::build(x, y);
  for (int q = 0; q < 300; ++q) {
    const Point2 p{static_cast<double>(rng.integer(-2, 32)), static_cast<double>(rng.integer(-2, 32))};
    auto dist = [&](std::uint32_t i) { return std::hypot(x[i] - p.x, y[i] - p.y); };
    const std::size_t k = static_cast<std::size_t>(rng.integer(1, 40));
    EXPECT_EQ(index.nearest(p, k), brute_nearest(x.size(), k, dist));
    const double r = rng.integer(0, 4);
    EXPECT_EQ(index.within(p, r), brute_within(x.size(), r, dist));
  }
}

TEST(PointIndex, FilterAndSubset) {
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed + 1);
  const auto pts = random_points(rng, 2000, 0, 1000);
  std::vector<double> x, y;
  for (auto p : pts) x.push_back(p.x), y.push_back(p.y);
  std::vector<std::uint32_t> odd;
  for (std::uint32_t i = 1; i < pts.size(); i += 2) odd.push_back(i);
  const auto all = PointIndex::build(x, y);
  const auto subset = PointIndex::build_subset(x, y, odd);
  EXPECT_EQ(subset.size(), odd.size());
  const IdFilter is_odd = [](std::uint32_t i) { return (i & 1) != 0; };
  for (int q = 0; q < 100; ++q) {
    const Point2 p{rng.uniform(0, 1000), rng.uniform(0, 1000)};
    auto dist = [&](std::uint32_t i) { return std::hypot(x[i] - p.x, y[i] - p.y); };
    const auto want = brute_nearest(pts.size(), 5, dist, is_odd);
    EXPECT_EQ(all.nearest(p, 5, is_odd), want);
    EXPECT_EQ(subset.nearest(p, 5), want);
  }
}

TEST(PointIndex, SkipsNonFiniteAndHandlesEdgeCases) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> x{0, nan, 2, 3}, y{0, 1, std::numeric_limits<double>::infinity(), 3};
  const auto index = PointIndex::build(x, y);
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.skipped(), 2u);
  EXPECT_TRUE(index.nearest({1, 1}, 0).empty());
  EXPECT_TRUE(index.nearest({nan, 1}, 3).empty());
  EXPECT_EQ(index.nearest({1, 1}, 10).size(), 2u);  // k larger than the index
  EXPECT_TRUE(index.within({0, 0}, -1).empty());
  EXPECT_TRUE(PointIndex{}.nearest({0, 0}, 1).empty());
  EXPECT_TRUE(index.in_box(Box2{1, 1, 0, 0}).empty());  // empty box
}

TEST(ExactGeometry, AgreesWithBoostGeometry) {
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed + 2);
  const auto lines = random_polylines(rng, 300, 1000, 80);
  const auto polys = random_polygons(rng, 100, 1000, 60);
  for (int q = 0; q < 300; ++q) {
    const Point2 p{rng.uniform(-50, 1050), rng.uniform(-50, 1050)};
    const Box2 b = random_box(rng, 1000, 120);
    const auto i = static_cast<std::size_t>(rng.integer(0, 299));
    const auto ls = bgx::to_linestring(lines, i);
    const double want = ls.size() == 1 ? bg::distance(p, ls.front()) : bg::distance(p, ls);
    EXPECT_NEAR(point_polyline_distance(lines, i, p), want, kTol);
    if (ls.size() > 1) {
      EXPECT_EQ(polyline_intersects_box(lines, i, b), bg::intersects(ls, b));
    }
    const auto j = static_cast<std::size_t>(rng.integer(0, 99));
    const auto mp = bgx::to_multipolygon(polys, j);
    EXPECT_EQ(polys.contains(j, p), bg::within(p, mp));
    EXPECT_NEAR(point_polygon_distance(polys, j, p), bg::distance(p, mp), kTol);
    EXPECT_EQ(polygon_intersects_box(polys, j, b), bg::intersects(mp, b));
  }
}

TEST(LineIndex, MatchesBruteForceOnRandomPolylines) {
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed + 3);
  const auto lines = random_polylines(rng, 4000, 10000, 300);
  const auto index = LineIndex::build(lines);
  ASSERT_EQ(index.size(), lines.size());
  std::size_t found_within = 0, found_in_box = 0;
  for (int q = 0; q < 200; ++q) {
    const Point2 p{rng.uniform(-500, 10500), rng.uniform(-500, 10500)};
    auto dist = [&](std::uint32_t i) { return point_polyline_distance(lines, i, p); };
    const std::size_t k = static_cast<std::size_t>(rng.integer(1, 15));
    const auto got = index.nearest(p, k);
    EXPECT_EQ(got, brute_nearest(lines.size(), k, dist));
    // and the ranking agrees with Boost.Geometry's distances
    auto bg_dist = [&](std::uint32_t i) {
      const auto ls = bgx::to_linestring(lines, i);
      return ls.size() == 1 ? bg::distance(p, ls.front()) : bg::distance(p, ls);
    };
    expect_same_ranking(got, brute_nearest(lines.size(), k, bg_dist), kTol);
    const double r = rng.uniform(0, 400);
    EXPECT_EQ(index.within(p, r), brute_within(lines.size(), r, dist));
    found_within += index.within(p, r).size();
    const Box2 b = random_box(rng, 10000, 1200);
    found_in_box += index.in_box(b).size();
    EXPECT_EQ(index.in_box(b), brute_ids(lines.size(), [&](std::uint32_t i) {
                const auto ls = bgx::to_linestring(lines, i);
                return ls.size() == 1 ? bg::covered_by(ls.front(), b) : bg::intersects(ls, b);
              }));
  }
  EXPECT_GT(found_within, 500u);
  EXPECT_GT(found_in_box, 500u);
}

TEST(LineIndex, FilterSkipsAndDegenerateLines) {
  LineColumn lines;
  const std::vector<Point2> a{{0, 0}, {10, 0}}, b{{0, 5}}, empty{}, c{{0, 1}, {std::nan(""), 2}};
  lines.add(a);
  lines.add(b);
  lines.add(empty);
  lines.add(c);
  const auto index = LineIndex::build(lines);
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.skipped(), 2u);
  // From (5, 4): the segment (0,0)-(10,0) is 4 away, the one-point line (0,5) sqrt(26).
  const auto hits = index.nearest({5, 4}, 2);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, 0u);
  EXPECT_DOUBLE_EQ(hits[0].distance_m, 4.0);
  EXPECT_EQ(hits[1].id, 1u);
  EXPECT_DOUBLE_EQ(hits[1].distance_m, std::sqrt(26.0));
  EXPECT_EQ(index.nearest({5, 4}, 1, [](std::uint32_t i) { return i != 0; })[0].id, 1u);
  EXPECT_EQ(index.in_box({4, -1, 6, 1}), (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(index.in_box({-1, 4, 1, 6}), (std::vector<std::uint32_t>{1}));
}

TEST(PolygonIndex, MatchesBruteForceOnRandomPolygons) {
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed + 4);
  const auto polys = random_polygons(rng, 800, 10000, 400);
  std::vector<bgx::MultiPolygon> models;
  for (std::size_t i = 0; i < polys.size(); ++i) models.push_back(bgx::to_multipolygon(polys, i));
  const auto index = PolygonIndex::build(polys);
  ASSERT_EQ(index.size(), polys.size());
  std::size_t found_containing = 0, found_in_box = 0;
  for (int q = 0; q < 200; ++q) {
    const Point2 p{rng.uniform(-500, 10500), rng.uniform(-500, 10500)};
    EXPECT_EQ(index.containing(p), brute_ids(polys.size(), [&](std::uint32_t i) { return polys.contains(i, p); }));
    EXPECT_EQ(index.containing(p), brute_ids(polys.size(), [&](std::uint32_t i) { return bg::within(p, models[i]); }));
    found_containing += index.containing(p).size();
    auto dist = [&](std::uint32_t i) { return point_polygon_distance(polys, i, p); };
    const std::size_t k = static_cast<std::size_t>(rng.integer(1, 10));
    const auto got = index.nearest(p, k);
    EXPECT_EQ(got, brute_nearest(polys.size(), k, dist));
    expect_same_ranking(got, brute_nearest(polys.size(), k, [&](std::uint32_t i) { return bg::distance(p, models[i]); }),
                        kTol);
    const double r = rng.uniform(0, 500);
    EXPECT_EQ(index.within(p, r), brute_within(polys.size(), r, dist));
    const Box2 b = random_box(rng, 10000, 1000);
    EXPECT_EQ(index.in_box(b), brute_ids(polys.size(), [&](std::uint32_t i) { return bg::intersects(models[i], b); }));
    found_in_box += index.in_box(b).size();
  }
  EXPECT_GT(found_containing, 20u);
  EXPECT_GT(found_in_box, 200u);
}

TEST(PolygonIndex, HoleAndBoxInsideHole) {
  // A square donut: the hole is not part of it, a box in the hole misses it,
  // a box around it and a box inside the solid part hit it.
  PolygonColumn polys;
  polys.begin_feature();
  polys.add_polygon({{{0, 0}, {100, 0}, {100, 100}, {0, 100}}, {{40, 40}, {60, 40}, {60, 60}, {40, 60}}});
  const auto index = PolygonIndex::build(polys);
  EXPECT_TRUE(index.containing({50, 50}).empty());
  EXPECT_EQ(index.containing({10, 50}), (std::vector<std::uint32_t>{0}));
  EXPECT_DOUBLE_EQ(index.nearest({50, 50}, 1)[0].distance_m, 10.0);
  EXPECT_DOUBLE_EQ(index.nearest({10, 50}, 1)[0].distance_m, 0.0);
  EXPECT_TRUE(index.in_box({45, 45, 55, 55}).empty());
  EXPECT_EQ(index.in_box({-10, -10, 110, 110}).size(), 1u);
  EXPECT_EQ(index.in_box({10, 10, 20, 20}).size(), 1u);
  EXPECT_EQ(index.within({50, 50}, 9.99).size(), 0u);
  EXPECT_EQ(index.within({50, 50}, 10).size(), 1u);
}

TEST(TwinIndex, BuildsEveryLayer) {
  const auto seed = test_seed();
  SCOPED_TRACE(seed_note(seed));
  Rng rng(seed + 5);
  Twin twin;
  for (auto p : random_points(rng, 500, 0, 5000)) twin.roads.node_x.push_back(p.x), twin.roads.node_y.push_back(p.y);
  twin.roads.geometry = random_polylines(rng, 700, 5000, 200);
  for (auto p : random_points(rng, 60, 0, 5000)) twin.grid.bus_x.push_back(p.x), twin.grid.bus_y.push_back(p.y);
  for (auto p : random_points(rng, 7, 0, 5000))
    twin.grid.substation_x.push_back(p.x), twin.grid.substation_y.push_back(p.y);
  twin.districts.shape = random_polygons(rng, 40, 5000, 600);
  for (auto p : random_points(rng, 30, 0, 5000)) twin.chargers.x.push_back(p.x), twin.chargers.y.push_back(p.y);
  const auto index = TwinIndex::build(twin);
  EXPECT_EQ(index.road_nodes.size(), 500u);
  EXPECT_EQ(index.road_links.size(), 700u);
  EXPECT_EQ(index.buses.size(), 60u);
  EXPECT_EQ(index.substations.size(), 7u);
  EXPECT_EQ(index.districts.size(), 40u);
  EXPECT_EQ(index.chargers.size(), 30u);
  // queries go to the right layer
  const Point2 p{2500, 2500};
  EXPECT_EQ(index.road_links.nearest(p, 1)[0].distance_m,
            brute_nearest(700, 1, [&](std::uint32_t i) { return point_polyline_distance(twin.roads.geometry, i, p); })[0]
                .distance_m);
}
