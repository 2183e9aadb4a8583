#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "viewer/model/tessellate.hpp"

using namespace citytwin;
using namespace citytwin::viewer;

namespace {
double ring_area(const std::vector<Point2>& r) {
  double a = 0;
  for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) a += (r[j].x + r[i].x) * (r[j].y - r[i].y);
  return std::abs(a) / 2;
}
double signed2(Point2 a, Point2 b, Point2 c) { return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x); }

void expect_valid(const Triangulation& t, double area, std::size_t vertices_in) {
  EXPECT_FALSE(t.fallback);
  EXPECT_EQ(t.indices.size() % 3, 0u);
  EXPECT_NEAR(triangulated_area(t), area, area * 1e-9);
  for (std::size_t k = 0; k < t.indices.size(); k += 3)  // all counter-clockwise
    EXPECT_GE(signed2(t.vertices[t.indices[k]], t.vertices[t.indices[k + 1]], t.vertices[t.indices[k + 2]]), 0);
  EXPECT_GE(t.vertices.size(), vertices_in);
}
}  // namespace

TEST(Tessellate, Square) {
  const std::vector<Point2> sq{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
  const Triangulation t = triangulate({sq});
  expect_valid(t, 100, 4);
  EXPECT_EQ(t.indices.size(), 6u);
}

TEST(Tessellate, ConcaveClockwiseL) {
  const std::vector<Point2> l{{0, 0}, {0, 20}, {10, 20}, {10, 10}, {20, 10}, {20, 0}};  // clockwise
  expect_valid(triangulate({l}), 300, 6);
}

TEST(Tessellate, HolesAreLeftOpen) {
  const std::vector<Point2> outer{{0, 0}, {100, 0}, {100, 100}, {0, 100}};
  const std::vector<Point2> hole1{{20, 20}, {40, 20}, {40, 40}, {20, 40}};
  const std::vector<Point2> hole2{{60, 60}, {80, 60}, {80, 90}, {60, 90}};
  expect_valid(triangulate({outer, hole1, hole2}), 10000 - 400 - 600, 12);
}

TEST(Tessellate, CollinearPointsAndDuplicates) {
  const std::vector<Point2> r{{0, 0}, {5, 0}, {5, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 5}};
  expect_valid(triangulate({r}), 100, 5);
}

TEST(Tessellate, RandomStarPolygonsKeepTheirArea) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0.3, 1.0);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 3 + int(rng() % 60);
    std::vector<Point2> ring;
    for (int k = 0; k < n; ++k) {
      const double a = 2 * M_PI * k / n, r = 1000 * u(rng);
      ring.push_back({500000 + r * std::cos(a), 5800000 + r * std::sin(a)});  // UTM-sized coordinates
    }
    const double area = ring_area(ring);
    const Triangulation t = triangulate({ring});
    EXPECT_FALSE(t.fallback) << "trial " << trial;
    EXPECT_NEAR(triangulated_area(t), area, area * 1e-6) << "trial " << trial;
    EXPECT_EQ(t.indices.size(), std::size_t(3 * (n - 2))) << "trial " << trial;
  }
}
