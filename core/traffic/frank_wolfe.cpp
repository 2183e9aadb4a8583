// The Frank-Wolfe iteration, and its conjugate (CFW) and bi-conjugate (BFW)
// direction variants of Mitradjieva & Lindberg, "The stiff is moving -
// conjugate direction Frank-Wolfe methods with applications to traffic
// assignment", Transportation Science 47(2), 2013; over any back end
// (frank_wolfe_backend.hpp), the CPU's here.
#include <chrono>

#include "core/common/errors.hpp"
#include "core/traffic/assignment.hpp"
#include "core/traffic/frank_wolfe_backend.hpp"
#include "core/traffic/frank_wolfe_host.hpp"
#include "core/traffic/frank_wolfe_rules.hpp"
#include "core/traffic/iteration_record.hpp"

namespace citytwin::traffic {

namespace {

// The measures that are ratios, from the back end's sums.
GapMeasures with_ratios(GapMeasures g, double total_demand) {
  g.relative_gap = g.sptt > 0 ? (g.tstt - g.sptt) / g.sptt : 0.0;
  g.average_excess_cost = total_demand > 0 ? (g.tstt - g.sptt) / total_demand : 0.0;
  return g;
}

}  // namespace

AssignmentResult run_frank_wolfe(FrankWolfeBackend& backend, double total_demand, const AssignmentOptions& options) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };
  const Algorithm method = options.algorithm;
  if (method == Algorithm::bush) throw InvalidInput("Algorithm B is not a Frank-Wolfe method (use fw, cfw or bfw)");
  if (!(options.target_gap >= 0)) throw InvalidInput("the target gap must be a non-negative number");

  AssignmentResult result;
  backend.start();
  double tau = 0;          // step of the previous iteration
  int since_restart = 0;   // directions built since the last restart
  for (std::int32_t k = 0;; ++k) {
    const GapMeasures sums = backend.costs_and_target();
    if (record_iteration(result, options, {k, elapsed(), with_ratios(sums, total_demand)})) break;

    if (tau > 0.999999) since_restart = 0;
    if (method == Algorithm::frank_wolfe || since_restart == 0) {
      backend.restart();  // plain FW target
      since_restart = 1;
    } else if (method == Algorithm::conjugate_frank_wolfe || since_restart == 1) {
      const auto [num, den] = backend.conjugate_sums();
      backend.conjugate_update(conjugate_alpha(num, den), method == Algorithm::biconjugate_frank_wolfe);
      since_restart = 2;
    } else {
      const auto q = backend.biconjugate_sums(tau);
      const auto [b0, b1, b2] = biconjugate_weights(q[0], q[1], q[2], q[3], tau);
      backend.biconjugate_update(b0, b1, b2);
    }
    tau = beckmann_line_search([&](double t) { return backend.slope(t); });
    backend.step(tau);
  }
  result.flow = backend.flows();
  result.seconds = elapsed();
  return result;
}

AssignmentResult solve_frank_wolfe(const Network& net, const OdDemand& demand, const AssignmentOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  DijkstraBackend backend(net, demand);
  AssignmentResult result = run_frank_wolfe(backend, demand.total, options);
  link_costs(net, result.flow, result.cost);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace citytwin::traffic
