// Picking through the R-trees against a brute-force scan of every feature.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "core/model/twin.hpp"
#include "tests/viewer/hand_laid_twin.hpp"
#include "viewer/model/selection.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

namespace {

std::uint64_t test_seed() {
  const char* s = std::getenv("CITYTWIN_TEST_SEED");
  return s ? std::strtoull(s, nullptr, 10) : 20261123;
}

// Random layers on a 2 x 2 km square: roads, branches, buses, substations,
// chargers, and a 4 x 4 grid of square districts.
Twin random_twin(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 2000);
  Twin t;
  for (int i = 0; i < 600; ++i) {
    std::vector<Point2> line{{u(rng), u(rng)}};
    const int n = 1 + int(rng() % 3);
    for (int k = 0; k < n; ++k) line.push_back({line.back().x + u(rng) / 10 - 100, line.back().y + u(rng) / 10 - 100});
    t.roads.geometry.add(line);
  }
  for (int i = 0; i < 40; ++i) {
    const Point2 line[2] = {{u(rng), u(rng)}, {u(rng), u(rng)}};
    t.grid.branch_geometry.add(line);
  }
  for (int i = 0; i < 80; ++i) {
    t.grid.bus_x.push_back(u(rng));
    t.grid.bus_y.push_back(u(rng));
  }
  for (int i = 0; i < 20; ++i) {
    t.grid.substation_x.push_back(u(rng));
    t.grid.substation_y.push_back(u(rng));
    t.chargers.x.push_back(u(rng));
    t.chargers.y.push_back(u(rng));
  }
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 4; ++i) {
      const double x0 = i * 500, y0 = j * 500;
      t.districts.shape.begin_feature();
      t.districts.shape.add_polygon({{{x0, y0}, {x0 + 500, y0}, {x0 + 500, y0 + 500}, {x0, y0 + 500}}});
    }
  return t;
}

void expect_same(const std::optional<Selection>& a, const std::optional<Selection>& b, Point2 p) {
  ASSERT_EQ(a.has_value(), b.has_value()) << "at " << p.x << ", " << p.y;
  if (!a) return;
  EXPECT_EQ(a->layer, b->layer) << "at " << p.x << ", " << p.y;
  EXPECT_NEAR(a->distance_m, b->distance_m, 1e-9);
  if (std::abs(a->distance_m - b->distance_m) > 1e-12) return;
  EXPECT_EQ(a->id, b->id) << "at " << p.x << ", " << p.y;  // equal distance: lower id wins in both
}

}  // namespace

TEST(Selection, MatchesBruteForceOnRandomLayers) {
  const std::uint64_t seed = test_seed();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (override with CITYTWIN_TEST_SEED)");
  const Twin t = random_twin(seed);
  const PickIndex index = PickIndex::build(t);
  std::mt19937_64 rng(seed + 1);
  std::uniform_real_distribution<double> u(-100, 2100);
  LayerMask masks[3];
  masks[0] = all_layers();
  masks[1] = all_layers();
  masks[1][std::size_t(Layer::Chargers)] = masks[1][std::size_t(Layer::Substations)] = false;
  masks[2].fill(false);
  masks[2][std::size_t(Layer::Roads)] = masks[2][std::size_t(Layer::Districts)] = true;
  for (int q = 0; q < 1500; ++q) {
    const Point2 p{u(rng), u(rng)};
    for (double tol : {3.0, 25.0, 80.0})
      for (const LayerMask& m : masks) expect_same(pick(t, index, p, tol, m), pick_brute_force(t, p, tol, m), p);
  }
}

TEST(Selection, PointsBeatLinesBeatDistricts) {
  const Twin t = test_support::hand_laid_twin();
  const PickIndex index = PickIndex::build(t);
  // the centre substation sits on the crossing of two branches, inside a district
  const Point2 sub{t.grid.substation_x[0], t.grid.substation_y[0]};
  auto hit = pick(t, index, sub, 20, all_layers());
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->layer, Layer::Substations);
  EXPECT_EQ(hit->id, 0u);
  LayerMask no_points = all_layers();
  no_points[std::size_t(Layer::Substations)] = no_points[std::size_t(Layer::Buses)] = false;
  hit = pick(t, index, sub, 20, no_points);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->layer, Layer::Branches);
  // the middle of a block: no line within 20 m, so the district
  const Point2 block{test_support::kGridOrigin.x + 200, test_support::kGridOrigin.y + 200};
  hit = pick(t, index, block, 20, all_layers());
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->layer, Layer::Districts);
  EXPECT_EQ(hit->id, 0u);
  // outside everything
  EXPECT_FALSE(pick(t, index, {test_support::kGridOrigin.x - 5000, test_support::kGridOrigin.y}, 20, all_layers()));
}
