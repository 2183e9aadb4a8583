#include "core/traffic/od_demand.hpp"

#include <algorithm>
#include <map>

#include "core/common/errors.hpp"

namespace citytwin::traffic {

void reachable_from(const Network& net, std::int32_t origin, std::vector<std::uint8_t>& reached,
                    std::vector<std::int32_t>& stack) {
  reached.assign(static_cast<std::size_t>(net.node_count), 0);
  stack.clear();
  reached[origin] = 1;
  stack.push_back(origin);
  while (!stack.empty()) {
    const std::int32_t u = stack.back();
    stack.pop_back();
    if (u != origin && net.no_through[u]) continue;
    for (std::int32_t a = net.out_offset[u]; a < net.out_offset[u + 1]; ++a) {
      const std::int32_t v = net.head[a];
      if (!reached[v]) {
        reached[v] = 1;
        stack.push_back(v);
      }
    }
  }
}

OdDemand build_demand(const Network& net, const TntpTrips& trips) {
  if (trips.zones != net.zone_count)
    throw InvalidInput("the trips file declares " + std::to_string(trips.zones) + " zones but the network has " +
                           std::to_string(net.zone_count),
                       SourceLocation{.file = trips.file});
  // Gather per origin zone, summing repeated entries, in zone order.
  std::map<std::int32_t, std::map<std::int32_t, double>> table;
  OdDemand demand;
  for (const TntpOdEntry& e : trips.entries) {
    if (e.origin < 1 || e.origin > net.zone_count || e.destination < 1 || e.destination > net.zone_count)
      throw InvalidInput("OD pair " + std::to_string(e.origin) + " -> " + std::to_string(e.destination) +
                             " names a zone the network does not have",
                         SourceLocation{.file = trips.file, .line = e.line});
    if (e.origin == e.destination) {
      ++demand.intrazonal_pairs;
      demand.intrazonal_demand += e.flow;
      continue;
    }
    table[e.origin][e.destination] += e.flow;
  }
  std::vector<std::uint8_t> reached;
  std::vector<std::int32_t> stack;
  for (const auto& [origin_zone, row] : table) {
    const std::int32_t origin = net.zone_node(origin_zone);
    reachable_from(net, origin, reached, stack);
    std::vector<std::pair<std::int32_t, double>> kept;
    for (const auto& [destination_zone, flow] : row) {
      const std::int32_t destination = net.zone_node(destination_zone);
      if (!reached[destination]) {
        ++demand.disconnected_pairs;
        demand.disconnected_demand += flow;
        continue;
      }
      kept.emplace_back(destination, flow);
    }
    if (kept.empty()) continue;
    std::sort(kept.begin(), kept.end());
    demand.origin_node.push_back(origin);
    for (const auto& [destination, flow] : kept) {
      demand.destination_node.push_back(destination);
      demand.destination_flow.push_back(flow);
      demand.total += flow;
      ++demand.pairs;
    }
    demand.destination_offset.push_back(static_cast<std::int32_t>(demand.destination_node.size()));
  }
  return demand;
}

}  // namespace citytwin::traffic
