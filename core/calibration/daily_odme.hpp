#pragma once
// ODME for a twin's simulated day: per hour, the scenario's own vehicle OD
// matrix (coupling::daily_demand, with the scenario's congestion feedback
// loops, exactly as coupling::simulate builds it) is adjusted to that hour's
// link counts by estimate_od (odme.hpp) on the hour's road network as the
// coupling builds it (RoadModel: zone centroids first, capacities times the
// scenario's link changes of the hour, closed links left out). The result is
// a factor per OD cell and hour (adjusted / prior), which a calibrated twin
// multiplies into its hourly matrices.
//
// Stated simplifications:
//  - the grid feedback is ignored: signals stay powered (no dark-signal
//    capacity loss or stop delay), as in a run without outages or trips;
//  - the carry-over of unserved vehicles (carry_over_unserved) is not added
//    to the hour's demand;
//  - the inner assignment uses the scenario's algorithm, target gap and
//    iteration cap (CouplingParameters), as the simulation does; the
//    estimation's other settings come from OdmeOptions (its `assignment`
//    member is ignored here).
// A count on a link closed in its hour (capacity factor 0) cannot be matched
// by any matrix: it is counted and left out, not an error.
#include <array>
#include <cstdint>
#include <vector>

#include "core/calibration/odme.hpp"
#include "core/coupling/scenario.hpp"
#include "core/demand/parameters.hpp"
#include "core/model/twin.hpp"
#include "core/observations/fit_statistics.hpp"

namespace citytwin::calibration {

// An observed flow on one twin road link in one hour of the simulated day
// (e.g. the weekday hour-of-day profile mean of a matched count station).
struct HourlyCount {
  std::uint32_t link = 0;  // twin road link index
  int hour = 0;            // 0..23
  double vehicles = 0;     // veh/h, finite, >= 0
  double weight = 1;       // finite, > 0
};

struct HourOdme {
  int hour = 0;
  bool estimated = false;          // false: no usable count this hour; factor is all 1
  std::size_t counts_used = 0;
  std::size_t counts_on_closed_links = 0;  // left out
  // Z × Z, row-major: adjusted / prior; 1 where the prior is 0 or nothing was estimated.
  std::vector<double> factor;
  double prior_vehicles = 0, adjusted_vehicles = 0;  // matrix totals
  // Fit on this hour's counts used (GEH, %RMSE, R²), at the prior's and the adjusted equilibrium.
  observations::FlowFit before, after;
  // Equilibrium link flows (twin link order, veh/h; closed links 0) before and
  // after, for scoring counts kept out of the estimation; empty when not estimated.
  std::vector<double> flow_before, flow_after;
  std::vector<OdmeIteration> trace;
  std::int64_t cells_at_lower = 0, cells_at_upper = 0;
  bool converged = false;
  std::string stop_reason;
};

struct DailyOdmeResult {
  std::size_t zones = 0;
  std::array<HourOdme, demand::kHours> hours;  // hours[h] is hour h
  observations::FlowFit before, after;         // over every count used, all hours together
};

// `hours`: the hours to estimate (empty: every hour that has a count). Throws
// InvalidInput naming the count (index, link, hour) for a link outside the
// twin, an hour outside 0..23, a negative / NaN / infinite count or weight,
// or a (link, hour) given twice; options are checked as by estimate_od.
DailyOdmeResult estimate_daily_od(const Twin& twin, const coupling::Scenario& scenario, const std::vector<HourlyCount>& counts,
                                  const OdmeOptions& options = {}, const std::vector<int>& hours = {});

}  // namespace citytwin::calibration
