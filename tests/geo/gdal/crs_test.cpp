// CRS harmonisation: one landmark delivered in four CRSs ends up at the same
// UTM coordinates, and those agree with an independent Krueger-series UTM.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "tests/support/test_files.hpp"
#include "geo/gdal/crs.hpp"
#include "geo/gdal/vector_reader.hpp"
#include "geo/gdal/vector_writer.hpp"

using namespace citytwin;
using namespace citytwin::geo;

namespace {

// Brandenburg Gate, Berlin (WGS 84).
constexpr double kLon = 13.377704, kLat = 52.516275;

// Transverse Mercator by Krueger's series to n^3 (Karney 2011, eq. 35), zone 33N.
Point2 utm33_reference(double lon_deg, double lat_deg) {
  const double a = 6378137.0, f = 1 / 298.257223563, k0 = 0.9996;
  const double n = f / (2 - f);
  const double A = a / (1 + n) * (1 + n * n / 4 + n * n * n * n / 64);
  const double alpha[3] = {n / 2 - 2 * n * n / 3 + 5 * n * n * n / 16, 13 * n * n / 48 - 3 * n * n * n / 5, 61 * n * n * n / 240};
  const double phi = lat_deg * std::numbers::pi / 180, dl = (lon_deg - 15.0) * std::numbers::pi / 180;
  const double c = 2 * std::sqrt(n) / (1 + n);
  const double t = std::sinh(std::atanh(std::sin(phi)) - c * std::atanh(c * std::sin(phi)));
  const double xi = std::atan(t / std::cos(dl)), eta = std::atanh(std::sin(dl) / std::sqrt(1 + t * t));
  double E = eta, N = xi;
  for (int j = 1; j <= 3; ++j) {
    E += alpha[j - 1] * std::cos(2 * j * xi) * std::sinh(2 * j * eta);
    N += alpha[j - 1] * std::sin(2 * j * xi) * std::cosh(2 * j * eta);
  }
  return {500000 + k0 * A * E, k0 * A * N};
}

// Spherical ("web") Mercator, closed form.
Point2 web_mercator(double lon_deg, double lat_deg) {
  const double R = 6378137.0, d2r = std::numbers::pi / 180;
  return {R * lon_deg * d2r, R * std::log(std::tan(std::numbers::pi / 4 + lat_deg * d2r / 2))};
}

Point2 read_one_point(const std::filesystem::path& file, const OGRSpatialReference& target) {
  LayerSpec spec;
  spec.key = "signals";
  spec.source = file.string();
  LayerReader r(spec);
  r.set_target_crs(target);
  EXPECT_TRUE(r.next());
  Point2 p;
  EXPECT_EQ(r.point(p), GeometryStatus::Ok);
  return p;
}

}  // namespace

TEST(Crs, LandmarkLandsAtTheSameProjectedCoordinatesFromEveryDepartmentCrs) {
  citytwin::testing::TempDir dir("crs");
  const Point2 ref = utm33_reference(kLon, kLat);
  const auto utm = parse_crs("EPSG:32633", "t");
  struct Delivery {
    std::string crs;
    Point2 coords;
  };
  // EPSG:4326 and EPSG:4258 have latitude-first axes by definition; the file
  // stores x = longitude all the same (axis order handled, not swapped).
  const std::vector<Delivery> deliveries = {{"EPSG:4326", {kLon, kLat}}, {"EPSG:4258", {kLon, kLat}},
                                            {"EPSG:3857", web_mercator(kLon, kLat)}, {"EPSG:32633", ref}};
  for (const auto& d : deliveries) {
    const auto srs = parse_crs(d.crs, "t");
    const auto file = dir / ("landmark_" + d.crs.substr(5) + ".gpkg");
    {
      DatasetWriter w(file);
      auto& layer = w.add_layer("landmark", wkbPoint, srs.get(), srs.get(), {});
      layer.point(d.coords);
      layer.write();
      w.commit();
    }
    const Point2 p = read_one_point(file, *utm);
    EXPECT_NEAR(p.x, ref.x, 0.01) << d.crs;
    EXPECT_NEAR(p.y, ref.y, 0.01) << d.crs;
  }
}

TEST(Crs, UtmZoneFollowsLongitudeAndHemisphere) {
  EXPECT_EQ(utm_crs_for(13.4, 52.5), "EPSG:32633");
  EXPECT_EQ(utm_crs_for(14.5, 35.9), "EPSG:32633");  // Malta
  EXPECT_EQ(utm_crs_for(1.5, 42.5), "EPSG:32631");   // Andorra
  EXPECT_EQ(utm_crs_for(-58.4, -34.6), "EPSG:32721");
  EXPECT_EQ(utm_crs_for(-180.0, 10), "EPSG:32601");
  EXPECT_EQ(utm_crs_for(180.0, 10), "EPSG:32660");
}

TEST(Crs, UnknownDefinitionIsAnInvalidInput) {
  citytwin::testing::expect_error<InvalidInput>([] { parse_crs("EPSG:999999", "city.crs"); }, {"EPSG:999999", "city.crs"});
}
