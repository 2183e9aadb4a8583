#pragma once
// The bus admittance matrix in compressed rows with a fixed pattern: every
// bus has its diagonal, every pattern branch its four entries. Values can be
// refilled or patched per branch (an outage) without touching the pattern,
// so the Jacobian pattern and the KLU symbolic analysis built on it survive.
#include <array>
#include <cstdint>
#include <vector>

#include "core/grid/network.hpp"
#include "core/grid/power_flow_math.hpp"

namespace citytwin::grid {

struct Ybus {
  std::int32_t n = 0;
  std::vector<std::int32_t> row_ptr;  // n + 1
  std::vector<std::int32_t> col;      // sorted within each row
  std::vector<Cplx> y;
  std::vector<std::int32_t> diag;     // position of (i, i)
  std::vector<std::array<std::int32_t, 4>> branch_pos;  // ff, ft, tf, tt; -1 when not in the pattern
};

// Pattern: all diagonals plus the branches with in_pattern[k] != 0 (usually
// net.branch_active). Values: shunts plus the active branches.
Ybus build_ybus(const Network& net, const std::vector<std::uint8_t>& in_pattern);

// Recomputes all values from net (shunts and active branches).
void fill_ybus(Ybus& ybus, const Network& net);

// Adds (sign = +1) or removes (sign = -1) one pattern branch's admittance.
void add_branch(Ybus& ybus, std::size_t branch, const BranchAdmittance& y, double sign);

}  // namespace citytwin::grid
