#include "viewer/model/map_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "viewer/model/tessellate.hpp"

namespace citytwin::viewer {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

Box2 empty_box() { return {kInf, kInf, -kInf, -kInf}; }
void grow(Box2& b, double x, double y) {
  b.min_x = std::min(b.min_x, x);
  b.min_y = std::min(b.min_y, y);
  b.max_x = std::max(b.max_x, x);
  b.max_y = std::max(b.max_y, y);
}
bool finite(double x, double y) { return std::isfinite(x) && std::isfinite(y); }

MapVertex vtx(Point2 origin, double x, double y, std::uint32_t id) {
  return {float(x - origin.x), float(y - origin.y), id};
}

// Lines of a LineColumn as GL_LINES segments in one chunk.
Batch line_batch(const LineColumn& lines, Point2 origin) {
  Batch b;
  b.features = lines.size();
  Chunk c;
  c.box = empty_box();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (std::size_t k = 0; k + 1 < lines.points(i); ++k) {
      const Point2 p = lines.point(i, k), q = lines.point(i, k + 1);
      if (!finite(p.x, p.y) || !finite(q.x, q.y)) continue;
      b.vertices.push_back(vtx(origin, p.x, p.y, std::uint32_t(i)));
      b.vertices.push_back(vtx(origin, q.x, q.y, std::uint32_t(i)));
      grow(c.box, p.x, p.y);
      grow(c.box, q.x, q.y);
    }
  }
  c.count = std::uint32_t(b.vertices.size());
  if (c.count) b.chunks.push_back(c);
  return b;
}

Batch point_batch(const std::vector<double>& xs, const std::vector<double>& ys, Point2 origin) {
  Batch b;
  b.features = xs.size();
  Chunk c;
  c.box = empty_box();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!finite(xs[i], ys[i])) continue;
    b.vertices.push_back(vtx(origin, xs[i], ys[i], std::uint32_t(i)));
    grow(c.box, xs[i], ys[i]);
  }
  c.count = std::uint32_t(b.vertices.size());
  if (c.count) b.chunks.push_back(c);
  return b;
}


// Douglas-Peucker: the points of polyline i kept at tolerance tol (metres).
void simplify(const LineColumn& lines, std::size_t i, double tol, std::vector<Point2>& out) {
  out.clear();
  const std::size_t n = lines.points(i);
  for (std::size_t k = 0; k < n; ++k) out.push_back(lines.point(i, k));
  if (tol <= 0 || n <= 2) return;
  std::vector<std::uint8_t> keep(n, 0);
  keep[0] = keep[n - 1] = 1;
  std::vector<std::pair<std::size_t, std::size_t>> stack{{0, n - 1}};
  while (!stack.empty()) {
    auto [a, b] = stack.back();
    stack.pop_back();
    const Point2 pa = out[a], pb = out[b];
    const double dx = pb.x - pa.x, dy = pb.y - pa.y, len2 = dx * dx + dy * dy;
    double worst = -1;
    std::size_t at = a;
    for (std::size_t k = a + 1; k < b; ++k) {
      double d;
      if (len2 == 0) {
        d = std::hypot(out[k].x - pa.x, out[k].y - pa.y);
      } else {
        const double t = std::clamp(((out[k].x - pa.x) * dx + (out[k].y - pa.y) * dy) / len2, 0.0, 1.0);
        d = std::hypot(out[k].x - (pa.x + t * dx), out[k].y - (pa.y + t * dy));
      }
      if (d > worst) {
        worst = d;
        at = k;
      }
    }
    if (worst > tol) {
      keep[at] = 1;
      stack.push_back({a, at});
      stack.push_back({at, b});
    }
  }
  std::size_t w = 0;
  for (std::size_t k = 0; k < n; ++k)
    if (keep[k]) out[w++] = out[k];
  out.resize(w);
}

// Road segments as GL_LINES, counting-sorted into (class, tile) chunks.
Batch road_batch(const Twin& twin, const Box2& extent, Point2 o, int tiles_per_side, double tol) {
  Batch batch;
  const auto& r = twin.roads;
  const auto& lines = r.geometry;
  const int T = std::max(1, tiles_per_side);
  const std::size_t classes = std::size_t(RoadClass::Count), keys = classes * std::size_t(T * T);
  const double w = std::max(extent.max_x - extent.min_x, 1e-9), h = std::max(extent.max_y - extent.min_y, 1e-9);
  auto key_of = [&](std::size_t link, Point2 p, Point2 q) {
    const double mx = (p.x + q.x) / 2, my = (p.y + q.y) / 2;
    const int tx = std::clamp(int((mx - extent.min_x) / w * T), 0, T - 1);
    const int ty = std::clamp(int((my - extent.min_y) / h * T), 0, T - 1);
    const std::size_t cls = std::min(std::size_t(r.road_class[link]), classes - 1);
    return cls * std::size_t(T * T) + std::size_t(ty * T + tx);
  };
  const std::size_t links = std::min(lines.size(), r.link_count());
  std::vector<Point2> pts;
  auto for_each_segment = [&](auto&& fn) {
    for (std::size_t i = 0; i < links; ++i) {
      simplify(lines, i, tol, pts);
      for (std::size_t k = 0; k + 1 < pts.size(); ++k)
        if (finite(pts[k].x, pts[k].y) && finite(pts[k + 1].x, pts[k + 1].y)) fn(i, pts[k], pts[k + 1]);
    }
  };
  std::vector<std::uint32_t> counts(keys + 1, 0);
  for_each_segment([&](std::size_t i, Point2 p, Point2 q) { ++counts[key_of(i, p, q) + 1]; });
  for (std::size_t k = 0; k < keys; ++k) counts[k + 1] += counts[k];
  batch.features = r.link_count();
  batch.vertices.resize(std::size_t(counts[keys]) * 2);
  std::vector<Box2> boxes(keys, empty_box());
  std::vector<std::uint32_t> cursor(counts.begin(), counts.end() - 1);
  for_each_segment([&](std::size_t i, Point2 p, Point2 q) {
    const std::size_t key = key_of(i, p, q);
    const std::size_t s = cursor[key]++;
    batch.vertices[2 * s] = vtx(o, p.x, p.y, std::uint32_t(i));
    batch.vertices[2 * s + 1] = vtx(o, q.x, q.y, std::uint32_t(i));
    grow(boxes[key], p.x, p.y);
    grow(boxes[key], q.x, q.y);
  });
  for (std::size_t k = 0; k < keys; ++k) {
    const std::uint32_t n = counts[k + 1] - counts[k];
    if (!n) continue;
    batch.chunks.push_back({2 * counts[k], 2 * n, boxes[k], std::uint8_t(k / std::size_t(T * T))});
  }
  return batch;
}

}  // namespace

MapGeometry build_map_geometry(const Twin& twin, int tiles_per_side) {
  MapGeometry g;
  g.extent = twin.extent();
  if (g.extent.empty()) g.extent = {0, 0, 1, 1};
  g.origin = {(g.extent.min_x + g.extent.max_x) / 2, (g.extent.min_y + g.extent.max_y) / 2};
  const Point2 o = g.origin;

  g.roads = road_batch(twin, g.extent, o, tiles_per_side, 0);
  for (double tol : kRoadSimplifyLevels) g.roads_simplified.push_back(road_batch(twin, g.extent, o, tiles_per_side, tol));

  g.branches = line_batch(twin.grid.branch_geometry, o);
  g.buses = point_batch(twin.grid.bus_x, twin.grid.bus_y, o);
  g.substations = point_batch(twin.grid.substation_x, twin.grid.substation_y, o);
  g.chargers = point_batch(twin.chargers.x, twin.chargers.y, o);

  // Districts: triangulated fills and ring outlines, one chunk per district
  // (culled like the road chunks when zoomed in).
  {
    const PolygonColumn& pc = twin.districts.shape;
    g.district_fill.features = g.district_outline.features = pc.size();
    for (std::size_t f = 0; f < pc.size(); ++f) {
      Chunk fill{std::uint32_t(g.district_fill.vertices.size()), 0, empty_box(), 0};
      Chunk outline{std::uint32_t(g.district_outline.vertices.size()), 0, empty_box(), 0};
      for (std::uint64_t poly = pc.polygon_offsets[f]; poly < pc.polygon_offsets[f + 1]; ++poly) {
        std::vector<std::vector<Point2>> rings;
        for (std::uint64_t ring = pc.ring_offsets[poly]; ring < pc.ring_offsets[poly + 1]; ++ring) {
          std::vector<Point2> pts;
          for (std::uint64_t c = pc.coord_offsets[ring]; c < pc.coord_offsets[ring + 1]; ++c)
            if (finite(pc.x[c], pc.y[c])) pts.push_back({pc.x[c], pc.y[c]});
          for (std::size_t k = 0; k + 1 < pts.size(); ++k) {
            g.district_outline.vertices.push_back(vtx(o, pts[k].x, pts[k].y, std::uint32_t(f)));
            g.district_outline.vertices.push_back(vtx(o, pts[k + 1].x, pts[k + 1].y, std::uint32_t(f)));
            grow(outline.box, pts[k].x, pts[k].y);
            grow(outline.box, pts[k + 1].x, pts[k + 1].y);
          }
          rings.push_back(std::move(pts));
        }
        const Triangulation t = triangulate(rings);
        if (t.fallback) ++g.fallback_polygons;
        for (std::uint32_t idx : t.indices) {
          const Point2 p = t.vertices[idx];
          g.district_fill.vertices.push_back(vtx(o, p.x, p.y, std::uint32_t(f)));
          grow(fill.box, p.x, p.y);
        }
      }
      fill.count = std::uint32_t(g.district_fill.vertices.size()) - fill.first;
      outline.count = std::uint32_t(g.district_outline.vertices.size()) - outline.first;
      if (fill.count) g.district_fill.chunks.push_back(fill);
      if (outline.count) g.district_outline.chunks.push_back(outline);
    }
  }
  return g;
}

Box2 view_extent(const Twin& twin) {
  const Box2 full = twin.extent();
  const auto& r = twin.roads;
  std::vector<double> xs, ys;
  xs.reserve(r.node_count());
  ys.reserve(r.node_count());
  for (std::size_t i = 0; i < r.node_count(); ++i)
    if (finite(r.node_x[i], r.node_y[i])) {
      xs.push_back(r.node_x[i]);
      ys.push_back(r.node_y[i]);
    }
  if (xs.size() < 20) return full;
  auto quantile = [](std::vector<double>& v, double q) {
    const std::size_t k = std::size_t(q * double(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
    return v[k];
  };
  Box2 b{quantile(xs, 0.005), quantile(ys, 0.005), quantile(xs, 0.995), quantile(ys, 0.995)};
  const PolygonColumn& d = twin.districts.shape;
  for (std::size_t i = 0; i < d.x.size(); ++i)
    if (finite(d.x[i], d.y[i])) grow(b, d.x[i], d.y[i]);
  return b.empty() ? full : b;
}

RoadClassMask road_lod(double mpp, std::size_t link_count, bool show_connectors) {
  RoadClassMask m;
  m.fill(true);
  const bool large = link_count >= 300000;
  auto set = [&m](RoadClass c, bool on) { m[std::size_t(c)] = on; };
  if (large) {
    set(RoadClass::Tertiary, mpp < 40);
    set(RoadClass::Unclassified, mpp < 12);
    set(RoadClass::Residential, mpp < 12);
    set(RoadClass::LivingStreet, mpp < 6);
    set(RoadClass::Service, mpp < 6);
  }
  set(RoadClass::Connector, show_connectors && (!large || mpp < 12));
  return m;
}

float road_width_px(RoadClass c, double mpp) {
  // Whole pixels (aliased GL lines round anyway). Zoomed out, only the top
  // classes get 2 px: wide lines are what a software rasteriser pays for.
  const int rank = c <= RoadClass::Trunk ? 0 : c == RoadClass::Primary ? 1 : c == RoadClass::Secondary ? 2
                   : c == RoadClass::Tertiary ? 3 : 4;
  static constexpr float kFar[5] = {2, 2, 1, 1, 1};     // mpp >= 20
  static constexpr float kCity[5] = {3, 3, 2, 2, 1};    // 4 <= mpp < 20
  static constexpr float kStreet[5] = {5, 4, 4, 3, 2};  // mpp < 4
  const float* table = mpp >= 20 ? kFar : (mpp >= 4 ? kCity : kStreet);
  return table[rank];
}

const Batch& MapGeometry::roads_for(double mpp) const {
  const Batch* best = &roads;
  for (std::size_t k = 0; k < roads_simplified.size() && k < kRoadSimplifyLevels.size(); ++k)
    if (kRoadSimplifyLevels[k] <= mpp) best = &roads_simplified[k];
  return *best;
}

std::size_t road_level(double mpp) {
  std::size_t level = 0;
  for (std::size_t k = 0; k < kRoadSimplifyLevels.size(); ++k)
    if (kRoadSimplifyLevels[k] <= mpp) level = k + 1;
  return level;
}

std::vector<std::uint32_t> visible_chunks(std::span<const Chunk> chunks, const Box2& view, const RoadClassMask* mask) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < chunks.size(); ++i) {
    const Chunk& c = chunks[i];
    if (mask && c.group < mask->size() && !(*mask)[c.group]) continue;
    if (c.box.max_x < view.min_x || c.box.min_x > view.max_x || c.box.max_y < view.min_y || c.box.min_y > view.max_y)
      continue;
    out.push_back(i);
  }
  return out;
}

}  // namespace citytwin::viewer
