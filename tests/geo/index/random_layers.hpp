#pragma once
// Seeded random layers for the index and join tests. The seed is 20261123
// unless the environment variable CITYTWIN_TEST_SEED overrides it
// (tests/support/test_seed.hpp); tests print it on failure (SCOPED_TRACE) so a
// failing case can be replayed.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "core/model/geometry_columns.hpp"
#include "tests/support/test_seed.hpp"

namespace citytwin::testing {

inline std::uint64_t test_seed() { return test_seed(20261123u); }

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  double uniform(double a, double b) { return std::uniform_real_distribution<double>(a, b)(gen_); }
  int integer(int a, int b) { return std::uniform_int_distribution<int>(a, b)(gen_); }
  bool chance(double p) { return uniform(0, 1) < p; }

 private:
  std::mt19937_64 gen_;
};

// Random walk polylines: 1..max_points vertices, steps up to `step`.
inline LineColumn random_polylines(Rng& rng, std::size_t n, double extent, double step, int max_points = 6) {
  LineColumn out;
  std::vector<Point2> line;
  for (std::size_t i = 0; i < n; ++i) {
    line.clear();
    Point2 p{rng.uniform(0, extent), rng.uniform(0, extent)};
    const int points = rng.integer(1, max_points);
    for (int k = 0; k < points; ++k) {
      line.push_back(p);
      p.x += rng.uniform(-step, step);
      p.y += rng.uniform(-step, step);
    }
    out.add(line);
  }
  return out;
}

// A star-shaped ring around c: m vertices at increasing angles, radii in [r0, r1].
inline std::vector<Point2> star_ring(Rng& rng, Point2 c, double r0, double r1, int m, bool clockwise = false) {
  std::vector<Point2> ring;
  for (int k = 0; k < m; ++k) {
    const double a = 2 * std::numbers::pi * (k + rng.uniform(0.1, 0.9)) / m * (clockwise ? -1 : 1);
    const double r = rng.uniform(r0, r1);
    ring.push_back({c.x + r * std::cos(a), c.y + r * std::sin(a)});
  }
  ring.push_back(ring.front());
  return ring;
}

// Random star polygons, some with a hole, some with a second part; random
// orientation. Polygons may overlap each other (valid each on its own).
inline PolygonColumn random_polygons(Rng& rng, std::size_t n, double extent, double radius) {
  PolygonColumn out;
  for (std::size_t i = 0; i < n; ++i) {
    out.begin_feature();
    const Point2 c{rng.uniform(0, extent), rng.uniform(0, extent)};
    const double r = rng.uniform(0.3, 1.0) * radius;
    std::vector<std::vector<Point2>> rings{star_ring(rng, c, 0.6 * r, r, rng.integer(3, 12), rng.chance(0.5))};
    if (rng.chance(0.3)) rings.push_back(star_ring(rng, c, 0.1 * r, 0.4 * r, rng.integer(3, 8), rng.chance(0.5)));
    out.add_polygon(rings);
    if (rng.chance(0.2)) {
      const Point2 c2{c.x + 2.5 * r, c.y};
      out.add_polygon({star_ring(rng, c2, 0.3 * r, 0.9 * r, rng.integer(3, 8))});
    }
  }
  return out;
}

inline std::vector<Point2> random_points(Rng& rng, std::size_t n, double lo, double hi) {
  std::vector<Point2> out(n);
  for (auto& p : out) p = {rng.uniform(lo, hi), rng.uniform(lo, hi)};
  return out;
}

}  // namespace citytwin::testing
