// The bridge entry points for batched PHAST trees and all-or-nothing loading.
#include <algorithm>
#include <chrono>
#include <limits>

#include "core/traffic/od_demand.hpp"
#include "gpu/backend.hpp"
#include "gpu/cuda/phast_runner.hpp"
#include "gpu/kernels/aon_tree.hpp"

namespace citytwin::gpu {

namespace {

constexpr unsigned kThreads = 256;

void require_device() {
  if (!device().available) throw BackendUnavailable("CUDA: " + device().reason);
}

// Tree link of every node for every tree of the round: warp per node, lane per tree.
__global__ void pred_kernel(std::int32_t n, const std::int32_t* in_offset, const std::int32_t* in_links, const std::int32_t* tail,
                            const double* cost, const std::int32_t* sweep_id, const double* labels, std::int64_t group_stride,
                            std::int32_t* pred) {
  const int lane = static_cast<int>(threadIdx.x) % kLanes;
  const std::int64_t v = (blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x) / kLanes;
  if (v >= n) return;
  const std::int64_t g = blockIdx.y * group_stride;
  pred[g + v * kLanes + lane] =
      tree_pred_link(static_cast<std::int32_t>(v), in_offset, in_links, tail, cost, sweep_id, labels + g, kLanes, lane);
}

// One thread per OD pair of the round: walk the tree, add in fixed point.
// Integer atomics commute, so the sums do not depend on the thread order.
__global__ void load_kernel(std::int64_t k0, std::int64_t k1, std::int32_t o0, const std::int32_t* pair_origin,
                            const std::int32_t* origin_node, const std::int32_t* destination_node, const std::uint64_t* amount,
                            const std::int32_t* sweep_id, const double* labels, const std::int32_t* pred,
                            std::int64_t group_stride, const std::int32_t* tail, std::int32_t n,
                            unsigned long long* flow, int* broken) {
  const std::int64_t k = k0 + blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (k >= k1) return;
  const std::int32_t o = pair_origin[k], local = o - o0;
  const std::int64_t g = static_cast<std::int64_t>(local / kLanes) * group_stride;
  const int lane = local % kLanes;
  const std::int32_t dest = destination_node[k];
  if (!(labels[g + static_cast<std::int64_t>(sweep_id[dest]) * kLanes + lane] < 1.0 / 0.0)) return;  // no path
  const bool ok = load_path(dest, origin_node[o], pred + g, kLanes, lane, tail, n, amount[k],
                            [&](std::int32_t a, std::uint64_t q) { atomicAdd(flow + a, static_cast<unsigned long long>(q)); });
  if (!ok) *broken = 1;
}

template <class T>
std::span<const T> view(const std::vector<T>& v) {
  return std::span<const T>(v);
}

}  // namespace

std::vector<double> phast_distances(const traffic::ContractionHierarchy& ch, std::span<const std::int32_t> sources) {
  require_device();
  const auto n = static_cast<std::size_t>(ch.node_count);
  std::vector<double> out(sources.size() * n);
  if (sources.empty() || n == 0) return out;
  const UpwardLabels up = upward_labels(ch, sources);
  Stream s;
  const PhastRunner runner(ch, s);
  const std::size_t groups_total = (sources.size() + kLanes - 1) / kLanes;
  const std::size_t groups = runner.groups_per_round(sizeof(double) * kLanes * 2, groups_total);  // device + host copy
  DeviceBuffer<double> labels(groups * static_cast<std::size_t>(runner.group_stride()), s);
  std::vector<double> host(labels.size());
  for (std::size_t first = 0; first < sources.size(); first += groups * kLanes) {
    const std::size_t count = std::min(groups * kLanes, sources.size() - first);
    runner.run(up, first, count, labels, s);
    CITYTWIN_CUDA_CHECK(cudaMemcpyAsync(host.data(), labels.data(), host.size() * sizeof(double), cudaMemcpyDeviceToHost, s.get()));
    s.synchronize();
    for (std::size_t i = 0; i < count; ++i) {
      const double* group = host.data() + (i / kLanes) * static_cast<std::size_t>(runner.group_stride());
      double* row = out.data() + (first + i) * n;
      for (std::size_t v = 0; v < n; ++v) row[v] = group[static_cast<std::size_t>(ch.sweep_id[v]) * kLanes + i % kLanes];
    }
  }
  return out;
}

std::vector<double> all_or_nothing(const traffic::Network& net, const traffic::ContractionHierarchy& ch,
                                   std::span<const double> cost, const traffic::OdDemand& demand, KernelTimes* times) {
  require_device();
  const auto host_start = std::chrono::steady_clock::now();
  check_aon_inputs(net, ch, cost, demand);
  const std::vector<std::uint64_t> amount = fixed_demand(demand);
  const std::size_t origins = demand.origin_count();
  std::vector<std::int32_t> pair_origin(demand.destination_node.size());
  for (std::size_t o = 0; o < origins; ++o)
    std::fill(pair_origin.begin() + demand.destination_offset[o], pair_origin.begin() + demand.destination_offset[o + 1],
              static_cast<std::int32_t>(o));
  const UpwardLabels up = upward_labels(ch, demand.origin_node);
  const double host_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - host_start).count();
  Stream s;
  const PhastRunner runner(ch, s);
  DeviceBuffer<std::int32_t> in_offset(view(net.in_offset), s), in_links(view(net.in_links), s), tail(view(net.tail), s);
  DeviceBuffer<double> d_cost(cost, s);
  DeviceBuffer<std::int32_t> sweep_id(view(ch.sweep_id), s), d_pair_origin(view(pair_origin), s);
  DeviceBuffer<std::int32_t> origin_node(view(demand.origin_node), s), destination_node(view(demand.destination_node), s);
  DeviceBuffer<std::uint64_t> d_amount(view(amount), s);
  DeviceBuffer<unsigned long long> flow(static_cast<std::size_t>(net.link_count), s);
  DeviceBuffer<int> broken(1, s);
  CITYTWIN_CUDA_CHECK(cudaMemsetAsync(flow.data(), 0, flow.size() * sizeof(unsigned long long), s.get()));
  CITYTWIN_CUDA_CHECK(cudaMemsetAsync(broken.data(), 0, sizeof(int), s.get()));
  const std::size_t groups_total = (origins + kLanes - 1) / kLanes;
  const std::size_t groups = runner.groups_per_round((sizeof(double) + sizeof(std::int32_t)) * kLanes, groups_total);
  DeviceBuffer<double> labels(groups * static_cast<std::size_t>(runner.group_stride()), s);
  DeviceBuffer<std::int32_t> pred(labels.size(), s);
  Event start, stop;
  start.record(s);
  for (std::size_t first = 0; first < origins; first += groups * kLanes) {
    const std::size_t count = std::min(groups * kLanes, origins - first);
    runner.run(up, first, count, labels, s);
    const dim3 pred_grid(static_cast<unsigned>((static_cast<std::size_t>(net.node_count) * kLanes + kThreads - 1) / kThreads),
                         static_cast<unsigned>((count + kLanes - 1) / kLanes));
    pred_kernel<<<pred_grid, kThreads, 0, s.get()>>>(net.node_count, in_offset.data(), in_links.data(), tail.data(), d_cost.data(),
                                                     sweep_id.data(), labels.data(), runner.group_stride(), pred.data());
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
    const std::int64_t k0 = demand.destination_offset[first], k1 = demand.destination_offset[first + count];
    if (k1 > k0) {
      load_kernel<<<static_cast<unsigned>((k1 - k0 + kThreads - 1) / kThreads), kThreads, 0, s.get()>>>(
          k0, k1, static_cast<std::int32_t>(first), d_pair_origin.data(), origin_node.data(), destination_node.data(),
          d_amount.data(), sweep_id.data(), labels.data(), pred.data(), runner.group_stride(), tail.data(), net.node_count,
          flow.data(), broken.data());
      CITYTWIN_CUDA_CHECK(cudaGetLastError());
    }
  }
  stop.record(s);
  if (times) *times = {stop.since(start), host_ms};
  const std::vector<unsigned long long> fixed = flow.to_host(s);
  if (broken.to_host(s)[0])
    throw InvalidInput("all-or-nothing: a destination's tree path does not lead back to its origin (a cycle of near-zero-cost links?)");
  std::vector<double> out(fixed.size());
  for (std::size_t a = 0; a < fixed.size(); ++a) out[a] = static_cast<double>(fixed[a]) / kFlowScale;
  return out;
}

KernelTimes phast_sweep_times(const traffic::ContractionHierarchy& ch, std::span<const std::int32_t> sources) {
  require_device();
  const auto host_start = std::chrono::steady_clock::now();
  const UpwardLabels up = upward_labels(ch, sources);
  KernelTimes t;
  t.host_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - host_start).count();
  if (sources.empty() || ch.node_count == 0) return t;
  Stream s;
  const PhastRunner runner(ch, s);
  const std::size_t groups_total = (sources.size() + kLanes - 1) / kLanes;
  const std::size_t groups = runner.groups_per_round(sizeof(double) * kLanes, groups_total);
  DeviceBuffer<double> labels(groups * static_cast<std::size_t>(runner.group_stride()), s);
  auto all_rounds = [&] {
    for (std::size_t first = 0; first < sources.size(); first += groups * kLanes)
      runner.run(up, first, std::min(groups * kLanes, sources.size() - first), labels, s);
  };
  all_rounds();  // warm-up: module load, allocator pools, caches
  Event start, stop;
  start.record(s);
  all_rounds();
  stop.record(s);
  t.device_ms = stop.since(start);
  return t;
}

}  // namespace citytwin::gpu
