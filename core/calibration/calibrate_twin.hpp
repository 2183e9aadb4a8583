#pragma once
// The whole calibration of a twin to the city's measurements, as
// `citytwin calibrate` and citytwin.calibrate() run it:
//  1. the matched count stations are split at random (seeded) into the ones
//     used for calibration and a held-out share that is only scored;
//  2. the twin (its own calibration removed: calibration starts from the
//     uncalibrated model) is run under the prior scenario: the fit before;
//  3. demand to counts: the gravity matrices' hourly OD factors (ODME) from
//     the used counts, when demand calibration is on and there are counts;
//  4. loads to meters: per-substation load and EV factors
//     (load_calibration.hpp) on the run with the new demand;
//  5. the calibrated twin is run again under the same scenario: the fit
//     after, on the used and on the held-out counts and on the meters.
// Map matching happens before (geo/observations): stations come with links.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/calibration/daily_odme.hpp"
#include "core/calibration/load_calibration.hpp"
#include "core/coupling/scenario.hpp"
#include "core/observations/run_fit.hpp"

namespace citytwin::calibration {

struct CalibrateOptions {
  double holdout_share = 0.2;  // of the matched stations, in [0, 1)
  std::uint64_t seed = 1;
  observations::FitOptions fit;  // day type and implausibility rule of the observations
  LoadBounds load_bounds;
  OdmeOptions odme;  // cell bounds, iterations, regularisation of the demand estimation
  bool demand = true;  // calibrate OD to the counts
  bool loads = true;   // calibrate substation loads to the meters
  std::vector<int> hours;  // hours to simulate (empty: 0..23)
  std::string source;      // what the observations were (kept in the calibration)
  std::function<void(const std::string&)> progress;  // one line per step
};

struct CountScores {
  observations::FlowFit used, held_out;
};

struct CalibrationReport {
  std::vector<std::uint32_t> used_stations, held_out_stations;  // station indices, ascending
  std::size_t unmatched_stations = 0;
  CountScores before, after;
  observations::QualityReport count_quality;
  bool has_counts = false, has_loads = false;
  observations::LoadsFit loads_before, loads_after;
  LoadCalibration load_calibration;
  // Demand: the OD factors' summary (empty when demand calibration did not run).
  bool demand_calibrated = false;
  std::string demand_note;  // why not, or what ran
  std::size_t od_cells = 0;  // cells with a factor != 1
  double od_factor_min = 1, od_factor_max = 1;
  observations::FlowFit odme_before, odme_after;  // ODME's own fit on the used counts (its equilibria, no grid feedback)
  double seconds_runs = 0, seconds_demand = 0, seconds_loads = 0;
  int runs = 0;
};

struct CalibratedTwin {
  Twin twin;  // the input with its calibration set
  CalibrationReport report;
  coupling::SimulationResult after;  // the calibrated twin's run (the fit after)
};

// `station_link`: per station of `stations`, its matched link or -1.
CalibratedTwin calibrate_twin(const Twin& twin, const coupling::Scenario& scenario, const std::vector<observations::TrafficCount>& counts,
                              const observations::StationTable& stations, const std::vector<std::int64_t>& station_link,
                              const std::vector<observations::GridMeasurement>& loads, const CalibrateOptions& options);

// Random (seeded, platform-independent) choice of round(share x matched)
// matched stations to hold out; returns the held-out indices, ascending.
std::vector<std::uint32_t> hold_out_stations(const std::vector<std::int64_t>& station_link, double share, std::uint64_t seed);

}  // namespace citytwin::calibration
