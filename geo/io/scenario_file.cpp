#include "geo/io/scenario_file.hpp"

#include <cmath>
#include <map>
#include <set>
#include <toml++/toml.h>

#include "core/common/errors.hpp"
#include "geo/index/spatial_index.hpp"
#include "geo/io/gdal_handles.hpp"
#include "geo/io/toml_file.hpp"

namespace citytwin::geo {

namespace {

constexpr double kMaxGrowth = 100;  // a district 100 times its size is a typo, not a scenario

class ScenarioParser : public TomlChecks {
 public:
  ScenarioParser(std::filesystem::path path, const Twin& twin) : TomlChecks(std::move(path)), twin_(twin) {}
  double number(const toml::node& n, const std::string& key) const {
    return TomlChecks::number(n, key);
  }
  int hour(const toml::table& t, const std::string& key, int fallback) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    const double v = number(*n, key);
    if (v != std::floor(v) || v < 0 || v > 23) fail(*n, "'" + key + "' must be a whole hour 0..23, found " + std::to_string(v));
    return static_cast<int>(v);
  }

  void parameters(const toml::table& t, coupling::Scenario& s) const {
    auto& c = s.coupling;
    auto& d = s.demand;
    auto& l = s.load;
    // name -> (pointer, lower bound, upper bound)
    const std::map<std::string, std::tuple<double*, double, double>> table = {
        {"ev_share", {&c.ev_share, 0, 1}},
        {"ev_kwh_per_km", {&c.ev_kwh_per_km, 0.01, 1}},
        {"share_home", {&c.share_home, 0, 1}},
        {"share_work", {&c.share_work, 0, 1}},
        {"share_public", {&c.share_public, 0, 1}},
        {"public_capture", {&c.public_capture, 0, 1}},
        {"fast_session_kwh", {&c.fast_session_kwh, 1, 500}},
        {"max_queue_wait_h", {&c.max_queue_wait_h, 0, 24}},
        {"kappa_dark_single_lane", {&c.kappa_dark_single_lane, 0.01, 1}},
        {"kappa_dark_multi_lane", {&c.kappa_dark_multi_lane, 0.01, 1}},
        {"dark_stop_delay_s", {&c.dark_stop_delay_s, 0, 120}},
        {"battery_backup_hours", {&c.battery_backup_hours, 0, 48}},
        {"u_trip", {&c.u_trip, 0.5, 10}},
        {"target_gap", {&c.target_gap, 1e-12, 0.1}},
        {"load_tolerance", {&c.load_tolerance, 1e-9, 0.5}},
        {"demand_scale", {&d.demand_scale, 0, 100}},
        {"hbw_per_job", {&d.rates.hbw_per_job, 0, 10}},
        {"residential_kwh_per_household", {&l.residential_kwh_per_household, 0, 1e6}},
        {"commercial_kwh_per_job", {&l.commercial_kwh_per_job, 0, 1e7}},
        {"signal_kw", {&l.signal_kw, 0, 100}},
    };
    for (const auto& [k, v] : t) {
      const std::string key(k.str());
      if (key == "day_of_year") {
        const double day = number(v, key);
        if (day < 1 || day > 365 || day != std::floor(day)) fail(v, "'day_of_year' must be 1..365");
        l.day_of_year = static_cast<int>(day);
        continue;
      }
      if (key == "assignment_algorithm") {
        const std::string a = v.value<std::string>().value_or("");
        if (a != "bush" && a != "bfw" && a != "cfw" && a != "fw") fail(v, "'assignment_algorithm' must be bush, bfw, cfw or fw");
        c.assignment_algorithm = a;
        continue;
      }
      if (key == "carry_over_unserved") {
        if (!v.is_boolean()) fail(v, "'carry_over_unserved' must be true or false");
        c.carry_over_unserved = v.value<bool>().value();
        continue;
      }
      if (key == "feedback_loops") {
        const double n = number(v, key);
        if (n != std::floor(n) || n < 0 || n > 3) fail(v, "'feedback_loops' must be 0..3 (COUPLING.md: at most 3 outer iterations)");
        d.feedback_loops = static_cast<int>(n);
        continue;
      }
      if (key == "max_assignment_iterations" || key == "max_coupling_rounds") {
        const double n = number(v, key);
        if (n < 1 || n > 100000) fail(v, "'" + key + "' must be 1..100000");
        (key == "max_coupling_rounds" ? c.max_coupling_rounds : c.max_assignment_iterations) = static_cast<int>(n);
        continue;
      }
      auto it = table.find(key);
      if (it == table.end()) {
        std::string list = "assignment_algorithm, carry_over_unserved, day_of_year, feedback_loops, max_assignment_iterations, max_coupling_rounds";
        for (const auto& [name, _] : table) list += ", " + name;
        fail(v, "unknown parameter '" + key + "'; known: " + list);
      }
      auto [ptr, lo, hi] = it->second;
      const double value = number(v, key);
      if (value < lo || value > hi) fail(v, "'" + key + "' = " + std::to_string(value) + " is outside " + std::to_string(lo) + " .. " + std::to_string(hi));
      *ptr = value;
    }
    if (std::abs(c.share_home + c.share_work + c.share_public - 1.0) > 1e-9)
      fail(t, "share_home + share_work + share_public must be 1");
  }

  std::vector<std::uint32_t> select_links(const toml::table& t) const {
    const RoadNetwork& r = twin_.roads;
    std::vector<std::uint32_t> out;
    int ways = 0;
    if (const toml::node* ids = t.get("ids")) {
      ++ways;
      if (!ids->is_array()) fail(*ids, "'ids' must be an array of link ids");
      for (const auto& e : *ids->as_array()) {
        const double v = number(e, "ids");
        if (v < 0 || v >= static_cast<double>(r.link_count()) || v != std::floor(v))
          fail(e, "link id " + std::to_string(static_cast<long long>(v)) + " does not exist (the twin has " + std::to_string(r.link_count()) + " links)");
        out.push_back(static_cast<std::uint32_t>(v));
      }
    }
    // Links whose midpoint (LineColumn::midpoint, the link -> district rule) lies in the box or polygon.
    if (const toml::node* box = t.get("box")) {
      ++ways;
      const auto* a = box->as_array();
      if (!a || a->size() != 4) fail(*box, "'box' must be [min_x, min_y, max_x, max_y] in the twin's CRS (" + twin_.crs + ")");
      const Box2 b{number(*a->get(0), "box"), number(*a->get(1), "box"), number(*a->get(2), "box"), number(*a->get(3), "box")};
      for (std::uint32_t l = 0; l < r.link_count(); ++l) {
        const Point2 m = r.geometry.midpoint(l);
        if (r.road_class[l] != RoadClass::Connector && m.x >= b.min_x && m.x <= b.max_x && m.y >= b.min_y && m.y <= b.max_y) out.push_back(l);
      }
    }
    if (const toml::node* wkt = t.get("polygon")) {
      ++ways;
      if (!wkt->is_string()) fail(*wkt, "'polygon' must be a WKT POLYGON or MULTIPOLYGON in the twin's CRS");
      ensure_gdal_initialised();
      OGRGeometry* geom = nullptr;
      const std::string text = wkt->value<std::string>().value();
      if (OGRGeometryFactory::createFromWkt(text.c_str(), nullptr, &geom) != OGRERR_NONE || !geom ||
          (wkbFlatten(geom->getGeometryType()) != wkbPolygon && wkbFlatten(geom->getGeometryType()) != wkbMultiPolygon)) {
        OGRGeometryFactory::destroyGeometry(geom);
        fail(*wkt, "'polygon' is not a readable WKT POLYGON or MULTIPOLYGON");
      }
      for (std::uint32_t l = 0; l < r.link_count(); ++l) {
        if (r.road_class[l] == RoadClass::Connector) continue;
        const Point2 m = r.geometry.midpoint(l);
        OGRPoint p(m.x, m.y);
        if (geom->Contains(&p)) out.push_back(l);
      }
      OGRGeometryFactory::destroyGeometry(geom);
    }
    if (ways == 0) fail(t, "say which links: 'ids', 'box' or 'polygon'");
    if (out.empty()) fail(t, "the selection contains no road links");
    return out;
  }

  std::uint32_t named_asset(const toml::table& t, coupling::AssetKind& kind) const {
    const PowerGrid& g = twin_.grid;
    int given = 0;
    std::uint32_t id = 0;
    for (const char* key : {"substation", "bus", "branch"}) {
      const toml::node* n = t.get(key);
      if (!n) continue;
      ++given;
      kind = std::string(key) == "substation" ? coupling::AssetKind::Substation
             : std::string(key) == "bus"      ? coupling::AssetKind::Bus
                                              : coupling::AssetKind::Branch;
      const std::size_t count = kind == coupling::AssetKind::Substation ? g.substation_count()
                                : kind == coupling::AssetKind::Bus      ? g.bus_count()
                                                                        : g.branch_count();
      if (n->is_string()) {
        if (kind != coupling::AssetKind::Substation) fail(*n, std::string(key) + " must be given by id (a number)");
        const std::string name = n->value<std::string>().value();
        auto it = std::find(g.substation_name.begin(), g.substation_name.end(), name);
        if (it == g.substation_name.end()) fail(*n, "no substation named '" + name + "' in the twin");
        id = static_cast<std::uint32_t>(it - g.substation_name.begin());
      } else {
        const double v = number(*n, key);
        if (v < 0 || v >= static_cast<double>(count) || v != std::floor(v))
          fail(*n, std::string(key) + " id " + std::to_string(static_cast<long long>(v)) + " does not exist (the twin has " + std::to_string(count) + ")");
        id = static_cast<std::uint32_t>(v);
      }
    }
    if (given != 1) fail(t, "an outage names exactly one of 'substation', 'bus' or 'branch'");
    return id;
  }

  coupling::Scenario parse() {
    const toml::table root = read_toml_file(path(), "scenario file");
    only_keys(root, {"name", "description", "od_matrix", "parameters", "link_changes", "outages", "growth"}, "the scenario");
    coupling::Scenario s;
    s.name = root["name"].value<std::string>().value_or(path().stem().string());
    if (const auto* od = root.get("od_matrix")) {
      if (!od->is_string()) fail(*od, "'od_matrix' must be the path of a CSV or TNTP trips file");
      std::filesystem::path file = od->value<std::string>().value();
      if (file.is_relative()) file = path().parent_path() / file;
      s.given_od = std::make_shared<const coupling::GivenOd>(coupling::read_given_od(file, twin_.districts.name));
    }
    if (const auto* p = root.get("parameters")) {
      if (!p->is_table()) fail(*p, "[parameters] must be a table");
      parameters(*p->as_table(), s);
    }
    if (const auto* a = root.get("link_changes")) {
      if (!a->is_array_of_tables()) fail(*a, "link_changes must be written [[link_changes]]");
      for (const auto& e : *a->as_array()) {
        const toml::table& t = *e.as_table();
        only_keys(t, {"ids", "box", "polygon", "capacity_factor", "from_hour", "to_hour"}, "[[link_changes]]");
        coupling::LinkChange c;
        c.links = select_links(t);
        c.capacity_factor = t.get("capacity_factor") ? number(*t.get("capacity_factor"), "capacity_factor") : 0.0;
        if (c.capacity_factor < 0 || c.capacity_factor > 10) fail(t, "capacity_factor must be 0 (closed) .. 10");
        c.from_hour = hour(t, "from_hour", 0);
        c.to_hour = hour(t, "to_hour", 23);
        if (c.to_hour < c.from_hour) fail(t, "to_hour is before from_hour");
        s.link_changes.push_back(std::move(c));
      }
    }
    if (const auto* a = root.get("outages")) {
      if (!a->is_array_of_tables()) fail(*a, "outages must be written [[outages]]");
      for (const auto& e : *a->as_array()) {
        const toml::table& t = *e.as_table();
        only_keys(t, {"substation", "bus", "branch", "from_hour", "repair_hours"}, "[[outages]]");
        coupling::Outage o;
        o.id = named_asset(t, o.kind);
        o.from_hour = hour(t, "from_hour", 0);
        if (const auto* rh = t.get("repair_hours")) {
          o.repair_hours = number(*rh, "repair_hours");
          if (o.repair_hours <= 0) fail(*rh, "repair_hours must be positive (omit it for an outage that lasts the day)");
        }
        s.outages.push_back(o);
      }
    }
    if (const auto* a = root.get("growth")) {
      if (!a->is_array_of_tables()) fail(*a, "growth must be written [[growth]]");
      const Districts& d = twin_.districts;
      s.population_growth.assign(d.size(), 1.0);
      s.jobs_growth.assign(d.size(), 1.0);
      for (const auto& e : *a->as_array()) {
        const toml::table& t = *e.as_table();
        only_keys(t, {"district", "population", "jobs"}, "[[growth]]");
        const toml::node* dn = t.get("district");
        if (!dn || !dn->is_string()) fail(t, "growth needs district = \"<name>\" (or \"*\" for all)");
        const std::string name = dn->value<std::string>().value();
        const double pop = t.get("population") ? number(*t.get("population"), "population") : 1.0;
        const double jobs = t.get("jobs") ? number(*t.get("jobs"), "jobs") : 1.0;
        // Bounded: a factor of 1e300 made NaN demand that was reported as converged.
        if (!(pop >= 0 && pop <= kMaxGrowth && jobs >= 0 && jobs <= kMaxGrowth))
          fail(t, "growth factors must be 0.." + std::to_string(static_cast<int>(kMaxGrowth)) + " (population = " + std::to_string(pop) +
                      ", jobs = " + std::to_string(jobs) + ")");
        bool found = false;
        for (std::size_t i = 0; i < d.size(); ++i) {
          if (name != "*" && d.name[i] != name) continue;
          s.population_growth[i] *= pop;
          s.jobs_growth[i] *= jobs;
          found = true;
        }
        if (!found) fail(*dn, "no district named '" + name + "' in the twin");
      }
    }
    return s;
  }

 private:
  const Twin& twin_;
};

}  // namespace

coupling::Scenario load_scenario(const std::filesystem::path& path, const Twin& twin) { return ScenarioParser(path, twin).parse(); }

}  // namespace citytwin::geo
