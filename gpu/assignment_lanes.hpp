#pragma once
// The host side shared by the device Frank-Wolfe iteration's two back ends
// (the CUDA one, gpu/cuda/assignment.cu, and its host counterpart,
// gpu/cpu/assignment_host.cpp): the inputs both upload, in the lane layout of
// the kernels, and the run of core/traffic's one iteration
// (traffic::run_frank_wolfe) over either of them.
#include <cstdint>
#include <vector>

#include "core/traffic/frank_wolfe_backend.hpp"
#include "gpu/assignment_device.hpp"

namespace citytwin::gpu {

// Inputs in the layout of the kernels. Origin o is lane o; lanes is the origin
// count rounded up to 32 (padding lanes have origin -1).
struct LaneInputs {
  std::int32_t lanes = 0;
  std::vector<std::int32_t> lane_origin;          // [lanes]
  std::vector<std::int32_t> pair_lane;            // [pairs] the lane of each OD pair
  std::vector<std::uint64_t> amount;              // [pairs] demand in fixed point (aon_tree.hpp)
};

// Checks the network and demand (positive zero-flow costs, nodes in range,
// finite non-negative demand) and builds the lane layout. Throws InvalidInput
// naming the link (TNTP file position) or OD pair.
LaneInputs prepare_lanes(const traffic::Network& net, const traffic::OdDemand& demand);

// traffic::run_frank_wolfe with the device options (no time limit, no
// progress callback), its result in the device's form. Fills everything but
// sweeps and times.
DeviceAssignmentResult run_device_iteration(traffic::FrankWolfeBackend& backend, const traffic::OdDemand& demand,
                                            const DeviceAssignmentOptions& options);

}  // namespace citytwin::gpu
