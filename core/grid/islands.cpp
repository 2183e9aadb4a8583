#include "core/grid/islands.hpp"

#include <numeric>

namespace citytwin::grid {

namespace {

std::int32_t find_root(std::vector<std::int32_t>& parent, std::int32_t i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

}  // namespace

std::vector<std::int32_t> connected_components(std::int32_t n, const std::vector<std::uint8_t>& available,
                                               const std::vector<std::int32_t>& from,
                                               const std::vector<std::int32_t>& to,
                                               const std::vector<std::uint8_t>& branch_on,
                                               std::int32_t& count) {
  std::vector<std::int32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  for (std::size_t k = 0; k < from.size(); ++k) {
    if (!branch_on[k]) continue;
    const std::int32_t a = find_root(parent, from[k]);
    const std::int32_t b = find_root(parent, to[k]);
    if (a != b) parent[a < b ? b : a] = a < b ? a : b;
  }
  std::vector<std::int32_t> label(n, -1), island(n, -1);
  count = 0;
  for (std::int32_t i = 0; i < n; ++i) {
    if (!available[i]) continue;
    const std::int32_t root = find_root(parent, i);
    if (label[root] < 0) label[root] = count++;
    island[i] = label[root];
  }
  return island;
}

}  // namespace citytwin::grid
