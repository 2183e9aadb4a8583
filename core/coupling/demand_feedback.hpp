#pragma once
// Feedback of congested travel times into trip distribution (COUPLING.md
// step 1: "gravity with gamma F on last-iteration congested times, feedback
// loop optional, <= 3 outer iterations"). Each loop assigns the morning and
// evening peak hours (the hours before and after noon with the most vehicles),
// skims zone-to-zone times on the congested links (their demand-weighted
// mean), re-runs the gravity model on them and averages the new trip tables
// with the old ones by the method of successive averages (weight 1/(k+1)),
// the standard way to make the outer loop converge (Boyce, Zhang & Lupa 1994).
// The peak assignments see the scenario's link changes but not dark signals:
// distribution is a daily, planning-level choice.
#include <vector>

#include "core/coupling/daily_demand.hpp"
#include "core/coupling/road_model.hpp"

namespace citytwin::coupling {

struct FeedbackLoop {
  int loop = 0;
  int am_hour = 0, pm_hour = 0;
  double peak_vehicle_hours = 0;  // of both peak assignments, before this loop's redistribution
  double change_pct = 0;          // RMSE of the person-trip table change / mean cell, %
};

// Runs s.demand.feedback_loops loops (none with a given OD matrix).
std::vector<FeedbackLoop> feed_back_congestion(DailyDemand& d, const Scenario& s, const RoadModel& roads, std::size_t link_count);

}  // namespace citytwin::coupling
