#include "core/model/grid_infeeds.hpp"

#include <numeric>
#include <vector>

namespace citytwin {

// Union-find over the in-service branches.
std::vector<std::uint32_t> island_roots(const PowerGrid& g) {
  std::vector<std::uint32_t> parent(g.bus_count());
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
  };
  for (std::size_t l = 0; l < g.branch_count(); ++l)
    if (g.branch_in_service.empty() || g.branch_in_service[l]) parent[find(g.branch_from[l])] = find(g.branch_to[l]);
  for (std::uint32_t b = 0; b < parent.size(); ++b) parent[b] = find(b);
  return parent;
}

namespace {

// supplied[root] = 1 for islands holding a slack.
std::vector<std::uint8_t> supplied_islands(const PowerGrid& g, const std::vector<std::uint32_t>& root) {
  std::vector<std::uint8_t> supplied(g.bus_count(), 0);
  for (std::size_t b = 0; b < g.bus_count(); ++b)
    if (g.bus_type[b] == BusType::Slack) supplied[root[b]] = 1;
  return supplied;
}

IslandSupply count(const PowerGrid& g, const std::vector<std::uint32_t>& root) {
  IslandSupply s;
  const std::vector<std::uint8_t> supplied = supplied_islands(g, root);
  for (std::size_t b = 0; b < g.bus_count(); ++b)
    if (root[b] == b) ++s.islands;
  for (std::size_t b = 0; b < g.bus_count(); ++b)
    if (!supplied[root[b]]) ++s.unsupplied_buses;
  return s;
}

}  // namespace

IslandSupply island_supply(const PowerGrid& g) { return count(g, island_roots(g)); }

IslandSupply assume_island_infeeds(PowerGrid& g) {
  const std::vector<std::uint32_t> root = island_roots(g);
  const std::size_t n = g.bus_count();
  const std::vector<std::uint8_t> supplied = supplied_islands(g, root);
  // The island's bulk supply point, chosen like the main slack: highest voltage, then largest substation.
  std::vector<std::int64_t> best(n, -1);
  auto capacity = [&](std::size_t b) { return g.substation_capacity_mva[static_cast<std::size_t>(g.bus_substation[b])]; };
  for (std::size_t b = 0; b < n; ++b) {
    if (supplied[root[b]] || g.bus_substation[b] < 0) continue;
    std::int64_t& k = best[root[b]];
    const auto c = static_cast<std::size_t>(k);
    if (k < 0 || g.bus_kv[b] > g.bus_kv[c] || (g.bus_kv[b] == g.bus_kv[c] && capacity(b) > capacity(c))) k = static_cast<std::int64_t>(b);
  }
  std::int64_t added = 0;
  for (std::size_t r = 0; r < n; ++r) {
    if (best[r] < 0) continue;
    const auto b = static_cast<std::uint32_t>(best[r]);
    g.bus_type[b] = BusType::Slack;
    g.add_generator({.bus = b});
    ++added;
  }
  IslandSupply s = count(g, root);
  s.assumed_infeeds = added;
  return s;
}

}  // namespace citytwin
