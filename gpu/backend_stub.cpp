// Built when CUDA is off: the same entry points, reporting that no kernels exist.
#include "core/common/errors.hpp"
#include "gpu/assignment_device.hpp"
#include "gpu/backend.hpp"

#include "core/grid/contingency.hpp"
#include "gpu/power_flow_batch.hpp"

namespace citytwin::gpu {

const DeviceInfo& device() {
  static const DeviceInfo info{.available = false, .compiled = false, .reason = "built without CUDA (CITYTWIN_WITH_CUDA=OFF or no nvcc)"};
  return info;
}

std::string cpu_fallback_notice() { return "CUDA: " + device().reason + ", using CPU"; }

std::vector<std::int32_t> locate_points(const PolygonColumn&, std::span<const double>, std::span<const double>) {
  throw BackendUnavailable(device().reason);
}

}  // namespace citytwin::gpu

namespace citytwin::gpu {

std::vector<double> phast_distances(const traffic::ContractionHierarchy&, std::span<const std::int32_t>) {
  throw BackendUnavailable(device().reason);
}

std::vector<double> all_or_nothing(const traffic::Network&, const traffic::ContractionHierarchy&, std::span<const double>,
                                   const traffic::OdDemand&, KernelTimes*) {
  throw BackendUnavailable(device().reason);
}

std::vector<std::int32_t> nearest_points(std::span<const double>, std::span<const double>, std::span<const double>,
                                         std::span<const double>, KernelTimes*) {
  throw BackendUnavailable(device().reason);
}

std::vector<grid::OutageResult> screen_n_minus_1_dc(const grid::PowerCase&, const grid::ContingencyOptions&, KernelTimes*) {
  throw BackendUnavailable(device().reason);
}

KernelTimes phast_sweep_times(const traffic::ContractionHierarchy&, std::span<const std::int32_t>) {
  throw BackendUnavailable(device().reason);
}

double device_copy_gbps(std::size_t) { throw BackendUnavailable(device().reason); }

DeviceAssignmentResult assign_frank_wolfe(const traffic::Network&, const traffic::OdDemand&, const DeviceAssignmentOptions&) {
  throw BackendUnavailable(device().reason);
}

std::vector<double> pull_distances(const traffic::Network&, std::span<const std::int32_t>, std::span<const double>) {
  throw BackendUnavailable(device().reason);
}

BatchPowerFlowResult solve_power_flow_batch(const BatchPowerFlowPlan&, const BatchInjections&, KernelTimes*, std::int32_t) {
  throw BackendUnavailable(device().reason);
}

}  // namespace citytwin::gpu
