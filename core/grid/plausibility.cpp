#include "core/grid/plausibility.hpp"

#include <cmath>

namespace citytwin::grid {

std::vector<std::int32_t> implausible_buses(const PowerCase& pc, const BusIndex& index, std::span<const double> vm,
                                            std::span<const double> va_deg, std::span<const std::uint8_t> energised,
                                            std::span<const std::uint8_t> branch_active, const PowerFlowOptions& options) {
  const std::size_t n = vm.size();
  std::vector<std::uint8_t> flagged(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (energised[i] && (vm[i] < options.plausible_vm_min || vm[i] > options.plausible_vm_max)) flagged[i] = 1;
  for (std::size_t k = 0; k < branch_active.size(); ++k) {
    if (!branch_active[k]) continue;
    const auto f = static_cast<std::size_t>(index.branch_from[k]), t = static_cast<std::size_t>(index.branch_to[k]);
    const double diff = std::remainder(va_deg[f] - va_deg[t] - pc.branches[k].angle, 360.0);
    if (std::abs(diff) > options.plausible_angle_diff_deg) flagged[f] = flagged[t] = 1;
  }
  std::vector<std::int32_t> out;
  for (std::size_t i = 0; i < n; ++i)
    if (flagged[i]) out.push_back(static_cast<std::int32_t>(i));
  return out;
}

}  // namespace citytwin::grid
