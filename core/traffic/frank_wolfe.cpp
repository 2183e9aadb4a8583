// Link-based solvers: Frank-Wolfe, and the conjugate (CFW) and bi-conjugate
// (BFW) direction variants of Mitradjieva & Lindberg, "The stiff is moving -
// conjugate direction Frank-Wolfe methods with applications to traffic
// assignment", Transportation Science 47(2), 2013.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/traffic/assignment.hpp"
#include "core/traffic/bpr.hpp"
#include "core/traffic/frank_wolfe_rules.hpp"
#include "core/traffic/iteration_record.hpp"
#include "core/traffic/shortest_path.hpp"

namespace citytwin::traffic {

namespace {

double dot_h(const std::vector<double>& h, const std::vector<double>& u, const std::vector<double>& v) {
  double s = 0;
  for (std::size_t a = 0; a < h.size(); ++a) s += u[a] * h[a] * v[a];
  return s;
}

// The line search's slope along x + tau * d: {sum d_a c_a(.), sum d_a^2 c_a'(.)}.
double line_search(const Network& net, const std::vector<double>& x, const std::vector<double>& d) {
  const std::size_t m = x.size();
  return beckmann_line_search([&](double tau) {
    double g = 0, h = 0;
    for (std::size_t a = 0; a < m; ++a) {
      if (d[a] == 0.0) continue;
      const double f = std::max(0.0, x[a] + tau * d[a]);
      g += d[a] * bpr_cost(net.coefficients[a], f);
      h += d[a] * d[a] * bpr_derivative(net.coefficients[a], f);
    }
    return std::array<double, 2>{g, h};
  });
}

}  // namespace

AssignmentResult solve_frank_wolfe(const Network& net, const OdDemand& demand, const AssignmentOptions& options) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };
  const std::size_t m = static_cast<std::size_t>(net.link_count);
  const Algorithm method = options.algorithm;

  AssignmentResult result;
  std::vector<double>& x = result.flow;
  std::vector<double>& cost = result.cost;
  std::vector<double> y(m), d(m), hess(m), s1(m), s2(m), s_new(m), yx(m), s21(m);

  link_costs(net, std::vector<double>(m, 0.0), cost);
  all_or_nothing(net, demand, cost, x);

  double tau = 0;                // step of the previous iteration
  int since_restart = 0;         // directions built since the last restart
  for (std::int32_t k = 0;; ++k) {
    link_costs(net, x, cost);
    const double sptt = all_or_nothing(net, demand, cost, y);
    if (record_iteration(result, options, {k, elapsed(), gap_measures(net, demand, x, cost, sptt)})) break;

    for (std::size_t a = 0; a < m; ++a) hess[a] = bpr_derivative(net.coefficients[a], x[a]);
    if (tau > 0.999999) since_restart = 0;

    if (method == Algorithm::frank_wolfe || since_restart == 0) {
      s1 = y;  // plain FW target
      since_restart = 1;
    } else if (method == Algorithm::conjugate_frank_wolfe || since_restart == 1) {
      // s_k = alpha s_{k-1} + (1 - alpha) y_k, alpha making d_k H-conjugate to d_{k-1}.
      double num = 0, den = 0;
      for (std::size_t a = 0; a < m; ++a) {
        const double dbar = s1[a] - x[a];
        num += dbar * hess[a] * (y[a] - x[a]);
        den += dbar * hess[a] * (y[a] - s1[a]);
      }
      const double alpha = conjugate_alpha(num, den);
      if (method == Algorithm::biconjugate_frank_wolfe) s2 = s1;
      for (std::size_t a = 0; a < m; ++a) s1[a] = alpha * s1[a] + (1 - alpha) * y[a];
      since_restart = 2;
    } else {
      // BFW: s_k = b0 y_k + b1 s_{k-1} + b2 s_{k-2}, conjugate to the last two directions.
      std::vector<double>& dbar = d;  // reuse as scratch
      std::vector<double>& dbbar = s_new;
      for (std::size_t a = 0; a < m; ++a) {
        dbar[a] = s1[a] - x[a];
        dbbar[a] = tau * s1[a] - x[a] + (1 - tau) * s2[a];
        yx[a] = y[a] - x[a];
        s21[a] = s2[a] - s1[a];
      }
      const auto [b0, b1, b2] = biconjugate_weights(dot_h(hess, dbbar, s21), dot_h(hess, dbbar, yx), dot_h(hess, dbar, dbar),
                                                    dot_h(hess, dbar, yx), tau);
      for (std::size_t a = 0; a < m; ++a) s_new[a] = b0 * y[a] + b1 * s1[a] + b2 * s2[a];
      s2.swap(s1);
      s1.swap(s_new);
    }
    for (std::size_t a = 0; a < m; ++a) d[a] = s1[a] - x[a];
    tau = line_search(net, x, d);
    for (std::size_t a = 0; a < m; ++a) x[a] = std::max(0.0, x[a] + tau * d[a]);
  }
  result.seconds = elapsed();
  return result;
}

}  // namespace citytwin::traffic
