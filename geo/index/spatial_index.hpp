#pragma once
// Spatial indexes over the twin's layers: Boost.Geometry R-trees (R*-tree
// parameters, bulk-loaded with the packing constructor) over point layers
// (road nodes, buses, substations, EV chargers), polylines (road links) and
// polygons (districts). Lines and polygons are indexed by their bounding
// boxes; every query then refines with the exact geometry, so
//   * nearest() ranks by exact Euclidean distance to the point / polyline /
//     polygon (0 inside a polygon), never by box distance;
//   * in_box() returns features whose geometry intersects the box (touching
//     counts);
//   * within() returns features at exact distance <= radius;
//   * containing() (polygons) returns the polygons that contain the point.
// Results are deterministic: ids ascending, or (distance, id) ascending for
// distance queries, so ties are broken by the lower id.
//
// Features with a non-finite coordinate or no coordinates are not indexed;
// skipped() counts them. Coordinates are the twin's metric CRS (metres).
//
// Line and polygon indexes refer to the column they were built from (no
// copy): the column must outlive the index and stay unchanged.
//
// This header is deliberately free of Boost (the R-trees live behind a
// pointer), so the viewer and CLI can include it cheaply.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "core/model/geometry_columns.hpp"

namespace citytwin {

struct Twin;

struct IndexHit {
  std::uint32_t id = 0;
  double distance_m = 0;
  bool operator==(const IndexHit&) const = default;
};

// Optional filter for nearest(): only ids for which it returns true count.
using IdFilter = std::function<bool(std::uint32_t)>;

class PointIndex {
 public:
  PointIndex();
  ~PointIndex();
  PointIndex(PointIndex&&) noexcept;
  PointIndex& operator=(PointIndex&&) noexcept;

  // Point i = (x[i], y[i]) for every i.
  static PointIndex build(std::span<const double> x, std::span<const double> y);
  // Only the listed ids (e.g. energised buses); ids keep their meaning.
  static PointIndex build_subset(std::span<const double> x, std::span<const double> y,
                                 std::span<const std::uint32_t> ids);

  std::size_t size() const;
  bool empty() const { return size() == 0; }
  std::size_t skipped() const { return skipped_; }

  // The k nearest points, by (distance, id).
  std::vector<IndexHit> nearest(Point2 p, std::size_t k, const IdFilter& accept = {}) const;
  // All points at distance <= radius_m, by (distance, id).
  std::vector<IndexHit> within(Point2 p, double radius_m) const;
  // All points inside or on the box, ids ascending.
  std::vector<std::uint32_t> in_box(const Box2& box) const;

 private:
  struct Tree;
  std::unique_ptr<Tree> tree_;
  std::size_t skipped_ = 0;
};

class LineIndex {
 public:
  LineIndex();
  ~LineIndex();
  LineIndex(LineIndex&&) noexcept;
  LineIndex& operator=(LineIndex&&) noexcept;

  static LineIndex build(const LineColumn& lines);

  std::size_t size() const;
  bool empty() const { return size() == 0; }
  std::size_t skipped() const { return skipped_; }

  // The k polylines nearest p (exact point-to-polyline distance), by (distance, id).
  std::vector<IndexHit> nearest(Point2 p, std::size_t k, const IdFilter& accept = {}) const;
  std::vector<IndexHit> within(Point2 p, double radius_m) const;
  // Polylines with at least one point of a segment in the box, ids ascending.
  std::vector<std::uint32_t> in_box(const Box2& box) const;

 private:
  struct Tree;
  std::unique_ptr<Tree> tree_;
  const LineColumn* lines_ = nullptr;
  std::size_t skipped_ = 0;
};

class PolygonIndex {
 public:
  PolygonIndex();
  ~PolygonIndex();
  PolygonIndex(PolygonIndex&&) noexcept;
  PolygonIndex& operator=(PolygonIndex&&) noexcept;

  static PolygonIndex build(const PolygonColumn& polygons);

  std::size_t size() const;
  bool empty() const { return size() == 0; }
  std::size_t skipped() const { return skipped_; }

  // Polygons containing p (PolygonColumn::contains), ids ascending.
  std::vector<std::uint32_t> containing(Point2 p) const;
  // Exact distance: 0 inside, else the distance to the nearest ring edge.
  std::vector<IndexHit> nearest(Point2 p, std::size_t k, const IdFilter& accept = {}) const;
  std::vector<IndexHit> within(Point2 p, double radius_m) const;
  // Polygons whose area or boundary intersects the box, ids ascending.
  std::vector<std::uint32_t> in_box(const Box2& box) const;

 private:
  struct Tree;
  std::unique_ptr<Tree> tree_;
  const PolygonColumn* polygons_ = nullptr;
  std::size_t skipped_ = 0;
};

// Every index the viewer, CLI and joins need, built from one twin (the
// layers are bulk-loaded concurrently with TBB). Substations are indexed by
// their point (substation_x, substation_y). The twin must outlive the index
// and stay at its address, unchanged.
struct TwinIndex {
  PointIndex road_nodes;
  LineIndex road_links;
  PointIndex buses;
  PointIndex substations;
  PolygonIndex districts;
  PointIndex chargers;

  static TwinIndex build(const Twin& twin);
};

// Exact geometry used by the refinement step (exposed for the joins and tests).
double point_segment_distance(Point2 p, Point2 a, Point2 b);
double point_polyline_distance(const LineColumn& lines, std::size_t i, Point2 p);
double point_polygon_distance(const PolygonColumn& polygons, std::size_t i, Point2 p);
bool segment_intersects_box(Point2 a, Point2 b, const Box2& box);
bool polyline_intersects_box(const LineColumn& lines, std::size_t i, const Box2& box);
bool polygon_intersects_box(const PolygonColumn& polygons, std::size_t i, const Box2& box);

}  // namespace citytwin
