#pragma once
// The host versions of the kernels in gpu/cuda: the same per-element bodies
// (gpu/kernels/*.hpp, core/traffic/phast_sweep.hpp) under a TBB schedule.
// They are what the comparison tests hold the device results against, and
// what callers run when gpu::device() is not available. Always built.
#include <cstdint>
#include <span>
#include <vector>

#include "core/traffic/contraction_hierarchy.hpp"
#include "core/traffic/od_demand.hpp"

namespace citytwin::gpu::cpu {

// One-to-all distances from each source (network node ids) by
// traffic::phast_trees in batches of kPhastBatch: out[i * n + v] is the
// distance from sources[i] to network node v (infinity where unreachable).
std::vector<double> phast_distances(const traffic::ContractionHierarchy& ch, std::span<const std::int32_t> sources);

// All-or-nothing link flows (internal link order) of `demand` on the PHAST
// trees of `ch` (built with `cost`): each destination takes the tree link
// chosen by gpu::tree_pred_link, flows summed in fixed point (deterministic).
// OD pairs without a path are left out. Costs must be positive.
std::vector<double> all_or_nothing(const traffic::Network& net, const traffic::ContractionHierarchy& ch,
                                   std::span<const double> cost, const traffic::OdDemand& demand);

// For each query point, the index of the nearest reference point (ties: the
// lower index; -1 when there are no reference points), via gpu::PointGrid.
std::vector<std::int32_t> nearest_points(std::span<const double> ref_x, std::span<const double> ref_y,
                                         std::span<const double> query_x, std::span<const double> query_y);

}  // namespace citytwin::gpu::cpu
