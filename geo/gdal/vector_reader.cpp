#include "geo/gdal/vector_reader.hpp"

#include <cmath>
#include <functional>

#include "geo/gdal/crs.hpp"
#include "geo/gdal/postgis.hpp"

namespace citytwin::geo {

const char* geometry_status_text(GeometryStatus s) {
  switch (s) {
    case GeometryStatus::Ok: return "ok";
    case GeometryStatus::Empty: return "empty or missing geometry";
    case GeometryStatus::NonFinite: return "NaN or infinite coordinate";
    case GeometryStatus::WrongType: return "geometry of the wrong type for this layer";
    case GeometryStatus::Invalid: return "invalid geometry (self-intersecting or degenerate polygon)";
    case GeometryStatus::TransformFailed: return "coordinate could not be transformed to the twin's CRS";
  }
  return "unknown";
}

namespace {
// The source checked against its declared kind before GDAL sees it.
const std::string& checked_source(const LayerSpec& spec) {
  check_source(spec.source, spec.source_kind, spec.key);
  return spec.source;
}
}  // namespace

LayerReader::LayerReader(const LayerSpec& spec)
    : spec_(spec), network_guard_(spec.source_kind == SourceKind::Network), ds_(open_vector(checked_source(spec))) {
  if (!spec_.sql.empty()) {
    layer_ = ds_->ExecuteSQL(spec_.sql.c_str(), nullptr, nullptr);
    if (!layer_) throw InvalidInput("SQL statement failed: " + last_gdal_error(), {.file = spec_.source, .layer = spec_.display_layer()});
    owns_result_set_ = true;
  } else if (spec_.layer.empty()) {
    if (ds_->GetLayerCount() != 1)
      throw InvalidInput("the data source has " + std::to_string(ds_->GetLayerCount()) + " layers; name one with 'layer'",
                         {.file = spec_.source});
    layer_ = ds_->GetLayer(0);
    spec_.layer = layer_->GetName();
  } else {
    layer_ = &require_layer(*ds_, spec_.source, spec_.layer);
  }
  // A table the role may not read would otherwise read as empty.
  if (spec_.sql.empty() && is_postgis_source(spec_.source)) require_select_privilege(*ds_, spec_.source, spec_.layer);
  if (!spec_.where.empty() && layer_->SetAttributeFilter(spec_.where.c_str()) != OGRERR_NONE)
    throw InvalidInput("bad 'where' filter '" + spec_.where + "': " + last_gdal_error(), {.file = spec_.source, .layer = spec_.layer});

  // Resolve every mapped field now, so a typo fails before any work is done.
  OGRFeatureDefn* defn = layer_->GetLayerDefn();
  for (const auto& [attribute, field] : spec_.fields) {
    const int idx = defn->GetFieldIndex(field.c_str());
    if (idx < 0) {
      std::string names;
      for (int i = 0; i < defn->GetFieldCount(); ++i) names += (i ? ", " : "") + std::string(defn->GetFieldDefn(i)->GetNameRef());
      throw InvalidInput("mapped field for '" + attribute + "' does not exist; the layer has: " + names,
                         {.file = spec_.source, .layer = spec_.display_layer(), .field = field});
    }
    field_index_[attribute] = idx;
  }

  if (const OGRSpatialReference* srs = layer_->GetSpatialRef()) {
    source_crs_ = std::make_unique<OGRSpatialReference>(*srs);
    source_crs_->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  } else if (!spec_.crs.empty()) {
    source_crs_ = parse_crs(spec_.crs, spec_.key + ".crs");
  } else {
    throw InvalidInput("layer has no CRS; state the one it uses with crs = \"EPSG:....\" in [" + spec_.key + "]",
                       {.file = spec_.source, .layer = spec_.display_layer()});
  }
}

LayerReader::~LayerReader() {
  feature_.reset();
  if (owns_result_set_ && layer_) ds_->ReleaseResultSet(layer_);
}

void LayerReader::set_target_crs(const OGRSpatialReference& target) { to_target_ = make_transform(*source_crs_, target); }

Point2 LayerReader::centre_lonlat() {
  OGREnvelope env;
  if (layer_->GetExtent(&env, TRUE) != OGRERR_NONE)
    throw InvalidInput("cannot compute the layer's extent (is it empty?)", {.file = spec_.source, .layer = spec_.display_layer()});
  auto wgs84 = parse_crs("EPSG:4326", "wgs84");
  auto t = make_transform(*source_crs_, *wgs84);
  Point2 c{(env.MinX + env.MaxX) / 2, (env.MinY + env.MaxY) / 2};
  if (!transform_point(*t, c)) throw InvalidInput("layer extent cannot be expressed in longitude/latitude", {.file = spec_.source, .layer = spec_.display_layer()});
  return c;
}

std::int64_t LayerReader::feature_count() { return layer_->GetFeatureCount(TRUE); }

bool LayerReader::next() {
  CPLErrorReset();
  feature_.reset(layer_->GetNextFeature());
  // The end of a layer and a failed read both give no feature; a failure must
  // not pass for the end (a partial read).
  if (!feature_ && CPLGetLastErrorType() >= CE_Failure)
    throw IoError(std::string("reading failed: ") + CPLGetLastErrorMsg(), {.file = spec_.source, .layer = spec_.display_layer()});
  return feature_ != nullptr;
}

std::int64_t LayerReader::fid() const { return feature_ ? feature_->GetFID() : -1; }

SourceLocation LayerReader::where(const std::string& attribute) const {
  SourceLocation loc{.file = spec_.source, .layer = spec_.display_layer()};
  if (feature_) loc.feature = feature_->GetFID();
  if (!attribute.empty()) {
    const std::string* f = spec_.field(attribute);
    loc.field = f ? *f : attribute;
  }
  return loc;
}

int LayerReader::field_index(const std::string& attribute) const {
  auto it = field_index_.find(attribute);
  return it == field_index_.end() ? -1 : it->second;
}

std::optional<double> LayerReader::number(const std::string& attribute) const {
  const int idx = field_index(attribute);
  if (idx < 0 || !feature_->IsFieldSetAndNotNull(idx)) return std::nullopt;
  const OGRFieldType type = feature_->GetFieldDefnRef(idx)->GetType();
  if (type == OFTInteger || type == OFTInteger64 || type == OFTReal) {
    const double v = feature_->GetFieldAsDouble(idx);
    if (!std::isfinite(v)) throw InvalidInput("value is NaN or infinite", where(attribute));
    return v;
  }
  const std::string s = feature_->GetFieldAsString(idx);
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  while (end && *end == ' ') ++end;
  if (end == s.c_str() || (end && *end != '\0') || !std::isfinite(v))
    throw InvalidInput("expected a number, found '" + s + "'", where(attribute));
  return v;
}

std::optional<std::string> LayerReader::text(const std::string& attribute) const {
  const int idx = field_index(attribute);
  if (idx < 0 || !feature_->IsFieldSetAndNotNull(idx)) return std::nullopt;
  return std::string(feature_->GetFieldAsString(idx));
}

bool LayerReader::transform(Point2& p) const { return to_target_ ? transform_point(*to_target_, p) : std::isfinite(p.x) && std::isfinite(p.y); }

namespace {
// Reads a curve and reprojects all its vertices in one PROJ call (per-point
// calls cost more than the arithmetic on large layers).
GeometryStatus read_curve(const OGRLineString& ls, std::vector<Point2>& out, OGRCoordinateTransformation* tf) {
  const int n = ls.getNumPoints();
  out.clear();
  if (n < 2) return GeometryStatus::Empty;
  std::vector<double> xs(n), ys(n);
  for (int i = 0; i < n; ++i) {
    xs[i] = ls.getX(i);
    ys[i] = ls.getY(i);
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) return GeometryStatus::NonFinite;
  }
  if (tf) {
    std::vector<int> ok(n, 0);
    if (!tf->Transform(n, xs.data(), ys.data(), nullptr, ok.data())) return GeometryStatus::TransformFailed;
    for (int i = 0; i < n; ++i)
      if (!ok[i] || !std::isfinite(xs[i]) || !std::isfinite(ys[i])) return GeometryStatus::TransformFailed;
  }
  out.resize(n);
  for (int i = 0; i < n; ++i) out[i] = {xs[i], ys[i]};
  return GeometryStatus::Ok;
}
}  // namespace

GeometryStatus LayerReader::lines(std::vector<std::vector<Point2>>& parts) const {
  parts.clear();
  const OGRGeometry* g = feature_->GetGeometryRef();
  if (!g || g->IsEmpty()) return GeometryStatus::Empty;
  auto* tf = to_target_.get();
  const auto type = wkbFlatten(g->getGeometryType());
  if (type == wkbLineString) {
    parts.emplace_back();
    return read_curve(*g->toLineString(), parts.back(), tf);
  }
  if (type == wkbMultiLineString) {
    for (const OGRLineString* ls : *g->toMultiLineString()) {
      parts.emplace_back();
      const auto st = read_curve(*ls, parts.back(), tf);
      if (st != GeometryStatus::Ok) return st;
    }
    return parts.empty() ? GeometryStatus::Empty : GeometryStatus::Ok;
  }
  return GeometryStatus::WrongType;
}

GeometryStatus LayerReader::point(Point2& p) const {
  const OGRGeometry* g = feature_->GetGeometryRef();
  if (!g || g->IsEmpty()) return GeometryStatus::Empty;
  const auto type = wkbFlatten(g->getGeometryType());
  if (type == wkbPoint) {
    p = {g->toPoint()->getX(), g->toPoint()->getY()};
  } else if (type == wkbPolygon || type == wkbMultiPolygon) {
    OGRPoint c;
    if (g->Centroid(&c) != OGRERR_NONE) return GeometryStatus::Invalid;
    p = {c.getX(), c.getY()};
  } else {
    return GeometryStatus::WrongType;
  }
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return GeometryStatus::NonFinite;
  return transform(p) ? GeometryStatus::Ok : GeometryStatus::TransformFailed;
}

bool LayerReader::is_polygonal() const {
  const OGRGeometry* g = feature_->GetGeometryRef();
  if (!g) return false;
  const auto type = wkbFlatten(g->getGeometryType());
  return type == wkbPolygon || type == wkbMultiPolygon;
}

GeometryStatus LayerReader::polygons(std::vector<Polygon>& parts, bool check_validity) const {
  parts.clear();
  const OGRGeometry* g = feature_->GetGeometryRef();
  if (!g || g->IsEmpty()) return GeometryStatus::Empty;
  const auto type = wkbFlatten(g->getGeometryType());
  if (type != wkbPolygon && type != wkbMultiPolygon) return GeometryStatus::WrongType;
  if (check_validity && !g->IsValid()) return GeometryStatus::Invalid;
  auto* tf = to_target_.get();
  auto read_polygon = [&](const OGRPolygon& poly) {
    parts.emplace_back();
    for (const OGRLinearRing* ring : poly) {
      parts.back().emplace_back();
      const auto st = read_curve(*ring, parts.back().back(), tf);
      if (st != GeometryStatus::Ok) return st;
      if (parts.back().back().size() < 4) return GeometryStatus::Invalid;
    }
    return GeometryStatus::Ok;
  };
  if (type == wkbPolygon) return read_polygon(*g->toPolygon());
  for (const OGRPolygon* poly : *g->toMultiPolygon()) {
    const auto st = read_polygon(*poly);
    if (st != GeometryStatus::Ok) return st;
  }
  return parts.empty() ? GeometryStatus::Empty : GeometryStatus::Ok;
}

}  // namespace citytwin::geo
