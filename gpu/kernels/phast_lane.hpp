#pragma once
// The PHAST downward step for one tree of an interleaved batch: label of node s
// in lane `lane` is dist[s * stride + lane]. It is the arithmetic of
// traffic::phast_settle_batch (one addition, then keep the smaller), so the
// device sweep and the TBB sweep produce bit-identical labels; only the
// schedule differs (one lane per thread here, all lanes per thread there).
#include <cstdint>

#include "core/common/host_device.hpp"

namespace citytwin::gpu {

CITYTWIN_HD inline double phast_settle_lane(double label, const std::int32_t* tails, const double* weights,
                                            std::int32_t begin, std::int32_t end, const double* dist, int stride,
                                            int lane) {
  for (std::int32_t e = begin; e < end; ++e) {
    const double d = dist[static_cast<std::int64_t>(tails[e]) * stride + lane] + weights[e];
    label = d < label ? d : label;
  }
  return label;
}

}  // namespace citytwin::gpu
