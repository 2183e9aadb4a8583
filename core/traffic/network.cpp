#include "core/traffic/network.hpp"

#include <algorithm>
#include <numeric>

#include "core/common/errors.hpp"

namespace citytwin::traffic {

namespace {

// Breadth-first order over the undirected graph, started from node 1 and then
// from every node not yet reached: neighbours get nearby ids, so the labels a
// shortest-path sweep touches together sit in the same cache lines.
std::vector<std::int32_t> breadth_first_order(std::int32_t nodes, const std::vector<TntpLink>& links) {
  std::vector<std::int32_t> degree(static_cast<std::size_t>(nodes) + 1, 0);
  for (const auto& l : links) {
    ++degree[static_cast<std::size_t>(l.tail - 1)];
    ++degree[static_cast<std::size_t>(l.head - 1)];
  }
  std::vector<std::int32_t> offset(static_cast<std::size_t>(nodes) + 1, 0);
  for (std::int32_t v = 0; v < nodes; ++v) offset[v + 1] = offset[v] + degree[v];
  std::vector<std::int32_t> adjacency(static_cast<std::size_t>(offset[nodes]));
  std::vector<std::int32_t> fill(offset.begin(), offset.end() - 1);
  for (const auto& l : links) {
    adjacency[fill[l.tail - 1]++] = l.head - 1;
    adjacency[fill[l.head - 1]++] = l.tail - 1;
  }
  std::vector<std::int32_t> order;
  order.reserve(static_cast<std::size_t>(nodes));
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(nodes), 0);
  for (std::int32_t start = 0; start < nodes; ++start) {
    if (seen[start]) continue;
    seen[start] = 1;
    std::size_t front = order.size();
    order.push_back(start);
    while (front < order.size()) {
      const std::int32_t u = order[front++];
      for (std::int32_t k = offset[u]; k < offset[u + 1]; ++k) {
        const std::int32_t w = adjacency[k];
        if (!seen[w]) {
          seen[w] = 1;
          order.push_back(w);
        }
      }
    }
  }
  return order;  // order[new id] = old (0-based) id
}

}  // namespace

Network build_network(const TntpNetwork& tntp, const CostWeights& weights) {
  if (!(weights.toll_factor >= 0) || !(weights.distance_factor >= 0))
    throw InvalidInput("toll and distance factors must be non-negative numbers", SourceLocation{.file = tntp.file});
  Network net;
  net.node_count = tntp.nodes;
  net.link_count = static_cast<std::int32_t>(tntp.links.size());
  net.zone_count = tntp.zones;
  const auto n = static_cast<std::size_t>(net.node_count);
  const auto m = static_cast<std::size_t>(net.link_count);

  const std::vector<std::int32_t> order = breadth_first_order(net.node_count, tntp.links);
  net.internal_node.assign(n + 1, -1);
  net.tntp_node.assign(n, 0);
  for (std::size_t v = 0; v < n; ++v) {
    net.internal_node[static_cast<std::size_t>(order[v]) + 1] = static_cast<std::int32_t>(v);
    net.tntp_node[v] = order[v] + 1;
  }

  // Links sorted by (internal tail, internal head, file position): a stable CSR order.
  std::vector<std::int32_t> by_tail(m);
  std::iota(by_tail.begin(), by_tail.end(), 0);
  auto tail_of = [&](std::int32_t k) { return net.internal_node[static_cast<std::size_t>(tntp.links[k].tail)]; };
  auto head_of = [&](std::int32_t k) { return net.internal_node[static_cast<std::size_t>(tntp.links[k].head)]; };
  std::stable_sort(by_tail.begin(), by_tail.end(), [&](std::int32_t a, std::int32_t b) {
    return std::pair(tail_of(a), head_of(a)) < std::pair(tail_of(b), head_of(b));
  });

  net.out_offset.assign(n + 1, 0);
  net.tail.resize(m);
  net.head.resize(m);
  net.coefficients.resize(m);
  net.file_link.resize(m);
  net.internal_link.resize(m);
  net.capacity.resize(m);
  net.length.resize(m);
  net.toll.resize(m);
  for (std::size_t a = 0; a < m; ++a) {
    const std::int32_t k = by_tail[a];
    const TntpLink& l = tntp.links[static_cast<std::size_t>(k)];
    net.tail[a] = tail_of(k);
    net.head[a] = head_of(k);
    ++net.out_offset[static_cast<std::size_t>(net.tail[a]) + 1];
    net.file_link[a] = k;
    net.internal_link[static_cast<std::size_t>(k)] = static_cast<std::int32_t>(a);
    BprCoefficients& c = net.coefficients[a];
    c.t0 = l.free_flow_time;
    c.power = l.power;
    c.coef = l.free_flow_time * l.b / std::pow(l.capacity, l.power);
    c.fixed = weights.toll_factor * l.toll + weights.distance_factor * l.length;
    if (!std::isfinite(c.coef) || !std::isfinite(c.fixed))
      throw InvalidInput("link cost coefficients overflow (capacity^power)",
                         SourceLocation{.file = tntp.file, .line = l.line});
    net.capacity[a] = l.capacity;
    net.length[a] = l.length;
    net.toll[a] = l.toll;
  }
  for (std::size_t v = 0; v < n; ++v) net.out_offset[v + 1] += net.out_offset[v];

  net.in_offset.assign(n + 1, 0);
  for (std::size_t a = 0; a < m; ++a) ++net.in_offset[static_cast<std::size_t>(net.head[a]) + 1];
  for (std::size_t v = 0; v < n; ++v) net.in_offset[v + 1] += net.in_offset[v];
  net.in_links.resize(m);
  std::vector<std::int32_t> fill(net.in_offset.begin(), net.in_offset.end() - 1);
  for (std::size_t a = 0; a < m; ++a) net.in_links[fill[net.head[a]]++] = static_cast<std::int32_t>(a);

  net.no_through.assign(n, 0);
  for (std::int32_t id = 1; id < tntp.first_thru_node && id <= tntp.nodes; ++id)
    net.no_through[static_cast<std::size_t>(net.internal_node[id])] = 1;
  return net;
}

}  // namespace citytwin::traffic
