#include "gpu/power_flow_batch_plan.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "core/common/errors.hpp"
#include "core/grid/jacobian.hpp"
#include "core/grid/ybus.hpp"

namespace citytwin::gpu {

namespace {

using Rows = std::vector<std::vector<std::int32_t>>;

// Pattern of the permuted Jacobian A = J(order, order), as sorted rows.
// J is structurally symmetric (Ybus is, and each bus's P and Q rows pair with
// its Va and Vm columns), so the rows also list the columns' entries.
Rows permuted_rows(const grid::JacobianPattern& jac, const std::vector<std::int32_t>& iperm) {
  Rows rows(static_cast<std::size_t>(jac.size));
  for (std::int32_t c = 0; c < jac.size; ++c)
    for (std::int32_t q = jac.col_ptr[c]; q < jac.col_ptr[c + 1]; ++q)
      rows[static_cast<std::size_t>(iperm[jac.row_idx[q]])].push_back(iperm[c]);
  for (auto& r : rows) std::sort(r.begin(), r.end());
  return rows;
}

// Elimination tree of a symmetric pattern (Liu, with path compression).
std::vector<std::int32_t> elimination_tree(const Rows& a) {
  const auto n = static_cast<std::int32_t>(a.size());
  std::vector<std::int32_t> parent(n, -1), ancestor(n, -1);
  for (std::int32_t k = 0; k < n; ++k) {
    for (std::int32_t i : a[k]) {
      while (i != -1 && i < k) {
        const std::int32_t next = ancestor[i];
        ancestor[i] = k;
        if (next == -1) parent[i] = k;
        i = next;
      }
    }
  }
  return parent;
}

// Columns of row i of L: the row subtree, i.e. the etree paths from each
// k < i in A's row i up to i.
Rows lower_rows(const Rows& a, const std::vector<std::int32_t>& parent) {
  const auto n = static_cast<std::int32_t>(a.size());
  Rows lower(static_cast<std::size_t>(n));
  std::vector<std::int32_t> mark(n, -1);
  for (std::int32_t i = 0; i < n; ++i) {
    mark[i] = i;
    auto& row = lower[i];
    for (std::int32_t k : a[i]) {
      for (; k != -1 && k < i && mark[k] != i; k = parent[k]) {
        mark[k] = i;
        row.push_back(k);
      }
    }
    std::sort(row.begin(), row.end());
  }
  return lower;
}

// Level of each row when every row in `deps[r]` must come first; rows grouped by level.
void levels(const Rows& deps, bool forward, std::vector<std::int32_t>& level_ptr, std::vector<std::int32_t>& rows) {
  const auto n = static_cast<std::int32_t>(deps.size());
  std::vector<std::int32_t> level(n, 0);
  std::int32_t top = -1;
  for (std::int32_t t = 0; t < n; ++t) {
    const std::int32_t r = forward ? t : n - 1 - t;
    for (std::int32_t d : deps[r]) level[r] = std::max(level[r], level[d] + 1);
    top = std::max(top, level[r]);
  }
  level_ptr.assign(static_cast<std::size_t>(top + 2), 0);
  for (std::int32_t r = 0; r < n; ++r) ++level_ptr[level[r] + 1];
  for (std::size_t l = 1; l < level_ptr.size(); ++l) level_ptr[l] += level_ptr[l - 1];
  rows.assign(static_cast<std::size_t>(n), 0);
  std::vector<std::int32_t> fill(level_ptr.begin(), level_ptr.end() - 1);
  for (std::int32_t r = 0; r < n; ++r) rows[fill[level[r]]++] = r;
}

void start_voltages(BatchPowerFlowPlan& p) {
  const auto& buses = p.pc.buses;
  p.vm0.assign(static_cast<std::size_t>(p.n_bus), 0.0);
  p.va0.assign(static_cast<std::size_t>(p.n_bus), 0.0);
  for (std::int32_t i = 0; i < p.n_bus; ++i) {
    const grid::BusRole role = p.net.role[i];
    if (role == grid::BusRole::deenergised) continue;
    const bool flat = p.options.start == grid::StartMode::flat;
    p.vm0[i] = flat ? 1.0 : buses[i].vm;
    p.va0[i] = (flat ? (role == grid::BusRole::slack ? buses[i].va : 0.0) : buses[i].va) * grid::kDegToRad;
    if (role == grid::BusRole::pv || role == grid::BusRole::slack) p.vm0[i] = p.net.v_set[i];
  }
}

}  // namespace

NewtonPlanView BatchPowerFlowPlan::view() const { return newton_plan_view(n_bus, n_rows, *this); }

BatchPowerFlowPlan batch_power_flow_plan(const grid::PowerCase& pc, const grid::PowerFlowOptions& options) {
  const std::string where = "batched power flow of " + (pc.name.empty() ? std::string("a case") : pc.name);
  if (options.enforce_q_limits)
    throw InvalidInput(where + ": enforce_q_limits is not supported (PV -> PQ switching changes each item's pattern); use grid::AcPowerFlow");
  if (options.start == grid::StartMode::dc)
    throw InvalidInput(where + ": a DC start depends on each item's injections; use case_voltages or flat");
  BatchPowerFlowPlan p;
  p.pc = pc;
  p.options = options;
  p.net = grid::build_network(pc, options.network);
  p.n_bus = p.net.n_bus;
  const grid::Ybus ybus = grid::build_ybus(p.net, p.net.branch_active);
  const grid::JacobianPattern jac = grid::build_jacobian_pattern(p.net, ybus);
  const std::int32_t n = jac.size;
  p.n_rows = n;
  p.jacobian_nnz = static_cast<std::int64_t>(jac.row_idx.size());
  p.y_ptr = ybus.row_ptr;
  p.y_col = ybus.col;
  p.y_val = ybus.y;
  start_voltages(p);

  std::vector<std::int32_t> iperm(static_cast<std::size_t>(n));
  if (n > 0) {
    const std::vector<std::int32_t> order = grid::bus_block_order(jac, ybus);
    for (std::int32_t r = 0; r < n; ++r) iperm[order[r]] = r;
  }
  p.p_row.assign(static_cast<std::size_t>(p.n_bus), -1);
  p.q_row.assign(static_cast<std::size_t>(p.n_bus), -1);
  for (std::int32_t i = 0; i < p.n_bus; ++i) {
    if (jac.va_index[i] >= 0) p.p_row[i] = iperm[jac.va_index[i]];
    if (jac.vm_index[i] >= 0) p.q_row[i] = iperm[jac.vm_index[i]];
  }

  // Fill pattern: row r = its L columns, r, its U columns (U = L^T in pattern).
  const Rows a = permuted_rows(jac, iperm);
  const Rows lower = lower_rows(a, elimination_tree(a));
  Rows upper(static_cast<std::size_t>(n));
  for (std::int32_t r = 0; r < n; ++r)
    for (std::int32_t k : lower[r]) upper[k].push_back(r);
  p.f_ptr.assign(static_cast<std::size_t>(n) + 1, 0);
  p.f_diag.assign(static_cast<std::size_t>(n), 0);
  for (std::int32_t r = 0; r < n; ++r) {
    const std::size_t size = lower[r].size() + 1 + upper[r].size();
    if (p.f_col.size() + size > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
      throw InvalidInput(where + ": the LU fill exceeds 2^31 entries");
    p.f_col.insert(p.f_col.end(), lower[r].begin(), lower[r].end());
    p.f_diag[r] = static_cast<std::int32_t>(p.f_col.size());
    p.f_col.push_back(r);
    p.f_col.insert(p.f_col.end(), upper[r].begin(), upper[r].end());
    p.f_ptr[r + 1] = static_cast<std::int32_t>(p.f_col.size());
  }

  // Update schedule: for lower entry (r, k), where each upper entry (k, j) of
  // row k lands in row r. The fill pattern guarantees (r, j) exists.
  p.upd_begin.assign(p.f_col.size(), -1);
  std::vector<std::int32_t> pos_of(static_cast<std::size_t>(n), -1);
  for (std::int32_t r = 0; r < n; ++r) {
    for (std::int32_t f = p.f_ptr[r]; f < p.f_ptr[r + 1]; ++f) pos_of[p.f_col[f]] = f;
    for (std::int32_t f = p.f_ptr[r]; f < p.f_diag[r]; ++f) {
      const std::int32_t k = p.f_col[f];
      if (p.upd_target.size() + static_cast<std::size_t>(p.f_ptr[k + 1] - p.f_diag[k]) >
          static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw InvalidInput(where + ": the LU needs more than 2^31 updates");
      p.upd_begin[f] = static_cast<std::int32_t>(p.upd_target.size());
      for (std::int32_t q = p.f_diag[k] + 1; q < p.f_ptr[k + 1]; ++q) {
        const std::int32_t t = pos_of[p.f_col[q]];
        if (t < p.f_ptr[r] || t >= p.f_ptr[r + 1]) throw std::logic_error("batch_power_flow_plan: fill pattern is not closed");
        p.upd_target.push_back(t);
      }
    }
    for (std::int32_t f = p.f_ptr[r]; f < p.f_ptr[r + 1]; ++f) pos_of[p.f_col[f]] = -1;
  }
  levels(lower, true, p.fwd_level_ptr, p.fwd_rows);
  levels(upper, false, p.bwd_level_ptr, p.bwd_rows);

  // Jacobian entries -> factor positions (rows are sorted: binary search).
  auto factor_pos = [&](std::int32_t row, std::int32_t col) {
    const auto first = p.f_col.begin() + p.f_ptr[row], last = p.f_col.begin() + p.f_ptr[row + 1];
    return static_cast<std::int32_t>(std::lower_bound(first, last, col) - p.f_col.begin());
  };
  std::vector<std::int32_t> jac_factor_pos(jac.row_idx.size());
  for (std::int32_t c = 0; c < n; ++c)
    for (std::int32_t q = jac.col_ptr[c]; q < jac.col_ptr[c + 1]; ++q) jac_factor_pos[q] = factor_pos(iperm[jac.row_idx[q]], iperm[c]);
  p.y_pos.assign(4 * jac.pos.size(), -1);
  for (std::size_t e = 0; e < jac.pos.size(); ++e)
    for (std::size_t s = 0; s < 4; ++s)
      if (jac.pos[e][s] >= 0) p.y_pos[4 * e + s] = jac_factor_pos[static_cast<std::size_t>(jac.pos[e][s])];
  return p;
}

}  // namespace citytwin::gpu
