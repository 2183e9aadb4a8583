#pragma once
// The device side of the batched PHAST trees: the downward edges and level
// boundaries uploaded once, then rounds of trees enqueued on a stream. Labels
// are [group][sweep id][32 lanes]: one warp settles one node for 32 trees, so
// every label read is one coalesced 256-byte line. Only .cu files include this.
#include <cstdint>
#include <vector>

#include "core/traffic/contraction_hierarchy.hpp"
#include "gpu/cuda/device_buffer.hpp"
#include "gpu/phast_plan.hpp"

namespace citytwin::gpu {

inline constexpr int kLanes = 32;  // trees per group: one per lane of a warp

class PhastRunner {
 public:
  PhastRunner(const traffic::ContractionHierarchy& ch, const Stream& s);

  std::int32_t node_count() const { return n_; }
  std::size_t level_count() const { return levels_.size() - 1; }
  std::int64_t group_stride() const { return static_cast<std::int64_t>(n_) * kLanes; }

  // Groups of 32 trees that fit in device memory at once, given the bytes
  // each group needs per node (8 for the labels, more for callers' arrays).
  std::size_t groups_per_round(std::size_t bytes_per_group_node, std::size_t groups_wanted) const;

  // Enqueues trees for sources [first, first + count), count <= groups * 32,
  // into labels (at least ceil(count / 32) groups): fill with infinity,
  // scatter the upward labels, sweep every level.
  void run(const UpwardLabels& up, std::size_t first, std::size_t count, DeviceBuffer<double>& labels, const Stream& s) const;

 private:
  std::int32_t n_ = 0;
  std::vector<std::int32_t> levels_;
  DeviceBuffer<std::int32_t> down_offset_, down_tail_;
  DeviceBuffer<double> down_weight_;
};

}  // namespace citytwin::gpu
