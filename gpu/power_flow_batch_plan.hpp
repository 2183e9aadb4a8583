#pragma once
// The host side of the batched AC power flow, shared by the CUDA kernels and
// the host version (TBB): network, Ybus and Jacobian pattern of grid::AcPowerFlow, the
// bus-block AMD order, the symbolic LU of the permuted Jacobian under static
// diagonal pivots (fill from the elimination tree), the flat update schedule
// of the numeric factorisation, and the row levels that let the device factor
// and solve independent rows at once. Plain C++; built with or without CUDA.
#include <cstdint>
#include <vector>

#include "core/grid/network.hpp"
#include "core/grid/power_flow.hpp"
#include "gpu/kernels/batch_newton.hpp"

namespace citytwin::gpu {

struct BatchPowerFlowPlan {
  grid::PowerCase pc;  // loads and dispatch of the case: items replace them
  grid::PowerFlowOptions options;
  grid::Network net;
  std::int32_t n_bus = 0, n_rows = 0;  // buses; unknowns (= factor rows)
  std::vector<std::int32_t> y_ptr, y_col, y_pos;  // y_pos: 4 factor positions per Ybus entry
  std::vector<grid::Cplx> y_val;
  std::vector<std::int32_t> p_row, q_row;
  std::vector<std::int32_t> f_ptr, f_col, f_diag, upd_begin, upd_target;
  // Rows grouped by level: every row of a level depends only on rows of lower
  // levels (forward: its lower entries; backward: its upper entries).
  std::vector<std::int32_t> fwd_level_ptr, fwd_rows, bwd_level_ptr, bwd_rows;
  std::vector<double> vm0, va0;  // start voltages per bus (pu, radians), as AcPowerFlow::solve
  std::int64_t jacobian_nnz = 0;

  NewtonPlanView view() const;
  std::int64_t factor_nnz() const { return static_cast<std::int64_t>(f_col.size()); }
  std::int64_t factor_updates() const { return static_cast<std::int64_t>(upd_target.size()); }
};

// Throws InvalidInput for options the batched solver does not implement:
// enforce_q_limits (PV -> PQ switching changes the pattern per item) and a DC
// start (it depends on each item's injections). The network is built from the
// case's own loads (unsupplied-island rules included); items only change
// injections.
BatchPowerFlowPlan batch_power_flow_plan(const grid::PowerCase& pc, const grid::PowerFlowOptions& options = {});

}  // namespace citytwin::gpu
