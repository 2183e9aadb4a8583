#include "core/demand/gravity.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/common/errors.hpp"

namespace citytwin::demand {

GravityResult distribute(std::span<const double> P, std::span<const double> A, std::span<const double> cost,
                         GammaFriction friction, double tolerance, int max_iterations) {
  const std::size_t n = P.size();
  if (A.size() != n || cost.size() != n * n) throw InvalidInput("gravity: productions, attractions and cost matrix sizes differ");
  GravityResult r;
  r.trips.assign(n * n, 0.0);
  // Seed: P_i A_j F(c_ij); zero rows/columns stay zero.
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
    for (std::size_t j = 0; j < n; ++j) {
      const double c = cost[i * n + j];
      r.trips[i * n + j] = std::isfinite(c) ? P[i] * A[j] * gamma_friction(friction, c) : 0.0;
    }
  });
  // Rows whose every destination is unreachable cannot be distributed: they
  // are left out of the error measure (the caller reports them).
  std::vector<std::uint8_t> row_live(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n && !row_live[i]; ++j) row_live[i] = r.trips[i * n + j] > 0;
  std::vector<double> col(n);
  auto relative = [](double got, double want) { return want > 0 ? std::abs(got - want) / want : (got > 0 ? 1.0 : 0.0); };
  for (r.iterations = 1; r.iterations <= max_iterations; ++r.iterations) {
    // Rows to P (each row independent: parallel and deterministic).
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
      double s = 0;
      for (std::size_t j = 0; j < n; ++j) s += r.trips[i * n + j];
      const double k = s > 0 ? P[i] / s : 0.0;
      for (std::size_t j = 0; j < n; ++j) r.trips[i * n + j] *= k;
    });
    // Columns to A (sums in a fixed order).
    std::fill(col.begin(), col.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) col[j] += r.trips[i * n + j];
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
      for (std::size_t j = 0; j < n; ++j)
        if (col[j] > 0) r.trips[i * n + j] *= A[j] / col[j];
    });
    // Columns are now exact; measure the rows.
    double err = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0;
      for (std::size_t j = 0; j < n; ++j) s += r.trips[i * n + j];
      if (row_live[i]) err = std::max(err, relative(s, P[i]));
    }
    r.max_relative_error = err;
    if (err <= tolerance) {
      r.converged = true;
      break;
    }
  }
  r.iterations = std::min(r.iterations, max_iterations);
  return r;
}

}  // namespace citytwin::demand
