#pragma once
// The device iteration's own sums, beside the per-link terms of
// core/traffic/frank_wolfe_terms.hpp: the chunk size that both its schedulers
// (the CUDA kernels and their host counterpart) give core/traffic/chunked_sum.hpp,
// and SPTT over the lane-interleaved labels of gpu/kernels/pull_relax.hpp.
#include <cstdint>

#include "core/common/host_device.hpp"

namespace citytwin::gpu {

// Elements per chunk: one device thread sums one chunk.
inline constexpr std::int64_t kSumChunk = 256;

// SPTT = sum over OD pairs of demand * shortest-path label (pairs without a
// path are left out, as in the loading).
struct SpttTerm {
  static constexpr int N = 1;
  const double* demand;
  const std::int32_t* destination;
  const std::int32_t* pair_lane;
  const double* labels;
  int lanes;
  CITYTWIN_HD void operator()(std::int64_t k, double* acc) const {
    const double d = labels[static_cast<std::int64_t>(destination[k]) * lanes + pair_lane[k]];
    if (d < 1.0 / 0.0) acc[0] += demand[k] * d;
  }
};

}  // namespace citytwin::gpu
