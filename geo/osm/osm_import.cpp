#include "geo/osm/osm_import.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "core/coupling/substation_sizing.hpp"
#include "geo/gdal/crs.hpp"
#include "geo/index/zones.hpp"
#include "geo/osm/osm_stages.hpp"
#include "geo/osm/osm_tags.hpp"

namespace citytwin::geo::osm {

namespace {

// Visits every coordinate of the extract in a fixed order.
template <class F>
void each_point(OsmExtract& x, F&& f) {
  for (auto& r : x.roads)
    for (auto& p : r.line) f(p);
  for (auto& l : x.power_lines)
    for (auto& p : l.line) f(p);
  auto polys = [&](std::vector<LonLatPolygon>& ps) {
    for (auto& poly : ps)
      for (auto& ring : poly)
        for (auto& p : ring) f(p);
  };
  for (auto& s : x.substations) {
    if (s.is_point) f(s.point);
    else polys(s.polygons);
  }
  for (auto& a : x.admin_areas) polys(a.polygons);
  for (auto& b : x.buildings) polys(b.polygons);
  for (auto& p : x.signals) f(p);
}

std::string default_name(const std::filesystem::path& p) {
  std::string n = p.filename().string();
  for (const char* ext : {".osm.pbf", ".pbf", ".osm"})
    if (n.size() > std::string(ext).size() && n.ends_with(ext)) return n.substr(0, n.size() - std::string(ext).size());
  return n;
}

}  // namespace

void project_extract(OsmExtract& x, const OGRSpatialReference& target) {
  // Gather, transform in parallel chunks (one PROJ transformation per
  // thread, one call per chunk), scatter back.
  std::vector<double> xs, ys;
  each_point(x, [&](Point2& p) {
    xs.push_back(p.x);
    ys.push_back(p.y);
  });
  OGRSpatialReference wgs84;
  wgs84.SetWellKnownGeogCS("WGS84");
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  tbb::enumerable_thread_specific<TransformPtr> transforms;
  std::vector<int> ok(xs.size(), 0);
  constexpr std::size_t kChunk = 16384;
  const std::size_t chunks = (xs.size() + kChunk - 1) / kChunk;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    auto& t = transforms.local();
    if (!t) t = make_transform(wgs84, target);
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      const std::size_t first = c * kChunk, n = std::min(kChunk, xs.size() - first);
      t->Transform(static_cast<int>(n), xs.data() + first, ys.data() + first, nullptr, ok.data() + first);
    }
  });
  std::size_t i = 0;
  each_point(x, [&](Point2& p) {
    p = ok[i] ? Point2{xs[i], ys[i]} : Point2{std::nan(""), std::nan("")};
    ++i;
  });
}

OsmSources register_sources(Twin& twin, const std::string& path) {
  auto add = [&](const char* dept, const char* layer) {
    twin.sources.push_back({dept, path, layer});
    return static_cast<std::uint32_t>(twin.sources.size() - 1);
  };
  OsmSources s{};
  s.roads = add("transport", "lines: highway=*");
  s.signals = add("transport", "points: highway=traffic_signals");
  s.lines = add("energy", "lines: power=line|minor_line|cable");
  s.substation_areas = add("energy", "multipolygons: power=substation");
  s.substation_points = add("energy", "points: power=substation");
  s.districts = add("planning", "multipolygons: boundary=administrative");
  return s;
}

double ring_area_abs(const std::vector<Point2>& ring) {
  double a = 0;
  for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
    const Point2& p = ring[i];
    const Point2& q = ring[(i + 1) % n];
    a += p.x * q.y - q.x * p.y;
  }
  return std::abs(a) / 2;
}

Twin import_osm(const std::filesystem::path& path, const OsmImportOptions& options, OsmImportSummary* summary) {
  using clock = std::chrono::steady_clock;
  OsmImportSummary local;
  OsmImportSummary& sum = summary ? *summary : local;
  sum = OsmImportSummary{};
  sum.osmconf = osmconf_path().string();
  const auto t0 = clock::now();
  OsmExtract x = read_osm(path);
  sum.features_read = static_cast<std::size_t>(x.features_read);
  sum.seconds_gdal = std::chrono::duration<double>(clock::now() - t0).count();

  // The twin's CRS: the UTM zone of the drivable roads' centre.
  Box2 box{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(),
           -std::numeric_limits<double>::max()};
  for (const RawRoad& r : x.roads) {
    RoadClass c;
    if (!drivable_class(r.highway, options.include_service, c)) continue;
    for (const Point2& p : r.line) {
      box.min_x = std::min(box.min_x, p.x);
      box.min_y = std::min(box.min_y, p.y);
      box.max_x = std::max(box.max_x, p.x);
      box.max_y = std::max(box.max_y, p.y);
    }
  }
  if (box.empty())
    throw InvalidInput("the extract has no drivable roads (highway=motorway ... residential, *_link, living_street" +
                           std::string(options.include_service ? ", service" : "; --include-service adds service roads") +
                           "): the twin needs a road network",
                       {.file = x.path, .layer = "lines", .field = "highway"});
  Twin twin;
  twin.name = options.name.empty() ? default_name(path) : options.name;
  const auto target = parse_crs(utm_crs_for((box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2), "osm.crs");
  twin.crs = crs_name(*target);
  twin.crs_wkt = crs_wkt(*target);
  twin.report.add("inferred", "city", 1, "metric CRS " + twin.crs + " chosen from the drivable roads' extent");
  project_extract(x, *target);
  const OsmSources sources = register_sources(twin, x.path);
  const auto t1 = clock::now();

  build_osm_roads(x, options, sources, twin, sum);
  const auto t2 = clock::now();
  const std::vector<Point2> load_centres = build_osm_districts(x, options, sources, twin, sum);
  const auto t3 = clock::now();
  build_osm_grid(x, options, sources, load_centres, twin, sum);
  const auto t4 = clock::now();
  add_zones_and_joins(twin, options.connectors_per_zone, options.service_rule);
  // OSM has no ratings: size the table guesses to the load they serve (core/coupling/substation_sizing.hpp).
  const coupling::SizingSummary sized = coupling::size_substations_to_load(twin, demand::default_load_parameters());
  twin.report.add("inferred", "grid.substations", sized.raised,
                  "rating raised to 1.25 x the design peak of the base load it serves (table rating too small; +" +
                      std::to_string(static_cast<long long>(std::lround(sized.added_mva))) + " MVA in all)");
  const auto t5 = clock::now();

  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  sum.seconds_read = secs(t0, t1);
  sum.seconds_roads = secs(t1, t2);
  sum.seconds_districts = secs(t2, t3);
  sum.seconds_grid = secs(t3, t4);
  sum.seconds_joins = secs(t4, t5);
  return twin;
}

}  // namespace citytwin::geo::osm
