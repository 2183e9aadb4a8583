#include "core/calibration/route_shares.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/traffic/shortest_path.hpp"

namespace citytwin::calibration {
namespace {

// One origin's graph of cheapest-path links with their shares, in the
// shortest-path tree's settling order (a topological order of that graph:
// a link is kept only when its tail settled before its head).
struct OriginGraph {
  traffic::ShortestPathTree tree;
  std::vector<std::int32_t> position;  // node -> settling position; -1 when not reached
  std::vector<std::int32_t> offset;    // per position: its incoming entries [offset[p], offset[p + 1])
  std::vector<std::int32_t> link;
  std::vector<double> share;
  std::vector<double> node_value;

  const std::vector<std::int32_t>& settled() const { return tree.settled; }

  void build(const traffic::Network& net, const std::vector<double>& flow, const std::vector<double>& cost, double tolerance,
             std::int32_t origin) {
    const auto n = static_cast<std::size_t>(net.node_count);
    if (position.size() != n) position.assign(n, -1);
    if (node_value.size() != n) node_value.assign(n, 0.0);
    traffic::shortest_path_tree(net, cost.data(), origin, tree);
    const std::vector<std::int32_t>& s = tree.settled;
    for (std::size_t p = 0; p < s.size(); ++p) position[s[p]] = static_cast<std::int32_t>(p);
    offset.assign(s.size() + 1, 0);
    link.clear();
    share.clear();
    for (std::size_t p = 1; p < s.size(); ++p) {
      const std::int32_t v = s[p];
      const double dv = tree.distance[v];
      const std::int32_t tree_link = tree.pred_link[v];
      const std::size_t begin = link.size();
      offset[p] = static_cast<std::int32_t>(begin);
      double arriving = 0;
      for (std::int32_t k = net.in_offset[v]; k < net.in_offset[v + 1]; ++k) {
        const std::int32_t a = net.in_links[k];
        const std::int32_t u = net.tail[a];
        const std::int32_t pu = position[u];
        if (pu < 0 || pu >= static_cast<std::int32_t>(p)) continue;
        if (u != origin && net.no_through[u]) continue;  // centroids are never passed through
        if (a != tree_link && tree.distance[u] + cost[a] > dv + tolerance * std::abs(dv) + 1e-12) continue;
        link.push_back(a);
        share.push_back(flow[a]);
        arriving += flow[a];
      }
      for (std::size_t e = begin; e < link.size(); ++e)
        share[e] = arriving > 0 ? share[e] / arriving : (link[e] == tree_link ? 1.0 : 0.0);
    }
    offset[s.size()] = static_cast<std::int32_t>(link.size());
    offset[0] = 0;
  }

  void clear() {
    for (const std::int32_t v : tree.settled) position[v] = -1, node_value[v] = 0;
  }
};

}  // namespace

RouteShares::RouteShares(const traffic::Network& net, const std::vector<double>& flow, const std::vector<double>& cost,
                         double equal_cost_tolerance)
    : net_(net), flow_(flow), cost_(cost), tolerance_(equal_cost_tolerance) {}

std::vector<double> RouteShares::route_sums(const std::vector<double>& link_value) const {
  const auto Z = static_cast<std::size_t>(net_.zone_count);
  std::vector<double> out(Z * Z, 0.0);
  tbb::enumerable_thread_specific<OriginGraph> scratch;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, Z, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    OriginGraph& g = scratch.local();
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      g.build(net_, flow_, cost_, tolerance_, net_.zone_node(static_cast<std::int32_t>(i + 1)));
      const std::vector<std::int32_t>& s = g.settled();
      // Forward: the share-weighted sum of link values over the routes to each node.
      for (std::size_t p = 1; p < s.size(); ++p) {
        double sum = 0;
        for (std::int32_t e = g.offset[p]; e < g.offset[p + 1]; ++e) {
          const std::int32_t a = g.link[e];
          sum += g.share[e] * (g.node_value[net_.tail[a]] + link_value[a]);
        }
        g.node_value[s[p]] = sum;
      }
      for (std::size_t j = 0; j < Z; ++j) {
        const std::int32_t d = net_.zone_node(static_cast<std::int32_t>(j + 1));
        if (j != i && g.position[d] >= 0) out[i * Z + j] = g.node_value[d];
      }
      g.clear();
    }
  });
  return out;
}

std::vector<double> RouteShares::load(const std::vector<double>& od) const {
  const auto Z = static_cast<std::size_t>(net_.zone_count);
  const auto m = static_cast<std::size_t>(net_.link_count);
  // Origins in a fixed number of blocks, each block's flows summed in origin
  // order and the blocks added in block order: the same sums for any thread count.
  const std::size_t blocks = std::max<std::size_t>(1, std::min<std::size_t>(Z, 32));
  std::vector<std::vector<double>> partial(blocks);
  tbb::enumerable_thread_specific<OriginGraph> scratch;
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    OriginGraph& g = scratch.local();
    std::vector<double>& x = partial[b];
    x.assign(m, 0.0);
    for (std::size_t i = b * Z / blocks; i < (b + 1) * Z / blocks; ++i) {
      const double* row = od.data() + i * Z;
      if (std::all_of(row, row + Z, [](double v) { return v == 0; })) continue;
      g.build(net_, flow_, cost_, tolerance_, net_.zone_node(static_cast<std::int32_t>(i + 1)));
      for (std::size_t j = 0; j < Z; ++j) {
        const std::int32_t d = net_.zone_node(static_cast<std::int32_t>(j + 1));
        if (j != i && g.position[d] >= 0) g.node_value[d] += row[j];
      }
      // Backward: each node's demand passes to its incoming links by their shares.
      const std::vector<std::int32_t>& s = g.settled();
      for (std::size_t p = s.size(); p-- > 1;) {
        const double y = g.node_value[s[p]];
        if (y == 0) continue;
        for (std::int32_t e = g.offset[p]; e < g.offset[p + 1]; ++e) {
          const std::int32_t a = g.link[e];
          const double f = g.share[e] * y;
          x[a] += f;
          g.node_value[net_.tail[a]] += f;
        }
      }
      g.clear();
    }
  });
  std::vector<double> flow(m, 0.0);
  for (const auto& x : partial)
    for (std::size_t a = 0; a < m; ++a) flow[a] += x[a];
  return flow;
}

}  // namespace citytwin::calibration
