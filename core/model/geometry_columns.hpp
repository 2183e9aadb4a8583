#pragma once
// Geometry stored as flat columns with offsets (the GeoArrow / cuSpatial
// layout), so a whole layer is a handful of contiguous arrays that copy to a
// GPU or a snapshot in one go, and no per-feature heap objects exist.
#include <cstdint>
#include <span>
#include <vector>

namespace citytwin {

struct Point2 {
  double x = 0, y = 0;
};

struct Box2 {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  bool empty() const { return max_x < min_x || max_y < min_y; }
};

// Polylines: feature i owns coordinates [offsets[i], offsets[i+1]).
struct LineColumn {
  std::vector<std::uint64_t> offsets{0};
  std::vector<double> x, y;

  std::size_t size() const { return offsets.size() - 1; }
  std::size_t points(std::size_t i) const { return offsets[i + 1] - offsets[i]; }
  void add(std::span<const Point2> line);
  Point2 point(std::size_t i, std::size_t k) const { return {x[offsets[i] + k], y[offsets[i] + k]}; }
  Box2 bounds(std::size_t i) const;
  double length(std::size_t i) const;
  // The point halfway along polyline i by length (its only point if it has
  // one, NaN if it has none): where a link "is" for point-in-area rules.
  Point2 midpoint(std::size_t i) const;
  bool operator==(const LineColumn&) const = default;
};

// Multipolygons: feature -> polygons [polygon_offsets], polygon -> rings
// [ring_offsets] (first ring outer, the rest holes), ring -> coordinates
// [coord_offsets]. Rings are closed (first point repeated at the end).
struct PolygonColumn {
  std::vector<std::uint64_t> polygon_offsets{0};
  std::vector<std::uint64_t> ring_offsets{0};
  std::vector<std::uint64_t> coord_offsets{0};
  std::vector<double> x, y;

  std::size_t size() const { return polygon_offsets.size() - 1; }
  // Starts a new feature; then add_polygon() once per part.
  void begin_feature();
  void add_polygon(const std::vector<std::vector<Point2>>& rings);
  Box2 bounds(std::size_t i) const;
  double area(std::size_t i) const;          // holes subtracted
  Point2 centroid(std::size_t i) const;      // area-weighted
  bool contains(std::size_t i, Point2 p) const;
  bool operator==(const PolygonColumn&) const = default;
};

double ring_signed_area(const double* x, const double* y, std::size_t n);
bool ring_contains(const double* x, const double* y, std::size_t n, Point2 p);

}  // namespace citytwin
