// Grid: power=substation areas and nodes -> substations with one bus per
// voltage level and a transformer between adjacent levels; power=line|
// minor_line|cable ways -> one branch per voltage of a multi-valued `voltage`
// tag, impedance from line_defaults() by voltage class, ends snapped to
// substations (or to each other: junction buses) within grid_snap_m; voltages
// inferred from connected elements, else a default; then the distribution
// level completed for every district; slack and islands last. Every inferred
// element has source kInferred and a report entry.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "core/model/grid_infeeds.hpp"
#include "geo/index/spatial_index.hpp"
#include "geo/import/grid_assembly.hpp"
#include "geo/import/line_defaults.hpp"
#include "geo/osm/osm_stages.hpp"
#include "geo/osm/osm_tags.hpp"

namespace citytwin::geo::osm {

namespace {

constexpr double kPointHalfSide = 15;        // a node substation is drawn as a 30 m square
constexpr double kInferredDistributionMva = 10;

double capacity_for(double max_kv) {  // substation rating when OSM has none (documented table)
  return max_kv >= 200 ? 500 : max_kv >= 100 ? 120 : max_kv >= 30 ? 40 : 10;
}

struct Sub {
  std::vector<double> kv;      // voltage levels, ascending, distinct
  std::vector<std::uint32_t> bus;  // bus per level
  bool inferred = false;
};

struct Circuit {             // one voltage level of one line way
  std::size_t line;          // index in x.power_lines
  double kv = -1;            // < 0: unknown yet
  int circuits = 1;
  bool cable = false;
};

struct End {                 // what a line end attaches to
  std::int64_t sub = -1;     // substation
  std::int64_t junction = -1;  // inferred junction / terminal node
};

double polyline_km(const std::vector<Point2>& l) {
  double s = 0;
  for (std::size_t i = 1; i < l.size(); ++i) s += std::hypot(l[i].x - l[i - 1].x, l[i].y - l[i - 1].y);
  return s / 1000.0;
}

bool finite_line(const std::vector<Point2>& l) {
  if (l.size() < 2) return false;
  for (const Point2& p : l)
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return false;
  return true;
}

class GridBuilder {
 public:
  GridBuilder(const OsmExtract& x, const OsmImportOptions& o, const OsmSources& s, Twin& twin)
      : x_(x), o_(o), s_(s), g_(twin.grid), rep_(twin.report) {}

  void substations();
  void lines();
  void complete_distribution(const std::vector<Point2>& centres, const Districts& d);
  void finish();  // buses, transformers, branches, slack, islands
  std::size_t inferred_substations = 0, inferred_branches = 0, islands = 0;

 private:
  void add_line(const LineToAdd& line) {
    geo::add_line(g_, line);
    if (line.source == ProvenanceColumn::kInferred) ++inferred_branches;
  }
  // Capacity and bus are set in finish(), once the voltage levels are known.
  std::size_t add_substation(const std::vector<LonLatPolygon>& shape, const std::string& name, std::uint32_t src, std::int64_t fid,
                             std::vector<double> kv, bool inferred) {
    const std::size_t k = g_.add_substation({.shape = shape, .name = name, .source = src, .feature = fid});
    Sub s;
    s.kv = std::move(kv);
    s.inferred = inferred;
    subs_.push_back(std::move(s));
    if (inferred) ++inferred_substations;
    return k;
  }
  static std::vector<LonLatPolygon> square(Point2 c, double h) {
    return {{{{c.x - h, c.y - h}, {c.x + h, c.y - h}, {c.x + h, c.y + h}, {c.x - h, c.y + h}, {c.x - h, c.y - h}}}};
  }
  void add_level(std::size_t k, double kv) {
    auto& v = subs_[k].kv;
    if (std::find(v.begin(), v.end(), kv) == v.end()) v.push_back(kv);
  }
  std::uint32_t sub_bus(std::size_t k, double kv) const {
    const Sub& s = subs_[k];
    for (std::size_t i = 0; i < s.kv.size(); ++i)
      if (s.kv[i] == kv) return s.bus[i];
    return s.bus.front();
  }

  const OsmExtract& x_;
  const OsmImportOptions& o_;
  const OsmSources& s_;
  PowerGrid& g_;
  ImportReport& rep_;
  std::vector<Sub> subs_;
  std::vector<Circuit> circuits_;
  std::vector<std::array<End, 2>> ends_;        // per power line
  std::vector<Point2> junction_xy_;
  std::vector<std::vector<double>> junction_kv_;  // kv of circuits meeting there
  std::vector<std::uint32_t> junction_bus_;
  std::vector<std::uint8_t> junction_terminal_;
  // distribution completion: inferred cables (bus chosen in finish())
  struct Feeder {
    std::size_t from_sub, to_sub;
    double kv;
  };
  std::vector<Feeder> feeders_;
};

void GridBuilder::substations() {
  // A substation mapped both as an area and as a node inside it is one substation.
  PolygonColumn areas;
  std::vector<std::size_t> area_of;
  for (std::size_t i = 0; i < x_.substations.size(); ++i) {
    const RawSubstation& r = x_.substations[i];
    if (r.is_point) continue;
    areas.begin_feature();
    for (const auto& p : r.polygons) areas.add_polygon(p);
    area_of.push_back(i);
  }
  const PolygonIndex area_index = PolygonIndex::build(areas);
  std::int64_t duplicates = 0, untagged = 0, bad = 0;
  for (const RawSubstation& r : x_.substations) {
    if (r.is_point) {
      if (!std::isfinite(r.point.x) || !std::isfinite(r.point.y)) {
        ++bad;
        continue;
      }
      if (!area_index.containing(r.point).empty()) {
        ++duplicates;
        continue;
      }
    }
    const auto kv = parse_voltages_kv(r.voltage);
    if (kv.empty()) ++untagged;
    std::vector<double> levels(kv.rbegin(), kv.rend());
    const std::string name = r.name.empty() ? "substation " + std::to_string(r.id) : r.name;
    if (r.is_point) add_substation(square(r.point, kPointHalfSide), name, s_.substation_points, r.id, levels, false);
    else add_substation(r.polygons, name, s_.substation_areas, r.id, levels, false);
  }
  std::int64_t points = 0;
  for (std::size_t k = 0; k < subs_.size(); ++k) points += g_.substation_source.source[k] == s_.substation_points;
  rep_.add("skipped", "grid.substations", duplicates, "substation node inside a substation area (the same substation mapped twice)");
  rep_.add("skipped", "grid.substations", bad, "substation node that could not be projected");
  rep_.add("inferred", "grid.substations", points, "substation mapped as a node: drawn as a 30 m square");
  rep_.add("inferred", "grid.substations", untagged, "substation without voltage tag: levels from its lines, else the default");
}

void GridBuilder::lines() {
  const PolygonIndex sub_index = PolygonIndex::build(g_.substation_shape);
  const double tol = o_.grid_snap_m;
  ends_.assign(x_.power_lines.size(), {});
  std::vector<std::uint8_t> usable(x_.power_lines.size(), 0);
  std::int64_t multi = 0, bad = 0;
  for (std::size_t i = 0; i < x_.power_lines.size(); ++i) {
    const RawPowerLine& l = x_.power_lines[i];
    if (!finite_line(l.line)) {
      ++bad;
      continue;
    }
    usable[i] = 1;
    const auto kvs = parse_voltages_kv(l.voltage);
    auto counts = parse_counts(l.circuits);
    if (counts.empty())
      if (const auto cables = parse_counts(l.cables); !cables.empty()) {
        int total = 0;
        for (int c : cables) total += c;
        counts = {std::max(1, total / 3)};  // three cables per AC circuit
      }
    const bool cable = l.power == "cable";
    if (kvs.size() > 1) ++multi;
    if (kvs.empty()) {
      circuits_.push_back({i, -1, counts.empty() ? 1 : counts.front(), cable});
    } else {
      int total = 0;
      for (int c : counts) total += c;
      for (std::size_t v = 0; v < kvs.size(); ++v) {
        int n = 1;
        if (counts.size() == kvs.size()) n = counts[v];
        else if (!counts.empty()) n = std::max(1, total / static_cast<int>(kvs.size()));
        circuits_.push_back({i, kvs[v], n, cable});
      }
    }
    for (int e = 0; e < 2; ++e) {
      const Point2 p = e == 0 ? l.line.front() : l.line.back();
      const auto hit = sub_index.nearest(p, 1);
      if (!hit.empty() && hit.front().distance_m <= tol) ends_[i][e].sub = hit.front().id;
    }
  }
  rep_.add("skipped", "grid.lines", bad, "power line with fewer than two nodes inside the extract");
  rep_.add("inferred", "grid.lines", multi, "multi-valued voltage tag: one branch per voltage level");

  // Loose ends meeting within the tolerance share an inferred junction; the others are terminal ends.
  std::vector<std::pair<std::size_t, int>> loose;
  for (std::size_t i = 0; i < ends_.size(); ++i)
    if (usable[i])
      for (int e = 0; e < 2; ++e)
        if (ends_[i][e].sub < 0) loose.emplace_back(i, e);
  auto end_point = [&](std::pair<std::size_t, int> le) {
    const auto& line = x_.power_lines[le.first].line;
    return le.second == 0 ? line.front() : line.back();
  };
  std::int64_t junctions = 0, terminals = 0;
  for (std::size_t a = 0; a < loose.size(); ++a) {
    auto& ea = ends_[loose[a].first][loose[a].second];
    if (ea.junction >= 0) continue;
    const Point2 pa = end_point(loose[a]);
    const auto j = static_cast<std::int64_t>(junction_xy_.size());
    junction_xy_.push_back(pa);
    ea.junction = j;
    std::size_t members = 1;
    for (std::size_t b = a + 1; b < loose.size(); ++b) {
      auto& eb = ends_[loose[b].first][loose[b].second];
      const Point2 pb = end_point(loose[b]);
      if (eb.junction < 0 && std::hypot(pa.x - pb.x, pa.y - pb.y) <= tol) {
        eb.junction = j;
        ++members;
      }
    }
    junction_terminal_.push_back(members < 2 ? 1 : 0);
    ++(members < 2 ? terminals : junctions);
  }
  junction_kv_.assign(junction_xy_.size(), {});
  rep_.add("inferred", "grid.lines", junctions, "junction bus where line ends meet outside any substation");
  rep_.add("inferred", "grid.lines", terminals,
           "terminal bus at a line end with no substation or other line within grid_snap_m (the line leaves the extract, or OSM is incomplete)");

  // Voltages: tagged circuits tell their substations and junctions; untagged
  // circuits take the highest voltage known at either end; repeat to a fixpoint.
  for (const Circuit& c : circuits_) {
    if (c.kv <= 0) continue;
    for (int e = 0; e < 2; ++e) {
      const End& end = ends_[c.line][e];
      if (end.sub >= 0) add_level(static_cast<std::size_t>(end.sub), c.kv);
      else junction_kv_[end.junction].push_back(c.kv);
    }
  }
  std::int64_t from_neighbours = 0, defaulted = 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (Circuit& c : circuits_) {
      if (c.kv > 0) continue;
      double best = -1;
      for (int e = 0; e < 2; ++e) {
        const End& end = ends_[c.line][e];
        const auto& known = end.sub >= 0 ? subs_[end.sub].kv : junction_kv_[end.junction];
        for (double v : known) best = std::max(best, v);
      }
      if (best > 0) {
        c.kv = best;
        ++from_neighbours;
        changed = true;
        for (int e = 0; e < 2; ++e) {
          const End& end = ends_[c.line][e];
          if (end.sub >= 0) add_level(static_cast<std::size_t>(end.sub), best);
          else junction_kv_[end.junction].push_back(best);
        }
      }
    }
  }
  for (Circuit& c : circuits_) {
    if (c.kv > 0) continue;
    c.kv = o_.default_kv;
    ++defaulted;
    for (int e = 0; e < 2; ++e) {
      const End& end = ends_[c.line][e];
      if (end.sub >= 0) add_level(static_cast<std::size_t>(end.sub), c.kv);
      else junction_kv_[end.junction].push_back(c.kv);
    }
  }
  rep_.add("inferred", "grid.lines", from_neighbours, "line voltage missing: taken from its substations or connected lines");
  rep_.add("inferred", "grid.lines", defaulted, "line voltage missing and nothing connected tells: default voltage (--default-kv)");
}

void GridBuilder::complete_distribution(const std::vector<Point2>& centres, const Districts& d) {
  if (centres.empty()) return;
  const double dist_kv = o_.distribution_kv;
  const std::size_t existing = subs_.size();
  auto max_kv = [&](std::size_t k) { return subs_[k].kv.empty() ? o_.default_kv : *std::max_element(subs_[k].kv.begin(), subs_[k].kv.end()); };
  // Supply points: substations that step down from above the distribution voltage.
  auto supply_candidates = [&] {
    std::vector<std::uint32_t> ids;
    for (std::uint32_t k = 0; k < subs_.size(); ++k)
      if (!subs_[k].inferred && max_kv(k) > dist_kv) ids.push_back(k);
    return ids;
  };
  auto supply = supply_candidates();
  if (supply.empty() && existing > 0)
    for (std::uint32_t k = 0; k < existing; ++k) supply.push_back(k);
  if (supply.empty()) {
    // No grid at all: one bulk supply point at the districts' load-weighted centre.
    double sx = 0, sy = 0, w = 0;
    for (std::size_t i = 0; i < centres.size(); ++i) {
      const double wi = std::max(1.0, d.population[i] + d.jobs[i]);
      sx += centres[i].x * wi;
      sy += centres[i].y * wi;
      w += wi;
    }
    const Point2 c{sx / w, sy / w};
    const std::size_t k = add_substation(square(c, kPointHalfSide * 2), "inferred bulk supply point", ProvenanceColumn::kInferred, -1,
                                         {dist_kv, o_.transmission_kv}, true);
    supply.push_back(static_cast<std::uint32_t>(k));
    rep_.add("inferred", "grid.substations", 1,
             "the extract has no substation: one bulk supply point (" + std::to_string(static_cast<int>(o_.transmission_kv)) + "/" +
                 std::to_string(static_cast<int>(dist_kv)) + " kV) at the districts' load-weighted centre");
  }
  std::vector<double> sx, sy;
  for (auto k : supply) {
    sx.push_back(g_.substation_x[k]);
    sy.push_back(g_.substation_y[k]);
  }
  const PointIndex supply_index = PointIndex::build(sx, sy);
  std::int64_t served = 0, created = 0;
  for (std::size_t i = 0; i < centres.size(); ++i) {
    const PolygonIndex all = PolygonIndex::build(g_.substation_shape);
    const auto near = all.nearest(centres[i], 1);
    if (!near.empty() && near.front().distance_m <= o_.service_distance_m) {
      ++served;
      continue;
    }
    const auto feeder = supply_index.nearest(centres[i], 1);
    const std::size_t from = supply[feeder.front().id];
    const std::size_t k = add_substation(square(centres[i], kPointHalfSide), "inferred distribution substation for " + d.name[i],
                                         ProvenanceColumn::kInferred, -1, {dist_kv}, true);
    add_level(from, dist_kv);
    feeders_.push_back({from, k, dist_kv});
    ++created;
  }
  rep_.add("inferred", "grid.substations", created,
           "distribution substation at a district's load centre (no substation within --service-distance), fed by a cable from the nearest supply substation");
  rep_.add("inferred", "grid", created, "distribution feeder cable from the nearest supply substation (straight line)");
}

void GridBuilder::finish() {
  // Buses: one per substation voltage level, lowest first; the lowest feeds the district.
  std::int64_t transformers = 0, defaulted = 0;
  for (std::size_t k = 0; k < subs_.size(); ++k) {
    Sub& s = subs_[k];
    if (s.kv.empty()) {
      s.kv.push_back(o_.default_kv);
      ++defaulted;
    }
    std::sort(s.kv.begin(), s.kv.end());
    const Point2 c{g_.substation_x[k], g_.substation_y[k]};
    const std::uint32_t src = g_.substation_source.source[k];
    const std::int64_t fid = g_.substation_source.feature[k];
    for (double kv : s.kv) s.bus.push_back(g_.add_bus({.at = c, .kv = kv, .substation = static_cast<std::int32_t>(k), .source = src, .feature = fid}));
    g_.substation_bus[k] = s.bus.front();
    g_.substation_capacity_mva[k] = s.inferred && s.kv.size() == 1 ? kInferredDistributionMva : capacity_for(s.kv.back());
  }
  rep_.add("inferred", "grid.substations", defaulted, "substation voltage unknown and no line attached: default voltage (--default-kv)");
  rep_.add("inferred", "grid.substations", static_cast<std::int64_t>(subs_.size()), "substation rating from the default table by its highest voltage");
  // Transformers between adjacent levels of one substation.
  for (std::size_t k = 0; k < subs_.size(); ++k) {
    const Sub& s = subs_[k];
    for (std::size_t i = 1; i < s.kv.size(); ++i) {
      add_transformer(g_, s.bus[i], s.bus[i - 1], g_.substation_capacity_mva[k]);
      ++inferred_branches;
      ++transformers;
    }
  }
  rep_.add("inferred", "grid.substations", transformers, "transformer between adjacent voltage levels of one substation (10 % impedance, X/R 20)");
  // Junction and terminal buses: one per voltage meeting there.
  std::vector<std::vector<std::pair<double, std::uint32_t>>> jbus(junction_xy_.size());
  for (std::size_t j = 0; j < junction_xy_.size(); ++j) {
    auto kvs = junction_kv_[j];
    std::sort(kvs.begin(), kvs.end());
    kvs.erase(std::unique(kvs.begin(), kvs.end()), kvs.end());
    for (double kv : kvs) jbus[j].push_back({kv, g_.add_bus({.at = junction_xy_[j], .kv = kv})});
  }
  auto end_bus = [&](const End& e, double kv) -> std::uint32_t {
    if (e.sub >= 0) return sub_bus(static_cast<std::size_t>(e.sub), kv);
    for (const auto& [v, b] : jbus[e.junction])
      if (v == kv) return b;
    return jbus[e.junction].front().second;
  };
  std::int64_t loops = 0;
  for (const Circuit& c : circuits_) {
    const RawPowerLine& l = x_.power_lines[c.line];
    const std::uint32_t from = end_bus(ends_[c.line][0], c.kv), to = end_bus(ends_[c.line][1], c.kv);
    if (from == to) {
      ++loops;
      continue;
    }
    const LineTypeDefaults d = line_defaults(c.kv, c.cable);
    const double km = polyline_km(l.line);
    add_line({.from = from,
              .to = to,
              .cable = c.cable,
              .kv = c.kv,
              .km = km,
              .circuits = static_cast<double>(c.circuits),
              .per_km = {.r_ohm = d.r_ohm_per_km, .x_ohm = d.x_ohm_per_km, .c_nf = d.c_nf_per_km},
              .rating_mva = d.rating_mva * c.circuits,
              .geometry = l.line,
              .source = s_.lines,
              .feature = l.id});
  }
  rep_.add("skipped", "grid.lines", loops, "line starts and ends at the same bus (inside one substation)");
  rep_.add("inferred", "grid.lines", static_cast<std::int64_t>(circuits_.size() - static_cast<std::size_t>(loops)),
           "impedance and rating from the default table by voltage class (line_defaults)");
  // Distribution feeders.
  for (const Feeder& f : feeders_) {
    const std::uint32_t a = sub_bus(f.from_sub, f.kv), b = sub_bus(f.to_sub, f.kv);
    const std::vector<Point2> geom{{g_.bus_x[a], g_.bus_y[a]}, {g_.bus_x[b], g_.bus_y[b]}};
    const double km = std::max(0.01, polyline_km(geom));
    const LineTypeDefaults d = line_defaults(f.kv, true);
    add_line({.from = a,
              .to = b,
              .cable = true,
              .kv = f.kv,
              .km = km,
              .per_km = {.r_ohm = d.r_ohm_per_km, .x_ohm = d.x_ohm_per_km, .c_nf = d.c_nf_per_km},
              .rating_mva = d.rating_mva,
              .geometry = geom});
  }

  // Slack: highest voltage, then largest substation (the bulk supply point).
  if (g_.bus_count() == 0) return;
  make_slack(g_, bulk_supply_bus(g_));
  rep_.add("inferred", "grid", 1, "slack bus chosen automatically (highest voltage, largest substation)");

  // Islands: OSM maps a fraction of the cables, so islands get assumed infeeds (core/model/grid_infeeds.hpp).
  const IslandSupply supply = assume_island_infeeds(g_);
  islands = supply.islands - 1;
  rep_.add("inferred", "grid", supply.assumed_infeeds,
           "island without a mapped connection to the slack (OSM power data are sparse): supplied by an assumed infeed at "
           "its largest substation");
  rep_.add("warning", "grid", supply.unsupplied_buses, "buses not connected to any slack (islands without a substation)");
}

}  // namespace

void build_osm_grid(const OsmExtract& x, const OsmImportOptions& o, const OsmSources& s, const std::vector<Point2>& load_centres,
                    Twin& twin, OsmImportSummary& sum) {
  twin.grid = PowerGrid{};
  if (x.substations.empty() && x.power_lines.empty())
    twin.report.add("warning", "grid", 1, "the extract has no power=substation or power=line|minor_line|cable: the grid is entirely inferred");
  GridBuilder b(x, o, s, twin);
  b.substations();
  b.lines();
  b.complete_distribution(load_centres, twin.districts);
  b.finish();
  twin.grid.check_consistency(twin.sources.size());
  sum.power_lines = x.power_lines.size();
  sum.substations_in_file = x.substations.size();
  sum.inferred_substations = b.inferred_substations;
  sum.inferred_branches = b.inferred_branches;
  sum.grid_islands = b.islands;
}

}  // namespace citytwin::geo::osm
