#include "core/grid/jacobian.hpp"

#include <algorithm>

#include "core/grid/power_flow_math.hpp"

namespace citytwin::grid {

JacobianPattern build_jacobian_pattern(const Network& net, const Ybus& ybus) {
  JacobianPattern jac;
  const std::int32_t n = net.n_bus;
  jac.va_index.assign(n, -1);
  jac.vm_index.assign(n, -1);
  std::int32_t next = 0;
  for (std::int32_t i = 0; i < n; ++i) {
    if (net.role[i] == BusRole::pv || net.role[i] == BusRole::pq) jac.va_index[i] = next++;
  }
  for (std::int32_t i = 0; i < n; ++i) {
    if (net.role[i] == BusRole::pq) jac.vm_index[i] = next++;
  }
  jac.size = next;

  // (column, row, target) for every existing derivative, sorted into columns.
  struct Entry {
    std::int32_t col, row, target;
  };
  std::vector<Entry> entries;
  entries.reserve(4 * ybus.col.size());
  for (std::int32_t i = 0; i < n; ++i) {
    const std::int32_t eq_p = jac.va_index[i], eq_q = jac.vm_index[i];
    if (eq_p < 0 && eq_q < 0) continue;
    for (std::int32_t p = ybus.row_ptr[i]; p < ybus.row_ptr[i + 1]; ++p) {
      const std::int32_t k = ybus.col[p];
      const std::int32_t x_va = jac.va_index[k], x_vm = jac.vm_index[k];
      if (eq_p >= 0 && x_va >= 0) entries.push_back({x_va, eq_p, 4 * p + 0});
      if (eq_p >= 0 && x_vm >= 0) entries.push_back({x_vm, eq_p, 4 * p + 1});
      if (eq_q >= 0 && x_va >= 0) entries.push_back({x_va, eq_q, 4 * p + 2});
      if (eq_q >= 0 && x_vm >= 0) entries.push_back({x_vm, eq_q, 4 * p + 3});
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.col != b.col ? a.col < b.col : a.row < b.row; });
  jac.col_ptr.assign(jac.size + 1, 0);
  jac.row_idx.resize(entries.size());
  jac.pos.assign(ybus.col.size(), {-1, -1, -1, -1});
  for (std::size_t e = 0; e < entries.size(); ++e) {
    ++jac.col_ptr[entries[e].col + 1];
    jac.row_idx[e] = entries[e].row;
    jac.pos[entries[e].target / 4][entries[e].target % 4] = static_cast<std::int32_t>(e);
  }
  for (std::int32_t c = 0; c < jac.size; ++c) jac.col_ptr[c + 1] += jac.col_ptr[c];
  jac.values.assign(entries.size(), 0.0);
  return jac;
}

void assemble_jacobian(JacobianPattern& jac, const Ybus& ybus, const std::vector<Cplx>& v,
                       const std::vector<double>& vm, const std::vector<Cplx>& current) {
  double* values = jac.values.data();
  const std::int32_t n = ybus.n;
  for (std::int32_t i = 0; i < n; ++i) {
    if (jac.va_index[i] < 0 && jac.vm_index[i] < 0) continue;
    const Cplx v_i = v[i];
    const Cplx i_i = current[i];
    for (std::int32_t p = ybus.row_ptr[i]; p < ybus.row_ptr[i + 1]; ++p) {
      const std::int32_t k = ybus.col[p];
      const auto& pos = jac.pos[p];
      const JacobianEntry e = jacobian_entry(ybus.y[p], v_i, v[k], vm[k], k == i, i_i);
      if (pos[0] >= 0) values[pos[0]] = e.ds_dva.re;
      if (pos[1] >= 0) values[pos[1]] = e.ds_dvm.re;
      if (pos[2] >= 0) values[pos[2]] = e.ds_dva.im;
      if (pos[3] >= 0) values[pos[3]] = e.ds_dvm.im;
    }
  }
}

}  // namespace citytwin::grid
