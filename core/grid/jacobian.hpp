#pragma once
// The fixed sparsity pattern of the polar power-flow Jacobian, in compressed
// columns for KLU, derived from the Ybus pattern and the bus roles. Each Ybus
// entry (i, k) carries the positions of dP_i/dVa_k, dP_i/dVm_k, dQ_i/dVa_k and
// dQ_i/dVm_k in `values` (-1 where that unknown or equation does not exist),
// so assembly is one pass over Ybus with no searching.
#include <array>
#include <cstdint>
#include <vector>

#include "core/grid/network.hpp"
#include "core/grid/ybus.hpp"

namespace citytwin::grid {

struct JacobianPattern {
  std::int32_t size = 0;                 // unknowns = equations
  std::vector<std::int32_t> va_index;    // per bus: unknown Va / equation P, -1 for slack / de-energised
  std::vector<std::int32_t> vm_index;    // per bus: unknown Vm / equation Q, -1 unless PQ
  std::vector<std::int32_t> col_ptr, row_idx;
  std::vector<std::array<std::int32_t, 4>> pos;  // per Ybus entry: Pva, Pvm, Qva, Qvm
  std::vector<double> values;
};

JacobianPattern build_jacobian_pattern(const Network& net, const Ybus& ybus);

// A fill-reducing order of the unknowns: AMD on the bus graph (Ybus pattern
// of the buses with unknowns), each bus expanded to its Va then Vm unknown.
// Cheaper than ordering the Jacobian itself, and keeps each bus's 2 x 2 block together.
std::vector<std::int32_t> bus_block_order(const JacobianPattern& jac, const Ybus& ybus);

// Fills values from V (complex and magnitudes) and the bus currents I = Ybus V.
void assemble_jacobian(JacobianPattern& jac, const Ybus& ybus, const std::vector<Cplx>& v,
                       const std::vector<double>& vm, const std::vector<Cplx>& current);

}  // namespace citytwin::grid
