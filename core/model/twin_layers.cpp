#include "core/model/twin_layers.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>

#include "core/common/errors.hpp"

namespace citytwin::schema {

namespace {

using K = ColumnKind;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint32_t kNoMatch = 0xFFFFFFFFu;

Cell id(std::size_t v) { return static_cast<std::int64_t>(v); }
Cell real(double v) { return v; }
// An index that is "none" below 0 (or at kNoMatch): NULL.
Cell ref_or_null(std::int64_t v) { return v >= 0 ? Cell(v) : Cell(); }
Cell ref_or_null(std::uint32_t v) { return v != kNoMatch ? Cell(static_cast<std::int64_t>(v)) : Cell(); }

std::uint32_t signal_node(const Twin& t, std::size_t i) {
  return t.links.signal_node.empty() ? t.roads.signals()[i] : t.links.signal_node[i];  // joins not run: the signalised nodes
}

// ---- provenance ----------------------------------------------------------

// Results files: `source_id` is a row of the `sources` table (NULL: inferred
// by citytwin), `source_fid` the feature id in that layer. Read back by the
// reader through Layer::provenance.
template <class P>
std::vector<Column> results_provenance(P p) {
  auto known = [p](const Twin& t, std::size_t i) {
    const ProvenanceColumn& c = p(t);
    return i < c.size() && !c.inferred(i);
  };
  return {{.name = "source_id", .kind = K::Int64, .doc = "row of the sources table; NULL: inferred by citytwin",
           .get = [p, known](const Twin& t, std::size_t i) { return known(t, i) ? id(p(t).source[i]) : Cell(); }},
          {.name = "source_fid", .kind = K::Int64, .doc = "feature id in the source layer",
           .get = [p, known](const Twin& t, std::size_t i) { return known(t, i) ? ref_or_null(p(t).feature[i]) : Cell(); }}};
}

// Exports: the source spelled out, so QGIS shows it without a join.
template <class P>
std::vector<Column> export_provenance(P p) {
  auto source = [p](const Twin& t, std::size_t i) -> const SourceLayer* {
    const ProvenanceColumn& c = p(t);
    return i < c.size() && !c.inferred(i) ? &t.sources.at(c.source[i]) : nullptr;
  };
  return {{.name = "src_department", .kind = K::Text, .doc = "department that delivered the element; citytwin: inferred",
           .get = [source](const Twin& t, std::size_t i) { const auto* s = source(t, i); return Cell(s ? s->department : "citytwin"); }},
          {.name = "src_file", .kind = K::Text, .doc = "source file",
           .get = [source](const Twin& t, std::size_t i) { const auto* s = source(t, i); return s ? Cell(s->path) : Cell(); }},
          {.name = "src_layer", .kind = K::Text, .doc = "layer in the source file",
           .get = [source](const Twin& t, std::size_t i) { const auto* s = source(t, i); return s ? Cell(s->layer) : Cell(); }},
          {.name = "src_fid", .kind = K::Int64, .doc = "feature id in the source layer",
           .get = [p, source](const Twin& t, std::size_t i) { return source(t, i) ? Cell(std::int64_t{p(t).feature[i]}) : Cell(); }},
          {.name = "inferred", .kind = K::Int, .doc = "1: created by citytwin",
           .get = [source](const Twin& t, std::size_t i) { return Cell(std::int64_t{source(t, i) ? 0 : 1}); }}};
}

std::vector<Column> cat(std::vector<Column> a, const std::vector<Column>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

auto road_prov = [](auto& t) -> auto& { return t.roads.link_source; };
auto node_prov = [](auto& t) -> auto& { return t.roads.node_source; };
auto bus_prov = [](auto& t) -> auto& { return t.grid.bus_source; };
auto branch_prov = [](auto& t) -> auto& { return t.grid.branch_source; };
auto substation_prov = [](auto& t) -> auto& { return t.grid.substation_source; };
auto district_prov = [](auto& t) -> auto& { return t.districts.source; };
auto charger_prov = [](auto& t) -> auto& { return t.chargers.source; };

// ---- columns, each described once ------------------------------------------

namespace roads {
Column node_ref(std::string name, std::vector<std::uint32_t> RoadNetwork::*v, std::string doc) {
  return {.name = std::move(name), .kind = K::Int64, .doc = std::move(doc),
          .get = [v](const Twin& t, std::size_t i) { return id((t.roads.*v)[i]); },
          // absent: the nodes are the lines' distinct end points (see complete)
          .set = [v](Twin& t, std::size_t i, const Cell& c) { if (!std::holds_alternative<std::monostate>(c)) element(t.roads.*v, i) = static_cast<std::uint32_t>(cell_int(c, 0)); },
          // node ids are bounded so a corrupt id cannot allocate gigabytes: links
          // have at most 2 n distinct ends; the slack admits a twin's isolated nodes
          .bound = [](const Twin&, const RowCounts& rows) { return 16 * rows.at("roads") + 1024; }};
}
Column from_node() { return node_ref("from_node", &RoadNetwork::link_from, "road node the link leaves"); }
Column to_node() { return node_ref("to_node", &RoadNetwork::link_to, "road node the link enters"); }
Column road_class() {
  return {.name = "class", .kind = K::Text, .doc = "OSM-style road class",
          .get = [](const Twin& t, std::size_t i) { return Cell(road_class_name(t.roads.road_class[i])); },
          .set = [](Twin& t, std::size_t i, const Cell& c) {
            RoadClass rc;
            if (!parse_road_class(cell_text(c), rc)) throw InvalidInput("unknown road class '" + cell_text(c) + "'");
            element(t.roads.road_class, i) = rc;
          },
          .required = true};
}
template <class T>
Column road_real(std::string name, std::string unit, std::string doc, std::vector<T> RoadNetwork::*v, bool required = false) {
  return {.name = std::move(name), .kind = K::Real, .unit = std::move(unit), .doc = std::move(doc),
          .get = [v](const Twin& t, std::size_t i) { return Cell(static_cast<double>((t.roads.*v)[i])); },
          .set = [v](Twin& t, std::size_t i, const Cell& c) { element(t.roads.*v, i) = static_cast<T>(cell_real(c)); },
          .required = required};
}
Column length_m() { return road_real("length_m", "m", "length", &RoadNetwork::length_m); }
Column free_flow_s() { return road_real("free_flow_s", "s", "free-flow travel time", &RoadNetwork::free_flow_s); }
Column capacity_vph() { return road_real("capacity_vph", "veh/h", "capacity", &RoadNetwork::capacity_vph, true); }
Column lanes() { return road_real("lanes", "", "lanes", &RoadNetwork::lanes); }
Column speed_kph() { return road_real("speed_kph", "km/h", "speed limit", &RoadNetwork::speed_kph); }
Column toll() { return road_real("toll", "", "toll", &RoadNetwork::toll); }
Column bpr_alpha() { return road_real("bpr_alpha", "", "BPR alpha", &RoadNetwork::bpr_alpha); }
Column bpr_beta() { return road_real("bpr_beta", "", "BPR beta", &RoadNetwork::bpr_beta); }
Column district() {
  return {.name = "district", .kind = K::Int64, .doc = "district the link lies in",
          .get = [](const Twin& t, std::size_t i) {
            return i < t.links.link_district.size() ? ref_or_null(std::int64_t{t.links.link_district[i]}) : Cell();
          }};
}

// The nodes from the ids, or from the lines' distinct end points (files
// before node ids), with their coordinates; what results files do not hold.
void complete(Twin& t, std::set<std::string>& missing) {
  RoadNetwork& r = t.roads;
  const std::size_t n = r.geometry.size();
  if (r.link_from.size() != n || r.link_to.size() != n) {
    std::map<std::pair<double, double>, std::uint32_t> node_at;
    auto node = [&node_at](Point2 p) { return node_at.try_emplace({p.x, p.y}, static_cast<std::uint32_t>(node_at.size())).first->second; };
    r.link_from.assign(n, 0);
    r.link_to.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      r.link_from[i] = node(r.geometry.point(i, 0));
      r.link_to[i] = node(r.geometry.point(i, r.geometry.points(i) - 1));
    }
  }
  std::size_t nodes = 0;
  for (std::size_t i = 0; i < n; ++i) nodes = std::max<std::size_t>({nodes, r.link_from[i] + 1u, r.link_to[i] + 1u});
  r.node_x.assign(nodes, kNaN);
  r.node_y.assign(nodes, kNaN);
  for (std::size_t i = 0; i < n; ++i) {
    const Point2 a = r.geometry.point(i, 0), b = r.geometry.point(i, r.geometry.points(i) - 1);
    r.node_x[r.link_from[i]] = a.x;
    r.node_y[r.link_from[i]] = a.y;
    r.node_x[r.link_to[i]] = b.x;
    r.node_y[r.link_to[i]] = b.y;
  }
  r.node_signal.assign(nodes, 0);
  r.toll.assign(n, kNaN);
  r.bpr_alpha.assign(n, std::numeric_limits<float>::quiet_NaN());
  r.bpr_beta = r.bpr_alpha;
  for (const char* f : {"roads.toll", "roads.bpr", "roads.district", "roads.signals", "districts.zone_node"}) missing.insert(f);
}
}  // namespace roads

namespace grid {
Column kv() {
  return {.name = "kv", .kind = K::Real, .unit = "kV", .doc = "nominal voltage",
          .get = [](const Twin& t, std::size_t i) { return real(t.grid.bus_kv[i]); },
          .set = [](Twin& t, std::size_t i, const Cell& c) { element(t.grid.bus_kv, i) = cell_real(c); },
          .required = true};
}
const char* bus_type_name(BusType b) {
  switch (b) {
    case BusType::PQ: return "PQ";
    case BusType::PV: return "PV";
    case BusType::Slack: return "slack";
    case BusType::Isolated: return "isolated";
  }
  return "?";
}
Column bus_type() {
  return {.name = "type", .kind = K::Text, .doc = "PQ, PV, slack or isolated",
          .get = [](const Twin& t, std::size_t i) { return Cell(bus_type_name(t.grid.bus_type[i])); }};
}
Column bus_energised() {
  return {.name = "energised", .kind = K::Int, .doc = "1: connected to a slack",
          .get = [](const Twin& t, std::size_t i) { return Cell(std::int64_t{t.grid.bus_energised[i]}); }};
}
Column bus_substation() {
  return {.name = "substation_id", .kind = K::Int64, .doc = "substation the bus lies in; NULL: none",
          .get = [](const Twin& t, std::size_t i) { return ref_or_null(std::int64_t{t.grid.bus_substation[i]}); },
          .set = [](Twin& t, std::size_t i, const Cell& c) { element(t.grid.bus_substation, i) = static_cast<std::int32_t>(cell_int(c, -1)); },
          .bound = [](const Twin&, const RowCounts& rows) { return rows.count("substations") ? rows.at("substations") : 0; },
          .nullable = true};
}
Column bus_ref(std::string name, std::vector<std::uint32_t> PowerGrid::*v, std::string doc) {
  return {.name = std::move(name), .kind = K::Int64, .doc = std::move(doc),
          .get = [v](const Twin& t, std::size_t i) { return id((t.grid.*v)[i]); },
          .set = [v](Twin& t, std::size_t i, const Cell& c) { element(t.grid.*v, i) = static_cast<std::uint32_t>(cell_int(c, 0)); },
          .bound = [](const Twin& so_far, const RowCounts&) { return so_far.grid.bus_count(); }};
}
Column from_bus() { return bus_ref("from_bus", &PowerGrid::branch_from, "bus at the start"); }
Column to_bus() { return bus_ref("to_bus", &PowerGrid::branch_to, "bus at the end"); }
Column branch_kind() {
  return {.name = "kind", .kind = K::Text, .doc = "line, cable or transformer",
          .get = [](const Twin& t, std::size_t i) { return Cell(branch_kind_name(t.grid.branch_kind[i])); },
          .set = [](Twin& t, std::size_t i, const Cell& c) {
            const std::string k = std::holds_alternative<std::monostate>(c) ? "line" : cell_text(c);
            BranchKind b;
            if (k == "line") b = BranchKind::Line;
            else if (k == "cable") b = BranchKind::Cable;
            else if (k == "transformer") b = BranchKind::Transformer;
            else throw InvalidInput("unknown branch kind '" + k + "' (line, cable, transformer)");
            element(t.grid.branch_kind, i) = b;
          }};
}
template <class T>
Column value(std::string name, ColumnKind kind, std::string unit, std::string doc, std::vector<T> PowerGrid::*v, bool read = false) {
  Column c{.name = std::move(name), .kind = kind, .unit = std::move(unit), .doc = std::move(doc),
           .get = [v, kind](const Twin& t, std::size_t i) {
             return kind == K::Real ? Cell(static_cast<double>((t.grid.*v)[i])) : Cell(static_cast<std::int64_t>((t.grid.*v)[i]));
           }};
  if (read) {
    c.set = [v](Twin& t, std::size_t i, const Cell& x) { element(t.grid.*v, i) = static_cast<T>(cell_real(x)); };
    c.required = true;
  }
  return c;
}
Column rating_mva() { return value("rating_mva", K::Real, "MVA", "thermal rating", &PowerGrid::branch_rating_mva, true); }
Column substation_name() {
  return {.name = "name", .kind = K::Text, .doc = "name",
          .get = [](const Twin& t, std::size_t i) { return Cell(t.grid.substation_name[i]); },
          .set = [](Twin& t, std::size_t i, const Cell& c) { element(t.grid.substation_name, i) = cell_text(c); },
          .required = true};
}
Column capacity_mva() { return value("capacity_mva", K::Real, "MVA", "transformer capacity", &PowerGrid::substation_capacity_mva, true); }
Column substation_bus() { return bus_ref("bus_id", &PowerGrid::substation_bus, "its lowest-voltage (feeding) bus"); }
}  // namespace grid

namespace districts {
Column name() {
  return {.name = "name", .kind = K::Text, .doc = "name",
          .get = [](const Twin& t, std::size_t i) { return Cell(t.districts.name[i]); },
          .set = [](Twin& t, std::size_t i, const Cell& c) { element(t.districts.name, i) = cell_text(c); },
          .required = true};
}
Column district_real(std::string name, std::string unit, std::string doc, std::vector<double> Districts::*v, bool read = false) {
  Column c{.name = std::move(name), .kind = K::Real, .unit = std::move(unit), .doc = std::move(doc),
           .get = [v](const Twin& t, std::size_t i) { return Cell((t.districts.*v)[i]); }};
  if (read) c.set = [v](Twin& t, std::size_t i, const Cell& x) { element(t.districts.*v, i) = cell_real(x); };
  return c;
}
Column population() { return district_real("population", "", "residents", &Districts::population, true); }
Column households() { return district_real("households", "", "households", &Districts::households, true); }
Column jobs() { return district_real("jobs", "", "jobs", &Districts::jobs, true); }
}  // namespace districts

std::vector<Layer> make_results_layers() {
  using namespace roads;
  using namespace grid;
  std::vector<Layer> out;
  auto text = [](std::string name, std::string doc, std::string SourceLayer::*m) {
    return Column{.name = std::move(name), .kind = K::Text, .doc = std::move(doc),
                  .get = [m](const Twin& t, std::size_t i) { return Cell(t.sources[i].*m); },
                  .set = [m](Twin& t, std::size_t i, const Cell& c) { element(t.sources, i).*m = cell_text(c); },
                  .required = true};
  };
  out.push_back({.name = "sources", .id = "source_id", .count = [](const Twin& t) { return t.sources.size(); },
                 .columns = {text("department", "transport, energy, planning ...", &SourceLayer::department),
                             text("path", "the source file", &SourceLayer::path), text("layer", "layer in the file", &SourceLayer::layer)}});
  out.push_back({.name = "roads", .geometry = GeometryKind::LineString, .half = Half::Traffic, .id = "link_id",
                 .count = [](const Twin& t) { return t.roads.link_count(); },
                 .columns = cat({road_class(), capacity_vph(), from_node(), to_node(), length_m(), free_flow_s(), lanes(), speed_kph()},
                                results_provenance(road_prov)),
                 .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.lines = &t.roads.geometry, .index = i}; },
                 .set_shape = [](Twin& t, std::size_t, Shape&& s) { t.roads.geometry.add(s.line); },
                 .provenance = road_prov,
                 .complete = roads::complete});
  out.push_back({.name = "signals", .geometry = GeometryKind::Point, .half = Half::Traffic, .id = "signal_id",
                 .count = [](const Twin& t) { return t.signal_nodes().size(); },
                 .columns = {{.name = "road_node", .kind = K::Int64, .doc = "the signalised road node",
                              .get = [](const Twin& t, std::size_t i) { return id(signal_node(t, i)); },
                              .set = [](Twin& t, std::size_t i, const Cell& c) {
                                const auto v = static_cast<std::uint32_t>(cell_int(c, 0));
                                element(t.links.signal_node, i) = v;
                                t.roads.node_signal[v] = 1;
                              },
                              .required = true,
                              .bound = [](const Twin& so_far, const RowCounts&) { return so_far.roads.node_count(); }}},
                 .shape = [](const Twin& t, std::size_t i) {
                   const auto v = signal_node(t, i);
                   return ShapeRef{.point = {t.roads.node_x[v], t.roads.node_y[v]}};
                 },
                 .complete = [](Twin&, std::set<std::string>& missing) { missing.erase("roads.signals"); },
                 .missing_when_absent = false});
  out.push_back({.name = "buses", .geometry = GeometryKind::Point, .half = Half::Grid, .id = "bus_id",
                 .count = [](const Twin& t) { return t.grid.bus_count(); },
                 .columns = cat({kv(), bus_substation()}, results_provenance(bus_prov)),
                 .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.point = {t.grid.bus_x[i], t.grid.bus_y[i]}}; },
                 .set_shape = [](Twin& t, std::size_t i, Shape&& s) {
                   element(t.grid.bus_x, i) = s.point.x;
                   element(t.grid.bus_y, i) = s.point.y;
                 },
                 .provenance = bus_prov,
                 .complete = [](Twin& t, std::set<std::string>& missing) {
                   t.grid.bus_type.assign(t.grid.bus_count(), BusType::PQ);
                   t.grid.bus_energised.assign(t.grid.bus_count(), 1);
                   missing.insert("buses.type");
                   missing.insert("buses.energised");
                 }});
  out.push_back({.name = "branches", .geometry = GeometryKind::LineString, .half = Half::Grid, .id = "branch_id",
                 .count = [](const Twin& t) { return t.grid.branch_count(); },
                 .columns = cat({rating_mva(), from_bus(), to_bus(), branch_kind()}, results_provenance(branch_prov)),
                 .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.lines = &t.grid.branch_geometry, .index = i}; },
                 .set_shape = [](Twin& t, std::size_t, Shape&& s) { t.grid.branch_geometry.add(s.line); },
                 .provenance = branch_prov,
                 .complete = [](Twin& t, std::set<std::string>& missing) {
                   PowerGrid& g = t.grid;
                   const std::size_t n = g.branch_count();
                   g.branch_r.assign(n, kNaN);
                   g.branch_x.assign(n, kNaN);
                   g.branch_b.assign(n, kNaN);
                   g.branch_in_service.assign(n, 1);
                   missing.insert("branches.impedance");
                   missing.insert("branches.in_service");
                 }});
  out.push_back({.name = "substations", .geometry = GeometryKind::MultiPolygon, .half = Half::Grid, .id = "substation_id",
                 .count = [](const Twin& t) { return t.grid.substation_count(); },
                 .columns = cat({substation_name(), capacity_mva(), substation_bus()}, results_provenance(substation_prov)),
                 .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.polygons = &t.grid.substation_shape, .index = i}; },
                 .set_shape = [](Twin& t, std::size_t, Shape&& s) {
                   t.grid.substation_shape.begin_feature();
                   for (const auto& p : s.polygons) t.grid.substation_shape.add_polygon(p);
                 },
                 .provenance = substation_prov,
                 .complete = [](Twin& t, std::set<std::string>&) {
                   PowerGrid& g = t.grid;
                   for (std::size_t k = 0; k < g.substation_shape.size(); ++k) {
                     const Point2 c = g.substation_shape.centroid(k);
                     g.substation_x.push_back(c.x);
                     g.substation_y.push_back(c.y);
                   }
                 }});
  out.push_back({.name = "districts", .geometry = GeometryKind::MultiPolygon, .id = "district_id",
                 .count = [](const Twin& t) { return t.districts.size(); },
                 .columns = cat({districts::name(), districts::population(), districts::households(), districts::jobs()},
                                results_provenance(district_prov)),
                 .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.polygons = &t.districts.shape, .index = i}; },
                 .set_shape = [](Twin& t, std::size_t, Shape&& s) {
                   t.districts.shape.begin_feature();
                   for (const auto& p : s.polygons) t.districts.shape.add_polygon(p);
                 },
                 .provenance = district_prov,
                 .complete = [](Twin& t, std::set<std::string>& missing) {
                   Districts& d = t.districts;
                   d.derive_area_and_centroids();
                   d.jobs_retail.assign(d.size(), kNaN);
                   d.jobs_service = d.jobs_other = d.jobs_retail;
                   missing.insert("districts.jobs_by_sector");
                   missing.insert("districts.substations");
                 }});
  return out;
}

}  // namespace

const std::vector<Layer>& results_twin_layers() {
  static const std::vector<Layer> layers = make_results_layers();
  return layers;
}

std::vector<Layer> export_layers(const Twin& twin) {
  using namespace roads;
  using namespace grid;
  std::vector<Layer> out;
  out.push_back({.name = "roads", .geometry = GeometryKind::LineString, .id = "link_id",
                 .count = [](const Twin& t) { return t.roads.link_count(); },
                 .columns = cat({from_node(), to_node(), road_class(), length_m(), free_flow_s(), capacity_vph(), lanes(), speed_kph(),
                                 toll(), bpr_alpha(), bpr_beta(), district()},
                                export_provenance(road_prov)),
                 .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.lines = &t.roads.geometry, .index = i}; }});
  // zone of each node (centroid nodes), looked up once
  auto zone_of = std::make_shared<std::vector<std::int64_t>>(twin.roads.node_count(), -1);
  for (std::size_t z = 0; z < twin.roads.zone_node.size(); ++z) (*zone_of)[twin.roads.zone_node[z]] = static_cast<std::int64_t>(z);
  out.push_back({.name = "road_nodes", .geometry = GeometryKind::Point, .id = "node_id",
                 .count = [](const Twin& t) { return t.roads.node_count(); },
                 .columns = cat({{.name = "signal", .kind = K::Int, .doc = "1: signalised junction",
                                  .get = [](const Twin& t, std::size_t v) { return Cell(std::int64_t{t.roads.node_signal[v]}); }},
                                 {.name = "zone", .kind = K::Int64, .doc = "zone whose centroid the node is; NULL: none",
                                  .get = [zone_of](const Twin&, std::size_t v) { return ref_or_null((*zone_of)[v]); }}},
                                export_provenance(node_prov)),
                 .shape = [](const Twin& t, std::size_t v) { return ShapeRef{.point = {t.roads.node_x[v], t.roads.node_y[v]}}; }});
  out.push_back({.name = "grid_buses", .geometry = GeometryKind::Point, .id = "bus_id",
                 .count = [](const Twin& t) { return t.grid.bus_count(); },
                 .columns = cat({kv(), bus_type(), bus_energised(), bus_substation().renamed("substation")}, export_provenance(bus_prov)),
                 .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.point = {t.grid.bus_x[i], t.grid.bus_y[i]}}; }});
  out.push_back({.name = "grid_branches", .geometry = GeometryKind::LineString, .id = "branch_id",
                 .count = [](const Twin& t) { return t.grid.branch_count(); },
                 .columns = cat({from_bus(), to_bus(), branch_kind(), value("r_pu", K::Real, "p.u.", "resistance", &PowerGrid::branch_r),
                                 value("x_pu", K::Real, "p.u.", "reactance", &PowerGrid::branch_x),
                                 value("b_pu", K::Real, "p.u.", "charging susceptance", &PowerGrid::branch_b), rating_mva(),
                                 value("in_service", K::Int, "", "1: in service", &PowerGrid::branch_in_service)},
                                export_provenance(branch_prov)),
                 .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.lines = &t.grid.branch_geometry, .index = i}; }});
  out.push_back({.name = "substations", .geometry = GeometryKind::MultiPolygon, .id = "substation_id",
                 .count = [](const Twin& t) { return t.grid.substation_count(); },
                 .columns = cat({substation_name(), capacity_mva(), substation_bus().renamed("bus")}, export_provenance(substation_prov)),
                 .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.polygons = &t.grid.substation_shape, .index = i}; }});
  {
    using namespace districts;
    // "substation:share;..." so QGIS shows the service split in one field.
    Column serving{.name = "substations", .kind = K::Text, .doc = "serving substations as substation:share;...",
                   .get = [](const Twin& t, std::size_t i) {
                     const CrossLinks& x = t.links;
                     std::string s;
                     if (i + 1 < x.district_sub_offsets.size())
                       for (auto k = x.district_sub_offsets[i]; k < x.district_sub_offsets[i + 1]; ++k) {
                         if (!s.empty()) s += ";";
                         char share[32];
                         std::snprintf(share, sizeof share, "%.4f", x.district_sub_share[k]);
                         s += std::to_string(x.district_sub[k]) + ":" + share;
                       }
                     return Cell(s);
                   }};
    out.push_back({.name = "districts", .geometry = GeometryKind::MultiPolygon, .id = "district_id",
                   .count = [](const Twin& t) { return t.districts.size(); },
                   .columns = cat({name(), population(), households(), jobs(), district_real("jobs_retail", "", "retail jobs", &Districts::jobs_retail),
                                   district_real("jobs_service", "", "service jobs", &Districts::jobs_service),
                                   district_real("jobs_other", "", "other jobs", &Districts::jobs_other),
                                   district_real("area_m2", "m2", "area", &Districts::area_m2), serving},
                                  export_provenance(district_prov)),
                   .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.polygons = &t.districts.shape, .index = i}; }});
  }
  auto charger_ref = [](std::string name, std::vector<std::uint32_t> CrossLinks::*v, std::string doc) {
    return Column{.name = std::move(name), .kind = K::Int64, .doc = std::move(doc), .get = [v](const Twin& t, std::size_t i) {
                    return i < (t.links.*v).size() ? ref_or_null((t.links.*v)[i]) : Cell();
                  }};
  };
  out.push_back({.name = "ev_chargers", .geometry = GeometryKind::Point, .id = "charger_id",
                 .count = [](const Twin& t) { return t.chargers.size(); },
                 .columns = cat({{.name = "plugs", .kind = K::Int, .doc = "plugs",
                                  .get = [](const Twin& t, std::size_t i) { return Cell(std::int64_t{t.chargers.plugs[i]}); }},
                                 {.name = "kw_per_plug", .kind = K::Real, .unit = "kW", .doc = "power per plug",
                                  .get = [](const Twin& t, std::size_t i) { return Cell(t.chargers.kw_per_plug[i]); }},
                                 charger_ref("bus", &CrossLinks::charger_bus, "bus that powers it"),
                                 charger_ref("road_node", &CrossLinks::charger_node, "nearest road node")},
                                export_provenance(charger_prov)),
                 .shape = [](const Twin& t, std::size_t i) { return ShapeRef{.point = {t.chargers.x[i], t.chargers.y[i]}}; }});
  return out;
}

}  // namespace citytwin::schema
