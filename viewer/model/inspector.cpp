#include "viewer/model/inspector.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>

#include "core/model/twin.hpp"
#include "viewer/model/results.hpp"

namespace citytwin::viewer {

namespace {
std::string num(double v, const char* unit = "") {
  std::string s = format_value(v);
  if (*unit) s += std::string(" ") + unit;
  return s;
}
std::string fixed(double v, int digits, const char* unit = "") {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f%s%s", digits, v, *unit ? " " : "", unit);
  return buf;
}
const char* bus_type_name(BusType t) {
  switch (t) {
    case BusType::PQ: return "PQ (load)";
    case BusType::PV: return "PV (generator)";
    case BusType::Slack: return "slack (infeed)";
    case BusType::Isolated: return "isolated";
  }
  return "?";
}
const char* branch_kind_label(BranchKind k) {
  switch (k) {
    case BranchKind::Line: return "overhead line";
    case BranchKind::Cable: return "cable";
    case BranchKind::Transformer: return "transformer";
  }
  return "?";
}
const ProvenanceColumn* provenance_column(const Twin& t, Layer l) {
  switch (l) {
    case Layer::Roads: return &t.roads.link_source;
    case Layer::Districts: return &t.districts.source;
    case Layer::Buses: return &t.grid.bus_source;
    case Layer::Branches: return &t.grid.branch_source;
    case Layer::Substations: return &t.grid.substation_source;
    case Layer::Chargers: return &t.chargers.source;
    default: return nullptr;
  }
}
}  // namespace

std::string Provenance::describe() const {
  if (inferred) return "inferred by citytwin";
  if (unavailable) return std::string("provenance ") + kNotInFile;
  if (department.empty() && file.empty()) return "unknown source";
  return department + ": " + file + " [" + layer + "] feature " + std::to_string(feature);
}

std::string feature_title(const Twin& t, const Selection& s, const MissingAttributes* missing) {
  const std::string id = std::to_string(s.id);
  if (s.layer == Layer::Branches && missing && missing->count("branches.kind")) return "Branch " + id;
  switch (s.layer) {
    case Layer::Roads: return "Road link " + id + " (" + road_class_name(t.roads.road_class[s.id]) + ")";
    case Layer::Districts: return "District " + id + " " + t.districts.name[s.id];
    case Layer::Buses: return "Bus " + id + " (" + fixed(t.grid.bus_kv[s.id], 0, "kV") + ")";
    case Layer::Branches: return "Branch " + id + " (" + branch_kind_label(t.grid.branch_kind[s.id]) + ")";
    case Layer::Substations: return "Substation " + id + " " + t.grid.substation_name[s.id];
    case Layer::Chargers: return "EV charger " + id;
    default: return "?";
  }
}

std::vector<Attribute> attributes(const Twin& t, const Selection& s, const MissingAttributes* missing) {
  std::vector<Attribute> a;
  const std::size_t i = s.id;
  auto absent = [missing](const char* key) { return missing && missing->count(key) > 0; };
  auto add = [&a](std::string n, std::string v) { a.push_back({std::move(n), std::move(v)}); };
  // An attribute the data may lack: its value, or kNotInFile.
  auto add_if = [&](const char* key, std::string n, auto&& value) {
    if (absent(key)) add(std::move(n), kNotInFile);
    else add(std::move(n), value());
  };
  switch (s.layer) {
    case Layer::Roads: {
      const auto& r = t.roads;
      add("link id", std::to_string(i));
      add_if("roads.from_node", "from node", [&] { return std::to_string(r.link_from[i]); });
      add_if("roads.to_node", "to node", [&] { return std::to_string(r.link_to[i]); });
      add("class", road_class_name(r.road_class[i]));
      add_if("roads.length_m", "length", [&] { return fixed(r.length_m[i], 1, "m"); });
      add_if("roads.lanes", "lanes", [&] { return fixed(r.lanes[i], 1); });
      add("capacity", num(r.capacity_vph[i], "veh/h"));
      add_if("roads.speed_kph", "speed limit", [&] { return fixed(r.speed_kph[i], 0, "km/h"); });
      add_if("roads.free_flow_s", "free-flow time", [&] { return fixed(r.free_flow_s[i], 1, "s"); });
      add_if("roads.toll", "toll", [&] { return fixed(r.toll[i], 2); });
      add_if("roads.bpr", "BPR alpha / beta", [&] { return fixed(r.bpr_alpha[i], 2) + " / " + fixed(r.bpr_beta[i], 2); });
      add("vertices", std::to_string(r.geometry.points(i)));
      if (i < t.links.link_district.size())
        add("district", t.links.link_district[i] >= 0 ? std::to_string(t.links.link_district[i]) : "none");
      else if (absent("roads.district"))
        add("district", kNotInFile);
      add_if("roads.signals", "from node signalised", [&] { return r.node_signal[r.link_from[i]] ? "yes" : "no"; });
      add_if("roads.signals", "to node signalised", [&] { return r.node_signal[r.link_to[i]] ? "yes" : "no"; });
      break;
    }
    case Layer::Districts: {
      const auto& d = t.districts;
      add("district id", std::to_string(i));
      add("name", d.name[i]);
      add_if("districts.population", "population", [&] { return num(d.population[i]); });
      add_if("districts.households", "households", [&] { return num(d.households[i]); });
      add_if("districts.jobs", "jobs", [&] { return num(d.jobs[i]); });
      add_if("districts.jobs_by_sector", "jobs retail / service / other",
             [&] { return num(d.jobs_retail[i]) + " / " + num(d.jobs_service[i]) + " / " + num(d.jobs_other[i]); });
      add("area", fixed(d.area_m2[i] / 1e6, 3, "km2"));
      if (d.area_m2[i] > 0 && !absent("districts.population"))
        add("density", num(d.population[i] / (d.area_m2[i] / 1e6), "people/km2"));
      add("centroid", fixed(d.centroid_x[i], 1) + ", " + fixed(d.centroid_y[i], 1));
      const auto& off = t.links.district_sub_offsets;
      if (i + 1 < off.size()) {
        std::string subs;
        for (auto k = off[i]; k < off[i + 1]; ++k) {
          if (!subs.empty()) subs += ", ";
          subs += std::to_string(t.links.district_sub[k]) + " (" + fixed(100 * t.links.district_sub_share[k], 0) + " %)";
        }
        add("served by substations", subs.empty() ? "none" : subs);
      } else if (absent("districts.substations")) {
        add("served by substations", kNotInFile);
      }
      if (i < t.roads.zone_node.size()) add("zone centroid node", std::to_string(t.roads.zone_node[i]));
      else if (absent("districts.zone_node")) add("zone centroid node", kNotInFile);
      break;
    }
    case Layer::Buses: {
      const auto& g = t.grid;
      add("bus id", std::to_string(i));
      add("voltage", fixed(g.bus_kv[i], 1, "kV"));
      add_if("buses.type", "type", [&] { return bus_type_name(g.bus_type[i]); });
      add_if("buses.energised", "energised", [&] { return g.bus_energised[i] ? "yes" : "no"; });
      add_if("buses.substation_id", "substation", [&] { return g.bus_substation[i] >= 0 ? std::to_string(g.bus_substation[i]) : "none"; });
      add("position", fixed(g.bus_x[i], 1) + ", " + fixed(g.bus_y[i], 1));
      for (std::size_t k = 0; k < g.gen_bus.size(); ++k)
        if (g.gen_bus[k] == i) add("generator " + std::to_string(k), fixed(g.gen_p_mw[k], 1, "MW") + " at " + fixed(g.gen_vm_pu[k], 3, "pu"));
      break;
    }
    case Layer::Branches: {
      const auto& g = t.grid;
      add("branch id", std::to_string(i));
      add_if("branches.from_bus", "from bus / to bus", [&] { return std::to_string(g.branch_from[i]) + " / " + std::to_string(g.branch_to[i]); });
      add_if("branches.kind", "kind", [&] { return branch_kind_label(g.branch_kind[i]); });
      add_if("branches.impedance", "r / x / b (pu)",
             [&] { return fixed(g.branch_r[i], 5) + " / " + fixed(g.branch_x[i], 5) + " / " + fixed(g.branch_b[i], 5); });
      add("rating", fixed(g.branch_rating_mva[i], 1, "MVA"));
      add_if("branches.in_service", "in service", [&] { return g.branch_in_service[i] ? "yes" : "no"; });
      add("length", fixed(g.branch_geometry.length(i) / 1000, 2, "km"));
      break;
    }
    case Layer::Substations: {
      const auto& g = t.grid;
      add("substation id", std::to_string(i));
      add("name", g.substation_name[i]);
      add("capacity", fixed(g.substation_capacity_mva[i], 1, "MVA"));
      add_if("substations.bus_id", "feeding bus", [&] { return std::to_string(g.substation_bus[i]); });
      add("position", fixed(g.substation_x[i], 1) + ", " + fixed(g.substation_y[i], 1));
      add_if("districts.substations", "districts served", [&] {
        std::size_t served = 0;
        for (auto sub : t.links.district_sub)
          if (sub == i) ++served;
        return std::to_string(served);
      });
      break;
    }
    case Layer::Chargers: {
      const auto& c = t.chargers;
      add("charger id", std::to_string(i));
      add("plugs", std::to_string(c.plugs[i]));
      add("power per plug", fixed(c.kw_per_plug[i], 1, "kW"));
      add("total power", fixed(c.kw_per_plug[i] * c.plugs[i], 1, "kW"));
      if (i < t.links.charger_bus.size()) add("grid bus", std::to_string(t.links.charger_bus[i]));
      if (i < t.links.charger_node.size()) add("road node", std::to_string(t.links.charger_node[i]));
      break;
    }
    default: break;
  }
  return a;
}

Provenance provenance(const Twin& t, const Selection& s) {
  Provenance p;
  const ProvenanceColumn* col = provenance_column(t, s.layer);
  if (col && col->size() == 0 && feature_count(t, s.layer) > 0) p.unavailable = true;  // e.g. a results file of an older version
  if (!col || s.id >= col->size()) return p;
  if (col->inferred(s.id)) {
    p.inferred = true;
    p.department = "citytwin";
    return p;
  }
  const std::uint32_t src = col->source[s.id];
  if (src < t.sources.size()) {
    p.department = t.sources[src].department;
    p.file = t.sources[src].path;
    p.layer = t.sources[src].layer;
  }
  p.feature = col->feature[s.id];
  return p;
}

std::vector<HourlySeries> hourly_series(const Twin& t, const Selection& s, const Results* baseline,
                                        const Results* scenario) {
  std::vector<HourlySeries> out;
  for (const MetricInfo* m : metrics_for(s.layer)) {
    if (!m->hourly) continue;
    HourlySeries series{m->label, m->unit, {}, {}};
    const std::optional<Quantity> q = hourly_quantity(*m);
    if (!q || s.id >= feature_count(t, s.layer)) continue;
    for (bool scen : {false, true}) {
      const Results* r = scen ? scenario : baseline;
      if (!r) continue;
      std::vector<float>& dst = scen ? series.scenario : series.baseline;
      for (int h = 0; h < kHours; ++h) {
        const coupling::HourResult* hr = r->hour(h);
        dst.push_back(hr ? float(quantity_value(*q, t, *hr, s.id)) : std::numeric_limits<float>::quiet_NaN());
      }
    }
    if (!series.baseline.empty() || !series.scenario.empty()) out.push_back(std::move(series));
  }
  return out;
}

std::string attribution(const Twin& t) {
  for (const SourceLayer& s : t.sources) {
    std::string p = s.path;
    std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (p.find(".osm.pbf") != std::string::npos || p.ends_with(".osm") || p.find(".osm.bz2") != std::string::npos ||
        p.ends_with(".pbf"))
      return "\xC2\xA9 OpenStreetMap contributors";
  }
  return {};
}

}  // namespace citytwin::viewer
