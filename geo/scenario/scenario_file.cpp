#include "geo/scenario/scenario_file.hpp"

#include <cmath>
#include <set>
#include <toml++/toml.h>

#include "core/common/errors.hpp"
#include "core/coupling/parameter_fields.hpp"
#include "geo/index/spatial_index.hpp"
#include "geo/gdal/gdal_handles.hpp"
#include "geo/scenario/scenario_toml.hpp"
#include "geo/import/toml_file.hpp"

namespace citytwin::geo {

namespace {

constexpr double kMaxGrowth = 100;  // a district 100 times its size is a typo, not a scenario

class ScenarioParser : public TomlChecks {
 public:
  // `path` names the source in errors; a relative od_matrix is taken from `folder`.
  ScenarioParser(std::filesystem::path path, std::filesystem::path folder, const Twin& twin)
      : TomlChecks(std::move(path)), folder_(std::move(folder)), twin_(twin) {}
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

  // [parameters]: every key, type and range from scenario_parameter_fields().
  void parameters(const toml::table& t, coupling::Scenario& s) const {
    const auto& fields = coupling::scenario_parameter_fields();
    for (const auto& [k, v] : t) {
      const std::string key(k.str());
      const Field<coupling::Scenario>* f = find_field(fields, key);
      if (!f) fail(v, "unknown parameter '" + key + "'; known: " + field_names(fields));
      FieldInput in;
      if (v.is_boolean()) in = v.value<bool>().value();
      else if (v.is_string()) in = v.value<std::string>().value();
      // An integer above 2^53 has no exact double, so toml++'s value<double>()
      // is empty: take the nearest double and let the field's range judge it.
      else if (v.is_integer()) in = static_cast<double>(v.as_integer()->get());
      else if (v.is_floating_point()) in = v.as_floating_point()->get();
      else fail(v, "'" + key + "' must be " + (f->kind == FieldKind::Bool ? "true or false" : f->kind == FieldKind::Enum ? f->range_text() : "a number"));
      try {
        f->assign(s, in);
      } catch (const InvalidInput& e) {
        fail(v, e.message());
      }
    }
    try {
      coupling::check_parameters(s.coupling);
    } catch (const InvalidInput& e) {
      fail(t, e.message());
    }
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

  coupling::Scenario parse(const toml::table& root) {
    only_keys(root, {"name", "description", "od_matrix", "parameters", "link_changes", "outages", "growth"}, "the scenario");
    coupling::Scenario s;
    s.name = root["name"].value<std::string>().value_or(path().stem().string());
    if (const auto* od = root.get("od_matrix")) {
      if (!od->is_string()) fail(*od, "'od_matrix' must be the path of a CSV or TNTP trips file");
      std::filesystem::path file = od->value<std::string>().value();
      if (file.is_relative()) file = folder_ / file;
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
  std::filesystem::path folder_;
  const Twin& twin_;
};

}  // namespace

coupling::Scenario load_scenario(const std::filesystem::path& path, const Twin& twin) {
  return ScenarioParser(path, path.parent_path(), twin).parse(read_toml_file(path, "scenario file"));
}

coupling::Scenario scenario_from_table(const toml::table& root, const std::string& label, const std::filesystem::path& folder,
                                       const Twin& twin) {
  return ScenarioParser(label, folder, twin).parse(root);
}

}  // namespace citytwin::geo
