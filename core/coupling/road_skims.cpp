#include "core/coupling/road_skims.hpp"

#include <algorithm>

#include "core/common/errors.hpp"
#include "core/coupling/road_model.hpp"

namespace citytwin::coupling {

traffic::SkimMatrices road_skims(const RoadNetwork& roads, const std::vector<float>& link_time_s,
                                 const std::vector<float>& capacity_factor, const traffic::SkimCostParameters& parameters) {
  const std::size_t nl = roads.link_count();
  if (link_time_s.size() != nl || capacity_factor.size() != nl)
    throw InvalidInput("skims: the hour's link results (" + std::to_string(link_time_s.size()) + " times, " +
                       std::to_string(capacity_factor.size()) + " capacity factors) do not match the twin's " + std::to_string(nl) +
                       " links");
  const RoadModel model(roads);
  const std::vector<double> kappa(capacity_factor.begin(), capacity_factor.end());
  std::vector<std::uint32_t> twin_link_of_file;
  const traffic::Network net = traffic::build_network(model.tntp_network(kappa, {}, twin_link_of_file), {});
  traffic::SkimLinkCosts links;
  const auto m = static_cast<std::size_t>(net.link_count);
  links.time_min.resize(m);
  links.length_km.resize(m);
  links.toll.resize(m);
  for (std::size_t f = 0; f < twin_link_of_file.size(); ++f) {
    const std::int32_t a = net.internal_link[f];
    const std::uint32_t l = twin_link_of_file[f];
    links.time_min[a] = link_time_s[l] / 60.0;
    links.length_km[a] = roads.length_m[l] / 1000.0;
    links.toll[a] = roads.toll[l];
  }
  links.route_cost = links.time_min;  // the twin assigns with time as the generalised cost
  return traffic::compute_skims(net, links, parameters);
}

traffic::SkimSet simulation_skims(const Twin& twin, const SimulationResult& result, const std::vector<int>& hours,
                                  const traffic::SkimCostParameters& parameters) {
  traffic::SkimSet set;
  set.parameters = parameters;
  for (std::size_t z = 0; z < twin.roads.zone_node.size(); ++z) set.zone_ids.push_back(static_cast<std::int32_t>(z + 1));
  std::string simulated;
  for (const auto& h : result.hours) {
    if (!simulated.empty()) simulated += ',';
    simulated += std::to_string(h.totals.hour);
  }
  for (int hour : hours)
    if (std::none_of(result.hours.begin(), result.hours.end(), [&](const HourResult& h) { return h.totals.hour == hour; }))
      throw InvalidInput("skims asked for hour " + std::to_string(hour) + ", which was not simulated (hours: " + simulated + ")",
                         {.field = "--skim-hours"});
  for (const auto& h : result.hours) {
    if (!hours.empty() && std::find(hours.begin(), hours.end(), h.totals.hour) == hours.end()) continue;
    set.tables.push_back({.vehicle_class = {}, .hour = h.totals.hour,
                          .matrices = road_skims(twin.roads, h.link_time_s, h.link_capacity_factor, parameters)});
  }
  return set;
}

}  // namespace citytwin::coupling
