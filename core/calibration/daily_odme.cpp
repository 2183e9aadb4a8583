#include "core/calibration/daily_odme.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/common/errors.hpp"
#include "core/coupling/daily_demand.hpp"
#include "core/coupling/demand_feedback.hpp"
#include "core/coupling/road_model.hpp"

namespace citytwin::calibration {
namespace {

void check_counts(const Twin& twin, const std::vector<HourlyCount>& counts) {
  const std::size_t links = twin.roads.link_count();
  std::vector<std::int64_t> first(links * demand::kHours, -1);
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const HourlyCount& c = counts[k];
    const auto fail = [&](const std::string& why, const char* field) {
      throw InvalidInput("count on link " + std::to_string(c.link) + " in hour " + std::to_string(c.hour) + ": " + why,
                         SourceLocation{.layer = "hourly link counts", .feature = static_cast<std::int64_t>(k), .field = field});
    };
    if (c.link >= links) fail("the twin has links 0.." + std::to_string(links) + " (exclusive)", "link");
    if (c.hour < 0 || c.hour >= demand::kHours) fail("the hour must lie in 0..23", "hour");
    if (!std::isfinite(c.vehicles) || c.vehicles < 0) fail("vehicles must be a finite number >= 0 (got " + std::to_string(c.vehicles) + ")", "vehicles");
    if (!std::isfinite(c.weight) || c.weight <= 0) fail("the weight must be a finite number > 0 (got " + std::to_string(c.weight) + ")", "weight");
    auto& seen = first[static_cast<std::size_t>(c.hour) * links + c.link];
    if (seen >= 0) fail("given twice (counts " + std::to_string(seen) + " and " + std::to_string(k) + ")", "link");
    seen = static_cast<std::int64_t>(k);
  }
}

}  // namespace

DailyOdmeResult estimate_daily_od(const Twin& twin, const coupling::Scenario& scenario, const std::vector<HourlyCount>& counts,
                                  const OdmeOptions& options, const std::vector<int>& hours) {
  check_odme_options(options);
  check_counts(twin, counts);
  std::vector<std::uint8_t> wanted(demand::kHours, 0);
  for (const int h : hours) {
    if (h < 0 || h >= demand::kHours)
      throw InvalidInput("hour " + std::to_string(h) + " is outside 0..23", SourceLocation{.layer = "odme hours", .field = "hour"});
    wanted[static_cast<std::size_t>(h)] = 1;
  }
  if (hours.empty())
    for (const HourlyCount& c : counts) wanted[static_cast<std::size_t>(c.hour)] = 1;

  const std::size_t nl = twin.roads.link_count();
  const coupling::RoadModel roads(twin.roads);
  // The scenario's matrices exactly as the simulation builds them (with its congestion feedback).
  coupling::DailyDemand demand = coupling::daily_demand(twin, scenario, roads);
  coupling::feed_back_congestion(demand, scenario, roads, nl);

  DailyOdmeResult out;
  out.zones = roads.zones();
  const std::size_t Z = out.zones;
  OdmeOptions o = options;
  o.assignment.algorithm = scenario.coupling.assignment_algorithm;
  o.assignment.target_gap = scenario.coupling.target_gap;
  o.assignment.max_iterations = scenario.coupling.max_assignment_iterations;
  std::vector<double> all_before, all_after, all_observed;
  for (int h = 0; h < demand::kHours; ++h) {
    HourOdme& hour = out.hours[static_cast<std::size_t>(h)];
    hour.hour = h;
    hour.factor.assign(Z * Z, 1.0);
    if (!wanted[static_cast<std::size_t>(h)]) continue;

    const std::vector<double> prior = demand.vehicles(h, scenario);
    for (const double v : prior) hour.prior_vehicles += v;
    hour.adjusted_vehicles = hour.prior_vehicles;
    std::vector<std::uint32_t> twin_link_of_file;
    const traffic::Network net = roads.solver_network(coupling::capacity_factors(scenario, h, nl), {}, twin_link_of_file);
    std::vector<std::int32_t> file_position(nl, -1);
    for (std::size_t f = 0; f < twin_link_of_file.size(); ++f) file_position[twin_link_of_file[f]] = static_cast<std::int32_t>(f);

    std::vector<LinkCount> used;
    for (const HourlyCount& c : counts) {
      if (c.hour != h) continue;
      const std::int32_t f = file_position[c.link];
      if (f < 0) {
        ++hour.counts_on_closed_links;
        continue;
      }
      used.push_back({f, c.vehicles, c.weight});
    }
    hour.counts_used = used.size();
    if (used.empty()) continue;

    const OdmeResult r = estimate_od(net, prior, used, o);
    hour.estimated = true;
    hour.adjusted_vehicles = 0;
    for (std::size_t k = 0; k < Z * Z; ++k) {
      hour.adjusted_vehicles += r.od[k];
      if (prior[k] > 0) hour.factor[k] = r.od[k] / prior[k];
    }
    hour.flow_before.assign(nl, 0.0);
    hour.flow_after.assign(nl, 0.0);
    for (std::size_t f = 0; f < twin_link_of_file.size(); ++f) {
      hour.flow_before[twin_link_of_file[f]] = r.prior_flow[f];
      hour.flow_after[twin_link_of_file[f]] = r.flow[f];
    }
    std::vector<double> before, after, observed;
    for (const LinkCount& c : used) {
      before.push_back(r.prior_flow[static_cast<std::size_t>(c.link)]);
      after.push_back(r.flow[static_cast<std::size_t>(c.link)]);
      observed.push_back(c.vehicles);
    }
    hour.before = observations::flow_fit(before, observed);
    hour.after = observations::flow_fit(after, observed);
    all_before.insert(all_before.end(), before.begin(), before.end());
    all_after.insert(all_after.end(), after.begin(), after.end());
    all_observed.insert(all_observed.end(), observed.begin(), observed.end());
    hour.trace = r.trace;
    hour.cells_at_lower = r.cells_at_lower;
    hour.cells_at_upper = r.cells_at_upper;
    hour.converged = r.converged;
    hour.stop_reason = r.stop_reason;
  }
  out.before = observations::flow_fit(all_before, all_observed);
  out.after = observations::flow_fit(all_after, all_observed);
  return out;
}

}  // namespace citytwin::calibration
