#pragma once
// A scenario's daily travel demand: productions/attractions per purpose from
// the districts (with growth factors), distributed by gravity on free-flow
// zone skims (or congested ones, demand_feedback.hpp), and turned into hourly
// vehicle OD matrices; or the analyst's own matrices (Scenario::given_od).
#include <array>
#include <vector>

#include "core/coupling/scenario.hpp"
#include "core/demand/trip_generation.hpp"
#include "core/model/twin.hpp"

namespace citytwin::coupling {

class RoadModel;

struct DailyDemand {
  std::size_t zones = 0;
  demand::TripEnds ends;  // daily person-trip productions and attractions (empty with a given OD)
  std::array<std::vector<double>, demand::kPurposes> person_trips;  // Z x Z per purpose (P -> A)
  std::array<int, demand::kPurposes> furness_iterations{};
  std::array<double, demand::kPurposes> furness_error{};
  // The twin's OD calibration (core/model/twin_calibration.hpp), applied to
  // the gravity matrices of every hour; null or empty: none.
  const TwinCalibration* calibration = nullptr;

  // Vehicles per hour, Z x Z, for hour h (the given matrix times demand_scale, if any).
  std::vector<double> vehicles(int hour, const Scenario& s) const;
};

DailyDemand daily_demand(const Twin& twin, const Scenario& scenario, const RoadModel& roads);

// Re-runs the gravity distribution of every purpose on these zone-to-zone minutes.
void distribute(DailyDemand& d, const std::vector<double>& skim_minutes, const Scenario& s);

// Households and jobs per district after the scenario's growth factors.
std::vector<double> grown(const std::vector<double>& base, const std::vector<double>& growth);

}  // namespace citytwin::coupling
