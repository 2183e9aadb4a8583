#pragma once
// The Frank-Wolfe family (fw, cfw, bfw) written once. run_frank_wolfe makes
// every decision of the iteration from scalars: the direction (plain,
// conjugate or bi-conjugate, with restarts), the line search, the gap and the
// stopping test. A back end keeps the link arrays where they live (host or
// device memory) and does the work on them: link costs, shortest paths and
// all-or-nothing loading, the sums of frank_wolfe_terms.hpp and the link
// updates. Back ends: the CPU's (frank_wolfe_host.hpp: Dijkstra), and in gpu/
// the CUDA one with its host counterpart (pull lanes, fixed-point loading).
// Equal sums give equal decisions, so back ends that sum alike take the same
// steps and the same iteration count.
#include <array>
#include <vector>

#include "core/traffic/assignment.hpp"

namespace citytwin::traffic {

// x: current flows, y: the all-or-nothing target, s1 / s2: the targets of the
// last two directions (d = s1 - x). Sums follow frank_wolfe_terms.hpp.
class FrankWolfeBackend {
 public:
  virtual ~FrankWolfeBackend() = default;
  // cost = c(0); x = all-or-nothing under cost.
  virtual void start() = 0;
  // cost = c(x); y = all-or-nothing on the shortest paths under cost.
  // Returns the measures at x that are sums (GapTerm's, and SPTT); the
  // iteration derives the relative gap and the average excess cost from them.
  virtual GapMeasures costs_and_target() = 0;
  virtual void restart() = 0;                                             // s1 = y
  virtual std::array<double, 2> conjugate_sums() = 0;                     // ConjugateTerm
  virtual void conjugate_update(double alpha, bool keep_previous) = 0;    // [s2 = s1;] s1 = conjugate_mix(s1, y)
  virtual std::array<double, 4> biconjugate_sums(double tau) = 0;         // BiconjugateTerm
  virtual void biconjugate_update(double b0, double b1, double b2) = 0;   // s2 <- s1 <- biconjugate_mix(y, s1, s2)
  virtual std::array<double, 2> slope(double tau) = 0;                    // SlopeTerm
  virtual void step(double tau) = 0;                                      // x = fw_step(x, s1, tau)
  virtual std::vector<double> flows() = 0;                                // x, in host memory
};

// Runs options.algorithm (fw, cfw or bfw) on `backend` until the relative gap
// is at or below options.target_gap, or options.max_iterations /
// max_seconds, recording every iteration (iteration_record.hpp). Fills flow,
// trace, measures, iterations, converged and seconds; not cost.
// total_demand: the divisor of the average excess cost. Throws InvalidInput
// for Algorithm B or a target gap that is not a non-negative number.
AssignmentResult run_frank_wolfe(FrankWolfeBackend& backend, double total_demand, const AssignmentOptions& options);

}  // namespace citytwin::traffic
