#include "core/model/geometry_columns.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace citytwin {

namespace {
Box2 empty_box() {
  constexpr double inf = std::numeric_limits<double>::infinity();
  return {inf, inf, -inf, -inf};
}
void extend(Box2& b, double x, double y) {
  b.min_x = std::min(b.min_x, x);
  b.min_y = std::min(b.min_y, y);
  b.max_x = std::max(b.max_x, x);
  b.max_y = std::max(b.max_y, y);
}
}  // namespace

void LineColumn::add(std::span<const Point2> line) {
  for (const Point2& p : line) {
    x.push_back(p.x);
    y.push_back(p.y);
  }
  offsets.push_back(x.size());
}

Box2 LineColumn::bounds(std::size_t i) const {
  Box2 b = empty_box();
  for (auto k = offsets[i]; k < offsets[i + 1]; ++k) extend(b, x[k], y[k]);
  return b;
}

double LineColumn::length(std::size_t i) const {
  double len = 0;
  for (auto k = offsets[i] + 1; k < offsets[i + 1]; ++k) len += std::hypot(x[k] - x[k - 1], y[k] - y[k - 1]);
  return len;
}

Point2 LineColumn::midpoint(std::size_t i) const {
  const auto first = offsets[i], last = offsets[i + 1];
  if (first == last) return {std::nan(""), std::nan("")};
  const double half = 0.5 * length(i);
  double walked = 0;
  for (auto k = first + 1; k < last; ++k) {
    const double seg = std::hypot(x[k] - x[k - 1], y[k] - y[k - 1]);
    if (seg > 0 && walked + seg >= half) {
      const double t = std::clamp((half - walked) / seg, 0.0, 1.0);
      return {x[k - 1] + t * (x[k] - x[k - 1]), y[k - 1] + t * (y[k] - y[k - 1])};
    }
    walked += seg;
  }
  return {x[first], y[first]};
}

void PolygonColumn::begin_feature() { polygon_offsets.push_back(polygon_offsets.back()); }

void PolygonColumn::add_polygon(const std::vector<std::vector<Point2>>& rings) {
  for (const auto& ring : rings) {
    for (const Point2& p : ring) {
      x.push_back(p.x);
      y.push_back(p.y);
    }
    if (!ring.empty() && (ring.front().x != ring.back().x || ring.front().y != ring.back().y)) {
      x.push_back(ring.front().x);
      y.push_back(ring.front().y);
    }
    coord_offsets.push_back(x.size());
  }
  ring_offsets.push_back(coord_offsets.size() - 1);
  polygon_offsets.back() = ring_offsets.size() - 1;
}

Box2 PolygonColumn::bounds(std::size_t i) const {
  Box2 b = empty_box();
  const auto first = coord_offsets[ring_offsets[polygon_offsets[i]]];
  const auto last = coord_offsets[ring_offsets[polygon_offsets[i + 1]]];
  for (auto k = first; k < last; ++k) extend(b, x[k], y[k]);
  return b;
}

double ring_signed_area(const double* x, const double* y, std::size_t n) {
  double twice = 0;
  for (std::size_t k = 0; k + 1 < n; ++k) twice += x[k] * y[k + 1] - x[k + 1] * y[k];
  return 0.5 * twice;
}

bool ring_contains(const double* x, const double* y, std::size_t n, Point2 p) {
  // Crossing number; rings are closed so segment (k, k+1) covers the ring.
  bool inside = false;
  for (std::size_t k = 0; k + 1 < n; ++k) {
    const double yi = y[k], yj = y[k + 1];
    if ((yi > p.y) != (yj > p.y)) {
      const double xcross = x[k] + (p.y - yi) * (x[k + 1] - x[k]) / (yj - yi);
      if (p.x < xcross) inside = !inside;
    }
  }
  return inside;
}

double PolygonColumn::area(std::size_t i) const {
  double total = 0;
  for (auto poly = polygon_offsets[i]; poly < polygon_offsets[i + 1]; ++poly) {
    for (auto ring = ring_offsets[poly]; ring < ring_offsets[poly + 1]; ++ring) {
      const auto a = coord_offsets[ring], n = coord_offsets[ring + 1] - a;
      const double ar = std::abs(ring_signed_area(&x[a], &y[a], n));
      total += ring == ring_offsets[poly] ? ar : -ar;
    }
  }
  return total;
}

Point2 PolygonColumn::centroid(std::size_t i) const {
  double cx = 0, cy = 0, area_sum = 0;
  for (auto poly = polygon_offsets[i]; poly < polygon_offsets[i + 1]; ++poly) {
    for (auto ring = ring_offsets[poly]; ring < ring_offsets[poly + 1]; ++ring) {
      const auto a = coord_offsets[ring], n = coord_offsets[ring + 1] - a;
      const double sign = (ring == ring_offsets[poly]) ? 1.0 : -1.0;
      const double ar = ring_signed_area(&x[a], &y[a], n);
      const double orient = ar < 0 ? -1.0 : 1.0;
      for (std::size_t k = 0; k + 1 < n; ++k) {
        const double cross = x[a + k] * y[a + k + 1] - x[a + k + 1] * y[a + k];
        cx += sign * orient * (x[a + k] + x[a + k + 1]) * cross;
        cy += sign * orient * (y[a + k] + y[a + k + 1]) * cross;
      }
      area_sum += sign * std::abs(ar);
    }
  }
  if (area_sum == 0) {
    const Box2 b = bounds(i);
    return {(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2};
  }
  return {cx / (6 * area_sum), cy / (6 * area_sum)};
}

bool PolygonColumn::contains(std::size_t i, Point2 p) const {
  for (auto poly = polygon_offsets[i]; poly < polygon_offsets[i + 1]; ++poly) {
    bool in = false;
    for (auto ring = ring_offsets[poly]; ring < ring_offsets[poly + 1]; ++ring) {
      const auto a = coord_offsets[ring], n = coord_offsets[ring + 1] - a;
      const bool inside_ring = ring_contains(&x[a], &y[a], n, p);
      if (ring == ring_offsets[poly]) {
        if (!inside_ring) break;
        in = true;
      } else if (inside_ring) {
        in = false;
        break;
      }
    }
    if (in) return true;
  }
  return false;
}

}  // namespace citytwin
