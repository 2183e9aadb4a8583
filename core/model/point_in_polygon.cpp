#include "core/model/point_in_polygon.hpp"

#include <tbb/parallel_for.h>

namespace citytwin {

std::vector<double> polygon_bboxes(const PolygonColumn& polygons) {
  std::vector<double> out(4 * polygons.size());
  for (std::size_t f = 0; f < polygons.size(); ++f) {
    const Box2 b = polygons.bounds(f);
    out[4 * f] = b.min_x;
    out[4 * f + 1] = b.min_y;
    out[4 * f + 2] = b.max_x;
    out[4 * f + 3] = b.max_y;
  }
  return out;
}

PolygonView make_view(const PolygonColumn& p, const std::vector<double>& bboxes) {
  return {p.polygon_offsets.data(), p.ring_offsets.data(), p.coord_offsets.data(), p.x.data(), p.y.data(), bboxes.data(),
          static_cast<std::uint32_t>(p.size())};
}

std::vector<std::int32_t> locate_points(const PolygonColumn& polygons, std::span<const double> x, std::span<const double> y) {
  const auto bboxes = polygon_bboxes(polygons);
  const PolygonView view = make_view(polygons, bboxes);
  std::vector<std::int32_t> out(x.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, x.size(), 1024), [&](const auto& r) {
    for (std::size_t i = r.begin(); i < r.end(); ++i) out[i] = locate_point(view, x[i], y[i]);
  });
  return out;
}

}  // namespace citytwin
