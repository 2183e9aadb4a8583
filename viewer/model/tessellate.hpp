#pragma once
// Polygon triangulation for the district fills: holes are bridged into the
// outer ring, then the ring is ear-clipped. Written for planning polygons
// (tens to thousands of vertices each), not for adversarial input: a ring the
// ear clipper cannot finish (self-intersections) is completed as a fan and
// counted, never dropped silently.
#include <cstdint>
#include <vector>

#include "core/model/geometry_columns.hpp"

namespace citytwin::viewer {

struct Triangulation {
  std::vector<Point2> vertices;
  std::vector<std::uint32_t> indices;  // 3 per triangle, counter-clockwise
  bool fallback = false;               // true if a fan finished a degenerate ring
};

// rings[0] is the outer ring, the rest are holes; rings may be closed (last
// point == first) or open; orientation does not matter.
Triangulation triangulate(const std::vector<std::vector<Point2>>& rings);

// Sum of the triangles' areas (tests compare it with the polygon's area).
double triangulated_area(const Triangulation& t);

}  // namespace citytwin::viewer
