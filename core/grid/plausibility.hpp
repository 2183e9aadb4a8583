#pragma once
// Is a converged AC solution an operating point? The one rule for the single
// solve (AcPowerFlow) and the batched solves (citytwin powerflow
// --load-factors): an energised bus whose magnitude is outside
// [plausible_vm_min, plausible_vm_max], or the two ends of an active branch
// whose angle difference (after the branch's phase shift) exceeds
// plausible_angle_diff_deg, as a flat start's low-voltage solution shows.
#include <cstdint>
#include <span>
#include <vector>

#include "core/grid/power_case.hpp"
#include "core/grid/power_flow.hpp"

namespace citytwin::grid {

// Indices (0-based, case order) of the flagged buses; empty for a plausible point.
std::vector<std::int32_t> implausible_buses(const PowerCase& pc, const BusIndex& index, std::span<const double> vm,
                                            std::span<const double> va_deg, std::span<const std::uint8_t> energised,
                                            std::span<const std::uint8_t> branch_active, const PowerFlowOptions& options);

}  // namespace citytwin::grid
