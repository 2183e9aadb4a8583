#include "core/traffic/skims.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <cstdio>

#include "core/common/errors.hpp"
#include "core/traffic/bpr.hpp"
#include "core/traffic/shortest_path.hpp"

namespace citytwin::traffic {

namespace {

void check_links(const Network& net, const std::vector<double>& v, const char* field, bool allow_empty, bool non_negative) {
  const auto m = static_cast<std::size_t>(net.link_count);
  if (allow_empty && v.empty()) return;
  if (v.size() != m)
    throw InvalidInput("skims: " + std::to_string(v.size()) + " link values for a network of " + std::to_string(m) + " links",
                       {.field = field});
  for (std::size_t a = 0; a < m; ++a)
    if (!std::isfinite(v[a]) || (non_negative && v[a] < 0))
      throw InvalidInput("skims: link value " + std::to_string(v[a]) + (non_negative ? " is not a non-negative number" : " is not a number"),
                         {.feature = static_cast<std::int64_t>(net.file_link[a]) + 1, .field = field});
}

}  // namespace

SkimMatrices compute_skims(const Network& net, const SkimLinkCosts& links, const SkimCostParameters& p) {
  check_links(net, links.route_cost, "route_cost", false, true);
  check_links(net, links.time_min, "time_min", false, true);
  check_links(net, links.length_km, "length_km", false, true);
  check_links(net, links.toll, "toll", true, false);
  if (!std::isfinite(p.value_of_time_per_h) || p.value_of_time_per_h < 0)
    throw InvalidInput("skims: the value of time must be a non-negative number", {.field = "value_of_time_per_h"});
  if (!std::isfinite(p.cost_per_km) || p.cost_per_km < 0)
    throw InvalidInput("skims: the cost per km must be a non-negative number", {.field = "cost_per_km"});

  const auto Z = static_cast<std::size_t>(net.zone_count);
  SkimMatrices out;
  out.zones = net.zone_count;
  out.time_min.assign(Z * Z, kUnreached);
  out.distance_km.assign(Z * Z, kUnreached);
  out.cost.assign(Z * Z, kUnreached);
  // Money cost per link, so the path cost is one sum like the others.
  std::vector<double> link_money(static_cast<std::size_t>(net.link_count));
  for (std::size_t a = 0; a < link_money.size(); ++a)
    link_money[a] = p.value_of_time_per_h * links.time_min[a] / 60.0 + p.cost_per_km * links.length_km[a] +
                    (links.toll.empty() ? 0.0 : links.toll[a]);

  struct Scratch {
    ShortestPathTree tree;
    std::vector<double> time, distance, money;
  };
  tbb::enumerable_thread_specific<Scratch> scratch;
  // One origin per task: each writes its own row, so the result does not depend on the thread count.
  tbb::parallel_for(std::size_t{0}, Z, [&](std::size_t i) {
    Scratch& s = scratch.local();
    const std::int32_t origin = net.zone_node(static_cast<std::int32_t>(i + 1));
    shortest_path_tree(net, links.route_cost.data(), origin, s.tree);
    const auto n = static_cast<std::size_t>(net.node_count);
    s.time.assign(n, kUnreached);
    s.distance.assign(n, kUnreached);
    s.money.assign(n, kUnreached);
    // Settling order puts every node after its tree predecessor.
    for (std::int32_t v : s.tree.settled) {
      const std::int32_t a = s.tree.pred_link[v];
      if (a < 0) {
        s.time[v] = s.distance[v] = s.money[v] = 0;  // the origin
        continue;
      }
      const std::int32_t u = net.tail[a];
      s.time[v] = s.time[u] + links.time_min[a];
      s.distance[v] = s.distance[u] + links.length_km[a];
      s.money[v] = s.money[u] + link_money[a];
    }
    for (std::size_t j = 0; j < Z; ++j) {
      const std::int32_t d = net.zone_node(static_cast<std::int32_t>(j + 1));
      out.time_min[i * Z + j] = s.time[d];
      out.distance_km[i * Z + j] = s.distance[d];
      out.cost[i * Z + j] = s.money[d];
    }
  });
  return out;
}

SkimLinkCosts assignment_link_costs(const Network& net, const AssignmentResult& result, double km_per_length_unit) {
  const auto m = static_cast<std::size_t>(net.link_count);
  if (result.flow.size() != m || result.cost.size() != m)
    throw InvalidInput("skims: the assignment result does not belong to this network (" + std::to_string(result.flow.size()) +
                       " link flows for " + std::to_string(m) + " links)");
  if (!std::isfinite(km_per_length_unit) || km_per_length_unit <= 0)
    throw InvalidInput("skims: the length unit's km factor must be a positive number", {.field = "km_per_length_unit"});
  SkimLinkCosts c;
  c.route_cost = result.cost;
  c.time_min.resize(m);
  c.length_km.resize(m);
  c.toll = net.toll;
  for (std::size_t a = 0; a < m; ++a) {
    c.time_min[a] = bpr_time(net.coefficients[a], result.flow[a]);
    c.length_km[a] = net.length[a] * km_per_length_unit;
  }
  return c;
}

std::string skim_matrix_name(const SkimQuantity& quantity, const SkimTable& table) {
  std::string name = table.vehicle_class.empty() ? std::string() : table.vehicle_class + "_";
  name += quantity.name;
  if (table.hour) {
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "__h%02d", *table.hour);
    name += suffix;
  }
  return name;
}

}  // namespace citytwin::traffic
