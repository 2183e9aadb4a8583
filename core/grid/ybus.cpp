#include "core/grid/ybus.hpp"

#include <algorithm>
#include <stdexcept>

namespace citytwin::grid {

namespace {

std::int32_t position(const Ybus& ybus, std::int32_t i, std::int32_t j) {
  const auto begin = ybus.col.begin() + ybus.row_ptr[i];
  const auto end = ybus.col.begin() + ybus.row_ptr[i + 1];
  const auto it = std::lower_bound(begin, end, j);
  return it != end && *it == j ? static_cast<std::int32_t>(it - ybus.col.begin()) : -1;
}

}  // namespace

Ybus build_ybus(const Network& net, const std::vector<std::uint8_t>& in_pattern) {
  const std::int32_t n = net.n_bus;
  const std::size_t m = net.index.branch_from.size();
  Ybus ybus;
  ybus.n = n;
  // Count neighbours per row (upper bound), fill, then sort and deduplicate each row.
  std::vector<std::int32_t> count(n, 1);
  for (std::size_t k = 0; k < m; ++k) {
    if (!in_pattern[k]) continue;
    ++count[net.index.branch_from[k]];
    ++count[net.index.branch_to[k]];
  }
  std::vector<std::int32_t> start(n + 1, 0);
  for (std::int32_t i = 0; i < n; ++i) start[i + 1] = start[i] + count[i];
  std::vector<std::int32_t> cols(start[n]);
  std::vector<std::int32_t> fill(start.begin(), start.end() - 1);
  for (std::int32_t i = 0; i < n; ++i) cols[fill[i]++] = i;
  for (std::size_t k = 0; k < m; ++k) {
    if (!in_pattern[k]) continue;
    const std::int32_t f = net.index.branch_from[k], t = net.index.branch_to[k];
    cols[fill[f]++] = t;
    cols[fill[t]++] = f;
  }
  ybus.row_ptr.assign(n + 1, 0);
  ybus.col.reserve(cols.size());
  for (std::int32_t i = 0; i < n; ++i) {
    auto b = cols.begin() + start[i], e = cols.begin() + start[i + 1];
    std::sort(b, e);
    e = std::unique(b, e);
    ybus.col.insert(ybus.col.end(), b, e);
    ybus.row_ptr[i + 1] = static_cast<std::int32_t>(ybus.col.size());
  }
  ybus.diag.resize(n);
  for (std::int32_t i = 0; i < n; ++i) ybus.diag[i] = position(ybus, i, i);
  ybus.branch_pos.assign(m, {-1, -1, -1, -1});
  for (std::size_t k = 0; k < m; ++k) {
    if (!in_pattern[k]) continue;
    const std::int32_t f = net.index.branch_from[k], t = net.index.branch_to[k];
    ybus.branch_pos[k] = {ybus.diag[f], position(ybus, f, t), position(ybus, t, f), ybus.diag[t]};
  }
  ybus.y.assign(ybus.col.size(), Cplx{});
  fill_ybus(ybus, net);
  return ybus;
}

void fill_ybus(Ybus& ybus, const Network& net) {
  std::fill(ybus.y.begin(), ybus.y.end(), Cplx{});
  for (std::int32_t i = 0; i < ybus.n; ++i) ybus.y[ybus.diag[i]] = net.bus_shunt[i];
  for (std::size_t k = 0; k < ybus.branch_pos.size(); ++k) {
    if (net.branch_active[k]) add_branch(ybus, k, net.branch_y[k], 1.0);
  }
}

void add_branch(Ybus& ybus, std::size_t branch, const BranchAdmittance& y, double sign) {
  const auto& pos = ybus.branch_pos[branch];
  if (pos[0] < 0) throw std::logic_error("add_branch: branch is not in the Ybus pattern");
  ybus.y[pos[0]] = ybus.y[pos[0]] + sign * y.yff;
  ybus.y[pos[1]] = ybus.y[pos[1]] + sign * y.yft;
  ybus.y[pos[2]] = ybus.y[pos[2]] + sign * y.ytf;
  ybus.y[pos[3]] = ybus.y[pos[3]] + sign * y.ytt;
}

}  // namespace citytwin::grid
