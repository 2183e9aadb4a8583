#pragma once
// Shortest paths without a hierarchy (costs change every Frank-Wolfe
// iteration): pull-style Bellman-Ford over the reverse star, one origin per
// lane, labels interleaved label[node * lanes + lane]. The per-element bodies
// shared by the host version and the CUDA kernels.
//
// Why any schedule gives the same labels, bit for bit: the relaxation
// label(v) <- min(label(v), label(u) + cost(u, v)) is monotone in the labels
// (IEEE addition is monotone), and every schedule starts from the same top
// (0 at the origin, infinity elsewhere) and only lowers labels. Chaotic
// iterations of a monotone map from the top all stop at its greatest fixed
// point, which is also what Dijkstra computes with the same additions. So
// in-place sweeps on the device (racing reads of neighbours) and in-place
// sweeps in node order on the CPU agree exactly; only the sweep count differs.
//
// The TNTP rule (traffic::Network::no_through): a zone centroid other than
// the lane's origin is never passed through, so its out-links are not pulled.
#include <cstdint>

#include "core/common/host_device.hpp"

namespace citytwin::gpu {

struct PullBest {
  double label;       // min over allowed in-links of label(tail) + cost
  std::int32_t link;  // the first in-link (in in-link order) reaching it; -1 if none is finite
};

CITYTWIN_HD inline PullBest pull_best(std::int32_t v, std::int32_t origin, const std::int32_t* in_offset,
                                      const std::int32_t* in_links, const std::int32_t* tail,
                                      const std::uint8_t* no_through, const double* cost, const double* labels,
                                      int lanes, int lane) {
  PullBest best{1.0 / 0.0, -1};
  for (std::int32_t k = in_offset[v]; k < in_offset[v + 1]; ++k) {
    const std::int32_t a = in_links[k];
    const std::int32_t u = tail[a];
    if (no_through[u] && u != origin) continue;
    const double d = labels[static_cast<std::int64_t>(u) * lanes + lane] + cost[a];
    if (d < best.label) best = {d, a};
  }
  return best;
}

// One relaxation of node v in one lane, in place; true when the label fell.
CITYTWIN_HD inline bool pull_relax(std::int32_t v, std::int32_t origin, const std::int32_t* in_offset,
                                   const std::int32_t* in_links, const std::int32_t* tail,
                                   const std::uint8_t* no_through, const double* cost, double* labels, int lanes,
                                   int lane) {
  const PullBest b = pull_best(v, origin, in_offset, in_links, tail, no_through, cost, labels, lanes, lane);
  double& label = labels[static_cast<std::int64_t>(v) * lanes + lane];
  if (b.label < label) {
    label = b.label;
    return true;
  }
  return false;
}

// Starting labels: 0 at the lane's origin, infinity elsewhere (and everywhere
// in padding lanes, origin -1, which then never change).
CITYTWIN_HD inline double pull_start(std::int32_t v, std::int32_t origin) { return v == origin ? 0.0 : 1.0 / 0.0; }

}  // namespace citytwin::gpu
