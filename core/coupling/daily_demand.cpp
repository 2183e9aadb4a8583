#include "core/coupling/daily_demand.hpp"

#include "core/coupling/road_model.hpp"
#include "core/demand/gravity.hpp"
#include "core/demand/trip_generation.hpp"

namespace citytwin::coupling {

std::vector<double> grown(const std::vector<double>& base, const std::vector<double>& growth) {
  std::vector<double> out = base;
  for (std::size_t i = 0; i < out.size() && i < growth.size(); ++i) out[i] *= growth[i];
  return out;
}

DailyDemand daily_demand(const Twin& twin, const Scenario& s, const RoadModel& roads) {
  const Districts& d = twin.districts;
  DailyDemand out;
  out.zones = roads.zones();
  const auto hh = grown(d.households, s.population_growth);
  const auto er = grown(d.jobs_retail, s.jobs_growth), es = grown(d.jobs_service, s.jobs_growth), eo = grown(d.jobs_other, s.jobs_growth);
  const demand::TripEnds ends = demand::generate_trips({hh, er, es, eo}, s.demand);
  const std::vector<double> skim = roads.free_flow_skim();
  std::vector<double> minutes(skim.size());
  for (std::size_t k = 0; k < skim.size(); ++k) minutes[k] = skim[k];
  for (int p = 0; p < demand::kPurposes; ++p) {
    auto g = demand::distribute(ends.productions[p], ends.attractions[p], minutes, s.demand.friction[p], s.demand.furness_tolerance,
                                s.demand.furness_max_iterations);
    out.person_trips[p] = std::move(g.trips);
    out.furness_iterations[p] = g.iterations;
    out.furness_error[p] = g.max_relative_error;
  }
  return out;
}

std::vector<double> DailyDemand::vehicles(int hour, const Scenario& s) const {
  const std::size_t Z = zones;
  const demand::TimeOfDay& tod = demand::default_time_of_day();
  std::vector<double> v(Z * Z, 0.0);
  for (int p = 0; p < demand::kPurposes; ++p) {
    const double per_vehicle = s.demand.auto_share[p] / s.demand.occupancy[p];
    const double from = tod.from_home[p][hour] * per_vehicle, to = tod.to_home[p][hour] * per_vehicle;
    const auto& T = person_trips[p];
    for (std::size_t i = 0; i < Z; ++i)
      for (std::size_t j = 0; j < Z; ++j) v[i * Z + j] += from * T[i * Z + j] + to * T[j * Z + i];
  }
  return v;
}

}  // namespace citytwin::coupling
