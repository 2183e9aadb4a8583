#pragma once
// Exact line search on the Beckmann objective along x + tau * d, tau in
// [0, 1], shared by the Frank-Wolfe family on the CPU (core/traffic) and the
// device iteration's driver (gpu/): the derivative g(tau) = sum d_a c_a(x_a +
// tau d_a) is increasing, so a safeguarded Newton step on g (curvature h =
// sum d_a^2 c_a'(.)) inside a shrinking bracket finds its root. `slope(tau)`
// returns {g, h}; one function keeps both paths taking the same steps.
#include <algorithm>
#include <array>
#include <cmath>

namespace citytwin::traffic {

template <class Slope>
double beckmann_line_search(Slope&& slope) {
  if (slope(1.0)[0] <= 0) return 1.0;
  const std::array<double, 2> at0 = slope(0.0);
  const double g0 = at0[0];
  double h = at0[1];
  if (g0 >= 0) return 0.0;
  double lo = 0, hi = 1, tau = std::clamp(-g0 / h, 0.0, 1.0);
  if (!(tau > 0 && tau < 1)) tau = 0.5;
  for (int it = 0; it < 100 && hi - lo > 1e-15; ++it) {
    const std::array<double, 2> s = slope(tau);
    const double g = s[0];
    h = s[1];
    if (g == 0) return tau;
    if (g > 0) hi = tau; else lo = tau;
    const double newton = h > 0 ? tau - g / h : -1.0;
    tau = (newton > lo && newton < hi) ? newton : 0.5 * (lo + hi);
    if (std::abs(g) <= 1e-14 * std::abs(g0)) break;
  }
  return tau;
}

}  // namespace citytwin::traffic
