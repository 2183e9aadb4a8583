#pragma once
// The per-node step of a PHAST sweep (Delling, Goldberg, Nowatzyk, Werneck
// 2011): after the upward search, nodes are visited from the highest rank
// down and each takes the best of its label and its higher-ranked in-neighbours'
// labels plus the connecting (down) edge. Shared by the TBB sweep and the CUDA
// sweep, so it uses raw pointers only.
#include <cstdint>

#include "core/traffic/host_device.hpp"

namespace citytwin::traffic {

CITYTWIN_HD inline double phast_settle(double label, const std::int32_t* tails, const double* weights,
                                       std::int32_t begin, std::int32_t end, const double* dist) {
  for (std::int32_t e = begin; e < end; ++e) {
    const double d = dist[tails[e]] + weights[e];
    if (d < label) label = d;
  }
  return label;
}

// The same step for K interleaved trees: label[i] of node s is dist[s * K + i].
template <int K>
CITYTWIN_HD inline void phast_settle_batch(double* label, const std::int32_t* tails, const double* weights,
                                           std::int32_t begin, std::int32_t end, const double* dist) {
  for (std::int32_t e = begin; e < end; ++e) {
    const double* from = dist + static_cast<std::int64_t>(tails[e]) * K;
    const double w = weights[e];
    for (int i = 0; i < K; ++i) {
      const double d = from[i] + w;
      label[i] = d < label[i] ? d : label[i];
    }
  }
}

}  // namespace citytwin::traffic
