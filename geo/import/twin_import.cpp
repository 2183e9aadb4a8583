#include "geo/import/twin_import.hpp"

#include <chrono>

#include "geo/gdal/crs.hpp"
#include "geo/import/import_layers.hpp"
#include "geo/gdal/vector_reader.hpp"
#include "geo/index/zones.hpp"

namespace citytwin::geo {

namespace {
std::unique_ptr<OGRSpatialReference> choose_target_crs(const Manifest& m) {
  if (m.crs != "auto") return parse_crs(m.crs, "city.crs");
  // The UTM zone of the road network's centre: metric, and exact enough for a city.
  LayerReader roads(*m.roads);
  const Point2 c = roads.centre_lonlat();
  return parse_crs(utm_crs_for(c.x, c.y), "city.crs");
}
}  // namespace

Twin import_twin(const Manifest& m, ImportSummary* summary) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  Twin twin;
  twin.name = m.name;
  const auto target = choose_target_crs(m);
  twin.crs = crs_name(*target);
  twin.crs_wkt = crs_wkt(*target);
  if (m.crs == "auto") twin.report.add("inferred", "city", 1, "metric CRS " + twin.crs + " chosen from the roads' extent");

  ImportContext ctx{m, *target, twin, FeatureGate(m.lenient, twin.report)};
  const RoadGraphStats road_stats = import_roads(ctx);
  const auto t_roads = clock::now();
  import_grid(ctx);
  import_districts(ctx);
  import_chargers(ctx);
  const auto t1 = clock::now();

  add_zones_and_joins(twin, m.connectors_per_zone, m.service_rule);
  const auto t2 = clock::now();
  if (summary) {
    summary->road_features = road_stats.input_features;
    summary->road_components = road_stats.components;
    summary->seconds_roads = std::chrono::duration<double>(t_roads - t0).count();
    summary->seconds_other_layers = std::chrono::duration<double>(t1 - t_roads).count();
    summary->seconds_joins = std::chrono::duration<double>(t2 - t1).count();
  }
  return twin;
}

}  // namespace citytwin::geo
