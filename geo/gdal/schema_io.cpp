#include "geo/gdal/schema_io.hpp"

namespace citytwin::geo {

using schema::ColumnKind;
using schema::GeometryKind;

OGRFieldType ogr_field_type(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::Real: return OFTReal;
    case ColumnKind::Int: return OFTInteger;
    case ColumnKind::Int64: return OFTInteger64;
    case ColumnKind::Text: return OFTString;
  }
  return OFTString;
}

OGRwkbGeometryType ogr_geometry_type(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::None: return wkbNone;
    case GeometryKind::Point: return wkbPoint;
    case GeometryKind::LineString: return wkbLineString;
    case GeometryKind::MultiPolygon: return wkbMultiPolygon;
  }
  return wkbNone;
}

const char* gpkg_geometry_name(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::None: return "GEOMETRY";
    case GeometryKind::Point: return "POINT";
    case GeometryKind::LineString: return "LINESTRING";
    case GeometryKind::MultiPolygon: return "MULTIPOLYGON";
  }
  return "GEOMETRY";
}

std::vector<FieldDef> field_defs(const schema::Layer& layer) {
  std::vector<FieldDef> fields = {{layer.id, OFTInteger64}};
  for (const auto& c : layer.columns) fields.push_back({c.name, ogr_field_type(c.kind)});
  return fields;
}

void set_cell(LayerWriter& w, int field, ColumnKind kind, const schema::Cell& value) {
  if (const auto* d = std::get_if<double>(&value)) w.set(field, *d);
  else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    if (kind == ColumnKind::Int) w.set(field, static_cast<int>(*i));
    else w.set(field, *i);
  } else if (const auto* s = std::get_if<std::string>(&value)) w.set(field, *s);
  else w.set_null(field);
}

std::size_t write_layer(DatasetWriter& ds, const schema::Layer& layer, const Twin& twin, const OGRSpatialReference* srs) {
  const bool geometry = layer.geometry != GeometryKind::None;
  auto& w = ds.add_layer(layer.name, ogr_geometry_type(layer.geometry), geometry ? srs : nullptr, geometry ? srs : nullptr,
                         field_defs(layer));
  const std::size_t n = layer.count(twin);
  std::vector<Point2> pts;
  for (std::size_t i = 0; i < n; ++i) {
    w.set(0, static_cast<std::int64_t>(i));
    for (std::size_t k = 0; k < layer.columns.size(); ++k) {
      const auto& c = layer.columns[k];
      set_cell(w, static_cast<int>(k + 1), c.kind, c.get(twin, i));
    }
    if (!geometry) {
      w.no_geometry();
    } else {
      const schema::ShapeRef s = layer.shape(twin, i);
      if (layer.geometry == GeometryKind::Point) {
        w.point(s.point);
      } else if (layer.geometry == GeometryKind::LineString) {
        pts.clear();
        for (std::size_t k = 0; k < s.lines->points(s.index); ++k) pts.push_back(s.lines->point(s.index, k));
        w.line(pts);
      } else {
        w.multipolygon(*s.polygons, s.index);
      }
    }
    w.write();
  }
  return n;
}

}  // namespace citytwin::geo
