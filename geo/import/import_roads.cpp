#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "geo/import/import_layers.hpp"

namespace citytwin::geo {

std::uint32_t ImportContext::add_source(const LayerSpec& spec) {
  twin.sources.push_back({spec.department, spec.source, spec.display_layer()});
  return static_cast<std::uint32_t>(twin.sources.size() - 1);
}

bool parse_oneway(const std::string& raw, OneWay& out) {
  std::string v = raw;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "yes" || v == "true" || v == "1" || v == "ft" || v == "forward") out = OneWay::Forward;
  else if (v == "-1" || v == "tf" || v == "reverse" || v == "backward") out = OneWay::Backward;
  else if (v == "no" || v == "false" || v == "0" || v.empty() || v == "b" || v == "both") out = OneWay::No;
  else return false;
  return true;
}

namespace {

double speed_to_kph(double v, const std::string& unit) {
  if (unit == "mph") return v * 1.609344;
  if (unit == "m/s") return v * 3.6;
  return v;
}

// Reads every road feature, applying the field mapping, units and the
// per-class defaults; bad features go through the gate.
std::vector<RoadFeature> read_road_features(ImportContext& ctx, LayerReader& r, std::uint32_t source) {
  const Manifest& m = ctx.manifest;
  std::vector<RoadFeature> out;
  out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, r.feature_count())));
  std::unordered_set<std::string> ids;
  std::vector<std::vector<Point2>> parts;
  const std::string speed_unit = r.spec().unit("speed", "km/h");
  const std::string capacity_unit = r.spec().unit("capacity", "veh/h");
  ctx.gate.each_feature(r, [&] {
    if (const auto id = r.text("id"); id && !ids.insert(*id).second) {
      ctx.gate.reject(r, "duplicate id '" + *id + "'", "id");
      return;
    }
    const GeometryStatus st = r.lines(parts);
    if (st != GeometryStatus::Ok) {
      ctx.gate.reject_geometry(r, st);
      return;
    }
    RoadFeature f;
    f.source = source;
    f.feature = r.fid();
    if (const auto cls = r.text("class")) {
      if (!parse_road_class(*cls, f.road_class)) {
        ctx.gate.reject(r, "unknown road class '" + *cls + "' (expected OSM highway names: motorway, trunk, primary, ... living_street)", "class");
        return;
      }
    } else {
      f.road_class = RoadClass::Residential;
      if (r.has("class")) ctx.gate.inferred(r, "class missing: residential assumed");
    }
    const RoadClassDefaults& d = m.road_defaults[static_cast<std::size_t>(f.road_class)];
    if (const auto ow = r.text("oneway")) {
      if (!parse_oneway(*ow, f.oneway)) {
        ctx.gate.reject(r, "one-way value '" + *ow + "' not understood (yes/no/-1, true/false, FT/TF/B)", "oneway");
        return;
      }
    } else if (f.road_class == RoadClass::Motorway) {
      f.oneway = OneWay::Forward;  // carriageways are drawn separately
    }
    // `lanes` counts both directions of a two-way road (the OSM convention).
    if (const auto lanes = r.number("lanes")) {
      if (*lanes <= 0) {
        ctx.gate.reject(r, "lanes must be positive, found " + std::to_string(*lanes), "lanes");
        return;
      }
      f.lanes_per_direction = static_cast<float>(f.oneway == OneWay::No ? std::max(1.0, *lanes / 2.0) : *lanes);
    } else {
      f.lanes_per_direction = d.lanes;
      if (r.has("lanes")) ctx.gate.inferred(r, "lanes missing: class default");
    }
    if (const auto speed = r.number("speed")) {
      if (*speed <= 0) {
        ctx.gate.reject(r, "speed must be positive, found " + std::to_string(*speed), "speed");
        return;
      }
      f.speed_kph = static_cast<float>(speed_to_kph(*speed, speed_unit));
    } else {
      f.speed_kph = d.speed_kph;
      if (r.has("speed")) ctx.gate.inferred(r, "speed missing: class default");
    }
    if (const auto cap = r.number("capacity")) {
      if (*cap <= 0) {
        ctx.gate.reject(r, "capacity must be positive, found " + std::to_string(*cap), "capacity");
        return;
      }
      f.capacity_vph = capacity_unit == "veh/h/lane" ? *cap * f.lanes_per_direction : *cap;
    } else {
      f.capacity_vph = d.capacity_per_lane * f.lanes_per_direction;
      if (r.has("capacity")) ctx.gate.inferred(r, "capacity missing: class default x lanes");
    }
    f.toll = r.number("toll").value_or(0.0);
    f.bpr_alpha = static_cast<float>(r.number("alpha").value_or(d.bpr_alpha));
    f.bpr_beta = static_cast<float>(r.number("beta").value_or(d.bpr_beta));
    for (auto& part : parts) {
      RoadFeature piece = f;
      piece.line = std::move(part);
      out.push_back(std::move(piece));
    }
  });
  return out;
}

std::vector<Point2> read_signals(ImportContext& ctx, LayerReader& r) {
  std::vector<Point2> pts;
  Point2 p;
  ctx.gate.each_feature(r, [&] {
    const GeometryStatus st = r.point(p);
    if (st != GeometryStatus::Ok) {
      ctx.gate.reject_geometry(r, st);
      return;
    }
    pts.push_back(p);
  });
  return pts;
}

}  // namespace

RoadGraphStats import_roads(ImportContext& ctx) {
  const Manifest& m = ctx.manifest;
  LayerReader roads(*m.roads);
  roads.set_target_crs(ctx.target_crs);
  const std::uint32_t source = ctx.add_source(*m.roads);
  const auto features = read_road_features(ctx, roads, source);
  if (features.empty())
    throw InvalidInput("no usable road features: the twin needs a road network", {.file = m.roads->source, .layer = m.roads->display_layer()});

  std::vector<Point2> signals;
  if (m.signals) {
    LayerReader sr(*m.signals);
    sr.set_target_crs(ctx.target_crs);
    ctx.add_source(*m.signals);
    signals = read_signals(ctx, sr);
  }
  RoadGraphOptions opt;
  opt.snap_tolerance_m = m.snap_tolerance_m;
  opt.signal_snap_m = m.signal_snap_m;
  opt.keep_largest_scc_only = m.keep_largest_component;
  auto built = build_road_graph(features, signals, opt);
  ctx.twin.roads = std::move(built.roads);
  const auto& s = built.stats;
  auto& report = ctx.twin.report;
  report.add("skipped", "roads", static_cast<std::int64_t>(s.degenerate_pieces), "zero-length piece after snapping");
  report.add("inferred", "roads", static_cast<std::int64_t>(s.snapped_vertices), "vertex snapped onto a nearby vertex");
  report.add("inferred", "roads", static_cast<std::int64_t>(s.merged_pieces), "degree-2 pieces merged into one link");
  if (s.components > 1) {
    const std::string what = std::to_string(s.components - 1) + " islands, " + std::to_string(s.island_nodes) + " nodes, " +
                             std::to_string(static_cast<long long>(s.island_length_m)) + " m of directed links";
    report.add(m.keep_largest_component ? "skipped" : "warning", "roads", static_cast<std::int64_t>(s.island_nodes),
               "road nodes outside the largest strongly connected component (" + what +
                   (m.keep_largest_component ? ", dropped)" : ", kept; keep_largest_component = true drops them)"));
  }
  report.add("skipped", "signals", static_cast<std::int64_t>(s.signals_unmatched),
             "signal further than signal_snap_m from any road junction");
  return s;
}

}  // namespace citytwin::geo
