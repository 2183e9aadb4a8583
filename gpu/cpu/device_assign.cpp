// gpu::assign: the device Frank-Wolfe behind traffic::assign's interface.
// Plain C++: without CUDA assign_frank_wolfe throws BackendUnavailable.
#include <chrono>
#include <limits>

#include "core/common/errors.hpp"
#include "core/traffic/convergence.hpp"
#include "gpu/assignment_device.hpp"

namespace citytwin::gpu {

namespace {

using Solver = DeviceAssignmentResult (*)(const traffic::Network&, const traffic::OdDemand&, const DeviceAssignmentOptions&);

traffic::AssignmentResult assign_with(Solver solve, const traffic::Network& net, const traffic::OdDemand& demand,
                                      const traffic::AssignmentOptions& options) {
  if (options.algorithm == traffic::Algorithm::bush)
    throw InvalidInput("Algorithm B (bush) runs on the CPU only; on the GPU use fw, cfw or bfw");
  if (options.warm_start || options.keep_bushes) throw InvalidInput("warm starts are bush state, which the GPU path does not keep");
  const auto start = std::chrono::steady_clock::now();
  DeviceAssignmentOptions device_options;
  device_options.algorithm = options.algorithm;
  device_options.target_gap = options.target_gap;
  device_options.max_iterations = options.max_iterations;
  DeviceAssignmentResult d = solve(net, demand, device_options);

  traffic::AssignmentResult r;
  r.flow = std::move(d.flow);
  traffic::link_costs(net, r.flow, r.cost);
  // Independent of the device's sums: the stopping test is checked again here.
  r.measures = traffic::evaluate(net, demand, r.flow);
  r.iterations = d.iterations;
  r.converged = d.converged;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t k = 0; k < d.gap_trace.size(); ++k) {
    traffic::IterationRecord rec;
    rec.iteration = static_cast<std::int32_t>(k);
    rec.seconds = k + 1 == d.gap_trace.size() ? r.seconds : nan;
    rec.measures = {nan, nan, d.gap_trace[k], nan, nan, nan};
    r.trace.push_back(rec);
  }
  return r;
}

}  // namespace

traffic::AssignmentResult assign(const traffic::Network& net, const traffic::OdDemand& demand,
                                 const traffic::AssignmentOptions& options) {
  return assign_with(&gpu::assign_frank_wolfe, net, demand, options);
}

traffic::AssignmentResult cpu::assign(const traffic::Network& net, const traffic::OdDemand& demand,
                                      const traffic::AssignmentOptions& options) {
  return assign_with(&gpu::cpu::assign_frank_wolfe, net, demand, options);
}

}  // namespace citytwin::gpu
