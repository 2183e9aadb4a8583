#pragma once
// The coupled hourly simulation (COUPLING.md, "The coupling loop, step by
// step"): for each hour, demand -> assignment -> EV charging -> bus loads ->
// DC power flow -> failure update (scenario outages, substations above
// u_trip, everything cut off from a slack) -> signals dark after their
// battery backup -> capacity multipliers on approach links -> re-assign, to a
// fixed point (failures monotone within the hour, loads damped by MSA).
#include <cstdint>
#include <functional>
#include <vector>

#include "core/coupling/demand_feedback.hpp"
#include "core/coupling/scenario.hpp"
#include "core/model/twin.hpp"

namespace citytwin::coupling {

struct HourTotals {
  int hour = 0;
  double vehicle_km = 0, vehicle_hours = 0, delay_hours = 0;
  double demand_vehicles = 0, disconnected_vehicles = 0;
  // carry_over_unserved: vehicles held over from the previous hour (in this
  // hour's demand) and held back at bottlenecks into the next hour.
  double carried_in_vehicles = 0, carried_over_vehicles = 0;
  double load_mw = 0;                 // total electric load asked of the grid (incl. EV)
  double unserved_energy_mwh = 0;     // load at de-energised buses + public charging not served
  double ev_energy_mwh = 0;           // EV energy demand phi * VKT * e
  double queued_sessions = 0;         // at full public stations at the end of the hour
  double mean_queue_wait_h = 0;
  int overloaded_branches = 0, dark_signals = 0, failed_substations = 0;
  double relative_gap = 0;            // last assignment of the hour
  int coupling_rounds = 0, assignment_iterations = 0;
  bool converged = false;             // the hour's fixed point was reached
  double peak_substation_loading = 0; // largest substation utilisation of the hour (fraction of rating)
};
// Each total's name, unit and outputs: core/coupling/hour_totals_fields.cpp.

// Per-element results of one hour (float: 24 hours of a large city fit in memory).
struct HourResult {
  HourTotals totals;
  std::vector<float> link_flow, link_time_s, link_vc, link_speed_kph, link_capacity_factor;
  std::vector<float> bus_load_mw;
  std::vector<std::uint8_t> bus_energised;
  std::vector<float> branch_loading_pct;
  std::vector<float> substation_load_mva, substation_utilisation;
  std::vector<std::uint8_t> substation_failed;
  std::vector<std::uint8_t> signal_dark;       // per signal (CrossLinks::signal_node order)
  std::vector<float> district_vkt, district_vht, district_delay_h, district_unserved_mwh, district_ev_mwh, district_load_mw;
};

struct PhaseSeconds {
  double demand = 0, assignment = 0, ev = 0, power_flow = 0, failures = 0;
};

struct SimulationResult {
  std::string scenario;
  // The model parameters this run used (COUPLING.md: outputs say which values
  // were used), from scenario_parameter_fields(): numbers (bools as 0/1) and
  // enum spellings ("assignment_algorithm", "bush").
  std::vector<std::pair<std::string, double>> parameters;
  std::vector<std::pair<std::string, std::string>> parameter_choices;
  std::string demand_source;           // "districts (gravity)" or the given OD file
  std::vector<FeedbackLoop> feedback;  // congested-time feedback into distribution, per loop
  std::vector<HourResult> hours;
  PhaseSeconds seconds;
};

struct Progress {
  int hour = 0, hours_done = 0, hours_total = 0, round = 0;
};

struct SimulationOptions {
  std::vector<int> hours;  // empty: 0..23
  // Grid alone (`citytwin powerflow city.twin`): no assignment, no EV or
  // signal feedback; bus loads are the base load and the signals.
  bool grid_only = false;
  // At the start of every coupling round, and once when an hour is done
  // (hours_done then counts it: the last call has hours_done == hours_total).
  std::function<void(const Progress&)> on_progress;
  // After every coupling round: the substations out of service so far (tests
  // use it to check that failures only accumulate within an hour).
  std::function<void(int hour, int round, const std::vector<std::uint8_t>& failed_substations)> on_round;
};

SimulationResult simulate(const Twin& twin, const Scenario& scenario, const SimulationOptions& options = {});


}  // namespace citytwin::coupling
