// Roads: drivable `highway` ways -> RoadFeature (class, direction, lanes,
// speed, capacity from builtin_road_defaults()) -> build_road_graph(), which
// splits at shared OSM nodes (mid-way junctions too), merges degree-2 chains
// keeping their geometry, and keeps the largest strongly connected component.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <optional>

#include "core/model/road_graph_builder.hpp"
#include "geo/index/spatial_index.hpp"
#include "geo/import/manifest.hpp"
#include "geo/osm/osm_stages.hpp"
#include "geo/osm/osm_tags.hpp"

namespace citytwin::geo::osm {

namespace {

// OSM nodes shared by two ways have identical coordinates; only those merge.
constexpr double kSnapToleranceM = 0.05;
// A traffic_signals node lies on a way, often a few metres before the junction.
constexpr double kSignalSnapM = 30;
// Car ferries (route=ferry with motor_vehicle/motorcar=yes): modelled as
// unclassified links at the timetable speed (`duration`) or 20 km/h, one
// lane, 400 veh/h, no congestion term (the timetable does not change with flow).
constexpr float kFerrySpeedKph = 20;
constexpr double kFerryCapacity = 400;
// A ferry route often ends in the water off the ramp or on a terminal's
// service roads: its end is joined to the road network within this distance.
constexpr double kFerrySnapM = 2000;

double polyline_length(const std::vector<Point2>& l) {
  double s = 0;
  for (std::size_t i = 1; i < l.size(); ++i) s += std::hypot(l[i].x - l[i - 1].x, l[i].y - l[i - 1].y);
  return s;
}

bool closed_to_cars(const RawRoad& r) {
  auto no = [](const std::string& v) { return v == "no" || v == "private" || v == "agricultural" || v == "forestry"; };
  return no(r.motor_vehicle) || (no(r.access) && r.motor_vehicle.empty());
}

enum Outcome : std::uint8_t { kNotDrivable, kArea, kClosed, kBadGeometry, kUsed, kFerry };

struct Counters {
  std::atomic<std::int64_t> oneway_unknown{0}, lanes_default{0}, lanes_bad{0}, speed_default{0}, speed_bad{0};
};

}  // namespace

void build_osm_roads(const OsmExtract& x, const OsmImportOptions& o, const OsmSources& s, Twin& twin, OsmImportSummary& sum) {
  const auto& defaults = builtin_road_defaults();
  std::vector<std::optional<RoadFeature>> built(x.roads.size());
  std::vector<Outcome> outcome(x.roads.size(), kNotDrivable);
  Counters c;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, x.roads.size(), 512), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      const RawRoad& r = x.roads[i];
      RoadFeature f;
      if (r.highway.empty() && r.route == "ferry") {
        bool finite = r.line.size() >= 2;
        for (const Point2& p : r.line) finite = finite && std::isfinite(p.x) && std::isfinite(p.y);
        if (!finite || !ferry_carries_cars(r.motor_vehicle, r.motorcar)) continue;
        f.road_class = RoadClass::Unclassified;
        if (!osm_oneway(r.oneway, "", "", f.oneway)) ++c.oneway_unknown;
        const auto hours = parse_duration_h(r.duration);
        f.speed_kph = hours ? static_cast<float>(polyline_length(r.line) / 1000.0 / *hours) : kFerrySpeedKph;
        f.lanes_per_direction = 1;
        f.capacity_vph = kFerryCapacity;
        f.bpr_alpha = 0;
        f.source = s.roads;
        f.feature = r.id;
        f.line = r.line;
        built[i] = std::move(f);
        outcome[i] = kFerry;
        continue;
      }
      if (!drivable_class(r.highway, o.include_service, f.road_class)) continue;
      if (r.area == "yes") {
        outcome[i] = kArea;
        continue;
      }
      if (closed_to_cars(r)) {
        outcome[i] = kClosed;
        continue;
      }
      bool finite = r.line.size() >= 2;
      for (const Point2& p : r.line) finite = finite && std::isfinite(p.x) && std::isfinite(p.y);
      if (!finite) {
        outcome[i] = kBadGeometry;
        continue;
      }
      const RoadClassDefaults& d = defaults[static_cast<std::size_t>(f.road_class)];
      if (!osm_oneway(r.oneway, r.highway, r.junction, f.oneway)) ++c.oneway_unknown;
      if (const auto lanes = parse_lanes(r.lanes)) {
        // `lanes` counts both directions of a two-way road.
        f.lanes_per_direction = f.oneway == OneWay::No ? std::max(1.0f, std::floor(*lanes / 2.0f)) : *lanes;
      } else {
        f.lanes_per_direction = d.lanes;
        ++(r.lanes.empty() ? c.lanes_default : c.lanes_bad);
      }
      if (const auto speed = parse_maxspeed(r.maxspeed, f.road_class)) {
        f.speed_kph = *speed;
      } else {
        f.speed_kph = d.speed_kph;
        ++(r.maxspeed.empty() ? c.speed_default : c.speed_bad);
      }
      f.capacity_vph = d.capacity_per_lane * f.lanes_per_direction;
      f.bpr_alpha = d.bpr_alpha;
      f.bpr_beta = d.bpr_beta;
      f.source = s.roads;
      f.feature = r.id;
      f.line = r.line;
      built[i] = std::move(f);
      outcome[i] = kUsed;
    }
  });

  std::vector<RoadFeature> features;
  std::vector<std::uint8_t> is_ferry;  // per feature
  features.reserve(x.roads.size());
  std::int64_t areas = 0, closed = 0, bad = 0, ferries = 0;
  sum.highway_ways = x.roads.size();
  for (std::size_t i = 0; i < x.roads.size(); ++i) {
    switch (outcome[i]) {
      case kFerry: ++ferries; [[fallthrough]];
      case kUsed:
        features.push_back(std::move(*built[i]));
        is_ferry.push_back(outcome[i] == kFerry);
        break;
      case kArea: ++areas; break;
      case kClosed: ++closed; break;
      case kBadGeometry: ++bad; break;
      default: break;
    }
  }
  // Join ferry ends to the road network. Terminals are often reached only by
  // service roads or one-way loops, so the nearest vertex may sit in a small
  // island: a first graph build without the ferries finds the strongly
  // connected components, and each ferry end is extended to the nearest road
  // node of a large one (>= 1 % of the nodes, at least 50) within kFerrySnapM.
  std::int64_t ferry_joined = 0;
  if (ferries > 0) {
    std::vector<RoadFeature> land;
    for (std::size_t i = 0; i < features.size(); ++i)
      if (!is_ferry[i]) land.push_back(features[i]);
    RoadGraphOptions first;
    first.snap_tolerance_m = kSnapToleranceM;
    first.keep_largest_scc_only = false;
    const auto probe = build_road_graph(land, {}, first);
    std::vector<std::size_t> size;
    for (const auto comp : probe.node_component) {
      if (comp >= size.size()) size.resize(comp + 1, 0);
      ++size[comp];
    }
    const std::size_t big = std::max<std::size_t>(50, probe.roads.node_count() / 100);
    std::vector<std::uint32_t> ids;
    for (std::uint32_t n = 0; n < probe.roads.node_count(); ++n)
      if (size[probe.node_component[n]] >= big) ids.push_back(n);
    const PointIndex nodes = PointIndex::build_subset(probe.roads.node_x, probe.roads.node_y, ids);
    for (std::size_t i = 0; i < features.size(); ++i) {
      if (!is_ferry[i]) continue;
      RoadFeature& f = features[i];
      for (int e = 0; e < 2; ++e) {
        const Point2 p = e == 0 ? f.line.front() : f.line.back();
        const auto hit = nodes.nearest(p, 1);
        if (hit.empty() || hit.front().distance_m == 0 || hit.front().distance_m > kFerrySnapM) continue;
        const Point2 q{probe.roads.node_x[hit.front().id], probe.roads.node_y[hit.front().id]};
        if (e == 0) f.line.insert(f.line.begin(), q);
        else f.line.push_back(q);
        ++ferry_joined;
      }
    }
  }
  twin.report.add("inferred", "roads", ferry_joined, "ferry end joined to the nearest node of a large strongly connected part of the road network within 2 km");
  for (const RoadFeature& f : features) sum.drivable_directed_m += polyline_length(f.line) * (f.oneway == OneWay::No ? 2 : 1);
  sum.drivable_ways = features.size();
  sum.ferry_ways = static_cast<std::size_t>(ferries);
  ImportReport& rep = twin.report;
  rep.add("inferred", "roads", ferries, "car ferry (route=ferry, motor vehicles yes) as an unclassified link at its timetable speed or 20 km/h");
  rep.add("skipped", "roads", areas, "highway area (area=yes), not a carriageway");
  rep.add("skipped", "roads", closed, "closed to motor vehicles (access or motor_vehicle = no/private)");
  rep.add("skipped", "roads", bad, "way with fewer than two nodes inside the extract or a coordinate that could not be projected");
  rep.add("warning", "roads", c.oneway_unknown, "oneway value not a direction (reversible, alternating ...): kept two-way");
  rep.add("inferred", "roads", c.lanes_default, "lanes missing: class default");
  rep.add("inferred", "roads", c.lanes_bad, "lanes value not understood: class default");
  rep.add("inferred", "roads", c.speed_default, "maxspeed missing: class default");
  rep.add("inferred", "roads", c.speed_bad, "maxspeed value not understood: class default");
  rep.add("inferred", "roads", static_cast<std::int64_t>(features.size()) - ferries, "capacity from the class table x lanes");
  if (features.empty())
    throw InvalidInput("the extract has no drivable roads open to motor vehicles: the twin needs a road network",
                       {.file = x.path, .layer = "lines", .field = "highway"});

  RoadGraphOptions opt;
  opt.snap_tolerance_m = kSnapToleranceM;
  opt.signal_snap_m = kSignalSnapM;
  opt.keep_largest_scc_only = !o.keep_all_components;
  auto graph = build_road_graph(features, x.signals, opt);
  twin.roads = std::move(graph.roads);
  const RoadGraphStats& st = graph.stats;
  sum.road_pieces = st.input_features;
  sum.road_components = st.components;
  sum.signals_in_file = x.signals.size();
  sum.signals_matched = st.signals_matched;
  for (std::size_t l = 0; l < twin.roads.link_count(); ++l) sum.kept_directed_m += twin.roads.length_m[l];
  rep.add("skipped", "roads", static_cast<std::int64_t>(st.degenerate_pieces), "zero-length piece after snapping");
  rep.add("inferred", "roads", static_cast<std::int64_t>(st.merged_pieces), "degree-2 pieces merged into one link");
  if (st.components > 1) {
    const std::string what = std::to_string(st.components - 1) + " islands, " + std::to_string(st.island_nodes) + " nodes, " +
                             std::to_string(static_cast<long long>(st.island_length_m)) + " m of directed links";
    rep.add(o.keep_all_components ? "warning" : "skipped", "roads", static_cast<std::int64_t>(st.island_nodes),
            "road nodes outside the largest strongly connected component (" + what +
                (o.keep_all_components ? ", kept)" : ", dropped; --keep-all-components keeps them)"));
  }
  rep.add("skipped", "signals", static_cast<std::int64_t>(st.signals_unmatched),
          "traffic_signals node further than 30 m from any road junction of the kept graph");
}

}  // namespace citytwin::geo::osm
