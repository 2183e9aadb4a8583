#pragma once
// The per-link arithmetic of the Frank-Wolfe family (fw, cfw, bfw) written
// once for the TBB twin and the CUDA kernels: the link updates, and the terms
// of every sum the iteration needs. The formulas and their evaluation order
// are those of core/traffic/frank_wolfe.cpp, so the two agree to rounding.
//
// Sums are deterministic: [0, count) is cut into chunks of kSumChunk
// consecutive elements, each chunk summed in index order (one thread on the
// device, one task on the CPU), then the chunk partials summed in chunk order.
// Same additions in the same order on both sides: bit-identical totals
// (the .cu is compiled without FMA contraction, as g++ is here).
#include <cstdint>

#include "core/common/host_device.hpp"
#include "core/traffic/bpr.hpp"

namespace citytwin::gpu {

inline constexpr std::int64_t kSumChunk = 256;

inline constexpr std::int64_t sum_chunks(std::int64_t count) { return (count + kSumChunk - 1) / kSumChunk; }

// partial[chunk * N + j] = sum over the chunk's elements of term j.
template <int N, class Term>
CITYTWIN_HD inline void chunk_sum(std::int64_t chunk, std::int64_t count, const Term& term, double* partial) {
  double acc[N];
  for (int j = 0; j < N; ++j) acc[j] = 0.0;
  const std::int64_t end = (chunk + 1) * kSumChunk < count ? (chunk + 1) * kSumChunk : count;
  for (std::int64_t i = chunk * kSumChunk; i < end; ++i) term(i, acc);
  for (int j = 0; j < N; ++j) partial[chunk * N + j] = acc[j];
}

template <int N>
CITYTWIN_HD inline void sum_partials(const double* partial, std::int64_t chunks, double* out) {
  for (int j = 0; j < N; ++j) out[j] = 0.0;
  for (std::int64_t c = 0; c < chunks; ++c)
    for (int j = 0; j < N; ++j) out[j] += partial[c * N + j];
}

// ---- terms (N = number of sums computed in one pass) ----

// TSTT = sum x * cost(x).
struct TsttTerm {
  static constexpr int N = 1;
  const double* x;
  const double* cost;
  CITYTWIN_HD void operator()(std::int64_t a, double* acc) const { acc[0] += x[a] * cost[a]; }
};

// SPTT = sum over OD pairs of demand * shortest-path label (pairs without a
// path are left out, as in the loading).
struct SpttTerm {
  static constexpr int N = 1;
  const double* demand;
  const std::int32_t* destination;
  const std::int32_t* pair_lane;
  const double* labels;
  int lanes;
  CITYTWIN_HD void operator()(std::int64_t k, double* acc) const {
    const double d = labels[static_cast<std::int64_t>(destination[k]) * lanes + pair_lane[k]];
    if (d < 1.0 / 0.0) acc[0] += demand[k] * d;
  }
};

// CFW: num = sum dbar h (y - x), den = sum dbar h (y - s1), dbar = s1 - x, h = cost'(x).
struct ConjugateTerm {
  static constexpr int N = 2;
  const traffic::BprCoefficients* k;
  const double* x;
  const double* y;
  const double* s1;
  CITYTWIN_HD void operator()(std::int64_t a, double* acc) const {
    const double h = traffic::bpr_derivative(k[a], x[a]);
    const double dbar = s1[a] - x[a];
    acc[0] += dbar * h * (y[a] - x[a]);
    acc[1] += dbar * h * (y[a] - s1[a]);
  }
};

// BFW: with dbar = s1 - x, dbbar = tau s1 - x + (1 - tau) s2, yx = y - x,
// s21 = s2 - s1: [dbbar.H.s21, dbbar.H.yx, dbar.H.dbar, dbar.H.yx].
struct BiconjugateTerm {
  static constexpr int N = 4;
  const traffic::BprCoefficients* k;
  const double* x;
  const double* y;
  const double* s1;
  const double* s2;
  double tau;
  CITYTWIN_HD void operator()(std::int64_t a, double* acc) const {
    const double h = traffic::bpr_derivative(k[a], x[a]);
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
  const traffic::BprCoefficients* k;
  const double* x;
  const double* s1;
  double tau;
  CITYTWIN_HD void operator()(std::int64_t a, double* acc) const {
    const double d = s1[a] - x[a];
    if (d == 0.0) return;
    const double s = x[a] + tau * d;
    const double f = s > 0.0 ? s : 0.0;
    acc[0] += d * traffic::bpr_cost(k[a], f);
    acc[1] += d * d * traffic::bpr_derivative(k[a], f);
  }
};

// ---- link updates ----

CITYTWIN_HD inline double conjugate_mix(double s1, double y, double alpha) { return alpha * s1 + (1 - alpha) * y; }

CITYTWIN_HD inline double biconjugate_mix(double y, double s1, double s2, double b0, double b1, double b2) {
  return b0 * y + b1 * s1 + b2 * s2;
}

// x + tau (s1 - x), clamped at 0.
CITYTWIN_HD inline double fw_step(double x, double s1, double tau) {
  const double d = s1 - x;
  const double v = x + tau * d;
  return v > 0.0 ? v : 0.0;
}

}  // namespace citytwin::gpu
