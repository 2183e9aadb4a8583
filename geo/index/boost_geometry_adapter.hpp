#pragma once
// The one place where citytwin's geometry meets Boost.Geometry (the Valhalla
// pattern): our Point2 and Box2 are registered as Boost.Geometry point and box
// types, so R-trees store them directly, and the column layouts (LineColumn,
// PolygonColumn) can be copied into Boost.Geometry models where an algorithm
// needs a whole feature (tests use these as independent oracles).
//
// Include this header only from .cpp files (and tests): it pulls in the whole
// of Boost.Geometry. Public headers of geo/index stay free of Boost.
#include <cstddef>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/register/box.hpp>
#include <boost/geometry/geometries/register/point.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/index/rtree.hpp>

#include "core/model/geometry_columns.hpp"

BOOST_GEOMETRY_REGISTER_POINT_2D(citytwin::Point2, double, boost::geometry::cs::cartesian, x, y)
BOOST_GEOMETRY_REGISTER_BOX_2D_4VALUES(citytwin::Box2, citytwin::Point2, min_x, min_y, max_x, max_y)

namespace citytwin::bgx {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

// Boost.Geometry models over our point type. Polygons are stored as we store
// them: rings closed; orientation is whatever the department drew, so the
// models are declared with counter-clockwise outer rings and callers that run
// area- or orientation-sensitive algorithms must bg::correct() first.
using Linestring = bg::model::linestring<Point2>;
using Polygon = bg::model::polygon<Point2, /*ClockWise=*/false, /*Closed=*/true>;
using MultiPolygon = bg::model::multi_polygon<Polygon>;

// Feature i of a LineColumn as a Boost.Geometry linestring (a copy).
inline Linestring to_linestring(const LineColumn& lines, std::size_t i) {
  Linestring out;
  out.reserve(lines.points(i));
  for (std::size_t k = 0; k < lines.points(i); ++k) out.push_back(lines.point(i, k));
  return out;
}

// Feature i of a PolygonColumn as a Boost.Geometry multipolygon (a copy,
// orientation corrected so that Boost's area/within are meaningful).
inline MultiPolygon to_multipolygon(const PolygonColumn& polys, std::size_t i) {
  MultiPolygon out;
  for (auto poly = polys.polygon_offsets[i]; poly < polys.polygon_offsets[i + 1]; ++poly) {
    Polygon p;
    for (auto ring = polys.ring_offsets[poly]; ring < polys.ring_offsets[poly + 1]; ++ring) {
      const bool outer = ring == polys.ring_offsets[poly];
      if (!outer) p.inners().emplace_back();
      auto& r = outer ? p.outer() : p.inners().back();
      for (auto k = polys.coord_offsets[ring]; k < polys.coord_offsets[ring + 1]; ++k)
        r.push_back(Point2{polys.x[k], polys.y[k]});
    }
    out.push_back(std::move(p));
  }
  bg::correct(out);
  return out;
}

}  // namespace citytwin::bgx
