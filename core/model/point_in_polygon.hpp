#pragma once
// Point-in-polygon location for many points against a polygon layer (e.g.
// which district each EV charger, signal or sample point lies in). The
// per-point body is shared by the TBB path here and the CUDA kernel in gpu/.
#include <cstdint>
#include <span>
#include <vector>

#include "core/common/host_device.hpp"
#include "core/model/geometry_columns.hpp"

namespace citytwin {

inline constexpr std::int32_t kOutside = -1;

// Flat views of a PolygonColumn that device code can read.
struct PolygonView {
  const std::uint64_t* polygon_offsets;
  const std::uint64_t* ring_offsets;
  const std::uint64_t* coord_offsets;
  const double* x;
  const double* y;
  const double* bbox;  // 4 per feature: min_x, min_y, max_x, max_y
  std::uint32_t count;
};

// Crossing-number test of ring [a, b) of closed coordinates.
CITYTWIN_HD inline bool pip_ring(const double* x, const double* y, std::uint64_t a, std::uint64_t b, double px, double py) {
  bool inside = false;
  for (std::uint64_t k = a; k + 1 < b; ++k) {
    const double yi = y[k], yj = y[k + 1];
    if ((yi > py) != (yj > py)) {
      const double xc = x[k] + (py - yi) * (x[k + 1] - x[k]) / (yj - yi);
      if (px < xc) inside = !inside;
    }
  }
  return inside;
}

// Lowest feature id containing (px, py), or kOutside. Same rule as
// PolygonColumn::contains (outer ring in, holes out, any part).
CITYTWIN_HD inline std::int32_t locate_point(const PolygonView& v, double px, double py) {
  for (std::uint32_t f = 0; f < v.count; ++f) {
    const double* bb = v.bbox + 4 * f;
    if (px < bb[0] || px > bb[2] || py < bb[1] || py > bb[3]) continue;
    for (std::uint64_t poly = v.polygon_offsets[f]; poly < v.polygon_offsets[f + 1]; ++poly) {
      const std::uint64_t r0 = v.ring_offsets[poly], r1 = v.ring_offsets[poly + 1];
      if (!pip_ring(v.x, v.y, v.coord_offsets[r0], v.coord_offsets[r0 + 1], px, py)) continue;
      bool in_hole = false;
      for (std::uint64_t r = r0 + 1; r < r1 && !in_hole; ++r) in_hole = pip_ring(v.x, v.y, v.coord_offsets[r], v.coord_offsets[r + 1], px, py);
      if (!in_hole) return static_cast<std::int32_t>(f);
    }
  }
  return kOutside;
}

// Bounding boxes laid out for PolygonView::bbox.
std::vector<double> polygon_bboxes(const PolygonColumn& polygons);
PolygonView make_view(const PolygonColumn& polygons, const std::vector<double>& bboxes);

// The TBB path: polygon id per point (kOutside when in none).
std::vector<std::int32_t> locate_points(const PolygonColumn& polygons, std::span<const double> x, std::span<const double> y);

}  // namespace citytwin
