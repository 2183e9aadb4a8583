// The device iteration's inputs in lane layout, and its run of
// traffic::run_frank_wolfe.
#include "gpu/assignment_lanes.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/common/errors.hpp"
#include "core/traffic/bpr.hpp"
#include "gpu/phast_plan.hpp"

namespace citytwin::gpu {

LaneInputs prepare_lanes(const traffic::Network& net, const traffic::OdDemand& demand) {
  for (std::size_t a = 0; a < static_cast<std::size_t>(net.link_count); ++a) {
    const double c0 = traffic::bpr_cost(net.coefficients[a], 0.0);
    if (!(c0 > 0) || !std::isfinite(c0))
      throw InvalidInput(std::string("device assignment: link ")
                             .append(std::to_string(net.tntp_node.empty() ? net.tail[a] : net.tntp_node[net.tail[a]]))
                             .append(" -> ")
                             .append(std::to_string(net.tntp_node.empty() ? net.head[a] : net.tntp_node[net.head[a]]))
                             .append(" costs ")
                             .append(std::to_string(c0))
                             .append(" at zero flow; shortest paths without a hierarchy need positive costs"),
                         SourceLocation{.feature = net.file_link.empty() ? static_cast<std::int64_t>(a) : net.file_link[a] + 1});
  }
  const std::size_t origins = demand.origin_count();
  LaneInputs in;
  in.lanes = static_cast<std::int32_t>((origins + 31) / 32 * 32);
  in.lane_origin.assign(static_cast<std::size_t>(in.lanes), -1);
  in.pair_lane.resize(demand.destination_node.size());
  for (std::size_t o = 0; o < origins; ++o) {
    const std::int32_t u = demand.origin_node[o];
    if (u < 0 || u >= net.node_count)
      throw InvalidInput(std::string("device assignment: origin ").append(std::to_string(o)).append(" is not a network node"));
    in.lane_origin[o] = u;
    for (auto k = demand.destination_offset[o]; k < demand.destination_offset[o + 1]; ++k) {
      const std::int32_t v = demand.destination_node[static_cast<std::size_t>(k)];
      if (v < 0 || v >= net.node_count)
        throw InvalidInput(std::string("device assignment: OD pair ").append(std::to_string(k)).append(" has a destination that is not a network node"));
      in.pair_lane[static_cast<std::size_t>(k)] = static_cast<std::int32_t>(o);
    }
  }
  in.amount = fixed_demand(demand);
  return in;
}

DeviceAssignmentResult run_device_iteration(traffic::FrankWolfeBackend& backend, const traffic::OdDemand& demand,
                                            const DeviceAssignmentOptions& options) {
  traffic::AssignmentOptions run;
  run.algorithm = options.algorithm;
  run.target_gap = options.target_gap;
  run.max_iterations = options.max_iterations;
  traffic::AssignmentResult a = traffic::run_frank_wolfe(backend, demand.total, run);
  DeviceAssignmentResult r;
  r.flow = std::move(a.flow);
  r.relative_gap = a.measures.relative_gap;
  r.tstt = a.measures.tstt;
  r.sptt = a.measures.sptt;
  r.iterations = a.iterations;
  r.converged = a.converged;
  r.gap_trace.reserve(a.trace.size());
  for (const traffic::IterationRecord& rec : a.trace) r.gap_trace.push_back(rec.measures.relative_gap);
  return r;
}

}  // namespace citytwin::gpu
