#pragma once
// The host side of the device Frank-Wolfe iteration, shared by the CUDA
// engine and its TBB twin: the preparation of the inputs both upload, the
// engine interface (the per-link work, kept where the flows live) and the
// iteration itself, which sees only scalars (sums, steps, the gap). One
// iteration for both engines: equal scalars give equal decisions, so the
// twin and the device take the same steps and the same iteration count.
#include <array>
#include <cstdint>
#include <vector>

#include "core/traffic/assignment.hpp"
#include "gpu/assignment_device.hpp"

namespace citytwin::gpu {

// Inputs in the layout of the kernels. Origin o is lane o; lanes is the origin
// count rounded up to 32 (padding lanes have origin -1).
struct FwInputs {
  std::int32_t lanes = 0;
  std::vector<std::int32_t> lane_origin;          // [lanes]
  std::vector<std::int32_t> pair_lane;            // [pairs] the lane of each OD pair
  std::vector<std::uint64_t> amount;              // [pairs] demand in fixed point (aon_tree.hpp)
};

// Checks the network and demand (positive zero-flow costs, nodes in range,
// finite non-negative demand) and builds the lane layout. Throws InvalidInput
// naming the link (TNTP file position) or OD pair.
FwInputs prepare_fw(const traffic::Network& net, const traffic::OdDemand& demand);

// The per-link work of one iteration, on whichever side holds the arrays
// (x: current flows, y: all-or-nothing target, s1 / s2: the last two
// directions' targets). Every method that returns sums uses the chunked
// order of gpu/kernels/fw_link.hpp.
class FwEngine {
 public:
  virtual ~FwEngine() = default;
  // cost = c(0); x = AON(cost).
  virtual void start() = 0;
  // cost = c(x); labels, tree and y = AON(cost). Returns {TSTT, SPTT}.
  virtual std::array<double, 2> costs_and_target() = 0;
  virtual void restart() = 0;                                    // s1 = y
  virtual std::array<double, 2> conjugate_sums() = 0;            // ConjugateTerm
  virtual void conjugate_update(double alpha, bool keep_previous) = 0;  // [s2 = s1;] s1 = mix(s1, y)
  virtual std::array<double, 4> biconjugate_sums(double tau) = 0;      // BiconjugateTerm
  virtual void biconjugate_update(double b0, double b1, double b2) = 0; // s2 <- s1 <- mix(y, s1, s2)
  virtual std::array<double, 2> slope(double tau) = 0;                 // SlopeTerm
  virtual void step(double tau) = 0;                                   // x = fw_step(x, s1, tau)
  virtual std::vector<double> flows() = 0;                             // x, to the host
  virtual std::int64_t sweeps() const = 0;                             // relaxation sweeps so far
};

// Runs fw / cfw / bfw (options.algorithm) as traffic::solve_frank_wolfe does,
// until the relative gap is at or below options.target_gap or
// options.max_iterations. Fills everything but times.
DeviceAssignmentResult run_frank_wolfe(FwEngine& engine, const DeviceAssignmentOptions& options);

}  // namespace citytwin::gpu
