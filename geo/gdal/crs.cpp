#include "geo/gdal/crs.hpp"

#include <algorithm>
#include <cmath>

namespace citytwin::geo {

std::unique_ptr<OGRSpatialReference> parse_crs(const std::string& definition, const std::string& what) {
  ensure_gdal_initialised();
  auto srs = std::make_unique<OGRSpatialReference>();
  if (srs->SetFromUserInput(definition.c_str()) != OGRERR_NONE)
    throw InvalidInput("unrecognised CRS '" + definition + "' (use e.g. EPSG:4326, a PROJ string or WKT)", {.field = what});
  srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

std::string utm_crs_for(double lon, double lat) {
  int zone = static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1;
  zone = std::clamp(zone, 1, 60);
  return "EPSG:" + std::to_string((lat >= 0 ? 32600 : 32700) + zone);
}

std::string crs_name(const OGRSpatialReference& srs) {
  const char* auth = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (auth && code) return std::string(auth) + ":" + code;
  return crs_wkt(srs);
}

std::string crs_wkt(const OGRSpatialReference& srs) {
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2019", nullptr};
  srs.exportToWkt(&wkt, options);
  std::string out = wkt ? wkt : "";
  CPLFree(wkt);
  return out;
}

TransformPtr make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to) {
  OGRSpatialReference a(from), b(to);
  a.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  b.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  TransformPtr t(OGRCreateCoordinateTransformation(&a, &b));
  if (!t) throw InvalidInput("no coordinate transformation from " + crs_name(from) + " to " + crs_name(to) + ": " + last_gdal_error());
  return t;
}

bool transform_point(OGRCoordinateTransformation& t, Point2& p) {
  double x = p.x, y = p.y;
  if (!t.Transform(1, &x, &y)) return false;
  if (!std::isfinite(x) || !std::isfinite(y)) return false;
  p = {x, y};
  return true;
}

}  // namespace citytwin::geo
