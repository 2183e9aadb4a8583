#pragma once
// How today differs from the typical day, estimated from today's counts and
// meters up to `now` (the method: forecast.hpp), and the scenario that runs
// the typical day so changed.
#include <cstdint>
#include <vector>

#include "core/coupling/simulation.hpp"
#include "core/forecast/today.hpp"
#include "core/model/twin.hpp"

namespace citytwin::forecast {

// Which department's feeds the forecast may use.
enum class Feeds : std::uint8_t { Shared, WithoutTraffic, WithoutGrid };
const char* feeds_name(Feeds f);  // "shared", "without_traffic", "without_grid"

struct AdjustmentOptions {
  double shrink_stations = 3;  // a district's traffic ratio keeps n/(n + this) of its own stations' ratio
  double shrink_hours = 3;     // a substation's level keeps n/(n + this) of its own n metered hours
  int alternations = 50;       // alternating least squares rounds (levels <-> EV share)
};

struct DayAdjustment {
  bool traffic_updated = false, grid_updated = false;
  // Traffic (counts).
  double traffic_ratio = 1;                 // citywide observed / modelled vehicles
  std::vector<double> district_traffic_ratio;  // shrunk; 1 where not updated
  std::vector<std::uint32_t> district_stations;
  std::vector<double> station_ratio;        // per station (NaN: not used)
  std::size_t stations_used = 0, station_hours_used = 0;
  double station_ratio_spread = 0;          // RMS of station ratio / its district's ratio - 1 (NaN without counts)
  // Grid (meters).
  double load_ratio = 1;                    // citywide observed / modelled load over the metered hours
  std::vector<double> substation_level;     // a_k (shrunk); 1 where not updated
  std::vector<double> substation_traffic_ratio;  // tau_k
  std::vector<double> substation_spread;    // sigma_k (NaN: not metered)
  double citywide_spread = 0;               // of the citywide sum (NaN without meters)
  std::vector<double> district_load_factor; // sum_k share_{z,k} a_k
  double ev_share_typical = 0, ev_share = 0;
  std::size_t substations_used = 0, substation_hours_used = 0;
};

// `typical`: the typical day's run (hours 0..23); `ev_probe`: the hours
// before now with the EV share raised by `probe_step`.
DayAdjustment estimate_adjustment(const Twin& twin, const Today& today, Feeds feeds, const coupling::Scenario& scenario,
                                  const coupling::SimulationResult& typical, const coupling::SimulationResult& ev_probe,
                                  double probe_step, const AdjustmentOptions& options);

// The typical scenario with today's adjustment: the typical day's hourly OD
// matrices scaled per cell by (r_i + r_j) / 2 and given as the scenario's OD
// (so the districts' households and jobs, scaled by their load factor, move
// only the electric load), and the EV share. The typical scenario itself when
// nothing was updated.
coupling::Scenario adjusted_scenario(const Twin& twin, const coupling::Scenario& typical, const DayAdjustment& a);

}  // namespace citytwin::forecast
