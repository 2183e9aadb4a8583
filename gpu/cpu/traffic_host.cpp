// Host versions (TBB) of the batched PHAST trees and the all-or-nothing loading.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <limits>
#include <string>

#include "core/common/errors.hpp"

#include "gpu/kernels_host.hpp"
#include "gpu/kernels/aon_tree.hpp"
#include "gpu/phast_plan.hpp"

namespace citytwin::gpu::cpu {

namespace {

constexpr int K = traffic::kPhastBatch;

// Sources of batch b, the last one repeated to fill the batch.
std::array<std::int32_t, K> batch_sources(std::span<const std::int32_t> sources, std::size_t b) {
  std::array<std::int32_t, K> s{};
  for (int i = 0; i < K; ++i) s[i] = sources[std::min(b * K + i, sources.size() - 1)];
  return s;
}

}  // namespace

std::vector<double> phast_distances(const traffic::ContractionHierarchy& ch, std::span<const std::int32_t> sources) {
  const auto n = static_cast<std::size_t>(ch.node_count);
  std::vector<double> out(sources.size() * n);
  if (sources.empty()) return out;
  check_sources(ch, sources);
  const std::size_t batches = (sources.size() + K - 1) / K;
  tbb::enumerable_thread_specific<traffic::PhastScratch> scratch;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batches, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    traffic::PhastScratch& s = scratch.local();
    for (std::size_t b = r.begin(); b != r.end(); ++b) {
      const auto src = batch_sources(sources, b);
      traffic::phast_trees(ch, src.data(), s);
      for (int i = 0; i < K && b * K + i < sources.size(); ++i) {
        double* row = out.data() + (b * K + i) * n;
        for (std::size_t v = 0; v < n; ++v) row[v] = s.dist[static_cast<std::size_t>(ch.sweep_id[v]) * K + i];
      }
    }
  });
  return out;
}

std::vector<double> all_or_nothing(const traffic::Network& net, const traffic::ContractionHierarchy& ch,
                                   std::span<const double> cost, const traffic::OdDemand& demand) {
  check_aon_inputs(net, ch, cost, demand);
  const std::vector<std::uint64_t> amount = fixed_demand(demand);
  const auto n = static_cast<std::size_t>(net.node_count);
  const auto m = static_cast<std::size_t>(net.link_count);
  const std::span<const std::int32_t> origins(demand.origin_node);
  struct Scratch {
    traffic::PhastScratch phast;
    std::vector<std::int32_t> pred;
    std::vector<std::uint64_t> flow;
  };
  tbb::enumerable_thread_specific<Scratch> scratch([&] { return Scratch{{}, std::vector<std::int32_t>(n * K), std::vector<std::uint64_t>(m, 0)}; });
  const std::size_t batches = (origins.size() + K - 1) / K;
  std::atomic<bool> broken{false};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batches, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    Scratch& s = scratch.local();
    for (std::size_t b = r.begin(); b != r.end(); ++b) {
      const auto src = batch_sources(origins, b);
      traffic::phast_trees(ch, src.data(), s.phast);
      const double* labels = s.phast.dist.data();
      for (std::size_t v = 0; v < n; ++v)
        for (int i = 0; i < K; ++i)
          s.pred[v * K + i] = tree_pred_link(static_cast<std::int32_t>(v), net.in_offset.data(), net.in_links.data(), net.tail.data(),
                                             cost.data(), ch.sweep_id.data(), labels, K, i);
      for (int i = 0; i < K && b * K + i < origins.size(); ++i) {
        const std::size_t o = b * K + i;
        for (auto k = demand.destination_offset[o]; k < demand.destination_offset[o + 1]; ++k) {
          const std::int32_t dest = demand.destination_node[static_cast<std::size_t>(k)];
          if (!(labels[static_cast<std::size_t>(ch.sweep_id[static_cast<std::size_t>(dest)]) * K + i] < std::numeric_limits<double>::infinity())) continue;
          if (!load_path(dest, origins[o], s.pred.data(), K, i, net.tail.data(), net.node_count, amount[static_cast<std::size_t>(k)],
                         [&](std::int32_t a, std::uint64_t q) { s.flow[static_cast<std::size_t>(a)] += q; }))
            broken = true;
        }
      }
    }
  });
  if (broken) throw InvalidInput("all-or-nothing: a destination's tree path does not lead back to its origin (a cycle of near-zero-cost links?)");
  // Integer partial sums: the total does not depend on how TBB split the work.
  std::vector<std::uint64_t> total(m, 0);
  for (const Scratch& s : scratch)
    for (std::size_t a = 0; a < m; ++a) total[a] += s.flow[a];
  std::vector<double> flow(m);
  for (std::size_t a = 0; a < m; ++a) flow[a] = static_cast<double>(total[a]) / kFlowScale;
  return flow;
}

}  // namespace citytwin::gpu::cpu
