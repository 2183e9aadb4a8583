#include "geo/osm/osm_import.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "geo/io/crs.hpp"
#include "geo/io/zones.hpp"
#include "geo/osm/osm_stages.hpp"
#include "geo/osm/osm_tags.hpp"

namespace citytwin::geo::osm {

namespace {

// Projects points in place with a per-thread transformation.
class Projector {
 public:
  explicit Projector(const OGRSpatialReference& target) : target_(target) {
    wgs84_.SetWellKnownGeogCS("WGS84");
    wgs84_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  }
  void operator()(std::vector<Point2>& pts) {
    if (pts.empty()) return;
    auto& local = scratch_.local();
    if (!local.transform) local.transform = make_transform(wgs84_, target_);
    local.x.resize(pts.size());
    local.y.resize(pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i) {
      local.x[i] = pts[i].x;
      local.y[i] = pts[i].y;
    }
    std::vector<int> ok(pts.size(), 0);
    local.transform->Transform(static_cast<int>(pts.size()), local.x.data(), local.y.data(), nullptr, ok.data());
    for (std::size_t i = 0; i < pts.size(); ++i)
      pts[i] = ok[i] ? Point2{local.x[i], local.y[i]} : Point2{std::nan(""), std::nan("")};
  }

 private:
  struct Scratch {
    TransformPtr transform;
    std::vector<double> x, y;
  };
  OGRSpatialReference wgs84_;
  const OGRSpatialReference& target_;
  tbb::enumerable_thread_specific<Scratch> scratch_;
};

template <class T, class F>
void for_each_parallel(std::vector<T>& v, F&& f) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, v.size(), 64), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) f(v[i]);
  });
}

std::string default_name(const std::filesystem::path& p) {
  std::string n = p.filename().string();
  for (const char* ext : {".osm.pbf", ".pbf", ".osm"})
    if (n.size() > std::string(ext).size() && n.ends_with(ext)) return n.substr(0, n.size() - std::string(ext).size());
  return n;
}

}  // namespace

void project_extract(OsmExtract& x, const OGRSpatialReference& target) {
  Projector proj(target);
  for_each_parallel(x.roads, [&](RawRoad& r) { proj(r.line); });
  for_each_parallel(x.power_lines, [&](RawPowerLine& l) { proj(l.line); });
  auto polys = [&](std::vector<LonLatPolygon>& ps) {
    for (auto& p : ps)
      for (auto& ring : p) proj(ring);
  };
  for_each_parallel(x.substations, [&](RawSubstation& s) {
    if (s.is_point) {
      std::vector<Point2> one{s.point};
      proj(one);
      s.point = one[0];
    } else {
      polys(s.polygons);
    }
  });
  for_each_parallel(x.admin_areas, [&](RawArea& a) { polys(a.polygons); });
  for_each_parallel(x.buildings, [&](RawBuilding& b) { polys(b.polygons); });
  proj(x.signals);
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
