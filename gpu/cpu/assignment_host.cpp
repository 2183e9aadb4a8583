// The host counterpart of the device Frank-Wolfe back end: the per-element
// bodies of gpu/kernels/{pull_relax,aon_tree,lane_sums}.hpp under TBB loops
// (shortest paths by pull lanes, fixed-point all-or-nothing), the link arrays
// and their terms in core/traffic's HostFrankWolfeBackend with the device's
// sum chunks, run by the same traffic::run_frank_wolfe as the CUDA back end.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <limits>

#include "core/common/errors.hpp"
#include "core/traffic/frank_wolfe_host.hpp"
#include "gpu/assignment_device.hpp"
#include "gpu/assignment_lanes.hpp"
#include "gpu/kernels/aon_tree.hpp"
#include "gpu/kernels/lane_sums.hpp"
#include "gpu/kernels/pull_relax.hpp"

namespace citytwin::gpu::cpu {

namespace {

constexpr std::int32_t kLaneGroup = 8;  // lanes relaxed together by one task (contiguous labels)

// Labels of every lane to the fixed point: per group of lanes, in-place sweeps
// forward then backward in node order until a pass changes nothing. Returns
// the sweeps done (summed over groups).
std::int64_t relax_all(const traffic::Network& net, const std::vector<std::int32_t>& lane_origin, const double* cost,
                       std::vector<double>& labels) {
  const std::int32_t n = net.node_count;
  const auto lanes = static_cast<std::int32_t>(lane_origin.size());
  labels.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(lanes));
  std::atomic<std::int64_t> sweeps{0};
  const std::int32_t groups = (lanes + kLaneGroup - 1) / kLaneGroup;
  tbb::parallel_for(tbb::blocked_range<std::int32_t>(0, groups, 1), [&](const tbb::blocked_range<std::int32_t>& r) {
    for (std::int32_t g = r.begin(); g != r.end(); ++g) {
      const std::int32_t l0 = g * kLaneGroup, l1 = std::min(lanes, l0 + kLaneGroup);
      for (std::int32_t v = 0; v < n; ++v)
        for (std::int32_t l = l0; l < l1; ++l)
          labels[static_cast<std::size_t>(v) * static_cast<std::size_t>(lanes) + static_cast<std::size_t>(l)] = pull_start(v, lane_origin[l]);
      auto relax = [&](std::int32_t v) {
        bool changed = false;
        for (std::int32_t l = l0; l < l1; ++l)
          if (lane_origin[l] >= 0)
            changed |= pull_relax(v, lane_origin[l], net.in_offset.data(), net.in_links.data(), net.tail.data(),
                                  net.no_through.data(), cost, labels.data(), lanes, l);
        return changed;
      };
      std::int64_t done = 0;
      for (bool changed = true; changed; done += 2) {
        changed = false;
        for (std::int32_t v = 0; v < n; ++v) changed |= relax(v);
        for (std::int32_t v = n; v-- > 0;) changed |= relax(v);
      }
      sweeps += done;
    }
  });
  return sweeps.load();
}

class LaneBackend final : public traffic::HostFrankWolfeBackend {
 public:
  LaneBackend(const traffic::Network& net, const traffic::OdDemand& demand)
      : HostFrankWolfeBackend(net, kSumChunk), demand_(demand), in_(prepare_lanes(net, demand)),
        m_(static_cast<std::size_t>(net.link_count)) {}

  std::int64_t sweeps() const { return sweeps_; }

 protected:
  // Labels under `cost`, their tree links, and the all-or-nothing flows into out.
  double load(const std::vector<double>& cost, std::vector<double>& out) override {
    const traffic::Network& net = network();
    sweeps_ += relax_all(net, in_.lane_origin, cost.data(), labels_);
    const auto n = static_cast<std::size_t>(net.node_count);
    const auto lanes = static_cast<std::size_t>(in_.lanes);
    pred_.resize(n * lanes);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t v = r.begin(); v != r.end(); ++v)
        for (std::size_t l = 0; l < lanes; ++l)
          pred_[v * lanes + l] = pull_best(static_cast<std::int32_t>(v), in_.lane_origin[l], net.in_offset.data(), net.in_links.data(),
                                           net.tail.data(), net.no_through.data(), cost.data(), labels_.data(), in_.lanes,
                                           static_cast<int>(l)).link;
    });
    tbb::enumerable_thread_specific<std::vector<std::uint64_t>> scratch([&] { return std::vector<std::uint64_t>(m_, 0); });
    std::atomic<bool> broken{false};
    const std::size_t origins = demand_.origin_count();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, origins, 4), [&](const tbb::blocked_range<std::size_t>& r) {
      std::vector<std::uint64_t>& flow = scratch.local();
      for (std::size_t o = r.begin(); o != r.end(); ++o)
        for (auto k = demand_.destination_offset[o]; k < demand_.destination_offset[o + 1]; ++k) {
          const std::int32_t dest = demand_.destination_node[static_cast<std::size_t>(k)];
          if (!(labels_[static_cast<std::size_t>(dest) * lanes + o] < std::numeric_limits<double>::infinity())) continue;
          if (!load_path(dest, demand_.origin_node[o], pred_.data(), in_.lanes, static_cast<int>(o), net.tail.data(), net.node_count,
                         in_.amount[static_cast<std::size_t>(k)], [&](std::int32_t a, std::uint64_t q) { flow[static_cast<std::size_t>(a)] += q; }))
            broken = true;
        }
    });
    if (broken) throw InvalidInput("device assignment: a destination's tree path does not lead back to its origin");
    // Integer partial sums: the total does not depend on how TBB split the work.
    std::vector<std::uint64_t> total(m_, 0);
    for (const auto& f : scratch)
      for (std::size_t a = 0; a < m_; ++a) total[a] += f[a];
    for (std::size_t a = 0; a < m_; ++a) out[a] = static_cast<double>(total[a]) / kFlowScale;
    return sum(static_cast<std::int64_t>(demand_.destination_node.size()),
               SpttTerm{demand_.destination_flow.data(), demand_.destination_node.data(), in_.pair_lane.data(), labels_.data(),
                        in_.lanes})[0];
  }

 private:
  const traffic::OdDemand& demand_;
  LaneInputs in_;
  std::size_t m_;
  std::vector<double> labels_;
  std::vector<std::int32_t> pred_;
  std::int64_t sweeps_ = 0;
};

}  // namespace

DeviceAssignmentResult assign_frank_wolfe(const traffic::Network& net, const traffic::OdDemand& demand,
                                          const DeviceAssignmentOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  LaneBackend backend(net, demand);
  const auto t1 = std::chrono::steady_clock::now();
  DeviceAssignmentResult r = run_device_iteration(backend, demand, options);
  r.sweeps = backend.sweeps();
  const auto t2 = std::chrono::steady_clock::now();
  r.times.host_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  r.times.device_ms = std::chrono::duration<double, std::milli>(t2 - t1).count();
  return r;
}

std::vector<double> pull_distances(const traffic::Network& net, std::span<const std::int32_t> origins, std::span<const double> cost) {
  const auto n = static_cast<std::size_t>(net.node_count);
  if (cost.size() != static_cast<std::size_t>(net.link_count)) throw InvalidInput("pull_distances: one cost per link expected");
  std::vector<std::int32_t> lane_origin(origins.begin(), origins.end());
  for (std::size_t i = 0; i < lane_origin.size(); ++i)
    if (lane_origin[i] < 0 || lane_origin[i] >= net.node_count)
      throw InvalidInput(std::string("pull_distances: origin ").append(std::to_string(i)).append(" is not a network node"));
  for (std::size_t a = 0; a < cost.size(); ++a)
    if (!(cost[a] >= 0))  // negative costs would never settle
      throw InvalidInput(std::string("pull_distances: link ").append(std::to_string(a)).append(" has a negative or NaN cost"));
  std::vector<double> labels;
  relax_all(net, lane_origin, cost.data(), labels);
  std::vector<double> out(origins.size() * n);
  for (std::size_t i = 0; i < origins.size(); ++i)
    for (std::size_t v = 0; v < n; ++v) out[i * n + v] = labels[v * origins.size() + i];
  return out;
}

}  // namespace citytwin::gpu::cpu
