#pragma once
// BPR link performance, t(x) = t0 * (1 + b * (x / c)^p), plus a constant
// generalised-cost term (toll_factor * toll + distance_factor * length).
// Per-link math only: this header is included by the CPU solvers and by CUDA
// kernels, so it uses no standard-library containers.
#include <cmath>

#include "core/traffic/host_device.hpp"

namespace citytwin::traffic {

// Coefficients of one link in the form the solvers use:
//   cost(x)     = fixed + t0 + coef * x^power          (coef = t0 * b / c^power)
//   cost'(x)    = coef * power * x^(power - 1)
//   integral(x) = (fixed + t0) * x + coef * x^(power + 1) / (power + 1)
struct BprCoefficients {
  double t0;     // free-flow time
  double coef;   // t0 * b / capacity^power
  double power;  // BPR exponent (>= 0)
  double fixed;  // toll_factor * toll + distance_factor * length
};

CITYTWIN_HD inline double bpr_power(double x, double p) {
  if (p == 4.0) {
    const double x2 = x * x;
    return x2 * x2;
  }
  if (p == 1.0) return x;
  if (p == 0.0) return 1.0;
  return std::pow(x, p);
}

// Generalised cost of a link carrying flow x.
CITYTWIN_HD inline double bpr_cost(const BprCoefficients& k, double x) {
  return k.fixed + k.t0 + k.coef * bpr_power(x, k.power);
}

// Travel time alone (no toll or distance term).
CITYTWIN_HD inline double bpr_time(const BprCoefficients& k, double x) {
  return k.t0 + k.coef * bpr_power(x, k.power);
}

// d cost / d x; 0 for constant-cost links (coef == 0 or power == 0).
CITYTWIN_HD inline double bpr_derivative(const BprCoefficients& k, double x) {
  if (k.coef == 0.0 || k.power == 0.0) return 0.0;
  if (k.power == 4.0) return 4.0 * k.coef * x * x * x;
  if (k.power == 1.0) return k.coef;
  return k.coef * k.power * std::pow(x, k.power - 1.0);
}

// Beckmann term: integral of the generalised cost from 0 to x.
CITYTWIN_HD inline double bpr_integral(const BprCoefficients& k, double x) {
  return (k.fixed + k.t0) * x + k.coef * bpr_power(x, k.power) * x / (k.power + 1.0);
}

}  // namespace citytwin::traffic
