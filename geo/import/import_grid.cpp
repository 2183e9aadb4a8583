#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "core/model/grid_infeeds.hpp"
#include "geo/import/grid_assembly.hpp"
#include "geo/import/import_layers.hpp"
#include "geo/import/line_defaults.hpp"

namespace citytwin::geo {

namespace {

constexpr double kDefaultSubstationKv = 110;
constexpr double kDefaultSubstationMva = 40;
constexpr double kPointSubstationHalfSide = 15;  // m: a point substation is drawn as a 30 m square

double to_kv(double v, const LayerSpec& spec) { return spec.unit("kv", "kV") == "V" ? v / 1000.0 : v; }
double to_mva(double v, const LayerSpec& spec, const std::string& attr) { return spec.unit(attr, "MVA") == "kVA" ? v / 1000.0 : v; }

void read_substations(ImportContext& ctx) {
  const LayerSpec& spec = *ctx.manifest.substations;
  LayerReader r(spec);
  r.set_target_crs(ctx.target_crs);
  const std::uint32_t source = ctx.add_source(spec);
  PowerGrid& g = ctx.twin.grid;
  std::vector<Polygon> parts;
  std::unordered_set<std::string> ids;
  ctx.gate.each_feature(r, [&] {
    if (const auto id = r.text("id"); id && !ids.insert(*id).second) {
      ctx.gate.reject(r, "duplicate id '" + *id + "'", "id");
      return;
    }
    Point2 centre;
    if (r.is_polygonal()) {
      const GeometryStatus st = r.polygons(parts, true);
      if (st != GeometryStatus::Ok) {
        ctx.gate.reject_geometry(r, st);
        return;
      }
    } else {
      const GeometryStatus st = r.point(centre);
      if (st != GeometryStatus::Ok) {
        ctx.gate.reject_geometry(r, st);
        return;
      }
      const double h = kPointSubstationHalfSide;
      parts = {{{{centre.x - h, centre.y - h}, {centre.x + h, centre.y - h}, {centre.x + h, centre.y + h}, {centre.x - h, centre.y + h}}}};
      ctx.gate.inferred(r, "point substation drawn as a 30 m square");
    }
    const auto kv = r.number("kv");
    const auto mva = r.number("capacity_mva");
    if (kv && *kv <= 0) {
      ctx.gate.reject(r, "voltage must be positive", "kv");
      return;
    }
    if (mva && *mva <= 0) {
      ctx.gate.reject(r, "capacity must be positive", "capacity_mva");
      return;
    }
    if (!kv) ctx.gate.inferred(r, "substation voltage missing: 110 kV assumed");
    if (!mva) ctx.gate.inferred(r, "substation capacity missing: 40 MVA assumed");
    const std::uint32_t k = g.add_substation({.shape = parts,
                                              .capacity_mva = mva ? to_mva(*mva, spec, "capacity_mva") : kDefaultSubstationMva,
                                              .name = r.text("name").value_or("substation " + std::to_string(r.fid())),
                                              .source = source,
                                              .feature = r.fid()});
    g.substation_bus[k] = g.add_bus({.at = {g.substation_x[k], g.substation_y[k]},
                                     .kv = kv ? to_kv(*kv, spec) : kDefaultSubstationKv,
                                     .substation = static_cast<std::int32_t>(k),
                                     .source = source,
                                     .feature = r.fid()});
  });
}

std::int32_t substation_containing(const PowerGrid& g, Point2 p, double tolerance) {
  for (std::size_t k = 0; k < g.substation_count(); ++k) {
    const Box2 b = g.substation_shape.bounds(k);
    if (p.x < b.min_x - tolerance || p.x > b.max_x + tolerance || p.y < b.min_y - tolerance || p.y > b.max_y + tolerance) continue;
    if (g.substation_shape.contains(k, p)) return static_cast<std::int32_t>(k);
    if (tolerance > 0 && std::hypot(p.x - g.substation_x[k], p.y - g.substation_y[k]) <= tolerance) return static_cast<std::int32_t>(k);
  }
  return -1;
}

void read_buses(ImportContext& ctx) {
  const LayerSpec& spec = *ctx.manifest.buses;
  PowerGrid& g = ctx.twin.grid;
  ctx.each_point(spec, [&](LayerReader& r, const Point2& p, std::uint32_t source) {
    const auto kv = r.number("kv");
    if (kv && *kv <= 0) {
      ctx.gate.reject(r, "voltage must be positive", "kv");
      return;
    }
    const std::int32_t sub = substation_containing(g, p, 0);
    const double v = kv ? to_kv(*kv, spec) : (sub >= 0 ? g.bus_kv[g.substation_bus[sub]] : kDefaultSubstationKv);
    // A bus inside a substation at the substation's own voltage is that substation's bus.
    if (sub >= 0 && std::abs(g.bus_kv[g.substation_bus[sub]] - v) < 1e-6) return;
    if (!kv) ctx.gate.inferred(r, "bus voltage missing: taken from its substation or 110 kV");
    g.add_bus({.at = p, .kv = v, .substation = sub, .source = source, .feature = r.fid()});
  });
}

struct LineRecord {
  std::vector<Point2> line;
  double kv;  // < 0 if unknown
  bool cable;
  double r, x, c, rating;  // per km / per circuit; < 0 if unknown
  double circuits;
  bool in_service;
  std::int64_t fid;
};

// The bus a line end attaches to: nearest bus within tolerance, else the bus
// of a substation containing the end; -1 if none.
std::int64_t attach(const PowerGrid& g, Point2 p, double tolerance) {
  std::int64_t best = -1;
  double best_d = tolerance;
  for (std::size_t b = 0; b < g.bus_count(); ++b) {
    const double d = std::hypot(g.bus_x[b] - p.x, g.bus_y[b] - p.y);
    if (d <= best_d) {
      best_d = d;
      best = static_cast<std::int64_t>(b);
    }
  }
  if (best >= 0) return best;
  const std::int32_t sub = substation_containing(g, p, 0);
  return sub >= 0 ? static_cast<std::int64_t>(g.substation_bus[sub]) : -1;
}

void read_lines(ImportContext& ctx) {
  const LayerSpec& spec = *ctx.manifest.lines;
  LayerReader r(spec);
  r.set_target_crs(ctx.target_crs);
  const std::uint32_t source = ctx.add_source(spec);
  PowerGrid& g = ctx.twin.grid;
  const double tol = ctx.manifest.grid_snap_tolerance_m;
  std::vector<LineRecord> lines;
  std::vector<std::vector<Point2>> parts;
  ctx.gate.each_feature(r, [&] {
    const GeometryStatus st = r.lines(parts);
    if (st != GeometryStatus::Ok) {
      ctx.gate.reject_geometry(r, st);
      return;
    }
    LineRecord rec;
    const auto kind = r.text("kind").value_or("line");
    if (kind != "line" && kind != "cable" && kind != "minor_line") {
      ctx.gate.reject(r, "line kind '" + kind + "' not understood (line, minor_line or cable)", "kind");
      return;
    }
    rec.cable = kind == "cable";
    const auto kv = r.number("kv");
    rec.kv = kv ? to_kv(*kv, spec) : -1;
    rec.r = r.number("r_ohm_per_km").value_or(-1);
    rec.x = r.number("x_ohm_per_km").value_or(-1);
    rec.c = r.number("c_nf_per_km").value_or(-1);
    rec.rating = r.number("rating_mva") ? to_mva(*r.number("rating_mva"), spec, "rating_mva") : -1;
    rec.circuits = r.number("circuits").value_or(1);
    rec.in_service = r.number("in_service").value_or(1) != 0;
    if (rec.circuits < 1 || rec.x == 0 || (kv && *kv <= 0)) {
      ctx.gate.reject(r, "circuits must be >= 1, reactance non-zero and voltage positive", rec.circuits < 1 ? "circuits" : "x_ohm_per_km");
      return;
    }
    rec.fid = r.fid();
    for (auto& part : parts) {
      rec.line = std::move(part);
      lines.push_back(rec);
    }
  });

  // Attach ends; ends that touch nothing but other line ends become inferred junction buses.
  std::vector<std::array<std::int64_t, 2>> ends(lines.size(), {-1, -1});
  std::vector<std::pair<std::size_t, int>> loose;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (int e = 0; e < 2; ++e) {
      const Point2 p = e == 0 ? lines[i].line.front() : lines[i].line.back();
      ends[i][e] = attach(g, p, tol);
      if (ends[i][e] < 0) loose.emplace_back(i, e);
    }
  }
  std::vector<std::int64_t> cluster(loose.size(), -1);
  for (std::size_t a = 0; a < loose.size(); ++a) {
    if (cluster[a] >= 0) continue;
    const Point2 pa = loose[a].second == 0 ? lines[loose[a].first].line.front() : lines[loose[a].first].line.back();
    std::vector<std::size_t> members{a};
    for (std::size_t b = a + 1; b < loose.size(); ++b) {
      const Point2 pb = loose[b].second == 0 ? lines[loose[b].first].line.front() : lines[loose[b].first].line.back();
      if (cluster[b] < 0 && std::hypot(pa.x - pb.x, pa.y - pb.y) <= tol) members.push_back(b);
    }
    if (members.size() < 2) continue;
    const double kv = lines[loose[a].first].kv > 0 ? lines[loose[a].first].kv : kDefaultSubstationKv;
    const auto bus = g.add_bus({.at = pa, .kv = kv});
    ctx.twin.report.add("inferred", spec.key, 1, "junction bus where line ends meet outside any substation");
    for (auto m : members) {
      cluster[m] = bus;
      ends[loose[m].first][loose[m].second] = bus;
    }
  }

  for (std::size_t i = 0; i < lines.size(); ++i) {
    LineRecord& rec = lines[i];
    if (ends[i][0] < 0 || ends[i][1] < 0) {
      ctx.twin.report.add("skipped", spec.key, 1, "dangling line: an end is further than grid_snap_tolerance_m from any bus or substation");
      continue;
    }
    if (ends[i][0] == ends[i][1]) {
      ctx.twin.report.add("skipped", spec.key, 1, "line starts and ends at the same bus");
      continue;
    }
    const auto from = static_cast<std::uint32_t>(ends[i][0]), to = static_cast<std::uint32_t>(ends[i][1]);
    if (rec.kv < 0) {
      rec.kv = g.bus_kv[from];
      ctx.twin.report.add("inferred", spec.key, 1, "line voltage taken from its from-bus");
    }
    const LineTypeDefaults d = line_defaults(rec.kv, rec.cable);
    if (rec.r < 0 || rec.x < 0 || rec.c < 0 || rec.rating < 0)
      ctx.twin.report.add("inferred", spec.key, 1, "impedance or rating from the default table by voltage class");
    const double r_km = rec.r >= 0 ? rec.r : d.r_ohm_per_km;
    const double x_km = rec.x >= 0 ? rec.x : d.x_ohm_per_km;
    const double c_km = rec.c >= 0 ? rec.c : d.c_nf_per_km;
    const double rating = (rec.rating >= 0 ? rec.rating : d.rating_mva) * rec.circuits;
    double km = 0;
    for (std::size_t k = 1; k < rec.line.size(); ++k)
      km += std::hypot(rec.line[k].x - rec.line[k - 1].x, rec.line[k].y - rec.line[k - 1].y) / 1000.0;
    add_line(g, {.from = from,
                 .to = to,
                 .cable = rec.cable,
                 .kv = rec.kv,
                 .km = km,
                 .circuits = rec.circuits,
                 .per_km = {.r_ohm = r_km, .x_ohm = x_km, .c_nf = c_km},
                 .rating_mva = rating,
                 .in_service = rec.in_service,
                 .geometry = rec.line,
                 .source = source,
                 .feature = rec.fid});
  }
}

// Buses of one substation at different voltages are joined by a transformer.
void add_substation_transformers(ImportContext& ctx) {
  PowerGrid& g = ctx.twin.grid;
  for (std::uint32_t b = 0; b < g.bus_count(); ++b) {
    const std::int32_t k = g.bus_substation[b];
    if (k < 0 || b == g.substation_bus[k]) continue;
    add_transformer(g, b, g.substation_bus[k], g.substation_capacity_mva[k]);
    ctx.twin.report.add("inferred", "grid.substations", 1, "transformer between voltage levels of one substation (10 % impedance)");
  }
}

void choose_slack(ImportContext& ctx) {
  PowerGrid& g = ctx.twin.grid;
  if (g.bus_count() == 0) return;
  std::int64_t slack = -1;
  if (ctx.manifest.slack != "auto") {
    for (std::size_t k = 0; k < g.substation_count(); ++k)
      if (g.substation_name[k] == ctx.manifest.slack) slack = g.substation_bus[k];
    if (slack < 0) throw InvalidInput("slack substation '" + ctx.manifest.slack + "' not found in the substations layer",
                                      {.file = ctx.manifest.path.string(), .field = "slack"});
  } else {
    slack = bulk_supply_bus(g);
    ctx.twin.report.add("inferred", "grid", 1, "slack bus chosen automatically (highest voltage, largest substation)");
  }
  make_slack(g, static_cast<std::uint32_t>(slack));
}

// Islands with a substation but no path to the slack get an assumed infeed
// (core/model/grid_infeeds.hpp) unless the manifest says the data are complete.
void supply_islands(ImportContext& ctx) {
  PowerGrid& g = ctx.twin.grid;
  IslandSupply s = island_supply(g);
  if (ctx.manifest.assume_island_infeeds) {
    s = assume_island_infeeds(g);
    ctx.twin.report.add("inferred", "grid", s.assumed_infeeds,
                        "island without a connection to the slack: supplied by an assumed infeed at its largest substation "
                        "(city.assume_island_infeeds = false leaves it unsupplied)");
  }
  ctx.twin.report.add("warning", "grid", s.unsupplied_buses, "buses not connected to any slack (islands without supply)");
}

}  // namespace

void import_grid(ImportContext& ctx) {
  ctx.twin.grid = PowerGrid{};
  ctx.twin.grid.base_mva = ctx.manifest.base_mva;
  if (ctx.manifest.substations) read_substations(ctx);
  if (ctx.manifest.buses) read_buses(ctx);
  add_substation_transformers(ctx);
  if (ctx.manifest.lines) read_lines(ctx);
  choose_slack(ctx);
  supply_islands(ctx);
  ctx.twin.grid.check_consistency(ctx.twin.sources.size());
}

}  // namespace citytwin::geo
