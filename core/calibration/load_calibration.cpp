#include "core/calibration/load_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/common/errors.hpp"
#include "core/coupling/daily_demand.hpp"
#include "core/coupling/grid_model.hpp"
#include "core/observations/modelled_values.hpp"

namespace citytwin::calibration {

const char* load_part_name(int part) {
  static const char* names[kLoadParts] = {"residential", "commercial", "ev"};
  return part >= 0 && part < kLoadParts ? names[part] : "?";
}

namespace {
// Sums bus values into their substations (as substation_p_mw does).
std::vector<double> per_substation(const PowerGrid& g, const std::vector<double>& bus) {
  std::vector<double> out(g.substation_count(), 0.0);
  for (std::size_t b = 0; b < g.bus_count(); ++b)
    if (g.bus_substation[b] >= 0) out[static_cast<std::size_t>(g.bus_substation[b])] += bus[b];
  return out;
}

// Solves the n x n system A x = b (n <= 3, A positive definite) by Gaussian elimination.
template <std::size_t N>
std::array<double, N> solve(std::array<std::array<double, N>, N> A, std::array<double, N> b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double m = A[j][i] / A[i][i];
      for (std::size_t k = i; k < n; ++k) A[j][k] -= m * A[i][k];
      b[j] -= m * b[i];
    }
  }
  std::array<double, N> x{};
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= A[i][k] * x[k];
    x[i] = s / A[i][i];
  }
  return x;
}
}  // namespace

SubstationLoadParts substation_load_parts(const Twin& twin, const coupling::Scenario& scenario, const coupling::SimulationResult& run) {
  const PowerGrid& g = twin.grid;
  const std::size_t nd = twin.districts.size(), ns = g.substation_count();
  SubstationLoadParts parts;
  const auto signals = per_substation(g, coupling::zone_loads_on_buses(twin, {}, {}, scenario.load.signal_kw).p);
  const auto households = coupling::grown(twin.districts.households, scenario.population_growth);
  const std::vector<double> zero(nd, 0.0);
  for (const auto& h : run.hours) {
    if (h.bus_load_mw.size() != g.bus_count() || h.district_load_mw.size() != nd || h.district_ev_mwh.size() != nd)
      throw InvalidInput("the run holds no grid and district load results for hour " + std::to_string(h.totals.hour) +
                         "; load calibration needs a coupled run");
    std::vector<double> res(nd), com(nd), ev(nd);
    for (std::size_t z = 0; z < nd; ++z) {
      ev[z] = h.district_ev_mwh[z];
      res[z] = demand::zone_base_load(households[z], 0.0, h.totals.hour, scenario.load).p_mw;
      com[z] = std::max(0.0, h.district_load_mw[z] - ev[z] - res[z]);  // the results are float: a district without jobs may round below 0
    }
    auto r = per_substation(g, coupling::zone_loads_on_buses(twin, res, zero, 0.0).p);
    auto c = per_substation(g, coupling::zone_loads_on_buses(twin, com, zero, 0.0).p);
    const auto total = observations::substation_p_mw(g, h);
    std::vector<std::uint8_t> on(ns, 1);
    for (std::size_t bus = 0; bus < g.bus_count(); ++bus)
      if (g.bus_substation[bus] >= 0 && !h.bus_energised.empty() && !h.bus_energised[bus]) on[static_cast<std::size_t>(g.bus_substation[bus])] = 0;
    std::vector<double> e(ns);
    for (std::size_t k = 0; k < ns; ++k) e[k] = on[k] ? total[k] - r[k] - c[k] - signals[k] : 0.0;
    parts.residential.push_back(std::move(r));
    parts.commercial.push_back(std::move(c));
    parts.ev.push_back(std::move(e));
    parts.signals.push_back(signals);
    parts.total.push_back(total);
    parts.energised.push_back(std::move(on));
  }
  return parts;
}

LoadFactors solve_load_factors(const std::array<std::vector<double>, kLoadParts>& X, const std::vector<double>& r, const LoadBounds& bd) {
  constexpr std::size_t P = kLoadParts;
  std::array<std::array<double, P>, P> G{};
  std::array<double, P> g{};
  double trace = 0;
  for (std::size_t i = 0; i < P; ++i) {
    for (std::size_t j = 0; j < P; ++j)
      for (std::size_t h = 0; h < r.size(); ++h) G[i][j] += X[i][h] * X[j][h];
    for (std::size_t h = 0; h < r.size(); ++h) g[i] += X[i][h] * r[h];
    trace += G[i][i];
  }
  LoadFactors out;
  if (!(trace > 0)) return out;  // nothing to scale
  const double lambda = 1e-9 * trace;
  for (std::size_t i = 0; i < P; ++i) G[i][i] += lambda, g[i] += lambda;  // the pull towards 1
  const std::array<double, P> lo = {bd.load_min, bd.load_min, bd.ev_min}, hi = {bd.load_max, bd.load_max, bd.ev_max};
  // f(x) = x'Gx - 2 g'x (the objective up to a constant).
  auto objective = [&](const std::array<double, P>& x) {
    double f = 0;
    for (std::size_t i = 0; i < P; ++i) {
      f -= 2 * g[i] * x[i];
      for (std::size_t j = 0; j < P; ++j) f += x[i] * G[i][j] * x[j];
    }
    return f;
  };
  double best = INFINITY;
  // Each factor: 0 free, 1 at its lower bound, 2 at its upper bound.
  for (int face = 0; face < 27; ++face) {
    std::array<int, P> state{face % 3, face / 3 % 3, face / 9};
    std::array<double, P> x{};
    std::array<std::size_t, P> free{};
    std::size_t nf = 0;
    for (std::size_t i = 0; i < P; ++i) {
      if (state[i] == 0) free[nf++] = i;
      else x[i] = state[i] == 1 ? lo[i] : hi[i];
    }
    if (nf > 0) {
      std::array<std::array<double, P>, P> A{};
      std::array<double, P> b{};
      for (std::size_t a = 0; a < nf; ++a) {
        b[a] = g[free[a]];
        for (std::size_t i = 0; i < P; ++i)
          if (state[i] != 0) b[a] -= G[free[a]][i] * x[i];
        for (std::size_t c = 0; c < nf; ++c) A[a][c] = G[free[a]][free[c]];
      }
      const auto y = solve<P>(A, b, nf);
      bool inside = true;
      for (std::size_t a = 0; a < nf; ++a) {
        x[free[a]] = y[a];
        inside = inside && y[a] >= lo[free[a]] && y[a] <= hi[free[a]];
      }
      if (!inside) continue;
    }
    const double f = objective(x);
    if (f < best) {
      best = f;
      out.factor = x;
      for (std::size_t i = 0; i < P; ++i) out.at_bound[i] = state[i] != 0;
    }
  }
  return out;
}

LoadCalibration calibrate_loads(const Twin& twin, const coupling::Scenario& scenario, const coupling::SimulationResult& run,
                                const observations::LoadsFit& observed, const LoadBounds& bounds) {
  if (!(bounds.load_min > 0 && bounds.load_min <= 1 && bounds.load_max >= 1 && bounds.ev_min >= 0 && bounds.ev_min <= 1 && bounds.ev_max >= 1))
    throw InvalidInput("load calibration bounds must contain 1 (load factors > 0, EV factor >= 0)");
  const std::size_t ns = twin.grid.substation_count();
  const SubstationLoadParts parts = substation_load_parts(twin, scenario, run);
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
  out.residential_factor.assign(ns, 1.0);
  out.commercial_factor.assign(ns, 1.0);
  out.ev_factor.assign(ns, 1.0);
  for (std::uint32_t k = 0; k < ns; ++k) {
    if (rows[k].empty()) continue;
    std::array<std::vector<double>, kLoadParts> X;
    std::vector<double> r, O, S, before;
    for (const auto& [i, o] : rows[k]) {
      X[0].push_back(parts.residential[i][k]);
      X[1].push_back(parts.commercial[i][k]);
      X[2].push_back(parts.ev[i][k]);
      S.push_back(parts.signals[i][k]);
      r.push_back(o - parts.signals[i][k]);
      O.push_back(o);
      before.push_back(parts.total[i][k]);
    }
    SubstationCalibration sc;
    sc.substation = k;
    sc.hours = O.size();
    sc.factors = solve_load_factors(X, r, bounds);
    std::vector<double> after(O.size());
    double se0 = 0, se1 = 0;
    for (std::size_t i = 0; i < O.size(); ++i) {
      after[i] = S[i];
      for (int p = 0; p < kLoadParts; ++p) after[i] += sc.factors.factor[static_cast<std::size_t>(p)] * X[static_cast<std::size_t>(p)][i];
      se0 += (before[i] - O[i]) * (before[i] - O[i]);
      se1 += (after[i] - O[i]) * (after[i] - O[i]);
    }
    sc.before = observations::load_fit(before, O);
    sc.after = observations::load_fit(after, O);
    sc.rmse_before_mw = std::sqrt(se0 / static_cast<double>(O.size()));
    sc.rmse_after_mw = std::sqrt(se1 / static_cast<double>(O.size()));
    out.residential_factor[k] = sc.factors.factor[0];
    out.commercial_factor[k] = sc.factors.factor[1];
    out.ev_factor[k] = sc.factors.factor[2];
    out.substations.push_back(sc);
  }
  return out;
}

}  // namespace citytwin::calibration
