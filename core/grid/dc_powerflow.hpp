#pragma once
// DC power flow (MATPOWER's makeBdc / dcpf): B theta = P with the slack
// angle of each island fixed, branch flows b (theta_f - theta_t) + Pfinj.
// The reduced B matrix is factorised once with KLU; the model is reused for
// DC warm starts and for PTDF / LODF contingency screening.
#include <cstdint>
#include <vector>

#include "core/grid/klu_solver.hpp"
#include "core/grid/network.hpp"
#include "core/grid/power_flow.hpp"

namespace citytwin::grid {

struct DcModel {
  std::int32_t n_bus = 0;
  std::vector<std::int32_t> reduced;     // per bus: row in the reduced system, -1 for slack / de-energised
  std::vector<std::int32_t> bus_of_row;  // inverse of reduced
  std::vector<double> b;                 // per branch: 1 / (x * ratio); 0 when not active
  std::vector<double> pf_inj;            // per branch: -b * shift (rad), pu
  std::vector<std::int32_t> col_ptr, row_idx;  // reduced B, compressed columns
  std::vector<double> values;
  KluSolver lu{KluOptions{.btf = false, .scale = -1}};  // factorised reduced B (sorted, no duplicates)
};

// Builds and factorises the reduced B matrix. Throws NotConverged when it is
// singular (e.g. reactances summing to zero).
DcModel build_dc_model(const PowerCase& pc, const Network& net);

// Bus angles in radians (slack buses at their case angle, de-energised 0).
std::vector<double> dc_angles(const PowerCase& pc, const Network& net, const DcModel& model);

// Full DC result: angles, branch flows, generator P (the slack takes the balance).
PowerFlowResult dc_result(const PowerCase& pc, const Network& net, const DcModel& model,
                          const std::vector<double>& theta);

}  // namespace citytwin::grid
