#include "core/model/twin_validation.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/common/errors.hpp"

namespace citytwin {

namespace {

constexpr std::uint32_t kNoMatch = 0xFFFFFFFFu;  // "unset" in CrossLinks (geo/index/joins.hpp)

// One check context: the file, and how a failure is worded (a snapshot read
// back, or a grid a builder has just assembled).
struct Check {
  const std::string& file;
  const char* problem = "corrupt twin snapshot: ";
  const char* advice = "; re-import the city";

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InvalidInput(problem + field + " " + what + advice, {.file = file, .field = field});
  }
  template <class V>
  void size(const std::string& field, const V& column, std::size_t expected, const std::string& count_name) const {
    if (column.size() != expected)
      fail(field, "has " + std::to_string(column.size()) + " entries, " + count_name + " is " + std::to_string(expected));
  }
  template <class V>
  void size_or_empty(const std::string& field, const V& column, std::size_t expected, const std::string& count_name) const {
    if (!column.empty()) size(field, column, expected, count_name);
  }
  // Every index < bound (or equal to `unset` where that sentinel is allowed).
  template <class I>
  void indices(const std::string& field, const std::vector<I>& column, std::size_t bound, const std::string& table,
               bool allow_unset = false) const {
    for (std::size_t i = 0; i < column.size(); ++i) {
      const auto v = column[i];
      if (allow_unset && static_cast<std::uint64_t>(v) == kNoMatch) continue;
      if (v < 0 || static_cast<std::uint64_t>(v) >= bound)
        fail(field + "[" + std::to_string(i) + "]", "is " + std::to_string(v) + ", outside the " + std::to_string(bound) + " " + table);
    }
  }
  // Offsets: non-empty, start at 0, never decrease, end at `end`.
  template <class O>
  void offsets(const std::string& field, const std::vector<O>& o, std::uint64_t end, const std::string& end_name) const {
    if (o.empty() || o.front() != 0) fail(field, "must start with 0");
    for (std::size_t i = 1; i < o.size(); ++i)
      if (o[i] < o[i - 1]) fail(field + "[" + std::to_string(i) + "]", "decreases (offsets must not)");
    if (o.back() != end)
      fail(field, "ends at " + std::to_string(o.back()) + ", but " + end_name + " has " + std::to_string(end) + " entries");
  }
  template <class T>
  void finite(const std::string& field, const std::vector<T>& column, double min = -HUGE_VAL, bool strict_min = false) const {
    for (std::size_t i = 0; i < column.size(); ++i) {
      const double v = static_cast<double>(column[i]);
      if (!std::isfinite(v) || v < min || (strict_min && v == min))
        fail(field + "[" + std::to_string(i) + "]", "is " + std::to_string(v) + " (must be finite" +
                                                        (min > -HUGE_VAL ? std::string(strict_min ? " and > " : " and >= ") + std::to_string(min) : "") +
                                                        ")");
    }
  }
  template <class E>
  void enums(const std::string& field, const std::vector<E>& column, int lo, int hi) const {
    for (std::size_t i = 0; i < column.size(); ++i) {
      const int v = static_cast<int>(column[i]);
      if (v < lo || v > hi) fail(field + "[" + std::to_string(i) + "]", "is " + std::to_string(v) + ", not a known value");
    }
  }

  void lines(const std::string& field, const LineColumn& g, std::size_t features, const std::string& count_name) const {
    size(field + ".offsets", g.offsets, features + 1, count_name + " + 1");
    size(field + ".y", g.y, g.x.size(), field + ".x");
    offsets(field + ".offsets", g.offsets, g.x.size(), field + ".x");
    finite(field + ".x", g.x);
    finite(field + ".y", g.y);
  }
  void polygons(const std::string& field, const PolygonColumn& g, std::size_t features, const std::string& count_name) const {
    size(field + ".polygon_offsets", g.polygon_offsets, features + 1, count_name + " + 1");
    if (g.ring_offsets.empty()) fail(field + ".ring_offsets", "is empty");
    if (g.coord_offsets.empty()) fail(field + ".coord_offsets", "is empty");
    offsets(field + ".polygon_offsets", g.polygon_offsets, g.ring_offsets.size() - 1, field + ".ring_offsets - 1");
    offsets(field + ".ring_offsets", g.ring_offsets, g.coord_offsets.size() - 1, field + ".coord_offsets - 1");
    size(field + ".y", g.y, g.x.size(), field + ".x");
    offsets(field + ".coord_offsets", g.coord_offsets, g.x.size(), field + ".x");
    finite(field + ".x", g.x);
    finite(field + ".y", g.y);
  }
  void provenance(const std::string& field, const ProvenanceColumn& p, std::size_t count, const std::string& count_name,
                  std::size_t sources) const {
    size(field + ".source", p.source, count, count_name);
    size(field + ".feature", p.feature, count, count_name);
    for (std::size_t i = 0; i < p.source.size(); ++i)
      if (p.source[i] != ProvenanceColumn::kInferred && p.source[i] >= sources)
        fail(field + ".source[" + std::to_string(i) + "]",
             "is " + std::to_string(p.source[i]) + ", outside the " + std::to_string(sources) + " source layers");
  }
  void csr(const std::string& field, const Csr& c, std::size_t rows, std::size_t entries_bound) const {
    size(field + ".offsets", c.offsets, rows + 1, "the node count + 1");
    offsets(field + ".offsets", c.offsets, c.entries.size(), field + ".entries");
    indices(field + ".entries", c.entries, entries_bound, "links");
  }
};

void check_roads(const Check& c, const RoadNetwork& r, std::size_t sources) {
  const std::size_t n = r.node_count(), l = r.link_count();
  c.size("roads.node_y", r.node_y, n, "roads.node_x (the node count)");
  c.size("roads.node_signal", r.node_signal, n, "the node count");
  c.provenance("roads.node_source", r.node_source, n, "the node count", sources);
  c.finite("roads.node_x", r.node_x);
  c.finite("roads.node_y", r.node_y);
  const std::string lc = "roads.link_from (the link count)";
  c.size("roads.link_to", r.link_to, l, lc);
  c.size("roads.length_m", r.length_m, l, lc);
  c.size("roads.free_flow_s", r.free_flow_s, l, lc);
  c.size("roads.capacity_vph", r.capacity_vph, l, lc);
  c.size("roads.lanes", r.lanes, l, lc);
  c.size("roads.road_class", r.road_class, l, lc);
  c.size("roads.speed_kph", r.speed_kph, l, lc);
  c.size("roads.toll", r.toll, l, lc);
  c.size("roads.bpr_alpha", r.bpr_alpha, l, lc);
  c.size("roads.bpr_beta", r.bpr_beta, l, lc);
  c.lines("roads.geometry", r.geometry, l, "the link count");
  c.provenance("roads.link_source", r.link_source, l, "the link count", sources);
  c.indices("roads.link_from", r.link_from, n, "road nodes");
  c.indices("roads.link_to", r.link_to, n, "road nodes");
  c.enums("roads.road_class", r.road_class, 0, static_cast<int>(RoadClass::Count) - 1);
  c.finite("roads.length_m", r.length_m, 0);
  c.finite("roads.free_flow_s", r.free_flow_s, 0);
  c.finite("roads.capacity_vph", r.capacity_vph, 0, true);
  c.finite("roads.lanes", r.lanes, 0);
  c.finite("roads.speed_kph", r.speed_kph, 0);
  c.finite("roads.toll", r.toll);
  c.finite("roads.bpr_alpha", r.bpr_alpha, 0);
  c.finite("roads.bpr_beta", r.bpr_beta, 0);
  c.indices("roads.zone_node", r.zone_node, n, "road nodes");
  c.csr("roads.out_links", r.out_links, n, l);
  c.csr("roads.in_links", r.in_links, n, l);
}

void check_grid(const Check& c, const PowerGrid& g, std::size_t sources) {
  if (!std::isfinite(g.base_mva) || g.base_mva <= 0) c.fail("grid.base_mva", "is " + std::to_string(g.base_mva) + " (must be finite and > 0)");
  const std::size_t b = g.bus_count(), br = g.branch_count(), s = g.substation_count(), gens = g.gen_bus.size();
  const std::string bc = "grid.bus_x (the bus count)";
  c.size("grid.bus_y", g.bus_y, b, bc);
  c.size("grid.bus_kv", g.bus_kv, b, bc);
  c.size("grid.bus_type", g.bus_type, b, bc);
  c.size("grid.bus_energised", g.bus_energised, b, bc);
  c.size("grid.bus_substation", g.bus_substation, b, bc);
  c.provenance("grid.bus_source", g.bus_source, b, "the bus count", sources);
  c.finite("grid.bus_x", g.bus_x);
  c.finite("grid.bus_y", g.bus_y);
  c.finite("grid.bus_kv", g.bus_kv, 0);
  c.enums("grid.bus_type", g.bus_type, 1, 4);
  for (std::size_t i = 0; i < b; ++i)
    if (g.bus_substation[i] < -1 || g.bus_substation[i] >= static_cast<std::int64_t>(s))
      c.fail("grid.bus_substation[" + std::to_string(i) + "]",
             "is " + std::to_string(g.bus_substation[i]) + ", outside -1 .. " + std::to_string(s) + " substations");
  const std::string rc = "grid.branch_from (the branch count)";
  c.size("grid.branch_to", g.branch_to, br, rc);
  c.size("grid.branch_kind", g.branch_kind, br, rc);
  c.size("grid.branch_r", g.branch_r, br, rc);
  c.size("grid.branch_x", g.branch_x, br, rc);
  c.size("grid.branch_b", g.branch_b, br, rc);
  c.size("grid.branch_rating_mva", g.branch_rating_mva, br, rc);
  c.size("grid.branch_in_service", g.branch_in_service, br, rc);
  c.lines("grid.branch_geometry", g.branch_geometry, br, "the branch count");
  c.provenance("grid.branch_source", g.branch_source, br, "the branch count", sources);
  c.indices("grid.branch_from", g.branch_from, b, "buses");
  c.indices("grid.branch_to", g.branch_to, b, "buses");
  c.enums("grid.branch_kind", g.branch_kind, 0, 2);
  for (std::size_t i = 0; i < br; ++i)
    if (g.branch_from[i] == g.branch_to[i])
      c.fail("grid.branch_to[" + std::to_string(i) + "]", "is " + std::to_string(g.branch_to[i]) + ", the branch's own from-bus (a branch from a bus to itself)");
  c.finite("grid.branch_r", g.branch_r);
  c.finite("grid.branch_x", g.branch_x);
  c.finite("grid.branch_b", g.branch_b);
  c.finite("grid.branch_rating_mva", g.branch_rating_mva, 0);
  const std::string sc = "grid.substation_x (the substation count)";
  c.polygons("grid.substation_shape", g.substation_shape, s, "the substation count");
  c.size("grid.substation_y", g.substation_y, s, sc);
  c.size("grid.substation_capacity_mva", g.substation_capacity_mva, s, sc);
  c.size("grid.substation_name", g.substation_name, s, sc);
  c.size("grid.substation_bus", g.substation_bus, s, sc);
  c.provenance("grid.substation_source", g.substation_source, s, "the substation count", sources);
  c.finite("grid.substation_x", g.substation_x);
  c.finite("grid.substation_y", g.substation_y);
  c.finite("grid.substation_capacity_mva", g.substation_capacity_mva, 0);
  c.indices("grid.substation_bus", g.substation_bus, b, "buses");
  const std::string gc = "grid.gen_bus (the generator count)";
  c.size("grid.gen_p_mw", g.gen_p_mw, gens, gc);
  c.size("grid.gen_vm_pu", g.gen_vm_pu, gens, gc);
  c.size("grid.gen_q_min_mvar", g.gen_q_min_mvar, gens, gc);
  c.size("grid.gen_q_max_mvar", g.gen_q_max_mvar, gens, gc);
  c.indices("grid.gen_bus", g.gen_bus, b, "buses");
  c.finite("grid.gen_p_mw", g.gen_p_mw);
  c.finite("grid.gen_vm_pu", g.gen_vm_pu, 0);
}

void check_districts(const Check& c, const Districts& d, std::size_t sources) {
  const std::size_t n = d.size();
  const std::string dc = "districts.name (the district count)";
  c.size("districts.population", d.population, n, dc);
  c.size("districts.households", d.households, n, dc);
  c.size("districts.jobs", d.jobs, n, dc);
  c.size("districts.jobs_retail", d.jobs_retail, n, dc);
  c.size("districts.jobs_service", d.jobs_service, n, dc);
  c.size("districts.jobs_other", d.jobs_other, n, dc);
  c.size("districts.area_m2", d.area_m2, n, dc);
  c.size("districts.centroid_x", d.centroid_x, n, dc);
  c.size("districts.centroid_y", d.centroid_y, n, dc);
  c.polygons("districts.shape", d.shape, n, "the district count");
  c.provenance("districts.source", d.source, n, "the district count", sources);
  const std::pair<const char*, const std::vector<double>*> counts[] = {
      {"districts.population", &d.population}, {"districts.households", &d.households}, {"districts.jobs", &d.jobs},
      {"districts.jobs_retail", &d.jobs_retail}, {"districts.jobs_service", &d.jobs_service},
      {"districts.jobs_other", &d.jobs_other},   {"districts.area_m2", &d.area_m2}};
  for (const auto& [name, column] : counts) c.finite(name, *column, 0);
  c.finite("districts.centroid_x", d.centroid_x);
  c.finite("districts.centroid_y", d.centroid_y);
}

void check_chargers(const Check& c, const EvChargers& e, std::size_t sources) {
  const std::size_t n = e.size();
  const std::string cc = "chargers.x (the charger count)";
  c.size("chargers.y", e.y, n, cc);
  c.size("chargers.plugs", e.plugs, n, cc);
  c.size("chargers.kw_per_plug", e.kw_per_plug, n, cc);
  c.provenance("chargers.source", e.source, n, "the charger count", sources);
  c.finite("chargers.x", e.x);
  c.finite("chargers.y", e.y);
  c.finite("chargers.kw_per_plug", e.kw_per_plug, 0);
}

void check_links(const Check& c, const Twin& t) {
  const CrossLinks& x = t.links;
  c.size_or_empty("links.link_district", x.link_district, t.roads.link_count(), "the link count");
  for (std::size_t i = 0; i < x.link_district.size(); ++i)
    if (x.link_district[i] < -1 || x.link_district[i] >= static_cast<std::int64_t>(t.districts.size()))
      c.fail("links.link_district[" + std::to_string(i) + "]", "is " + std::to_string(x.link_district[i]) + ", outside -1 .. " +
                                                                   std::to_string(t.districts.size()) + " districts");
  if (static_cast<int>(x.service_rule) > 2) c.fail("links.service_rule", "is not a known rule");
  if (x.district_sub_offsets.size() != 1) c.size("links.district_sub_offsets", x.district_sub_offsets, t.districts.size() + 1, "the district count + 1");
  c.offsets("links.district_sub_offsets", x.district_sub_offsets, x.district_sub.size(), "links.district_sub");
  c.size("links.district_sub_share", x.district_sub_share, x.district_sub.size(), "links.district_sub");
  c.indices("links.district_sub", x.district_sub, t.grid.substation_count(), "substations");
  c.finite("links.district_sub_share", x.district_sub_share, 0);
  c.indices("links.signal_node", x.signal_node, t.roads.node_count(), "road nodes");
  c.size_or_empty("links.signal_bus", x.signal_bus, x.signal_node.size(), "links.signal_node");
  c.indices("links.signal_bus", x.signal_bus, t.grid.bus_count(), "buses", true);
  c.size_or_empty("links.charger_bus", x.charger_bus, t.chargers.size(), "the charger count");
  c.size_or_empty("links.charger_node", x.charger_node, t.chargers.size(), "the charger count");
  c.indices("links.charger_bus", x.charger_bus, t.grid.bus_count(), "buses", true);
  c.indices("links.charger_node", x.charger_node, t.roads.node_count(), "road nodes", true);
}

}  // namespace

void PowerGrid::check_consistency(std::size_t source_layers) const {
  static const std::string no_file;
  check_grid(Check{.file = no_file, .problem = "inconsistent power grid: ", .advice = " (a grid builder's error)"}, *this, source_layers);
}

void validate_twin(const Twin& twin, const std::string& file) {
  const Check c{file};
  const std::size_t sources = twin.sources.size();
  check_roads(c, twin.roads, sources);
  check_grid(c, twin.grid, sources);
  check_districts(c, twin.districts, sources);
  check_chargers(c, twin.chargers, sources);
  check_links(c, twin);
}

}  // namespace citytwin
