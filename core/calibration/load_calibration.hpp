#pragma once
// Load calibration: per substation k, the factors r_k (residential load of
// the districts it feeds), c_k (their commercial load) and e_k (the EV
// charging it carries) that make the twin's hourly substation load reproduce
// the meters, as least squares with bounds:
//
//   minimise  sum_h (r R_kh + c C_kh + e E_kh + S_kh - O_kh)^2 + lambda |(r, c, e) - (1, 1, 1)|^2
//   subject to  kLoadFactorMin <= r, c <= kLoadFactorMax  (0.5 .. 2),  kEvFactorMin <= e <= kEvFactorMax  (0 .. 4)
//
// over the profile hours h that have a meter reading and in which all of the
// substation's buses are energised in the run. R, C: the districts'
// residential and commercial base load on k's buses (BDEW H0 and G0 shapes,
// so a different district mix needs both factors); E: the rest of the run's
// load on them minus the signals, i.e. trip-end EV charging and public
// stations (plus the run's last damping step, within its load tolerance);
// S: signals, not scaled. O: the meters' hour-of-day profile (quality-checked
// and averaged, run_fit.hpp).
// lambda = 1e-9 (R.R + C.C + E.E) is a vanishing pull towards the prior
// (1, 1, 1): it only decides between equally good solutions (a part that is
// zero, or parts proportional to each other), so e.g. a substation without EV
// load keeps e = 1. The objective is then strictly convex, and its
// box-constrained minimum is found exactly: the minimum lies in the relative
// interior of one face of the box (each factor free, at its lower or at its
// upper bound: 27 faces), where it is the unconstrained minimum over that
// face's free factors; every face's candidate that lies inside the box is
// evaluated and the best is the answer.
#include <array>
#include <cstdint>
#include <vector>

#include "core/coupling/scenario.hpp"
#include "core/coupling/simulation.hpp"
#include "core/model/twin.hpp"
#include "core/observations/run_fit.hpp"

namespace citytwin::calibration {

inline constexpr int kLoadParts = 3;  // residential, commercial, EV
const char* load_part_name(int part);  // "residential", "commercial", "ev"

// The run's load on each substation split into parts, per run hour: [hour][substation].
struct SubstationLoadParts {
  std::vector<std::vector<double>> residential, commercial, ev, signals, total;
  std::vector<std::vector<std::uint8_t>> energised;  // all of the substation's buses energised
};
// `scenario`: the one the run was made under (its growth and load parameters
// give the residential part of each district's base load).
SubstationLoadParts substation_load_parts(const Twin& twin, const coupling::Scenario& scenario, const coupling::SimulationResult& run);

struct LoadBounds {
  double load_min = kLoadFactorMin, load_max = kLoadFactorMax;  // residential and commercial
  double ev_min = kEvFactorMin, ev_max = kEvFactorMax;
};

struct LoadFactors {
  std::array<double, kLoadParts> factor{1, 1, 1};
  std::array<bool, kLoadParts> at_bound{};
};
// The exact minimiser of the objective above: parts[p][h] (R, C, E per hour),
// residual[h] = O - S.
LoadFactors solve_load_factors(const std::array<std::vector<double>, kLoadParts>& parts, const std::vector<double>& residual,
                               const LoadBounds& bounds = {});

struct SubstationCalibration {
  std::uint32_t substation = 0;
  std::size_t hours = 0;  // hours in the fit (0: no usable reading, factors stay 1)
  LoadFactors factors;
  // Of the profile hours used, before (run as given) and after (the least-squares prediction with the factors):
  observations::LoadFit before, after;
  double rmse_before_mw = 0, rmse_after_mw = 0;
};

struct LoadCalibration {
  std::vector<double> residential_factor, commercial_factor, ev_factor;  // per substation
  std::vector<SubstationCalibration> substations;  // the metered ones, by index
};

// `observed`: fit_substation_loads of the same run and meters (its rows are
// the profile hours with their observed means).
LoadCalibration calibrate_loads(const Twin& twin, const coupling::Scenario& scenario, const coupling::SimulationResult& run,
                                const observations::LoadsFit& observed, const LoadBounds& bounds = {});

}  // namespace citytwin::calibration
