#pragma once
// The plain C++ bridge to the device Frank-Wolfe assignment (issue 7):
// core/traffic's iteration (traffic::run_frank_wolfe) over the CUDA back end,
// whose arrays (costs, shortest paths without a hierarchy, all-or-nothing,
// directions) stay on the device; only scalars come back per iteration.
// gpu::cpu:: holds its host counterpart, the same per-element bodies under a
// TBB schedule; the comparison tests hold the device against it.
// No CUDA types here. Without CUDA the gpu:: entry points throw BackendUnavailable.
#include <cstdint>
#include <span>
#include <vector>

#include "core/traffic/assignment.hpp"
#include "gpu/backend.hpp"

namespace citytwin::gpu {

struct DeviceAssignmentOptions {
  traffic::Algorithm algorithm = traffic::Algorithm::biconjugate_frank_wolfe;  // fw, cfw or bfw
  double target_gap = 1e-4;
  std::int32_t max_iterations = 10000;
};

struct DeviceAssignmentResult {
  std::vector<double> flow;  // internal link order
  double relative_gap = 0;   // (TSTT - SPTT) / SPTT at `flow`
  double tstt = 0, sptt = 0;
  std::int32_t iterations = 0;  // as traffic::AssignmentResult::iterations
  bool converged = false;
  std::int64_t sweeps = 0;   // relaxation sweeps over all shortest-path passes
  std::vector<double> gap_trace;  // relative gap per iteration
  // device_ms: the iteration (CUDA events, or wall time on the CPU);
  // host_ms: preparation and uploads before it.
  KernelTimes times;
};

// Bi-conjugate (or plain / conjugate) Frank-Wolfe on the device. Link costs
// at zero flow must be positive. Throws BackendUnavailable without a device.
DeviceAssignmentResult assign_frank_wolfe(const traffic::Network& net, const traffic::OdDemand& demand,
                                          const DeviceAssignmentOptions& options);

// One-to-all labels from each origin under `cost` by the pull relaxation of
// gpu/kernels/pull_relax.hpp (zones other than the origin not passed
// through): out[i * n + v], infinity where unreachable. Equals
// traffic::shortest_path_tree's distances exactly. Throws BackendUnavailable without a device.
std::vector<double> pull_distances(const traffic::Network& net, std::span<const std::int32_t> origins,
                                   std::span<const double> cost);

// traffic::assign's interface on the device, for callers that choose the
// backend at run time (`citytwin assign --device gpu`): fw, cfw or bfw by
// assign_frank_wolfe, then the measures of the returned flows recomputed by
// traffic::evaluate on the host. The trace holds the relative gap per
// iteration only (other measures NaN; seconds: the whole solve at the last
// record). on_iteration and max_seconds are not honoured on the device.
// Throws InvalidInput for Algorithm B (CPU only) or warm starts,
// BackendUnavailable without a device.
traffic::AssignmentResult assign(const traffic::Network& net, const traffic::OdDemand& demand,
                                 const traffic::AssignmentOptions& options);

namespace cpu {
// gpu::assign on the host counterpart (tests the adapter without a device).
traffic::AssignmentResult assign(const traffic::Network& net, const traffic::OdDemand& demand,
                                 const traffic::AssignmentOptions& options);
DeviceAssignmentResult assign_frank_wolfe(const traffic::Network& net, const traffic::OdDemand& demand,
                                          const DeviceAssignmentOptions& options);
std::vector<double> pull_distances(const traffic::Network& net, std::span<const std::int32_t> origins,
                                   std::span<const double> cost);
}  // namespace cpu

}  // namespace citytwin::gpu
