#include "core/observations/modelled_values.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace citytwin::observations {

std::vector<double> substation_p_mw(const PowerGrid& grid, const coupling::HourResult& hour) {
  std::vector<double> p(grid.substation_count(), 0.0);
  for (std::size_t b = 0; b < grid.bus_count() && b < hour.bus_load_mw.size(); ++b) {
    const std::int32_t k = grid.bus_substation[b];
    const bool energised = hour.bus_energised.empty() || hour.bus_energised[b];
    if (k >= 0 && static_cast<std::size_t>(k) < p.size() && energised) p[static_cast<std::size_t>(k)] += hour.bus_load_mw[b];
  }
  return p;
}

std::vector<double> branch_flow_mw(const PowerGrid& grid, const coupling::HourResult& hour) {
  std::vector<double> f(grid.branch_count(), 0.0);
  for (std::size_t l = 0; l < f.size() && l < hour.branch_loading_pct.size(); ++l)
    f[l] = std::abs(static_cast<double>(hour.branch_loading_pct[l])) / 100.0 * grid.branch_rating_mva[l];
  return f;
}

double polyline_bearing_at(const LineColumn& lines, std::size_t i, Point2 p, double* distance) {
  double best = std::numeric_limits<double>::infinity(), bearing = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = lines.points(i);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    const Point2 a = lines.point(i, k), b = lines.point(i, k + 1);
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    if (!(len2 > 0)) continue;
    const double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0);
    const double d = std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y);
    if (d < best) {  // the first segment wins ties (a vertex shared by two segments)
      best = d;
      bearing = std::atan2(dx, dy) * 180.0 / std::numbers::pi;
      if (bearing < 0) bearing += 360.0;
    }
  }
  if (distance) *distance = best;
  return bearing;
}

double bearing_difference(double a, double b) {
  double d = std::fmod(std::abs(a - b), 360.0);
  return d > 180.0 ? 360.0 - d : d;
}

}  // namespace citytwin::observations
