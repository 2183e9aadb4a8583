#include "geo/index/spatial_index.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include "core/model/twin.hpp"
#include "geo/index/boost_geometry_adapter.hpp"

namespace citytwin {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

// R*-tree parameters; the packing constructor ignores the split algorithm
// but uses the node capacity.
using Params = bgi::rstar<16>;
using PointValue = std::pair<Point2, std::uint32_t>;
using BoxValue = std::pair<Box2, std::uint32_t>;
using PointTree = bgi::rtree<PointValue, Params>;
using BoxTree = bgi::rtree<BoxValue, Params>;

constexpr std::size_t kGrain = 4096;

bool finite(double v) { return std::isfinite(v); }

bool box_contains(const Box2& b, Point2 p) {
  return p.x >= b.min_x && p.x <= b.max_x && p.y >= b.min_y && p.y <= b.max_y;
}

// The square around p that holds every point at distance <= r, padded so
// that rounding in the exact distance never loses a candidate.
Box2 search_box(Point2 p, double r) {
  const double pad = r * 1e-9 + 1e-9 * (std::abs(p.x) + std::abs(p.y) + 1.0);
  const double rr = r + pad;
  return {p.x - rr, p.y - rr, p.x + rr, p.y + rr};
}

bool by_distance_then_id(const IndexHit& a, const IndexHit& b) {
  return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.id < b.id;
}

template <class Value>
auto accept_pred(const IdFilter& accept) {
  return bgi::satisfies([&accept](const Value& v) { return accept(v.second); });
}

// Exact k nearest in two phases, correct whatever the indexable is (point or
// box) as long as box distance <= exact distance:
//  1. the k nearest by indexable distance; their largest exact distance R
//     bounds the answer (k features lie within R);
//  2. every feature whose indexable meets the square of half-side R is
//     refined exactly; the k best by (distance, id) are the answer, so ties
//     at the k-th place go to the lower id.
template <class Tree, class Exact>
std::vector<IndexHit> exact_nearest(const Tree& tree, Point2 p, std::size_t k, const IdFilter& accept,
                                    Exact exact) {
  using Value = typename Tree::value_type;
  std::vector<IndexHit> out;
  if (k == 0 || tree.empty() || !finite(p.x) || !finite(p.y)) return out;
  std::vector<Value> cand;
  if (accept)
    tree.query(bgi::nearest(p, static_cast<unsigned>(std::min<std::size_t>(k, tree.size()))) &&
                   accept_pred<Value>(accept),
               std::back_inserter(cand));
  else
    tree.query(bgi::nearest(p, static_cast<unsigned>(std::min<std::size_t>(k, tree.size()))),
               std::back_inserter(cand));
  if (cand.empty()) return out;
  double radius = 0;
  for (const Value& v : cand) radius = std::max(radius, exact(v));
  cand.clear();
  const Box2 q = search_box(p, radius);
  if (accept)
    tree.query(bgi::intersects(q) && accept_pred<Value>(accept), std::back_inserter(cand));
  else
    tree.query(bgi::intersects(q), std::back_inserter(cand));
  out.reserve(cand.size());
  for (const Value& v : cand) {
    const double d = exact(v);
    if (d <= radius) out.push_back({v.second, d});
  }
  std::sort(out.begin(), out.end(), by_distance_then_id);
  if (out.size() > k) out.resize(k);
  return out;
}

template <class Tree, class Exact>
std::vector<IndexHit> exact_within(const Tree& tree, Point2 p, double radius, Exact exact) {
  using Value = typename Tree::value_type;
  std::vector<IndexHit> out;
  if (tree.empty() || !(radius >= 0) || !finite(p.x) || !finite(p.y)) return out;
  std::vector<Value> cand;
  tree.query(bgi::intersects(search_box(p, radius)), std::back_inserter(cand));
  for (const Value& v : cand) {
    const double d = exact(v);
    if (d <= radius) out.push_back({v.second, d});
  }
  std::sort(out.begin(), out.end(), by_distance_then_id);
  return out;
}

template <class Tree, class Refine>
std::vector<std::uint32_t> refined_box_query(const Tree& tree, const Box2& box, Refine refine) {
  using Value = typename Tree::value_type;
  std::vector<std::uint32_t> out;
  if (tree.empty() || box.empty()) return out;
  std::vector<Value> cand;
  tree.query(bgi::intersects(box), std::back_inserter(cand));
  for (const Value& v : cand)
    if (refine(v.second)) out.push_back(v.second);
  std::sort(out.begin(), out.end());
  return out;
}

// Bulk load: values computed in parallel (invalid ones flagged), compacted
// in id order, then handed to the packing constructor.
template <class Tree, class MakeValue>
Tree bulk_load(std::size_t n, MakeValue make, std::size_t& skipped) {
  using Value = typename Tree::value_type;
  std::vector<Value> values(n);
  std::vector<std::uint8_t> ok(n, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) ok[i] = make(i, values[i]) ? 1 : 0;
  });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (ok[i]) values[kept++] = values[i];
  values.resize(kept);
  skipped = n - kept;
  return Tree(values.begin(), values.end());
}

}  // namespace

// ---------------------------------------------------------------- exact geometry

double point_segment_distance(Point2 p, Point2 a, Point2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

double point_polyline_distance(const LineColumn& lines, std::size_t i, Point2 p) {
  const auto first = lines.offsets[i], last = lines.offsets[i + 1];
  if (first == last) return std::numeric_limits<double>::infinity();
  if (last - first == 1) return std::hypot(p.x - lines.x[first], p.y - lines.y[first]);
  double best = std::numeric_limits<double>::infinity();
  for (auto k = first + 1; k < last; ++k)
    best = std::min(best, point_segment_distance(p, {lines.x[k - 1], lines.y[k - 1]}, {lines.x[k], lines.y[k]}));
  return best;
}

double point_polygon_distance(const PolygonColumn& polygons, std::size_t i, Point2 p) {
  if (polygons.contains(i, p)) return 0.0;
  double best = std::numeric_limits<double>::infinity();
  const auto first = polygons.ring_offsets[polygons.polygon_offsets[i]];
  const auto last = polygons.ring_offsets[polygons.polygon_offsets[i + 1]];
  for (auto ring = first; ring < last; ++ring) {
    const auto a = polygons.coord_offsets[ring], b = polygons.coord_offsets[ring + 1];
    for (auto k = a + 1; k < b; ++k)
      best = std::min(best, point_segment_distance(p, {polygons.x[k - 1], polygons.y[k - 1]},
                                                   {polygons.x[k], polygons.y[k]}));
  }
  return best;
}

bool segment_intersects_box(Point2 a, Point2 b, const Box2& box) {
  if (box_contains(box, a) || box_contains(box, b)) return true;
  // Liang-Barsky clipping of a + t (b - a), t in [0, 1], against the box.
  double t0 = 0, t1 = 1;
  const double dx = b.x - a.x, dy = b.y - a.y;
  auto clip = [&](double den, double num) {
    if (den == 0) return num >= 0;
    const double t = num / den;
    if (den < 0) {
      if (t > t1) return false;
      t0 = std::max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = std::min(t1, t);
    }
    return true;
  };
  return clip(-dx, a.x - box.min_x) && clip(dx, box.max_x - a.x) && clip(-dy, a.y - box.min_y) &&
         clip(dy, box.max_y - a.y) && t0 <= t1;
}

bool polyline_intersects_box(const LineColumn& lines, std::size_t i, const Box2& box) {
  const auto first = lines.offsets[i], last = lines.offsets[i + 1];
  if (first == last) return false;
  if (last - first == 1) return box_contains(box, {lines.x[first], lines.y[first]});
  for (auto k = first + 1; k < last; ++k)
    if (segment_intersects_box({lines.x[k - 1], lines.y[k - 1]}, {lines.x[k], lines.y[k]}, box)) return true;
  return false;
}

bool polygon_intersects_box(const PolygonColumn& polygons, std::size_t i, const Box2& box) {
  if (box.empty()) return false;
  // Either the boundary crosses or enters the box, or the box lies wholly on
  // one side of every ring, and then one of its corners decides.
  const auto first = polygons.ring_offsets[polygons.polygon_offsets[i]];
  const auto last = polygons.ring_offsets[polygons.polygon_offsets[i + 1]];
  for (auto ring = first; ring < last; ++ring) {
    const auto a = polygons.coord_offsets[ring], b = polygons.coord_offsets[ring + 1];
    for (auto k = a + 1; k < b; ++k)
      if (segment_intersects_box({polygons.x[k - 1], polygons.y[k - 1]}, {polygons.x[k], polygons.y[k]}, box))
        return true;
  }
  return polygons.contains(i, {box.min_x, box.min_y});
}

// ---------------------------------------------------------------- PointIndex

struct PointIndex::Tree {
  PointTree rtree;
};

PointIndex::PointIndex() : tree_(std::make_unique<Tree>()) {}
PointIndex::~PointIndex() = default;
PointIndex::PointIndex(PointIndex&&) noexcept = default;
PointIndex& PointIndex::operator=(PointIndex&&) noexcept = default;

PointIndex PointIndex::build(std::span<const double> x, std::span<const double> y) {
  PointIndex index;
  const std::size_t n = std::min(x.size(), y.size());
  index.tree_->rtree = bulk_load<PointTree>(
      n,
      [&](std::size_t i, PointValue& v) {
        v = {Point2{x[i], y[i]}, static_cast<std::uint32_t>(i)};
        return finite(x[i]) && finite(y[i]);
      },
      index.skipped_);
  index.skipped_ += std::max(x.size(), y.size()) - n;
  return index;
}

PointIndex PointIndex::build_subset(std::span<const double> x, std::span<const double> y,
                                    std::span<const std::uint32_t> ids) {
  PointIndex index;
  const std::size_t n = std::min(x.size(), y.size());
  index.tree_->rtree = bulk_load<PointTree>(
      ids.size(),
      [&](std::size_t j, PointValue& v) {
        const std::uint32_t i = ids[j];
        if (i >= n) return false;
        v = {Point2{x[i], y[i]}, i};
        return finite(x[i]) && finite(y[i]);
      },
      index.skipped_);
  return index;
}

std::size_t PointIndex::size() const { return tree_ ? tree_->rtree.size() : 0; }

std::vector<IndexHit> PointIndex::nearest(Point2 p, std::size_t k, const IdFilter& accept) const {
  if (!tree_) return {};  // moved-from
  return exact_nearest(tree_->rtree, p, k, accept,
                       [&](const PointValue& v) { return std::hypot(v.first.x - p.x, v.first.y - p.y); });
}

std::vector<IndexHit> PointIndex::within(Point2 p, double radius_m) const {
  if (!tree_) return {};  // moved-from
  return exact_within(tree_->rtree, p, radius_m,
                      [&](const PointValue& v) { return std::hypot(v.first.x - p.x, v.first.y - p.y); });
}

std::vector<std::uint32_t> PointIndex::in_box(const Box2& box) const {
  if (!tree_) return {};  // moved-from
  std::vector<std::uint32_t> out;
  if (tree_->rtree.empty() || box.empty()) return out;
  std::vector<PointValue> cand;
  tree_->rtree.query(bgi::covered_by(box), std::back_inserter(cand));
  out.reserve(cand.size());
  for (const PointValue& v : cand) out.push_back(v.second);
  std::sort(out.begin(), out.end());
  return out;
}

// ---------------------------------------------------------------- LineIndex

struct LineIndex::Tree {
  BoxTree rtree;
};

LineIndex::LineIndex() : tree_(std::make_unique<Tree>()) {}
LineIndex::~LineIndex() = default;
LineIndex::LineIndex(LineIndex&&) noexcept = default;
LineIndex& LineIndex::operator=(LineIndex&&) noexcept = default;

LineIndex LineIndex::build(const LineColumn& lines) {
  LineIndex index;
  index.lines_ = &lines;
  index.tree_->rtree = bulk_load<BoxTree>(
      lines.size(),
      [&](std::size_t i, BoxValue& v) {
        const auto first = lines.offsets[i], last = lines.offsets[i + 1];
        if (first == last) return false;
        for (auto k = first; k < last; ++k)
          if (!finite(lines.x[k]) || !finite(lines.y[k])) return false;
        v = {lines.bounds(i), static_cast<std::uint32_t>(i)};
        return true;
      },
      index.skipped_);
  return index;
}

std::size_t LineIndex::size() const { return tree_ ? tree_->rtree.size() : 0; }

std::vector<IndexHit> LineIndex::nearest(Point2 p, std::size_t k, const IdFilter& accept) const {
  if (!tree_) return {};  // moved-from
  return exact_nearest(tree_->rtree, p, k, accept,
                       [&](const BoxValue& v) { return point_polyline_distance(*lines_, v.second, p); });
}

std::vector<IndexHit> LineIndex::within(Point2 p, double radius_m) const {
  if (!tree_) return {};  // moved-from
  return exact_within(tree_->rtree, p, radius_m,
                      [&](const BoxValue& v) { return point_polyline_distance(*lines_, v.second, p); });
}

std::vector<std::uint32_t> LineIndex::in_box(const Box2& box) const {
  if (!tree_) return {};  // moved-from
  return refined_box_query(tree_->rtree, box,
                           [&](std::uint32_t i) { return polyline_intersects_box(*lines_, i, box); });
}

// ---------------------------------------------------------------- PolygonIndex

struct PolygonIndex::Tree {
  BoxTree rtree;
};

PolygonIndex::PolygonIndex() : tree_(std::make_unique<Tree>()) {}
PolygonIndex::~PolygonIndex() = default;
PolygonIndex::PolygonIndex(PolygonIndex&&) noexcept = default;
PolygonIndex& PolygonIndex::operator=(PolygonIndex&&) noexcept = default;

PolygonIndex PolygonIndex::build(const PolygonColumn& polygons) {
  PolygonIndex index;
  index.polygons_ = &polygons;
  index.tree_->rtree = bulk_load<BoxTree>(
      polygons.size(),
      [&](std::size_t i, BoxValue& v) {
        const auto first = polygons.coord_offsets[polygons.ring_offsets[polygons.polygon_offsets[i]]];
        const auto last = polygons.coord_offsets[polygons.ring_offsets[polygons.polygon_offsets[i + 1]]];
        if (first == last) return false;
        for (auto k = first; k < last; ++k)
          if (!finite(polygons.x[k]) || !finite(polygons.y[k])) return false;
        v = {polygons.bounds(i), static_cast<std::uint32_t>(i)};
        return true;
      },
      index.skipped_);
  return index;
}

std::size_t PolygonIndex::size() const { return tree_ ? tree_->rtree.size() : 0; }

std::vector<std::uint32_t> PolygonIndex::containing(Point2 p) const {
  if (!tree_) return {};  // moved-from
  if (!finite(p.x) || !finite(p.y)) return {};
  return refined_box_query(tree_->rtree, Box2{p.x, p.y, p.x, p.y},
                           [&](std::uint32_t i) { return polygons_->contains(i, p); });
}

std::vector<IndexHit> PolygonIndex::nearest(Point2 p, std::size_t k, const IdFilter& accept) const {
  if (!tree_) return {};  // moved-from
  return exact_nearest(tree_->rtree, p, k, accept,
                       [&](const BoxValue& v) { return point_polygon_distance(*polygons_, v.second, p); });
}

std::vector<IndexHit> PolygonIndex::within(Point2 p, double radius_m) const {
  if (!tree_) return {};  // moved-from
  return exact_within(tree_->rtree, p, radius_m,
                      [&](const BoxValue& v) { return point_polygon_distance(*polygons_, v.second, p); });
}

std::vector<std::uint32_t> PolygonIndex::in_box(const Box2& box) const {
  if (!tree_) return {};  // moved-from
  return refined_box_query(tree_->rtree, box,
                           [&](std::uint32_t i) { return polygon_intersects_box(*polygons_, i, box); });
}

// ---------------------------------------------------------------- TwinIndex

TwinIndex TwinIndex::build(const Twin& twin) {
  TwinIndex index;
  tbb::parallel_invoke(
      [&] { index.road_nodes = PointIndex::build(twin.roads.node_x, twin.roads.node_y); },
      [&] { index.road_links = LineIndex::build(twin.roads.geometry); },
      [&] { index.buses = PointIndex::build(twin.grid.bus_x, twin.grid.bus_y); },
      [&] { index.substations = PointIndex::build(twin.grid.substation_x, twin.grid.substation_y); },
      [&] { index.districts = PolygonIndex::build(twin.districts.shape); },
      [&] { index.chargers = PointIndex::build(twin.chargers.x, twin.chargers.y); });
  return index;
}

}  // namespace citytwin
