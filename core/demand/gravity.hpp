#pragma once
// Doubly constrained gravity distribution, T_ij = a_i b_j P_i A_j F(c_ij),
// balanced by Furness (iterative proportional fitting) until every row and
// column sum is within the tolerance of its target. Dense Z x Z matrices:
// fine for city zone systems (a few thousand zones).
#include <cmath>
#include <span>
#include <vector>

#include "core/demand/parameters.hpp"

namespace citytwin::demand {

struct GravityResult {
  std::vector<double> trips;  // row-major Z x Z
  int iterations = 0;
  double max_relative_error = 0;  // of row and column sums against P and A
  bool converged = false;
};

// cost_minutes: row-major Z x Z zone-to-zone travel times (intrazonal included).
GravityResult distribute(std::span<const double> productions, std::span<const double> attractions,
                         std::span<const double> cost_minutes, GammaFriction friction, double tolerance, int max_iterations);

inline double gamma_friction(GammaFriction f, double minutes) {
  const double t = minutes > 0.5 ? minutes : 0.5;  // avoid t^b blowing up at zero cost
  return std::pow(t, f.b) * std::exp(f.c * t);
}

}  // namespace citytwin::demand
