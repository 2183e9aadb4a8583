#pragma once
// Load calibration: per substation k, the factors a_k (districts' non-EV
// load) and b_k (EV charging) that make the twin's hourly substation load
// reproduce the meters, as least squares with bounds:
//
//   minimise  sum_h (a B_kh + b E_kh + C_kh - O_kh)^2 + lambda ((a - 1)^2 + (b - 1)^2)
//   subject to  kLoadFactorMin <= a <= kLoadFactorMax,  kEvFactorMin <= b <= kEvFactorMax
//
// over the profile hours h that have a meter reading and in which the
// substation is energised in the run. B_kh: the districts' base load on k's
// buses; E_kh: the rest of the run's load on them minus the signals, i.e.
// trip-end EV charging and public stations (and the run's last damping
// step, a fraction of its load tolerance); C_kh: signals. O_kh: the meters'
// hour-of-day profile (quality-checked, run_fit.hpp).
// lambda = 1e-9 (B.B + E.E) is a vanishing pull towards the prior (1, 1): it
// only decides between equally good solutions (E = 0, or E proportional to
// B), so a substation without EV load keeps b = 1. The objective is then
// strictly convex in two variables, and its box-constrained minimum is found
// exactly: the unconstrained minimum if inside the box, else the best of the
// four edges, each a one-dimensional minimum clamped to the edge.
#include <cstdint>
#include <vector>

#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"
#include "core/observations/run_fit.hpp"

namespace citytwin::calibration {

// The run's load on each substation split into parts, per run hour: [hour][substation].
struct SubstationLoadParts {
  std::vector<std::vector<double>> base, ev, signals, total;
  std::vector<std::vector<std::uint8_t>> energised;  // all of the substation's buses energised
};
SubstationLoadParts substation_load_parts(const Twin& twin, const coupling::SimulationResult& run, double signal_kw);

struct LoadBounds {
  double load_min = kLoadFactorMin, load_max = kLoadFactorMax;
  double ev_min = kEvFactorMin, ev_max = kEvFactorMax;
};

// The exact minimiser of the objective above for one substation's hours.
struct FactorPair {
  double load = 1, ev = 1;
  bool load_at_bound = false, ev_at_bound = false;
};
FactorPair solve_load_factors(const std::vector<double>& base, const std::vector<double>& ev, const std::vector<double>& residual,
                              const LoadBounds& bounds = {});

struct SubstationCalibration {
  std::uint32_t substation = 0;
  std::size_t hours = 0;  // hours in the fit (0: no usable reading, factors stay 1)
  FactorPair factors;
  // Of the profile hours used, before (run as given) and after (with the factors):
  observations::LoadFit before, after;
  double rmse_before_mw = 0, rmse_after_mw = 0;
};

struct LoadCalibration {
  std::vector<double> load_factor, ev_factor;  // per substation
  std::vector<SubstationCalibration> substations;  // the metered ones, by index
};

// `observed`: fit_substation_loads of the same run and meters (its rows are
// the profile hours with their observed means).
LoadCalibration calibrate_loads(const Twin& twin, const coupling::SimulationResult& run, const observations::LoadsFit& observed,
                                double signal_kw, const LoadBounds& bounds = {});

}  // namespace citytwin::calibration
