#include "geo/import/manifest.hpp"

#include <set>
#include <toml++/toml.h>

#include "geo/import/toml_file.hpp"

#include "core/common/errors.hpp"

namespace citytwin::geo {

namespace {

using AttributeSet = std::set<std::string>;

// Which attributes each layer may map (the twin's vocabulary).
const std::map<std::string, AttributeSet>& layer_attributes() {
  static const std::map<std::string, AttributeSet> table = {
      {"roads", {"id", "class", "lanes", "speed", "capacity", "oneway", "toll", "alpha", "beta", "name"}},
      {"signals", {"id"}},
      {"grid.buses", {"id", "kv", "name"}},
      {"grid.lines", {"id", "kv", "kind", "r_ohm_per_km", "x_ohm_per_km", "c_nf_per_km", "rating_mva", "in_service", "circuits"}},
      {"grid.substations", {"id", "name", "kv", "capacity_mva"}},
      {"districts", {"id", "name", "population", "households", "jobs", "jobs_retail", "jobs_service", "jobs_other"}},
      {"chargers", {"id", "plugs", "kw_per_plug"}},
  };
  return table;
}

const std::map<std::string, AttributeSet>& allowed_units() {
  static const std::map<std::string, AttributeSet> table = {
      {"speed", {"km/h", "mph", "m/s"}},
      {"capacity", {"veh/h", "veh/h/lane"}},
      {"kv", {"kV", "V"}},
      {"capacity_mva", {"MVA", "kVA"}},
      {"rating_mva", {"MVA", "kVA"}},
  };
  return table;
}

class Parser : public TomlChecks {
 public:
  using TomlChecks::TomlChecks;
  void only_keys(const toml::table& t, const AttributeSet& allowed, const std::string& where) const {
    TomlChecks::only_keys(t, allowed, "[" + where + "]");
  }
  std::string string(const toml::table& t, const std::string& key, const std::string& fallback) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (!n->is_string()) fail(*n, "'" + key + "' must be a string");
    return n->value<std::string>().value();
  }
  double number(const toml::table& t, const std::string& key, double fallback) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    return TomlChecks::number(*n, key);
  }
  // A number within [lo, hi]: the models divide by and raise to these.
  double number(const toml::table& t, const std::string& key, double fallback, double lo, double hi) const {
    const double v = number(t, key, fallback);
    if (v < lo || v > hi)
      fail(*t.get(key), "'" + key + "' must be within " + std::to_string(lo) + " .. " + std::to_string(hi) + ", found " + std::to_string(v));
    return v;
  }
  bool boolean(const toml::table& t, const std::string& key, bool fallback) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (!n->is_boolean()) fail(*n, "'" + key + "' must be true or false");
    return n->value<bool>().value();
  }
  const toml::table* subtable(const toml::table& t, const std::string& key) const {
    const toml::node* n = t.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) fail(*n, "'" + key + "' must be a table");
    return n->as_table();
  }

  LayerSpec layer(const toml::table& t, const std::string& key, const std::string& department) const {
    static const AttributeSet keys = {"source", "source_kind", "layer", "where", "sql", "crs", "department", "fields", "units", "defaults"};
    only_keys(t, keys, key);
    if (key != "roads" && t.get("defaults")) fail(*t.get("defaults"), "'defaults' is only allowed in [roads]");
    LayerSpec spec;
    spec.key = key;
    spec.line = t.source().begin.line;
    spec.department = string(t, "department", department);
    spec.source = string(t, "source", "");
    if (spec.source.empty()) fail(t, "[" + key + "] needs 'source' (an OGR data source: file path or connection string)");
    if (const toml::node* k = t.get("source_kind"); k && !parse_source_kind(string(t, "source_kind", ""), spec.source_kind))
      fail(*k, "'source_kind' must be \"file\", \"archive\", \"database\" or \"network\"");
    // Relative file paths are relative to the manifest, not the working directory.
    if (spec.source.find(':') == std::string::npos || std::filesystem::path(spec.source).is_absolute()) {
      std::filesystem::path p(spec.source);
      if (p.is_relative()) spec.source = (path().parent_path() / p).lexically_normal().string();
    }
    try {
      check_source(spec.source, spec.source_kind, key);
    } catch (const InvalidInput& e) {
      fail(*t.get("source"), "'" + spec.source + "': " + e.message());
    }
    spec.layer = string(t, "layer", "");
    spec.where = string(t, "where", "");
    spec.sql = string(t, "sql", "");
    spec.crs = string(t, "crs", "");
    if (!spec.sql.empty() && (!spec.layer.empty() || !spec.where.empty()))
      fail(t, "[" + key + "] gives 'sql' together with 'layer'/'where'; use one or the other");
    const AttributeSet& attrs = layer_attributes().at(key);
    if (const toml::table* f = subtable(t, "fields")) {
      only_keys(*f, attrs, key + ".fields");
      for (const auto& [k, v] : *f) {
        if (!v.is_string()) fail(v, "field mapping '" + std::string(k.str()) + "' must name a source field (a string)");
        spec.fields[std::string(k.str())] = v.value<std::string>().value();
      }
    }
    if (const toml::table* u = subtable(t, "units")) {
      only_keys(*u, attrs, key + ".units");
      for (const auto& [k, v] : *u) {
        const std::string attr(k.str());
        auto it = allowed_units().find(attr);
        if (it == allowed_units().end()) fail(v, "attribute '" + attr + "' takes no unit");
        const std::string unit = v.value<std::string>().value_or("");
        if (!it->second.count(unit)) {
          std::string list;
          for (const auto& a : it->second) list += (list.empty() ? "" : ", ") + a;
          fail(v, "unit '" + unit + "' for '" + attr + "' not understood; use one of: " + list);
        }
        spec.units[attr] = unit;
      }
    }
    return spec;
  }

  void road_defaults(const toml::table& roads, Manifest& m) const {
    const toml::table* d = subtable(roads, "defaults");
    if (!d) return;
    for (const auto& [k, v] : *d) {
      RoadClass cls;
      if (!parse_road_class(std::string(k.str()), cls)) fail(v, "unknown road class '" + std::string(k.str()) + "'");
      if (!v.is_table()) fail(v, "defaults for a road class must be a table");
      const toml::table& t = *v.as_table();
      only_keys(t, {"lanes", "speed", "capacity_per_lane", "alpha", "beta"}, "roads.defaults." + std::string(k.str()));
      auto& rd = m.road_defaults[static_cast<std::size_t>(cls)];
      rd.lanes = static_cast<float>(number(t, "lanes", rd.lanes, 0, 20));
      rd.speed_kph = static_cast<float>(number(t, "speed", rd.speed_kph, 0, 300));
      rd.capacity_per_lane = number(t, "capacity_per_lane", rd.capacity_per_lane, 0, 10000);
      rd.bpr_alpha = static_cast<float>(number(t, "alpha", rd.bpr_alpha, 0, 100));
      rd.bpr_beta = static_cast<float>(number(t, "beta", rd.bpr_beta, 0, 16));
      if (rd.lanes <= 0 || rd.speed_kph <= 0 || rd.capacity_per_lane <= 0) fail(v, "lanes, speed and capacity_per_lane must be positive");
    }
  }
};

}  // namespace

// Lanes per direction, speed km/h, capacity veh/h/lane (HCM-order values for
// practical capacity), BPR alpha/beta: freeways steeper (NCHRP 716 style).
const std::array<RoadClassDefaults, static_cast<std::size_t>(RoadClass::Count)>& builtin_road_defaults() {
  static const std::array<RoadClassDefaults, static_cast<std::size_t>(RoadClass::Count)> table = {{
      {2, 100, 1900, 0.83f, 5.5f},  // motorway
      {2, 80, 1800, 0.5f, 5.0f},    // trunk
      {2, 60, 900, 0.15f, 4.0f},    // primary (signalised arterial: 1900 x g/C)
      {1, 50, 800, 0.15f, 4.0f},    // secondary
      {1, 50, 700, 0.15f, 4.0f},    // tertiary
      {1, 40, 600, 0.15f, 4.0f},    // unclassified
      {1, 30, 500, 0.15f, 4.0f},    // residential
      {1, 20, 300, 0.15f, 4.0f},    // service
      {1, 10, 200, 0.15f, 4.0f},    // living street
      {4, 30, 2000, 0.0f, 4.0f},    // connector: uncongested
  }};
  return table;
}

Manifest load_manifest(const std::filesystem::path& path) {
  const std::string file = path.string();
  const toml::table root = read_toml_file(path, "manifest");
  Parser p(path);
  Manifest m;
  m.path = path;
  p.only_keys(root, {"city", "roads", "signals", "grid", "districts", "chargers"}, "top level");

  if (const toml::table* city = p.subtable(root, "city")) {
    p.only_keys(*city, {"name", "crs", "snap_tolerance_m", "grid_snap_tolerance_m", "signal_snap_m", "keep_largest_component",
                        "lenient", "service_rule", "connectors_per_zone", "base_mva", "slack",
                        "assume_island_infeeds"},
                "city");
    m.name = p.string(*city, "name", m.name);
    m.crs = p.string(*city, "crs", m.crs);
    m.snap_tolerance_m = p.number(*city, "snap_tolerance_m", m.snap_tolerance_m);
    m.grid_snap_tolerance_m = p.number(*city, "grid_snap_tolerance_m", m.grid_snap_tolerance_m);
    m.signal_snap_m = p.number(*city, "signal_snap_m", m.signal_snap_m);
    m.keep_largest_component = p.boolean(*city, "keep_largest_component", m.keep_largest_component);
    m.lenient = p.boolean(*city, "lenient", m.lenient);
    m.base_mva = p.number(*city, "base_mva", m.base_mva, 1e-3, 1e6);
    m.slack = p.string(*city, "slack", m.slack);
    m.assume_island_infeeds = p.boolean(*city, "assume_island_infeeds", m.assume_island_infeeds);
    const double k = p.number(*city, "connectors_per_zone", static_cast<double>(m.connectors_per_zone));
    if (k < 1 || k > 16) p.fail(*city->get("connectors_per_zone"), "connectors_per_zone must be between 1 and 16");
    m.connectors_per_zone = static_cast<std::size_t>(k);
    const std::string rule = p.string(*city, "service_rule", "voronoi");
    if (rule == "nearest") m.service_rule = ServiceRule::Nearest;
    else if (rule == "voronoi") m.service_rule = ServiceRule::Voronoi;
    else if (rule == "capacity-aware") m.service_rule = ServiceRule::CapacityAware;
    else p.fail(*city->get("service_rule"), "service_rule must be nearest, voronoi or capacity-aware");
    if (m.snap_tolerance_m < 0 || m.grid_snap_tolerance_m < 0 || m.signal_snap_m < 0)
      p.fail(*city, "tolerances must not be negative");
  }
  if (const toml::table* t = p.subtable(root, "roads")) {
    m.roads = p.layer(*t, "roads", "transport");
    p.road_defaults(*t, m);
  }
  if (const toml::table* t = p.subtable(root, "signals")) m.signals = p.layer(*t, "signals", "transport");
  if (const toml::table* grid = p.subtable(root, "grid")) {
    p.only_keys(*grid, {"buses", "lines", "substations"}, "grid");
    if (const toml::table* t = p.subtable(*grid, "buses")) m.buses = p.layer(*t, "grid.buses", "energy");
    if (const toml::table* t = p.subtable(*grid, "lines")) m.lines = p.layer(*t, "grid.lines", "energy");
    if (const toml::table* t = p.subtable(*grid, "substations")) m.substations = p.layer(*t, "grid.substations", "energy");
  }
  if (const toml::table* t = p.subtable(root, "districts")) m.districts = p.layer(*t, "districts", "planning");
  if (const toml::table* t = p.subtable(root, "chargers")) m.chargers = p.layer(*t, "chargers", "energy");
  if (!m.roads) throw InvalidInput("the manifest needs a [roads] table: the road network is the twin's backbone", {.file = file});
  return m;
}

}  // namespace citytwin::geo
