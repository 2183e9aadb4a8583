#include "core/coupling/road_model.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/common/errors.hpp"
#include "core/traffic/shortest_path.hpp"

namespace citytwin::coupling {

RoadModel::RoadModel(const RoadNetwork& roads) : roads_(roads), zones_(roads.zone_node.size()) {
  tntp_id_.assign(roads.node_count(), 0);
  std::int32_t next = 1;
  for (std::uint32_t z : roads.zone_node) tntp_id_[z] = next++;
  for (std::size_t v = 0; v < roads.node_count(); ++v)
    if (tntp_id_[v] == 0) tntp_id_[v] = next++;
  tntp_nodes_ = next - 1;
}

traffic::TntpNetwork RoadModel::tntp_network(const std::vector<double>& kappa, const std::vector<double>& extra_delay_s,
                                             std::vector<std::uint32_t>& twin_link_of_file) const {
  traffic::TntpNetwork net;
  net.file = "twin road network";
  net.zones = static_cast<std::int32_t>(zones_);
  net.nodes = tntp_nodes_;
  net.first_thru_node = static_cast<std::int32_t>(zones_) + 1;
  net.links.reserve(roads_.link_count());
  twin_link_of_file.clear();
  for (std::uint32_t l = 0; l < roads_.link_count(); ++l) {
    const double k = kappa.empty() ? 1.0 : kappa[l];
    if (k <= 0) continue;  // closed
    traffic::TntpLink t;
    t.tail = tntp_id_[roads_.link_from[l]];
    t.head = tntp_id_[roads_.link_to[l]];
    t.capacity = roads_.capacity_vph[l] * k;
    t.length = roads_.length_m[l] / 1000.0;
    t.free_flow_time = (roads_.free_flow_s[l] + (extra_delay_s.empty() ? 0.0 : extra_delay_s[l])) / 60.0;
    t.b = roads_.bpr_alpha[l];
    t.power = roads_.bpr_beta[l];
    t.toll = roads_.toll[l];
    t.line = l;
    net.links.push_back(t);
    twin_link_of_file.push_back(l);
  }
  return net;
}

traffic::Network RoadModel::solver_network(const std::vector<double>& kappa, const std::vector<double>& extra_delay_s,
                                           std::vector<std::uint32_t>& twin_link_of_file) const {
  return traffic::build_network(tntp_network(kappa, extra_delay_s, twin_link_of_file), {});
}

std::vector<double> RoadModel::skim(const std::vector<double>& link_time_s, const std::vector<double>& kappa) const {
  std::vector<std::uint32_t> twin_link_of_file;
  const traffic::Network net = traffic::build_network(tntp_network(kappa, {}, twin_link_of_file), {});
  std::vector<double> cost(net.link_count);
  for (std::size_t f = 0; f < twin_link_of_file.size(); ++f) {
    const std::int32_t a = net.internal_link[f];
    cost[a] = link_time_s.empty() ? net.coefficients[a].t0 : link_time_s[twin_link_of_file[f]] / 60.0;
  }
  const std::size_t Z = zones_;
  std::vector<double> out(Z * Z, std::numeric_limits<double>::infinity());
  tbb::parallel_for(std::size_t{0}, Z, [&](std::size_t i) {
    traffic::ShortestPathTree tree;
    traffic::shortest_path_tree(net, cost.data(), net.zone_node(static_cast<std::int32_t>(i + 1)), tree);
    for (std::size_t j = 0; j < Z; ++j) out[i * Z + j] = tree.distance[net.zone_node(static_cast<std::int32_t>(j + 1))];
  });
  return out;
}

std::vector<double> RoadModel::zone_distance_km() const {
  const std::size_t Z = zones_;
  std::vector<double> d(Z * Z);
  for (std::size_t i = 0; i < Z; ++i)
    for (std::size_t j = 0; j < Z; ++j) {
      const auto a = roads_.zone_node[i], b = roads_.zone_node[j];
      d[i * Z + j] = std::hypot(roads_.node_x[a] - roads_.node_x[b], roads_.node_y[a] - roads_.node_y[b]) / 1000.0;
    }
  return d;
}

RoadHour RoadModel::assign(const std::vector<double>& od, const std::vector<double>& kappa, const std::vector<double>& extra_delay_s,
                           const CouplingParameters& p, WarmStart* warm) const {
  const std::size_t Z = zones_;
  if (od.size() != Z * Z) throw InvalidInput("OD matrix does not match the twin's zones");
  std::vector<std::uint32_t> twin_link_of_file;
  const traffic::Network net = traffic::build_network(tntp_network(kappa, extra_delay_s, twin_link_of_file), {});
  traffic::TntpTrips trips;
  trips.file = "twin demand";
  trips.zones = static_cast<std::int32_t>(Z);
  for (std::size_t i = 0; i < Z; ++i)
    for (std::size_t j = 0; j < Z; ++j)
      if (od[i * Z + j] > 0) {
        trips.entries.push_back({static_cast<std::int32_t>(i + 1), static_cast<std::int32_t>(j + 1), od[i * Z + j], 0});
        trips.total += od[i * Z + j];
      }
  const traffic::OdDemand demand = traffic::build_demand(net, trips);
  RoadHour out;
  out.flow.assign(roads_.link_count(), 0.0);
  out.time_s = roads_.free_flow_s;  // closed links keep their free-flow time (and no flow)
  out.assigned_demand = demand.total;
  out.disconnected_demand = demand.disconnected_demand;
  out.intrazonal_demand = demand.intrazonal_demand;
  traffic::AssignmentResult r;
  if (demand.total > 0) {
    traffic::AssignmentOptions opt;
    opt.algorithm = p.assignment_algorithm;
    opt.target_gap = p.target_gap;
    opt.max_iterations = p.max_assignment_iterations;
    if (warm) {
      opt.warm_start = std::move(warm->bushes);  // handed over: the solver takes the bushes instead of copying them
      opt.take_warm_start = true;
      opt.keep_bushes = true;
    }
    r = traffic::assign(net, demand, opt);
    if (warm) warm->bushes = r.bushes;
    out.measures = r.measures;
    out.iterations = r.iterations;
  }
  for (std::size_t f = 0; f < twin_link_of_file.size(); ++f) {
    const std::int32_t a = net.internal_link[f];
    const double x = r.flow.empty() ? 0.0 : r.flow[a];
    out.flow[twin_link_of_file[f]] = x;
    out.time_s[twin_link_of_file[f]] = traffic::bpr_time(net.coefficients[a], x) * 60.0;
  }
  if (p.carry_over_unserved && !r.flow.empty()) held_back(net, od, r, out);
  return out;
}

// The share of a link's flow above its capacity, max(0, 1 - c/x), is what
// cannot pass in the hour; an OD pair's vehicles are held back by the worst
// link on its current shortest path (the bottleneck), found by one tree per
// origin with the bottleneck carried down the tree in settling order.
void RoadModel::held_back(const traffic::Network& net, const std::vector<double>& od, const traffic::AssignmentResult& r,
                          RoadHour& out) const {
  const std::size_t Z = zones_;
  std::vector<double> excess(net.link_count, 0.0);
  for (std::int32_t a = 0; a < net.link_count; ++a)
    if (r.flow[a] > net.capacity[a] && r.flow[a] > 0) excess[a] = 1.0 - net.capacity[a] / r.flow[a];
  out.carry_over.assign(Z * Z, 0.0);
  tbb::parallel_for(std::size_t{0}, Z, [&](std::size_t i) {
    traffic::ShortestPathTree tree;
    traffic::shortest_path_tree(net, r.cost.data(), net.zone_node(static_cast<std::int32_t>(i + 1)), tree);
    std::vector<double> worst(static_cast<std::size_t>(net.node_count), 0.0);
    for (std::int32_t v : tree.settled) {
      const std::int32_t a = tree.pred_link[v];
      if (a >= 0) worst[v] = std::max(worst[net.tail[a]], excess[a]);
    }
    for (std::size_t j = 0; j < Z; ++j)
      if (j != i && od[i * Z + j] > 0) out.carry_over[i * Z + j] = od[i * Z + j] * worst[net.zone_node(static_cast<std::int32_t>(j + 1))];
  });
  for (double v : out.carry_over) out.carry_over_vehicles += v;
}

}  // namespace citytwin::coupling
