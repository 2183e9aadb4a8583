#include "gpu/phast_plan.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/common/errors.hpp"
#include "gpu/kernels/aon_tree.hpp"

namespace citytwin::gpu {

std::vector<std::int32_t> sweep_levels(const traffic::ContractionHierarchy& ch) {
  const std::int32_t n = ch.node_count;
  std::vector<std::int32_t> level(static_cast<std::size_t>(n), 0);
  std::vector<std::int32_t> start{0};
  for (std::int32_t s = 0; s < n; ++s) {
    std::int32_t l = 0;
    for (std::int32_t e = ch.down_offset[s]; e < ch.down_offset[s + 1]; ++e) {
      const std::int32_t t = ch.down_tail[e];
      if (t >= s) throw InvalidInput("contraction hierarchy: sweep position " + std::to_string(s) + " has a downward edge from a later position " + std::to_string(t));
      l = std::max(l, level[t] + 1);
    }
    level[s] = l;
    if (s > 0 && l < level[s - 1]) throw InvalidInput("contraction hierarchy: sweep order is not sorted by level at position " + std::to_string(s));
    if (s > 0 && l > level[s - 1]) start.push_back(s);
  }
  start.push_back(n);
  return start;
}

namespace {

// Dijkstra over the upward edges only; the hierarchy is small there.
void upward_search(const traffic::ContractionHierarchy& ch, std::int32_t source, std::vector<double>& dist,
                   std::vector<std::int32_t>& touched, std::vector<std::pair<double, std::int32_t>>& heap) {
  const auto later = [](const auto& a, const auto& b) { return a.first > b.first; };
  const std::int32_t s0 = ch.sweep_id[static_cast<std::size_t>(source)];
  dist[s0] = 0;
  touched.push_back(s0);
  heap.clear();
  heap.push_back({0.0, s0});
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const auto [d, x] = heap.back();
    heap.pop_back();
    if (d > dist[x]) continue;
    for (std::int32_t e = ch.up_offset[x]; e < ch.up_offset[x + 1]; ++e) {
      const std::int32_t y = ch.up_head[e];
      const double nd = d + ch.up_weight[e];
      if (nd < dist[y]) {
        if (dist[y] == std::numeric_limits<double>::infinity()) touched.push_back(y);
        dist[y] = nd;
        heap.push_back({nd, y});
        std::push_heap(heap.begin(), heap.end(), later);
      }
    }
  }
}

}  // namespace

void check_sources(const traffic::ContractionHierarchy& ch, std::span<const std::int32_t> sources) {
  for (std::size_t i = 0; i < sources.size(); ++i)
    if (sources[i] < 0 || sources[i] >= ch.node_count)
      throw InvalidInput("PHAST: source " + std::to_string(i) + " is node " + std::to_string(sources[i]) + ", outside 0.." + std::to_string(ch.node_count - 1));
}

UpwardLabels upward_labels(const traffic::ContractionHierarchy& ch, std::span<const std::int32_t> sources) {
  check_sources(ch, sources);
  // Each source's labels in its own vector, then concatenated in source order.
  std::vector<std::vector<std::pair<std::int32_t, double>>> per(sources.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, sources.size(), 16), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<double> dist(static_cast<std::size_t>(ch.node_count), std::numeric_limits<double>::infinity());
    std::vector<std::int32_t> touched;
    std::vector<std::pair<double, std::int32_t>> heap;
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      touched.clear();
      upward_search(ch, sources[i], dist, touched, heap);
      std::sort(touched.begin(), touched.end());  // scatter in memory order
      for (const std::int32_t s : touched) {
        per[i].push_back({s, dist[s]});
        dist[s] = std::numeric_limits<double>::infinity();
      }
    }
  });
  UpwardLabels out;
  for (const auto& p : per) {
    for (const auto& [s, d] : p) {
      out.sweep.push_back(s);
      out.dist.push_back(d);
    }
    out.offset.push_back(static_cast<std::int64_t>(out.sweep.size()));
  }
  return out;
}

std::vector<std::uint64_t> fixed_demand(const traffic::OdDemand& demand) {
  std::vector<std::uint64_t> out(demand.destination_flow.size());
  for (std::size_t o = 0; o < demand.origin_count(); ++o)
    for (auto k = demand.destination_offset[o]; k < demand.destination_offset[o + 1]; ++k) {
      const double q = demand.destination_flow[static_cast<std::size_t>(k)];
      if (!(q >= 0) || !std::isfinite(q) || q * kFlowScale >= 9e18)
        throw InvalidInput("all-or-nothing: demand " + std::to_string(q) + " from origin " + std::to_string(o) + " to node " +
                           std::to_string(demand.destination_node[static_cast<std::size_t>(k)]) + " is negative, not finite or too large");
      out[static_cast<std::size_t>(k)] = static_cast<std::uint64_t>(std::llround(q * kFlowScale));
    }
  return out;
}

void check_aon_inputs(const traffic::Network& net, const traffic::ContractionHierarchy& ch,
                      std::span<const double> cost, const traffic::OdDemand& demand) {
  if (ch.node_count != net.node_count)
    throw InvalidInput("all-or-nothing: the hierarchy has " + std::to_string(ch.node_count) + " nodes, the network " + std::to_string(net.node_count));
  if (cost.size() != static_cast<std::size_t>(net.link_count))
    throw InvalidInput("all-or-nothing: " + std::to_string(cost.size()) + " link costs for " + std::to_string(net.link_count) + " links");
  for (std::size_t a = 0; a < cost.size(); ++a)
    if (!(cost[a] > 0) || !std::isfinite(cost[a]))
      throw InvalidInput("all-or-nothing: link " + std::to_string(a) + " has cost " + std::to_string(cost[a]) + " (costs must be positive: a tree link per node)");
  if (demand.destination_offset.size() != demand.origin_count() + 1)
    throw InvalidInput("all-or-nothing: demand offsets do not match its origins");
}

}  // namespace citytwin::gpu
