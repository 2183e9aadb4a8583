#include "core/traffic/convergence.hpp"

#include "core/traffic/bpr.hpp"
#include "core/traffic/shortest_path.hpp"

namespace citytwin::traffic {

// Sums are serial in link order: the same answer for any thread count.
void link_costs(const Network& net, const std::vector<double>& flow, std::vector<double>& cost) {
  cost.resize(flow.size());
  for (std::size_t a = 0; a < flow.size(); ++a) cost[a] = bpr_cost(net.coefficients[a], flow[a]);
}

double beckmann_objective(const Network& net, const std::vector<double>& flow) {
  double z = 0;
  for (std::size_t a = 0; a < flow.size(); ++a) z += bpr_integral(net.coefficients[a], flow[a]);
  return z;
}

GapMeasures gap_measures(const Network& net, const OdDemand& demand, const std::vector<double>& flow,
                         const std::vector<double>& cost, double sptt) {
  GapMeasures g;
  for (std::size_t a = 0; a < flow.size(); ++a) {
    g.tstt += flow[a] * cost[a];
    g.total_travel_time += flow[a] * bpr_time(net.coefficients[a], flow[a]);
  }
  g.sptt = sptt;
  g.relative_gap = sptt > 0 ? (g.tstt - sptt) / sptt : 0.0;
  g.average_excess_cost = demand.total > 0 ? (g.tstt - sptt) / demand.total : 0.0;
  g.objective = beckmann_objective(net, flow);
  return g;
}

GapMeasures evaluate(const Network& net, const OdDemand& demand, const std::vector<double>& flow) {
  std::vector<double> cost;
  link_costs(net, flow, cost);
  return gap_measures(net, demand, flow, cost, shortest_path_total(net, demand, cost));
}

}  // namespace citytwin::traffic
