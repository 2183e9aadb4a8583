#pragma once
// The per-link arithmetic of the Frank-Wolfe family (fw, cfw, bfw), written
// once for every back end of the iteration (frank_wolfe_backend.hpp): the
// terms of every sum it needs and the link updates. The host back ends run
// them under TBB loops, the CUDA back end (gpu/) in kernels; both compile
// these bodies (CITYTWIN_HD), so equal sums in equal order (chunked_sum.hpp)
// give equal steps. BPR cost, derivative and integral: bpr.hpp.
#include <cstdint>

#include "core/traffic/bpr.hpp"
#include "core/traffic/host_device.hpp"

namespace citytwin::traffic {

// ---- terms (N = number of sums computed in one pass) ----

// At flows x with cost = c(x): [TSTT = sum x cost, total travel time =
// sum x t(x), Beckmann objective = sum of the integral of c from 0 to x]
// (core/traffic/convergence.hpp defines them).
struct GapTerm {
  static constexpr int N = 3;
  const BprCoefficients* k;
  const double* x;
  const double* cost;
  CITYTWIN_HD void operator()(std::int64_t a, double* acc) const {
    acc[0] += x[a] * cost[a];
    acc[1] += x[a] * bpr_time(k[a], x[a]);
    acc[2] += bpr_integral(k[a], x[a]);
  }
};

// CFW: num = sum dbar h (y - x), den = sum dbar h (y - s1), dbar = s1 - x, h = cost'(x).
struct ConjugateTerm {
  static constexpr int N = 2;
  const BprCoefficients* k;
  const double* x;
  const double* y;
  const double* s1;
  CITYTWIN_HD void operator()(std::int64_t a, double* acc) const {
    const double h = bpr_derivative(k[a], x[a]);
    const double dbar = s1[a] - x[a];
    acc[0] += dbar * h * (y[a] - x[a]);
    acc[1] += dbar * h * (y[a] - s1[a]);
  }
};

// BFW: with dbar = s1 - x, dbbar = tau s1 - x + (1 - tau) s2, yx = y - x,
// s21 = s2 - s1: [dbbar.H.s21, dbbar.H.yx, dbar.H.dbar, dbar.H.yx].
struct BiconjugateTerm {
  static constexpr int N = 4;
  const BprCoefficients* k;
  const double* x;
  const double* y;
  const double* s1;
  const double* s2;
  double tau;
  CITYTWIN_HD void operator()(std::int64_t a, double* acc) const {
    const double h = bpr_derivative(k[a], x[a]);
    const double dbar = s1[a] - x[a];
    const double dbbar = tau * s1[a] - x[a] + (1 - tau) * s2[a];
    const double yx = y[a] - x[a];
    const double s21 = s2[a] - s1[a];
    acc[0] += dbbar * h * s21;
    acc[1] += dbbar * h * yx;
    acc[2] += dbar * h * dbar;
    acc[3] += dbar * h * yx;
  }
};

// Line search along d = s1 - x: [sum d cost(x + tau d), sum d^2 cost'(x + tau d)]
// (flows clamped at 0), the Beckmann objective's slope and curvature.
struct SlopeTerm {
  static constexpr int N = 2;
  const BprCoefficients* k;
  const double* x;
  const double* s1;
  double tau;
  CITYTWIN_HD void operator()(std::int64_t a, double* acc) const {
    const double d = s1[a] - x[a];
    if (d == 0.0) return;
    const double s = x[a] + tau * d;
    const double f = s > 0.0 ? s : 0.0;
    acc[0] += d * bpr_cost(k[a], f);
    acc[1] += d * d * bpr_derivative(k[a], f);
  }
};

// ---- link updates ----

// CFW target: alpha s_{k-1} + (1 - alpha) y_k.
CITYTWIN_HD inline double conjugate_mix(double s1, double y, double alpha) { return alpha * s1 + (1 - alpha) * y; }

// BFW target: b0 y_k + b1 s_{k-1} + b2 s_{k-2}.
CITYTWIN_HD inline double biconjugate_mix(double y, double s1, double s2, double b0, double b1, double b2) {
  return b0 * y + b1 * s1 + b2 * s2;
}

// x + tau (s1 - x), clamped at 0.
CITYTWIN_HD inline double fw_step(double x, double s1, double tau) {
  const double d = s1 - x;
  const double v = x + tau * d;
  return v > 0.0 ? v : 0.0;
}

}  // namespace citytwin::traffic
