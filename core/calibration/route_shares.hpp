#pragma once
// Route proportions at a user equilibrium, rebuilt from the public assignment
// results (link flows and costs; the solver's bushes are opaque): per origin,
// the links that lie on a cheapest path under the equilibrium costs (within a
// relative tolerance) form an acyclic graph holding every used path; at each
// node, flow arriving over that graph splits among its incoming links in
// proportion to their total equilibrium flows (the shortest-path tree's link
// takes it all where none arrives). ODME's two linear passes run over it:
// route sums (the gradient) and loading a matrix (the flow change of a step).
// Parallel over origins (TBB), deterministic for any thread count.
#include <vector>

#include "core/traffic/network.hpp"

namespace citytwin::calibration {

class RouteShares {
 public:
  // flow, cost: internal link order, at the equilibrium.
  RouteShares(const traffic::Network& net, const std::vector<double>& flow, const std::vector<double>& cost,
              double equal_cost_tolerance);

  // Z × Z: for each pair i != j with a path, Σ_a p_ij,a value[a] (value per internal link); 0 elsewhere.
  std::vector<double> route_sums(const std::vector<double>& link_value) const;
  // Link flows (internal order) of loading the Z × Z matrix `od` (any sign) with the shares.
  std::vector<double> load(const std::vector<double>& od) const;

 private:
  const traffic::Network& net_;
  const std::vector<double>& flow_;
  const std::vector<double>& cost_;
  double tolerance_;
};

}  // namespace citytwin::calibration
