#pragma once
// DC N-1 screening of one outage from its column of branch-to-branch transfer
// factors: post-outage flow f0_j + ptdf_jk f0_k / (1 - ptdf_kk) on every
// monitored branch j, the worst loading and the overload count, by the rules
// of grid::screen_n_minus_1 (an overload is above the threshold and above the
// base-case loading; the outaged branch itself is skipped). The CUDA kernel
// runs this per outage; the values equal the CPU screening within rounding
// (the factors come from a dense LU and a GEMM there, from KLU here).
#include <cstdint>

#include "core/common/host_device.hpp"

namespace citytwin::gpu {

struct OutageScreen {
  double worst = 0;
  std::int32_t worst_at = 0;  // index into the monitored branches
  std::int32_t overloaded = 0;
  bool islanding = false;
};

// ptdf[r * stride]: factor of active branch r for a transfer over this outage;
// k_row: the outaged branch's active row; mon_row[j]: monitored j's active row.
CITYTWIN_HD inline OutageScreen screen_outage(const double* ptdf, std::int64_t stride, std::int32_t k_row, double f0_k,
                                              std::int32_t n_mon, const std::int32_t* mon_row, const double* mon_f0,
                                              const double* mon_inv_rating, const double* mon_base, double threshold) {
  OutageScreen out;
  const double denominator = 1.0 - ptdf[k_row * stride];
  if ((denominator < 0 ? -denominator : denominator) < 1e-8) {
    out.islanding = true;
    return out;
  }
  const double scale = f0_k / denominator;
  for (std::int32_t j = 0; j < n_mon; ++j) {
    if (mon_row[j] == k_row) continue;
    const double post = mon_f0[j] + ptdf[mon_row[j] * stride] * scale;
    const double loading = (post < 0 ? -post : post) * mon_inv_rating[j];
    if (loading > out.worst) {
      out.worst = loading;
      out.worst_at = j;
    }
    out.overloaded += loading > threshold && loading > mon_base[j];
  }
  return out;
}

}  // namespace citytwin::gpu
