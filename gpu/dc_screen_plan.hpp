#pragma once
// The dense DC N-1 problem handed to the device: reduced B as a dense
// column-major matrix, the outages' injection columns, the active branches'
// susceptance rows, base flows and ratings. Built on the host from a case by
// the same rules as grid::screen_n_minus_1 (same network options, slack rows
// dropped, only active branches outaged, only rated ones monitored).
#include <cstdint>
#include <vector>

#include "core/grid/contingency.hpp"
#include "gpu/kernels/n1_screen.hpp"

namespace citytwin::gpu {

struct DcScreenPlan {
  std::int32_t nr = 0;                        // reduced rows (non-slack energised buses)
  std::vector<double> b_dense;                // nr x nr, column-major
  std::vector<std::size_t> active;            // active row -> case branch
  std::vector<std::int32_t> from_row, to_row; // per active row: reduced row of each end, -1 for a slack end
  std::vector<double> b;                      // per active row: susceptance
  std::vector<double> f0;                     // per active row: base flow, pu
  // Monitored (rated) branches, as active rows.
  std::vector<std::int32_t> mon_row;
  std::vector<double> mon_f0, mon_inv_rating, mon_base;
  double threshold = 100;
};

// Throws InvalidInput for a case the DC model cannot take, NotConverged when B is singular.
DcScreenPlan dc_screen_plan(const grid::PowerCase& pc, const grid::ContingencyOptions& options);

// Outage results in grid::screen_n_minus_1's order (one per active branch).
std::vector<grid::OutageResult> outage_results(const DcScreenPlan& plan, const std::vector<OutageScreen>& screens);

}  // namespace citytwin::gpu
