#include "core/coupling/daily_demand.hpp"

#include "core/common/errors.hpp"
#include "core/coupling/road_model.hpp"
#include "core/demand/gravity.hpp"

namespace citytwin::coupling {

std::vector<double> grown(const std::vector<double>& base, const std::vector<double>& growth) {
  std::vector<double> out = base;
  for (std::size_t i = 0; i < out.size() && i < growth.size(); ++i) out[i] *= growth[i];
  return out;
}

DailyDemand daily_demand(const Twin& twin, const Scenario& s, const RoadModel& roads) {
  DailyDemand out;
  out.zones = roads.zones();
  if (s.given_od) {
    if (s.given_od->zones != out.zones)
      throw InvalidInput("the OD matrix has " + std::to_string(s.given_od->zones) + " zones but the twin has " + std::to_string(out.zones),
                         {.file = s.given_od->source});
    return out;
  }
  const Districts& d = twin.districts;
  const auto hh = grown(d.households, s.population_growth);
  const auto er = grown(d.jobs_retail, s.jobs_growth), es = grown(d.jobs_service, s.jobs_growth), eo = grown(d.jobs_other, s.jobs_growth);
  out.calibration = &twin.calibration;
  out.ends = demand::generate_trips({hh, er, es, eo}, s.demand);
  distribute(out, roads.free_flow_skim(), s);
  return out;
}

void distribute(DailyDemand& out, const std::vector<double>& minutes, const Scenario& s) {
  for (int p = 0; p < demand::kPurposes; ++p) {
    auto g = demand::distribute(out.ends.productions[p], out.ends.attractions[p], minutes, s.demand.friction[p], s.demand.furness_tolerance,
                                s.demand.furness_max_iterations);
    out.person_trips[p] = std::move(g.trips);
    out.furness_iterations[p] = g.iterations;
    out.furness_error[p] = g.max_relative_error;
  }
}

std::vector<double> DailyDemand::vehicles(int hour, const Scenario& s) const {
  if (s.given_od) {
    std::vector<double> v = s.given_od->hour(hour);
    for (double& x : v) x *= s.demand.demand_scale;
    return v;
  }
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
  if (calibration) apply_od_factors(*calibration, hour, Z, v);
  return v;
}

}  // namespace citytwin::coupling
