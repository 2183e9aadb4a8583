#include "viewer/model/selection.hpp"

#include <cmath>
#include <limits>

#include "core/model/twin.hpp"

namespace citytwin::viewer {

PickIndex PickIndex::build(const Twin& twin) {
  PickIndex p;
  p.index_ = TwinIndex::build(twin);
  p.branches_ = LineIndex::build(twin.grid.branch_geometry);
  return p;
}

namespace {
std::optional<Selection> first_hit(Layer l, const std::vector<IndexHit>& hits, double tol) {
  if (hits.empty() || !(hits.front().distance_m <= tol)) return std::nullopt;
  return Selection{l, hits.front().id, hits.front().distance_m};
}
}  // namespace

std::optional<Selection> pick(const Twin& twin, const PickIndex& index, Point2 p, double tolerance_m,
                              const LayerMask& visible) {
  const TwinIndex& ix = index.twin_index();
  for (Layer l : kPickOrder) {
    if (!visible[std::size_t(l)]) continue;
    std::optional<Selection> hit;
    switch (l) {
      case Layer::Chargers: hit = first_hit(l, ix.chargers.nearest(p, 1), tolerance_m); break;
      case Layer::Substations: hit = first_hit(l, ix.substations.nearest(p, 1), tolerance_m); break;
      case Layer::Buses: hit = first_hit(l, ix.buses.nearest(p, 1), tolerance_m); break;
      case Layer::Branches: hit = first_hit(l, index.branches().nearest(p, 1), tolerance_m); break;
      case Layer::Roads: hit = first_hit(l, ix.road_links.nearest(p, 1), tolerance_m); break;
      case Layer::Districts: {
        auto ids = ix.districts.containing(p);
        if (!ids.empty()) hit = Selection{l, ids.front(), 0.0};
        break;
      }
      default: break;
    }
    if (hit) return hit;
  }
  return std::nullopt;
}

std::optional<Selection> pick_brute_force(const Twin& twin, Point2 p, double tolerance_m, const LayerMask& visible) {
  auto best_points = [&](Layer l, const std::vector<double>& xs, const std::vector<double>& ys) -> std::optional<Selection> {
    std::optional<Selection> best;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double d = std::hypot(xs[i] - p.x, ys[i] - p.y);
      if (d <= tolerance_m && (!best || d < best->distance_m)) best = Selection{l, std::uint32_t(i), d};
    }
    return best;
  };
  auto best_lines = [&](Layer l, const LineColumn& lines) -> std::optional<Selection> {
    std::optional<Selection> best;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines.points(i) == 0) continue;
      const double d = point_polyline_distance(lines, i, p);
      if (d <= tolerance_m && (!best || d < best->distance_m)) best = Selection{l, std::uint32_t(i), d};
    }
    return best;
  };
  for (Layer l : kPickOrder) {
    if (!visible[std::size_t(l)]) continue;
    std::optional<Selection> hit;
    switch (l) {
      case Layer::Chargers: hit = best_points(l, twin.chargers.x, twin.chargers.y); break;
      case Layer::Substations: hit = best_points(l, twin.grid.substation_x, twin.grid.substation_y); break;
      case Layer::Buses: hit = best_points(l, twin.grid.bus_x, twin.grid.bus_y); break;
      case Layer::Branches: hit = best_lines(l, twin.grid.branch_geometry); break;
      case Layer::Roads: hit = best_lines(l, twin.roads.geometry); break;
      case Layer::Districts:
        for (std::size_t i = 0; i < twin.districts.shape.size(); ++i)
          if (twin.districts.shape.contains(i, p)) {
            hit = Selection{l, std::uint32_t(i), 0.0};
            break;
          }
        break;
      default: break;
    }
    if (hit) return hit;
  }
  return std::nullopt;
}

}  // namespace citytwin::viewer
