#pragma once
// Convergence measures of a static user-equilibrium assignment.
//   TSTT  = sum over links of flow * generalised cost(flow)
//   SPTT  = sum over OD pairs of demand * shortest-path generalised cost
//   relative gap          = (TSTT - SPTT) / SPTT
//   average excess cost   = (TSTT - SPTT) / total demand
//   Beckmann objective    = sum over links of the integral of the generalised cost from 0 to the flow
//   total travel time     = sum over links of flow * travel time (no toll or distance term)
#include <vector>

#include "core/traffic/network.hpp"
#include "core/traffic/od_demand.hpp"

namespace citytwin::traffic {

struct GapMeasures {
  double tstt = 0;
  double sptt = 0;
  double relative_gap = 0;
  double average_excess_cost = 0;
  double objective = 0;
  double total_travel_time = 0;
};

// Link costs for the given flows (generalised, internal link order).
void link_costs(const Network& net, const std::vector<double>& flow, std::vector<double>& cost);

double beckmann_objective(const Network& net, const std::vector<double>& flow);

// All measures; `sptt` comes from the caller's shortest-path pass over `cost`.
GapMeasures gap_measures(const Network& net, const OdDemand& demand, const std::vector<double>& flow,
                         const std::vector<double>& cost, double sptt);

// Recomputes costs and SPTT itself (one shortest-path tree per origin).
GapMeasures evaluate(const Network& net, const OdDemand& demand, const std::vector<double>& flow);

}  // namespace citytwin::traffic
