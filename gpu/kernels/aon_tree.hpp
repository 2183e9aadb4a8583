#pragma once
// All-or-nothing loading from one-to-all distance labels, the per-element
// bodies shared by the host version and the CUDA kernels:
//  * tree_pred_link: a node's tree link is its in-link minimising
//    label(tail) + cost, first in in-link order on ties, so both schedulers
//    pick the same tree from the same labels;
//  * load_path: walks a destination back to the origin adding the OD demand,
//    in integer fixed point, to every link on the way. Integer sums do not
//    depend on the order of the additions, so device atomics and per-thread
//    CPU partial sums give identical flows.
#include <cstdint>

#include "core/common/host_device.hpp"

namespace citytwin::gpu {

// Flow resolution: 2^-24 vehicles. Demands are rounded once, on the host.
inline constexpr double kFlowScale = 16777216.0;

// labels: by sweep id (label of network node u in this lane is
// labels[sweep_id[u] * stride + lane]). Returns -1 when v has no finite in-label.
CITYTWIN_HD inline std::int32_t tree_pred_link(std::int32_t v, const std::int32_t* in_offset,
                                               const std::int32_t* in_links, const std::int32_t* tail,
                                               const double* cost, const std::int32_t* sweep_id,
                                               const double* labels, int stride, int lane) {
  double best = 1.0 / 0.0;
  std::int32_t pred = -1;
  for (std::int32_t k = in_offset[v]; k < in_offset[v + 1]; ++k) {
    const std::int32_t a = in_links[k];
    const double d = labels[static_cast<std::int64_t>(sweep_id[tail[a]]) * stride + lane] + cost[a];
    if (d < best) {
      best = d;
      pred = a;
    }
  }
  return pred;
}

// pred[v * stride + lane] is v's tree link. Adds `amount` to every link from
// `destination` back to `origin` through add(link, amount). Returns false when
// the walk breaks off (a node without a tree link, or more than max_hops links:
// a zero-cost cycle), having added to the links it walked.
template <class Add>
CITYTWIN_HD inline bool load_path(std::int32_t destination, std::int32_t origin, const std::int32_t* pred, int stride,
                                  int lane, const std::int32_t* tail, std::int32_t max_hops, std::uint64_t amount,
                                  Add add) {
  std::int32_t v = destination;
  for (std::int32_t hops = 0; v != origin; ++hops) {
    const std::int32_t a = pred[static_cast<std::int64_t>(v) * stride + lane];
    if (a < 0 || hops >= max_hops) return false;
    add(a, amount);
    v = tail[a];
  }
  return true;
}

}  // namespace citytwin::gpu
