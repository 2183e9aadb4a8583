#pragma once
// Managed EV charging as a scenario option (CouplingParameters::managed_charging;
// issue 15 section 2), in two passes:
//  1. the scenario runs as it is, uncontrolled (all 24 hours);
//  2. its home and work trip-end energy becomes sessions (per zone, arrival
//     hour and kind, split over the zone's substations by their shares; a
//     cohort of energy / charging_session_kwh vehicles whose power is at most
//     vehicles x charger kW), scheduled by valley filling on each
//     substation's pass-1 load without them (charging_schedule.hpp), within
//     rating x managed_utilisation_limit where possible (on the substation's
//     own buses as simulate() loads them: an infeed (slack) substation's
//     headroom is not checked against the island it feeds);
//  3. the scenario runs again with that schedule as its trip-end EV load
//     (the whole day; the result keeps the hours asked for).
// Held fixed between the passes: the sessions (arrival hour, zone, energy)
// and the substations' other load, both as pass 1 forecast them; pass 2
// re-runs traffic, public charging (never shifted), the grid, failures and
// signals with the scheduled load. Each hour's trip-end energy is split home
// : work in the scenario's charging shares (the hourly OD carries no purpose,
// and a given OD matrix has none) [D].
// The typical day is cyclic: an evening arrival leaving at 07:00 charges in
// the hours after midnight of the same modelled day, so the managed run
// draws all session energy within the day, where the uncontrolled kernel
// drops what arrivals at 22-23 h would draw after midnight.
#include <memory>
#include <vector>

#include "core/coupling/charging_schedule.hpp"
#include "core/coupling/simulation.hpp"

namespace citytwin::coupling {

struct ManagedChargingPlan {
  std::vector<ChargingSession> sessions;
  std::vector<HourArray> uncontrolled_mw;  // per session: the uncontrolled kernel, wrapped over the day
  std::vector<std::uint8_t> delayed;       // per session: charged later than uncontrolled at some hour
  // Per twin substation, then one pool for zones no substation serves (no limit).
  std::vector<SubstationRoom> rooms;
  ChargingSchedule schedule;
  std::shared_ptr<TripEndLoad> load;
};

// The sessions of a run without managed charging (all 24 hours) and their schedule.
ManagedChargingPlan plan_managed_charging(const Twin& twin, const Scenario& scenario, const SimulationResult& unmanaged);

// The report of a managed run against the unmanaged one (same hours).
ManagedChargingReport managed_charging_report(const Twin& twin, const ManagedChargingPlan& plan, const SimulationResult& unmanaged,
                                              const SimulationResult& managed);

// Both passes; the managed run's result, with unmanaged_* totals and the report.
SimulationResult simulate_managed(const Twin& twin, const Scenario& scenario, const SimulationOptions& options);

}  // namespace citytwin::coupling
