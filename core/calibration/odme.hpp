#pragma once
// Origin-destination matrix estimation (ODME) from link counts: Spiess (1990),
// "A gradient approach for the O-D matrix adjustment problem" (CRT-693,
// Université de Montréal), with the project's own equilibrium assignment inside.
//
//   Z(g) = ½ Σ_a w_a (v_a(g) − v̂_a)²  [+ ½ μ Σ_ij (g_ij − ĝ_ij)²]     over counted links a
//   ∂Z/∂g_ij = Σ_a p_ij,a w_a (v_a − v̂_a)  [+ μ (g_ij − ĝ_ij)]
//   g_ij ← g_ij (1 − λ ∂Z/∂g_ij)                                      multiplicative: zero cells stay zero
//   v'_a = −Σ_ij p_ij,a g_ij ∂Z/∂g_ij                                 link flow change per unit λ
//   λ* = [Σ_a w_a v'_a (v̂_a − v_a) + μ Σ_ij d_ij (ĝ_ij − g_ij)] / [Σ_a w_a v'_a² + μ Σ_ij d_ij²],  d_ij = −g_ij ∂Z/∂g_ij
//   λ = min(λ*, λ_max),  λ_max = 1 / max_ij ∂Z/∂g_ij  (Spiess: no cell turns negative)
// then every cell is projected into [lower_factor · ĝ_ij, upper_factor · ĝ_ij]
// (ĝ: the prior), and a cell already at a bound whose gradient pushes it out
// is left out of the step (projected gradient). Each outer iteration re-runs
// the equilibrium assignment (traffic::assign, Algorithm B by default,
// warm-started from the previous iteration's bushes: same origins, other
// demand) on the adjusted matrix. If the new equilibrium's objective is higher
// than the last one (the linearised step overshot: route shares change with
// the matrix), λ is halved up to `max_halvings` times; if that does not help,
// the previous matrix is kept and the estimation stops. So the recorded
// objective never increases.
//
// Route proportions p_ij,a: the share of OD pair ij's flow on link a at the
// equilibrium. The assignment's bushes (origin-based flows) are opaque outside
// core/traffic, so they are rebuilt from the public results: per origin, the
// links on a cheapest path under the equilibrium link costs (within
// `equal_cost_tolerance`, relative) form an acyclic graph in which every used
// path of a user equilibrium lies; at each node the flow arriving over that
// graph is split among its incoming links in proportion to their total
// equilibrium link flows (where none arrives, the shortest-path tree's link
// takes it all). Exact where an origin's paths do not share a node with
// other origins' differently split flow; an approximation otherwise.
//
// Pairs the assignment leaves out (intrazonal, no path) have no route, so a
// zero gradient: they keep their prior value.
#include <cstdint>
#include <string>
#include <vector>

#include "core/traffic/assignment.hpp"
#include "core/traffic/network.hpp"

namespace citytwin::calibration {

// One observed link flow.
struct LinkCount {
  std::int32_t link = 0;  // 0-based position in the network's TNTP link list (file order; Network::internal_link maps it)
  double vehicles = 0;    // observed flow v̂_a, veh/h (finite, >= 0)
  double weight = 1;      // w_a (finite, > 0)
};

struct OdmeOptions {
  int max_iterations = 30;           // outer iterations (each one equilibrium assignment, or more when λ is halved)
  double tolerance = 1e-4;           // stop when the objective falls by less than this share in an iteration
  double lower_factor = 0.2;         // every cell stays within [lower_factor, upper_factor] × its prior
  double upper_factor = 5.0;
  double prior_weight = 0;           // μ of the regularisation ½ μ Σ (g − ĝ)²  (veh/h)² per (veh/h)²; 0: none
  int max_halvings = 4;              // of λ when the re-assigned objective rose
  double equal_cost_tolerance = 1e-4;  // relative: a link is on a cheapest path if d(tail) + c ≤ d(head)(1 + this)
  // The inner equilibrium (algorithm, gap, iterations). keep_bushes and
  // warm_start are managed by the estimation.
  traffic::AssignmentOptions assignment = [] {
    traffic::AssignmentOptions a;
    a.target_gap = 1e-6;
    return a;
  }();
};

struct OdmeIteration {
  int iteration = 0;         // 0: the prior
  double objective = 0;      // Z including the regularisation term
  double count_objective = 0;  // ½ Σ w (v − v̂)² alone
  double rmse = 0;           // sqrt(mean (v − v̂)²) over the counts, veh/h
  double share_geh_below_5 = 0;
  double step = 0;           // λ taken to reach this iterate (0 for the prior)
  int halvings = 0;
  double relative_gap = 0;   // of this iterate's equilibrium
  int assignment_iterations = 0;
};

struct OdmeResult {
  std::vector<double> od;          // adjusted Z × Z, row-major (zones 1..Z in order)
  std::vector<double> prior_flow;  // equilibrium link flows of the prior, file order
  std::vector<double> flow;        // of the adjusted matrix, file order
  std::vector<OdmeIteration> trace;  // trace[0] is the prior; objective non-increasing
  std::int64_t cells_at_lower = 0, cells_at_upper = 0;  // positive prior cells at a bound at the end
  std::int64_t cells_adjusted = 0;  // positive prior cells whose value changed
  bool converged = false;          // the tolerance was met (else: iteration cap or no descent)
  std::string stop_reason;         // "tolerance", "max iterations", "no descent", "no counts"
};

// Throws InvalidInput naming the option that is out of range.
void check_odme_options(const OdmeOptions& options);

// prior_od: Z × Z vehicles per hour, row-major, Z = net.zone_count.
// Throws InvalidInput naming the count (its index and link) or the cell for a
// link outside the network, a negative / NaN / infinite count or weight, a link
// counted twice, a prior of the wrong size or with a negative / non-finite
// cell, and options out of range.
OdmeResult estimate_od(const traffic::Network& net, const std::vector<double>& prior_od, const std::vector<LinkCount>& counts,
                       const OdmeOptions& options = {});

}  // namespace citytwin::calibration
