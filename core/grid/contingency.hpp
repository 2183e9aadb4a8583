#pragma once
// N-1 contingency screening: every in-service branch is taken out in the DC
// model through PTDF / LODF (one KLU solve per outage, in blocks, parallel
// with TBB, per-thread factor copies), post-outage loadings in % of rateA are
// ranked, and the worst k outages are confirmed with the AC power flow
// (warm-started from the base case, same Ybus and Jacobian patterns).
//
// An outage "overloads" when after it some other branch is above the
// threshold and more loaded than in the base case (base-case overloads are
// reported separately, not blamed on every outage). Outages that split an
// island (radial branches; LODF undefined) are reported as islanding.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/grid/power_case.hpp"
#include "core/grid/power_flow.hpp"

namespace citytwin::grid {

struct ContingencyOptions {
  PowerFlowOptions power_flow;    // network options, AC tolerance and start
  double overload_percent = 100;  // loading threshold, % of rateA
  int ac_confirm = 10;            // worst outages re-solved with AC (0: none)
  int block = 32;                 // outages per KLU multi-RHS solve
};

struct OutageResult {
  std::size_t branch = 0;          // outaged branch, 0-based row
  bool islanding = false;          // splits an island: not screened by LODF
  bool overloads = false;          // see header comment
  double max_loading_percent = 0;  // worst post-outage DC loading (|P| / rateA)
  std::size_t worst_branch = 0;    // where that is
  std::int32_t overloaded_branches = 0;
};

struct AcConfirmation {
  std::size_t branch = 0;  // outaged branch
  SolveStatus status = SolveStatus::not_converged;
  int iterations = 0;
  double dc_loading_percent = 0;
  double max_loading_percent = 0;  // AC, MVA / rateA
  std::size_t worst_branch = 0;
  std::int32_t overloaded_branches = 0;
};

struct ContingencyReport {
  std::vector<OutageResult> outages;   // one per in-service branch, case order
  std::size_t overloading_outages = 0;
  std::size_t islanding_outages = 0;
  std::vector<std::size_t> base_overloads;  // branches above the threshold in the DC base case
  std::vector<std::size_t> ranking;         // indices into `outages`, worst first (non-islanding, loading > 0)
  std::size_t rated_branches = 0;           // branches with a rateA (the only ones monitored)
  std::vector<AcConfirmation> ac;           // the worst ac_confirm outages
  double screening_seconds = 0, ac_seconds = 0, seconds = 0;
};

ContingencyReport screen_n_minus_1(const PowerCase& pc, const ContingencyOptions& options = {});

}  // namespace citytwin::grid
