// Batched PHAST downward sweep: one kernel per level (a level's nodes depend
// only on earlier levels), one warp per node, one lane per tree.
#include <algorithm>
#include <limits>

#include "gpu/cuda/phast_runner.hpp"
#include "gpu/kernels/phast_lane.hpp"

namespace citytwin::gpu {

namespace {

constexpr unsigned kThreads = 256;

__global__ void fill_kernel(double* p, std::size_t n, double value) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    p[i] = value;
}

__global__ void scatter_kernel(const std::int64_t* at, const double* value, std::size_t n, double* labels) {
  const std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) labels[at[i]] = value[i];
}

__global__ void sweep_level_kernel(const std::int32_t* down_offset, const std::int32_t* down_tail, const double* down_weight,
                                   std::int32_t first, std::int32_t last, double* labels, std::int64_t group_stride) {
  const int lane = static_cast<int>(threadIdx.x) % kLanes;
  const std::int64_t s = first + (blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x) / kLanes;
  if (s >= last) return;
  double* d = labels + blockIdx.y * group_stride;
  const std::int64_t at = s * kLanes + lane;
  d[at] = phast_settle_lane(d[at], down_tail, down_weight, down_offset[s], down_offset[s + 1], d, kLanes, lane);
}

unsigned blocks_for(std::size_t threads) { return static_cast<unsigned>((threads + kThreads - 1) / kThreads); }
// The fill loops over its range, so a bounded grid covers any size.
unsigned fill_blocks(std::size_t n) { return static_cast<unsigned>(std::min<std::size_t>(blocks_for(n), 1u << 16)); }

}  // namespace

PhastRunner::PhastRunner(const traffic::ContractionHierarchy& ch, const Stream& s)
    : n_(ch.node_count), levels_(sweep_levels(ch)),
      down_offset_(std::span<const std::int32_t>(ch.down_offset), s),
      down_tail_(std::span<const std::int32_t>(ch.down_tail), s),
      down_weight_(std::span<const double>(ch.down_weight), s) {}

std::size_t PhastRunner::groups_per_round(std::size_t bytes_per_group_node, std::size_t groups_wanted) const {
  std::size_t free_bytes = 0, total = 0;
  CITYTWIN_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total));
  // Half of what is free, at most 8 GiB: room for the caller's other buffers.
  const std::size_t budget = std::min<std::size_t>(free_bytes / 2, std::size_t{8} << 30);
  const std::size_t per_group = std::max<std::size_t>(1, static_cast<std::size_t>(n_) * bytes_per_group_node);
  const std::size_t fit = std::max<std::size_t>(1, budget / per_group);
  return std::min({fit, std::max<std::size_t>(1, groups_wanted), std::size_t{65535}});
}

void PhastRunner::run(const UpwardLabels& up, std::size_t first, std::size_t count, DeviceBuffer<double>& labels,
                      const Stream& s) const {
  const std::size_t groups = (count + kLanes - 1) / kLanes;
  const std::size_t cells = groups * static_cast<std::size_t>(group_stride());
  if (groups == 0 || n_ == 0) return;
  if (labels.size() < cells) throw BackendUnavailable("PHAST: label buffer too small for the round (internal error)");
  fill_kernel<<<fill_blocks(cells), kThreads, 0, s.get()>>>(labels.data(), cells, std::numeric_limits<double>::infinity());
  CITYTWIN_CUDA_CHECK(cudaGetLastError());
  // Upward labels of this round's sources, at their place in the label array.
  std::vector<std::int64_t> at;
  std::vector<double> value;
  at.reserve(static_cast<std::size_t>(up.offset[first + count] - up.offset[first]));
  value.reserve(at.capacity());
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t g = static_cast<std::int64_t>(i / kLanes), lane = static_cast<std::int64_t>(i % kLanes);
    for (std::int64_t k = up.offset[first + i]; k < up.offset[first + i + 1]; ++k) {
      at.push_back(g * group_stride() + static_cast<std::int64_t>(up.sweep[static_cast<std::size_t>(k)]) * kLanes + lane);
      value.push_back(up.dist[static_cast<std::size_t>(k)]);
    }
  }
  DeviceBuffer<std::int64_t> d_at(std::span<const std::int64_t>(at), s);
  DeviceBuffer<double> d_value(std::span<const double>(value), s);
  if (!at.empty()) {
    scatter_kernel<<<blocks_for(at.size()), kThreads, 0, s.get()>>>(d_at.data(), d_value.data(), at.size(), labels.data());
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
  }
  for (std::size_t l = 0; l + 1 < levels_.size(); ++l) {
    const std::int32_t a = levels_[l], b = levels_[l + 1];
    const dim3 grid(blocks_for(static_cast<std::size_t>(b - a) * kLanes), static_cast<unsigned>(groups));
    sweep_level_kernel<<<grid, kThreads, 0, s.get()>>>(down_offset_.data(), down_tail_.data(), down_weight_.data(), a, b,
                                                        labels.data(), group_stride());
    CITYTWIN_CUDA_CHECK(cudaGetLastError());
  }
}

}  // namespace citytwin::gpu
