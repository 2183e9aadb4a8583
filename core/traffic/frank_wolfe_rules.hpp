#pragma once
// The scalar rules of the Frank-Wolfe family, applied by run_frank_wolfe
// (core/traffic/frank_wolfe.cpp) to the sums of whichever back end runs it:
// the conjugate and bi-conjugate direction weights (Mitradjieva & Lindberg
// 2013) and the line search.
#include <algorithm>
#include <array>
#include <cmath>

namespace citytwin::traffic {

// CFW: s_k = alpha s_{k-1} + (1 - alpha) y_k with alpha making d_k
// H-conjugate to d_{k-1}; num = dbar' H (y - x), den = dbar' H (y - s_{k-1}),
// dbar = s_{k-1} - x. Kept below 1 - delta so y always enters.
inline double conjugate_alpha(double num, double den) {
  constexpr double delta = 1e-4;
  if (den == 0) return 0.0;
  const double ratio = num / den;
  return ratio > 1 - delta ? 1 - delta : (ratio >= 0 ? ratio : 0.0);
}

// BFW: s_k = b0 y_k + b1 s_{k-1} + b2 s_{k-2}, conjugate to the last two
// directions. With dbar = s_{k-1} - x, dbbar = tau s_{k-1} - x + (1 - tau)
// s_{k-2} (tau: the previous step) and the H-products mu_den = dbbar' H
// (s_{k-2} - s_{k-1}), mu_num = dbbar' H (y - x), nu_den = dbar' H dbar,
// nu_num = dbar' H (y - x). Returns {b0, b1, b2}.
inline std::array<double, 3> biconjugate_weights(double mu_den, double mu_num, double nu_den, double nu_num, double tau) {
  double mu = mu_den != 0 ? -mu_num / mu_den : 0.0;
  double nu = (nu_den != 0 ? -nu_num / nu_den : 0.0) + (tau < 1 ? mu * tau / (1 - tau) : 0.0);
  mu = std::isfinite(mu) ? std::max(0.0, mu) : 0.0;
  nu = std::isfinite(nu) ? std::max(0.0, nu) : 0.0;
  const double b0 = 1 / (1 + mu + nu);
  return {b0, nu * b0, mu * b0};
}

// Exact line search on the Beckmann objective along x + tau * d, tau in
// [0, 1]: the derivative g(tau) = sum d_a c_a(x_a + tau d_a) is increasing,
// so a safeguarded Newton step on g (curvature h = sum d_a^2 c_a'(.)) inside
// a shrinking bracket finds its root. `slope(tau)` returns {g, h}.
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
