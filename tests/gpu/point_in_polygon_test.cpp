// The point-in-polygon join: TBB path against brute force, GPU against TBB.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <random>

#include "core/model/point_in_polygon.hpp"
#include "gpu/backend.hpp"
#include "tests/support/test_seed.hpp"

using namespace citytwin;

namespace {

std::uint64_t seed() { return citytwin::testing::test_seed(20261123); }

// Random star-shaped polygons (some with a hole) scattered over 10 km.
PolygonColumn random_polygons(std::mt19937_64& rng, std::size_t n) {
  std::uniform_real_distribution<double> pos(0, 10000), rad(50, 600), wob(0.5, 1.0);
  PolygonColumn c;
  for (std::size_t i = 0; i < n; ++i) {
    const double cx = pos(rng), cy = pos(rng), r = rad(rng);
    std::vector<Point2> outer, hole;
    const int k = 12;
    for (int j = 0; j < k; ++j) {
      const double a = 2 * std::numbers::pi * j / k, w = wob(rng);
      outer.push_back({cx + r * w * std::cos(a), cy + r * w * std::sin(a)});
      hole.push_back({cx + 0.2 * r * std::cos(-a), cy + 0.2 * r * std::sin(-a)});
    }
    c.begin_feature();
    if (i % 3 == 0) c.add_polygon({outer, hole});
    else c.add_polygon({outer});
  }
  return c;
}

}  // namespace

TEST(PointInPolygon, TbbPathMatchesBruteForce) {
  std::mt19937_64 rng(seed());
  const auto polys = random_polygons(rng, 200);
  std::uniform_real_distribution<double> pos(-500, 10500);
  std::vector<double> x(20000), y(20000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = pos(rng), y[i] = pos(rng);
  const auto got = locate_points(polys, x, y);
  std::size_t inside = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    std::int32_t expected = kOutside;
    for (std::size_t f = 0; f < polys.size() && expected == kOutside; ++f)
      if (polys.contains(f, {x[i], y[i]})) expected = static_cast<std::int32_t>(f);
    ASSERT_EQ(got[i], expected) << "point " << i << " seed " << seed();
    inside += expected != kOutside;
  }
  EXPECT_GT(inside, 1000u);  // the test exercises both outcomes
}

TEST(PointInPolygon, GpuMatchesTbbExactly) {
  if (!gpu::device().available) GTEST_SKIP() << gpu::cpu_fallback_notice() << ": GPU comparison needs a GPU machine";
  std::mt19937_64 rng(seed());
  const auto polys = random_polygons(rng, 500);
  std::uniform_real_distribution<double> pos(-500, 10500);
  std::vector<double> x(1'000'000), y(1'000'000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = pos(rng), y[i] = pos(rng);
  // Same body, same IEEE arithmetic (no fused contractions across the branch): identical ids.
  EXPECT_EQ(gpu::locate_points(polys, x, y), locate_points(polys, x, y));
}
