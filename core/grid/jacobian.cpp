#include "core/grid/jacobian.hpp"


#include "core/grid/klu_solver.hpp"
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

  // Ybus is structurally symmetric, so column k of Ybus lists the same buses
  // as row k. Walking the rows in order gives, per column k, the entries
  // (i, k) in increasing i: the transpose without sorting.
  const std::size_t nnz_y = ybus.col.size();
  std::vector<std::int32_t> t_ptr(n + 1, 0), t_entry(nnz_y);
  for (std::size_t p = 0; p < nnz_y; ++p) ++t_ptr[ybus.col[p] + 1];
  for (std::int32_t k = 0; k < n; ++k) t_ptr[k + 1] += t_ptr[k];
  {
    std::vector<std::int32_t> fill(t_ptr.begin(), t_ptr.end() - 1);
    for (std::int32_t i = 0; i < n; ++i) {
      for (std::int32_t p = ybus.row_ptr[i]; p < ybus.row_ptr[i + 1]; ++p) t_entry[fill[ybus.col[p]]++] = p;
    }
  }
  std::vector<std::int32_t> row_of(nnz_y);
  for (std::int32_t i = 0; i < n; ++i) {
    for (std::int32_t p = ybus.row_ptr[i]; p < ybus.row_ptr[i + 1]; ++p) row_of[p] = i;
  }
  // Unknown columns in order: Va of PV/PQ buses (bus order), then Vm of PQ
  // buses. Within a column the P rows (bus order) come before the Q rows,
  // which is increasing row order because va_index and vm_index are monotone.
  jac.col_ptr.assign(jac.size + 1, 0);
  jac.row_idx.clear();
  jac.row_idx.reserve(4 * nnz_y);
  jac.pos.assign(nnz_y, {-1, -1, -1, -1});
  auto emit_column = [&](std::int32_t k, int p_slot, int q_slot) {
    for (std::int32_t t = t_ptr[k]; t < t_ptr[k + 1]; ++t) {
      const std::int32_t p = t_entry[t], i = row_of[p];
      if (jac.va_index[i] < 0) continue;
      jac.pos[p][p_slot] = static_cast<std::int32_t>(jac.row_idx.size());
      jac.row_idx.push_back(jac.va_index[i]);
    }
    for (std::int32_t t = t_ptr[k]; t < t_ptr[k + 1]; ++t) {
      const std::int32_t p = t_entry[t], i = row_of[p];
      if (jac.vm_index[i] < 0) continue;
      jac.pos[p][q_slot] = static_cast<std::int32_t>(jac.row_idx.size());
      jac.row_idx.push_back(jac.vm_index[i]);
    }
  };
  std::int32_t column = 0;
  for (std::int32_t k = 0; k < n; ++k) {
    if (jac.va_index[k] < 0) continue;
    emit_column(k, 0, 2);
    jac.col_ptr[++column] = static_cast<std::int32_t>(jac.row_idx.size());
  }
  for (std::int32_t k = 0; k < n; ++k) {
    if (jac.vm_index[k] < 0) continue;
    emit_column(k, 1, 3);
    jac.col_ptr[++column] = static_cast<std::int32_t>(jac.row_idx.size());
  }
  jac.values.assign(jac.row_idx.size(), 0.0);
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

namespace citytwin::grid {

std::vector<std::int32_t> bus_block_order(const JacobianPattern& jac, const Ybus& ybus) {
  const std::int32_t n = ybus.n;
  std::vector<std::int32_t> bus_row(n, -1), buses;
  for (std::int32_t i = 0; i < n; ++i) {
    if (jac.va_index[i] >= 0) {
      bus_row[i] = static_cast<std::int32_t>(buses.size());
      buses.push_back(i);
    }
  }
  const std::int32_t nb = static_cast<std::int32_t>(buses.size());
  std::vector<std::int32_t> ptr(nb + 1, 0), idx;
  idx.reserve(ybus.col.size());
  for (std::int32_t r = 0; r < nb; ++r) {
    const std::int32_t i = buses[r];
    for (std::int32_t p = ybus.row_ptr[i]; p < ybus.row_ptr[i + 1]; ++p) {
      if (bus_row[ybus.col[p]] >= 0) idx.push_back(bus_row[ybus.col[p]]);
    }
    ptr[r + 1] = static_cast<std::int32_t>(idx.size());
  }
  std::vector<std::int32_t> order;
  order.reserve(jac.size);
  if (nb == 0) return order;
  for (std::int32_t r : amd_order(nb, ptr, idx)) {
    const std::int32_t i = buses[r];
    order.push_back(jac.va_index[i]);
    if (jac.vm_index[i] >= 0) order.push_back(jac.vm_index[i]);
  }
  return order;
}

}  // namespace citytwin::grid
