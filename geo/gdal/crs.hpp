#pragma once
// Coordinate reference systems: every department layer is transformed into one
// metric CRS (a UTM zone chosen from the extent unless the manifest names one).
// Axis order is always x = easting/longitude, y = northing/latitude
// (OAMS_TRADITIONAL_GIS_ORDER), whatever the CRS definition says.
#include <memory>
#include <string>

#include "core/model/geometry_columns.hpp"
#include "geo/gdal/gdal_handles.hpp"

namespace citytwin::geo {

// Parses "EPSG:4326", a PROJ string or WKT; throws InvalidInput naming `what`.
std::unique_ptr<OGRSpatialReference> parse_crs(const std::string& definition, const std::string& what);

// The WGS 84 / UTM zone (EPSG:326zz north, 327zz south) containing lon/lat.
std::string utm_crs_for(double lon, double lat);

// Short name "EPSG:nnnn" when the CRS has an EPSG code, else its WKT.
std::string crs_name(const OGRSpatialReference& srs);
std::string crs_wkt(const OGRSpatialReference& srs);

// A transformation from `from` to `to` with traditional GIS axis order on both.
TransformPtr make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to);

// Transforms one point; returns false if PROJ could not.
bool transform_point(OGRCoordinateTransformation& t, Point2& p);

}  // namespace citytwin::geo
