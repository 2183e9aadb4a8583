#pragma once
// What managed charging changed over the day (SimulationResult::managed_charging):
// the same scenario run without it (pass 1) against the run with it (pass 2).
#include <string>
#include <vector>

namespace citytwin::coupling {

struct SubstationPeakChange {
  double unmanaged_mva = 0, managed_mva = 0;  // the day's peak load
  int unmanaged_hour = -1, managed_hour = -1;
  double over_headroom_mwh = 0;  // EV energy the scheduler could not fit within rating x limit
  int over_headroom_hours = 0;
  double shaved_mva() const { return unmanaged_mva - managed_mva; }
};

struct ManagedChargingReport {
  double unmanaged_peak_mw = 0, managed_peak_mw = 0;  // citywide load asked of the grid
  int unmanaged_peak_hour = -1, managed_peak_hour = -1;
  std::vector<SubstationPeakChange> substations;       // in twin order
  double flexible_mwh = 0;       // home and work session energy scheduled
  double shifted_mwh = 0;        // trip-end EV energy moved out of the hours it was drawn in uncontrolled
  double sessions = 0, sessions_delayed = 0;  // vehicles (fractional: cohorts of session_kwh)
  double sessions_late = 0, late_mwh = 0;     // windows too short at charger power: charged from arrival
  double over_headroom_mwh = 0;  // summed over substations
  int substations_over_headroom = 0;
  int scheduler_sweeps = 0;
  // The day with and without managed charging.
  int unmanaged_branch_overload_hours = 0, managed_branch_overload_hours = 0;
  double unmanaged_unserved_mwh = 0, managed_unserved_mwh = 0;
  int unmanaged_dark_signal_hours = 0, managed_dark_signal_hours = 0;
  double peak_shaved_mw() const { return unmanaged_peak_mw - managed_peak_mw; }
};

}  // namespace citytwin::coupling
