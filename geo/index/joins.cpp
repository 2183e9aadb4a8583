#include "geo/index/joins.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

namespace citytwin {

namespace {

constexpr std::size_t kLinkGrain = 2048;
constexpr std::size_t kPointGrain = 256;

bool finite(Point2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

Point2 district_centroid(const Districts& districts, std::size_t d) {
  if (d < districts.centroid_x.size() && d < districts.centroid_y.size()) {
    const Point2 c{districts.centroid_x[d], districts.centroid_y[d]};
    if (finite(c)) return c;
  }
  return districts.shape.centroid(d);
}

bool bus_energised(const PowerGrid& grid, std::uint32_t bus) {
  return bus < grid.bus_count() && (grid.bus_energised.empty() || (bus < grid.bus_energised.size() && grid.bus_energised[bus]));
}

double value_or_zero(const std::vector<double>& v, std::size_t i) {
  return i < v.size() && std::isfinite(v[i]) && v[i] > 0 ? v[i] : 0.0;
}

// Crossing abscissae of one ring with a horizontal line, computed exactly as
// ring_contains() does, so a sample is inside here iff contains() says so.
void ring_crossings(const PolygonColumn& s, std::uint64_t ring, double y, std::vector<double>& xs) {
  xs.clear();
  const auto a = s.coord_offsets[ring], n = s.coord_offsets[ring + 1] - a;
  const double* x = &s.x[a];
  const double* yy = &s.y[a];
  for (std::size_t k = 0; k + 1 < n; ++k) {
    const double yi = yy[k], yj = yy[k + 1];
    if ((yi > y) != (yj > y)) xs.push_back(x[k] + (y - yi) * (x[k + 1] - x[k]) / (yj - yi));
  }
  std::sort(xs.begin(), xs.end());
}

// Odd number of crossings strictly right of px.
bool odd_right_of(const std::vector<double>& xs, double px) {
  return ((xs.end() - std::upper_bound(xs.begin(), xs.end(), px)) & 1) != 0;
}

struct SampleScratch {
  std::vector<std::vector<double>> crossings;  // per ring of the district
  std::vector<std::uint32_t> counts;
};

// Calls f(point) for every grid sample of district d inside the district
// (row by row, a scan line per row: O(edges + samples) per row).
template <class F>
void for_each_sample(const PolygonColumn& s, std::size_t d, std::uint32_t samples, SampleScratch& scratch, F&& f) {
  const Box2 b = s.bounds(d);
  const double w = b.max_x - b.min_x, h = b.max_y - b.min_y;
  if (!(w > 0 && h > 0) || !std::isfinite(w) || !std::isfinite(h)) return;
  const double n = std::max<std::uint32_t>(samples, 1);
  const double cell = std::sqrt(w * h / n);
  const auto nx = static_cast<std::size_t>(std::clamp(std::ceil(w / cell), 1.0, n));
  const auto ny = static_cast<std::size_t>(std::clamp(std::ceil(h / cell), 1.0, n));
  const auto poly_first = s.polygon_offsets[d], poly_last = s.polygon_offsets[d + 1];
  const auto ring_first = s.ring_offsets[poly_first], ring_last = s.ring_offsets[poly_last];
  auto& xs = scratch.crossings;
  if (xs.size() < ring_last - ring_first) xs.resize(ring_last - ring_first);
  for (std::size_t j = 0; j < ny; ++j) {
    const double y = b.min_y + (static_cast<double>(j) + 0.5) * h / static_cast<double>(ny);
    for (auto ring = ring_first; ring < ring_last; ++ring) ring_crossings(s, ring, y, xs[ring - ring_first]);
    for (std::size_t i = 0; i < nx; ++i) {
      const double x = b.min_x + (static_cast<double>(i) + 0.5) * w / static_cast<double>(nx);
      bool inside = false;
      for (auto poly = poly_first; poly < poly_last && !inside; ++poly) {
        const auto r0 = s.ring_offsets[poly], r1 = s.ring_offsets[poly + 1];
        if (r0 == r1 || !odd_right_of(xs[r0 - ring_first], x)) continue;
        inside = true;
        for (auto hole = r0 + 1; hole < r1; ++hole)
          if (odd_right_of(xs[hole - ring_first], x)) {
            inside = false;
            break;
          }
      }
      if (inside) f(Point2{x, y});
    }
  }
}

using Shares = std::vector<std::pair<std::uint32_t, double>>;  // (substation, share), ascending id

// Nearest substation to the centroid, share 1; empty if none.
Shares nearest_share(const Twin& twin, const TwinIndex& index, std::size_t d) {
  const Point2 c = district_centroid(twin.districts, d);
  const auto hit = index.substations.nearest(c, 1);
  if (hit.empty()) return {};
  return {{hit[0].id, 1.0}};
}

// Voronoi shares by grid sampling; `fallback` set when no sample fell inside.
Shares voronoi_shares(const Twin& twin, const TwinIndex& index, std::size_t d, std::uint32_t samples,
                      SampleScratch& scratch, bool& fallback) {
  fallback = false;
  const PolygonColumn& shape = twin.districts.shape;
  const PowerGrid& grid = twin.grid;
  const Box2 b = shape.bounds(d);
  const Point2 centre{(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2};
  // Every point of the box is within half_diag of the centre, so its nearest
  // substation is within d0 + half_diag of it, and so within d0 + 2 half_diag
  // of the centre: those are the only candidates.
  std::vector<std::uint32_t> cand;
  if (finite(centre)) {
    const auto first = index.substations.nearest(centre, 1);
    if (!first.empty()) {
      const double half_diag = 0.5 * std::hypot(b.max_x - b.min_x, b.max_y - b.min_y);
      for (const IndexHit& h : index.substations.within(centre, first[0].distance_m + 2 * half_diag))
        cand.push_back(h.id);
      std::sort(cand.begin(), cand.end());
    }
  }
  if (cand.empty()) return {};
  auto& counts = scratch.counts;
  counts.assign(cand.size(), 0);
  std::uint64_t total = 0;
  for_each_sample(shape, d, samples, scratch, [&](Point2 p) {
    std::size_t best = 0;
    double best_d2 = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < cand.size(); ++c) {
      const double dx = grid.substation_x[cand[c]] - p.x, dy = grid.substation_y[cand[c]] - p.y;
      const double d2 = dx * dx + dy * dy;
      if (d2 < best_d2) {  // strict: ties keep the lower id
        best_d2 = d2;
        best = c;
      }
    }
    ++counts[best];
    ++total;
  });
  if (total == 0) {
    fallback = true;
    return nearest_share(twin, index, d);
  }
  Shares out;
  for (std::size_t c = 0; c < cand.size(); ++c)
    if (counts[c] > 0) out.emplace_back(cand[c], static_cast<double>(counts[c]) / static_cast<double>(total));
  return out;
}

}  // namespace

std::vector<Point2> district_sample_points(const PolygonColumn& shapes, std::size_t d, std::uint32_t samples) {
  std::vector<Point2> out;
  SampleScratch scratch;
  for_each_sample(shapes, d, samples, scratch, [&](Point2 p) { out.push_back(p); });
  return out;
}

void JoinReport::add_to(ImportReport& report) const {
  auto add = [&](const char* what, std::size_t n, const char* reason) {
    if (n > 0) report.add(what, "joins", static_cast<std::int64_t>(n), reason);
  };
  add("warning", links_outside_districts, "road links whose midpoint lies in no district (link_district = -1)");
  add("warning", districts_unserved, "districts with no substation to serve them (no shares)");
  add("inferred", districts_sampling_fallback,
      "districts too small for the Voronoi sample grid, served by the substation nearest their centroid");
  add("inferred", districts_capacity_fallback,
      "districts whose serving substations have no capacity: Voronoi shares kept");
  add("warning", signals_unmatched, "signals with no energised bus within reach (signal_bus unset)");
  add("warning", chargers_without_bus, "EV chargers with no energised bus within reach (charger_bus unset)");
  add("warning", chargers_without_node, "EV chargers with no road node within reach (charger_node unset)");
}

void join_link_districts(const Twin& twin, const TwinIndex& index, CrossLinks& out, JoinReport& report) {
  const LineColumn& lines = twin.roads.geometry;
  const std::size_t n = twin.roads.link_count();
  out.link_district.assign(n, -1);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, std::min(n, lines.size()), kLinkGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t l = r.begin(); l != r.end(); ++l) {
                        const Point2 mid = lines.midpoint(l);
                        if (!finite(mid)) continue;
                        const auto ds = index.districts.containing(mid);
                        if (!ds.empty()) out.link_district[l] = static_cast<std::int32_t>(ds.front());
                      }
                    });
  report.links_outside_districts += static_cast<std::size_t>(std::count(out.link_district.begin(), out.link_district.end(), -1));
}

void join_district_substations(const Twin& twin, const TwinIndex& index, const JoinOptions& options,
                               CrossLinks& out, JoinReport& report) {
  const std::size_t n = twin.districts.shape.size();
  std::vector<Shares> rows(n);
  std::vector<std::uint8_t> sampling_fallback(n, 0);
  tbb::enumerable_thread_specific<SampleScratch> scratch;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    SampleScratch& s = scratch.local();
    for (std::size_t d = r.begin(); d != r.end(); ++d) {
      if (options.service_rule == ServiceRule::Nearest) {
        rows[d] = nearest_share(twin, index, d);
      } else {
        bool fb = false;
        rows[d] = voronoi_shares(twin, index, d, options.voronoi_samples, s, fb);
        sampling_fallback[d] = fb ? 1 : 0;
      }
    }
  });

  if (options.service_rule == ServiceRule::CapacityAware) {
    const PowerGrid& grid = twin.grid;
    const Districts& ds = twin.districts;
    std::vector<double> burden(grid.substation_count(), 0.0);
    for (std::size_t d = 0; d < n; ++d) {  // serial: a deterministic sum
      const double weight = value_or_zero(ds.population, d) + value_or_zero(ds.jobs, d);
      for (const auto& [s, v] : rows[d]) burden[s] += v * weight;
    }
    std::vector<double> ratio(grid.substation_count(), 0.0);
    for (std::size_t s = 0; s < ratio.size(); ++s)
      ratio[s] = value_or_zero(grid.substation_capacity_mva, s) / (1.0 + burden[s]);
    for (std::size_t d = 0; d < n; ++d) {
      double sum = 0;
      for (const auto& [s, v] : rows[d]) sum += v * ratio[s];
      if (rows[d].empty()) continue;
      if (!(sum > 0)) {
        ++report.districts_capacity_fallback;
        continue;
      }
      for (auto& [s, v] : rows[d]) v = v * ratio[s] / sum;
    }
  }

  out.service_rule = options.service_rule;
  out.district_sub_offsets.assign(1, 0);
  out.district_sub.clear();
  out.district_sub_share.clear();
  for (std::size_t d = 0; d < n; ++d) {
    if (rows[d].empty()) ++report.districts_unserved;
    report.districts_sampling_fallback += sampling_fallback[d];
    for (const auto& [s, v] : rows[d]) {
      out.district_sub.push_back(s);
      out.district_sub_share.push_back(v);
    }
    out.district_sub_offsets.push_back(static_cast<std::uint32_t>(out.district_sub.size()));
  }
}

void join_signal_buses(const Twin& twin, const TwinIndex& index, const JoinOptions& options, CrossLinks& out,
                       JoinReport& report) {
  const PowerGrid& grid = twin.grid;
  out.signal_node = twin.roads.signals();
  const std::size_t n = out.signal_node.size();
  out.signal_bus.assign(n, kNoMatch);

  auto fed = [&](std::uint32_t s) { return s < grid.substation_bus.size() && bus_energised(grid, grid.substation_bus[s]); };
  bool any_fed_substation = false;
  for (std::uint32_t s = 0; s < grid.substation_count() && !any_fed_substation; ++s) any_fed_substation = fed(s);
  const IdFilter fed_filter = fed;
  const IdFilter energised = [&](std::uint32_t b) { return bus_energised(grid, b); };

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kPointGrain), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const std::uint32_t node = out.signal_node[i];
      const Point2 p{twin.roads.node_x[node], twin.roads.node_y[node]};
      if (any_fed_substation) {
        const auto hit = index.substations.nearest(p, 1, fed_filter);
        if (!hit.empty() && hit[0].distance_m <= options.max_match_distance_m)
          out.signal_bus[i] = grid.substation_bus[hit[0].id];
      } else {
        const auto hit = index.buses.nearest(p, 1, energised);
        if (!hit.empty() && hit[0].distance_m <= options.max_match_distance_m) out.signal_bus[i] = hit[0].id;
      }
    }
  });
  report.signals_unmatched += static_cast<std::size_t>(std::count(out.signal_bus.begin(), out.signal_bus.end(), kNoMatch));
}

void join_chargers(const Twin& twin, const TwinIndex& index, const JoinOptions& options, CrossLinks& out,
                   JoinReport& report) {
  const PowerGrid& grid = twin.grid;
  const EvChargers& ev = twin.chargers;
  const std::size_t n = ev.size();
  out.charger_bus.assign(n, kNoMatch);
  out.charger_node.assign(n, kNoMatch);

  std::vector<std::uint8_t> centroid(twin.roads.node_count(), 0);
  for (std::uint32_t z : twin.roads.zone_node)
    if (z < centroid.size()) centroid[z] = 1;
  const IdFilter energised = [&](std::uint32_t b) { return bus_energised(grid, b); };
  const IdFilter street_node = [&](std::uint32_t v) { return !centroid[v]; };

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kPointGrain), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const Point2 p{ev.x[i], ev.y[i]};
      const auto bus = index.buses.nearest(p, 1, energised);
      if (!bus.empty() && bus[0].distance_m <= options.max_match_distance_m) out.charger_bus[i] = bus[0].id;
      const auto node = index.road_nodes.nearest(p, 1, street_node);
      if (!node.empty() && node[0].distance_m <= options.max_match_distance_m) out.charger_node[i] = node[0].id;
    }
  });
  report.chargers_without_bus += static_cast<std::size_t>(std::count(out.charger_bus.begin(), out.charger_bus.end(), kNoMatch));
  report.chargers_without_node +=
      static_cast<std::size_t>(std::count(out.charger_node.begin(), out.charger_node.end(), kNoMatch));
}

JoinReport compute_cross_links(const Twin& twin, const TwinIndex& index, const JoinOptions& options,
                               CrossLinks& out) {
  JoinReport report;
  out = CrossLinks{};
  join_link_districts(twin, index, out, report);
  join_district_substations(twin, index, options, out, report);
  join_signal_buses(twin, index, options, out, report);
  join_chargers(twin, index, options, out, report);
  return report;
}

JoinReport compute_cross_links(Twin& twin, const JoinOptions& options) {
  const TwinIndex index = TwinIndex::build(twin);
  CrossLinks links;
  const JoinReport report = compute_cross_links(twin, index, options, links);
  twin.links = std::move(links);
  report.add_to(twin.report);
  return report;
}

}  // namespace citytwin
