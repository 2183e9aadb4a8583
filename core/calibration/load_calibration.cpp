#include "core/calibration/load_calibration.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "core/common/errors.hpp"
#include "core/coupling/grid_model.hpp"
#include "core/observations/modelled_values.hpp"

namespace citytwin::calibration {

namespace {
// Sums bus values into their substations (as substation_p_mw does).
std::vector<double> per_substation(const PowerGrid& g, const std::vector<double>& bus) {
  std::vector<double> out(g.substation_count(), 0.0);
  for (std::size_t b = 0; b < g.bus_count(); ++b)
    if (g.bus_substation[b] >= 0) out[static_cast<std::size_t>(g.bus_substation[b])] += bus[b];
  return out;
}
}  // namespace

SubstationLoadParts substation_load_parts(const Twin& twin, const coupling::SimulationResult& run, double signal_kw) {
  const PowerGrid& g = twin.grid;
  const std::size_t nd = twin.districts.size(), ns = g.substation_count();
  SubstationLoadParts parts;
  const auto signals = per_substation(g, coupling::zone_loads_on_buses(twin, {}, {}, signal_kw).p);
  for (const auto& h : run.hours) {
    if (h.bus_load_mw.size() != g.bus_count() || h.district_load_mw.size() != nd || h.district_ev_mwh.size() != nd)
      throw InvalidInput("the run holds no grid and district load results for hour " + std::to_string(h.totals.hour) +
                         "; load calibration needs a coupled run");
    std::vector<double> base(nd), ev(nd);
    for (std::size_t z = 0; z < nd; ++z) {
      ev[z] = h.district_ev_mwh[z];
      base[z] = h.district_load_mw[z] - ev[z];
    }
    const std::vector<double> zero(nd, 0.0);
    auto b = per_substation(g, coupling::zone_loads_on_buses(twin, base, zero, 0.0).p);
    const auto total = observations::substation_p_mw(g, h);
    std::vector<std::uint8_t> on(ns, 1);
    for (std::size_t bus = 0; bus < g.bus_count(); ++bus)
      if (g.bus_substation[bus] >= 0 && !h.bus_energised.empty() && !h.bus_energised[bus]) on[static_cast<std::size_t>(g.bus_substation[bus])] = 0;
    std::vector<double> e(ns);
    for (std::size_t k = 0; k < ns; ++k) e[k] = on[k] ? total[k] - b[k] - signals[k] : 0.0;
    parts.base.push_back(std::move(b));
    parts.ev.push_back(std::move(e));
    parts.signals.push_back(signals);
    parts.total.push_back(total);
    parts.energised.push_back(std::move(on));
  }
  return parts;
}

FactorPair solve_load_factors(const std::vector<double>& B, const std::vector<double>& E, const std::vector<double>& r, const LoadBounds& bd) {
  double bb = 0, ee = 0, be = 0, br = 0, er = 0;
  for (std::size_t i = 0; i < B.size(); ++i) {
    bb += B[i] * B[i], ee += E[i] * E[i], be += B[i] * E[i];
    br += B[i] * r[i], er += E[i] * r[i];
  }
  FactorPair out;
  if (!(bb + ee > 0)) return out;  // nothing to scale
  const double lambda = 1e-9 * (bb + ee);
  // Normal equations with the pull towards (1, 1).
  const double a11 = bb + lambda, a22 = ee + lambda, a12 = be, g1 = br + lambda, g2 = er + lambda;
  auto objective = [&](double a, double b) { return a * a * a11 + b * b * a22 + 2 * a * b * a12 - 2 * a * g1 - 2 * b * g2; };
  auto inside = [&](double a, double b) { return a >= bd.load_min && a <= bd.load_max && b >= bd.ev_min && b <= bd.ev_max; };
  const double det = a11 * a22 - a12 * a12;  // > 0: lambda > 0 makes the matrix positive definite
  const double a0 = (g1 * a22 - g2 * a12) / det, b0 = (g2 * a11 - g1 * a12) / det;
  if (inside(a0, b0)) {
    out.load = a0, out.ev = b0;
    return out;
  }
  // On the boundary: each edge's 1-D minimum, clamped to it.
  std::array<std::pair<double, double>, 4> candidates;
  std::size_t n = 0;
  for (double a : {bd.load_min, bd.load_max}) candidates[n++] = {a, std::clamp((g2 - a * a12) / a22, bd.ev_min, bd.ev_max)};
  for (double b : {bd.ev_min, bd.ev_max}) candidates[n++] = {std::clamp((g1 - b * a12) / a11, bd.load_min, bd.load_max), b};
  double best = INFINITY;
  for (const auto& [a, b] : candidates) {
    const double f = objective(a, b);
    if (f < best) best = f, out.load = a, out.ev = b;
  }
  out.load_at_bound = out.load == bd.load_min || out.load == bd.load_max;
  out.ev_at_bound = out.ev == bd.ev_min || out.ev == bd.ev_max;
  return out;
}

LoadCalibration calibrate_loads(const Twin& twin, const coupling::SimulationResult& run, const observations::LoadsFit& observed,
                                double signal_kw, const LoadBounds& bounds) {
  if (!(bounds.load_min > 0 && bounds.load_min <= 1 && bounds.load_max >= 1 && bounds.ev_min >= 0 && bounds.ev_min <= 1 && bounds.ev_max >= 1))
    throw InvalidInput("load calibration bounds must contain 1 (load factor > 0, EV factor >= 0)");
  const std::size_t ns = twin.grid.substation_count();
  const SubstationLoadParts parts = substation_load_parts(twin, run, signal_kw);
  std::map<int, std::size_t> hour_of;
  for (std::size_t i = 0; i < run.hours.size(); ++i) hour_of[run.hours[i].totals.hour] = i;
  // The observed profile hours per substation.
  std::vector<std::vector<std::pair<std::size_t, double>>> rows(ns);
  for (const auto& row : observed.rows) {
    if (row.element >= ns) throw InvalidInput("meter profile names substation " + std::to_string(row.element) + ", which the twin does not have");
    const auto it = hour_of.find(row.hour);
    if (it != hour_of.end() && parts.energised[it->second][row.element]) rows[row.element].push_back({it->second, row.observed});
  }
  LoadCalibration out;
  out.load_factor.assign(ns, 1.0);
  out.ev_factor.assign(ns, 1.0);
  for (std::uint32_t k = 0; k < ns; ++k) {
    if (rows[k].empty()) continue;
    std::vector<double> B, E, r, O, before;
    for (const auto& [i, o] : rows[k]) {
      B.push_back(parts.base[i][k]);
      E.push_back(parts.ev[i][k]);
      r.push_back(o - parts.signals[i][k]);
      O.push_back(o);
      before.push_back(parts.total[i][k]);
    }
    SubstationCalibration sc;
    sc.substation = k;
    sc.hours = O.size();
    sc.factors = solve_load_factors(B, E, r, bounds);
    std::vector<double> after(O.size());
    double se0 = 0, se1 = 0;
    for (std::size_t i = 0; i < O.size(); ++i) {
      after[i] = sc.factors.load * B[i] + sc.factors.ev * E[i] + (O[i] - r[i]);
      se0 += (before[i] - O[i]) * (before[i] - O[i]);
      se1 += (after[i] - O[i]) * (after[i] - O[i]);
    }
    sc.before = observations::load_fit(before, O);
    sc.after = observations::load_fit(after, O);
    sc.rmse_before_mw = std::sqrt(se0 / static_cast<double>(O.size()));
    sc.rmse_after_mw = std::sqrt(se1 / static_cast<double>(O.size()));
    out.load_factor[k] = sc.factors.load;
    out.ev_factor[k] = sc.factors.ev;
    out.substations.push_back(sc);
  }
  return out;
}

}  // namespace citytwin::calibration
