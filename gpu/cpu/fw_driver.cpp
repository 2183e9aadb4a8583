// The Frank-Wolfe iteration over an FwEngine: the decisions of
// core/traffic/frank_wolfe.cpp (restarts, conjugate and bi-conjugate
// coefficients, the safeguarded Newton line search) made from the engine's sums.
#include "gpu/fw_driver.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/common/errors.hpp"
#include "core/traffic/bpr.hpp"
#include "core/traffic/frank_wolfe_rules.hpp"
#include "gpu/phast_plan.hpp"

namespace citytwin::gpu {

FwInputs prepare_fw(const traffic::Network& net, const traffic::OdDemand& demand) {
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
  FwInputs in;
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

namespace {

// core/traffic's line search, its slope summed by the engine.
double line_search(FwEngine& engine) {
  return traffic::beckmann_line_search([&](double tau) { return engine.slope(tau); });
}

}  // namespace

DeviceAssignmentResult run_frank_wolfe(FwEngine& engine, const DeviceAssignmentOptions& options) {
  using traffic::Algorithm;
  const Algorithm method = options.algorithm;
  if (method == Algorithm::bush) throw InvalidInput("device assignment: Algorithm B is not a Frank-Wolfe method (use fw, cfw or bfw)");
  if (!(options.target_gap >= 0)) throw InvalidInput("the target gap must be a non-negative number");
  DeviceAssignmentResult r;
  engine.start();
  double tau = 0;        // step of the previous iteration
  int since_restart = 0; // directions built since the last restart
  for (std::int32_t k = 0;; ++k) {
    const auto [tstt, sptt] = engine.costs_and_target();
    r.tstt = tstt;
    r.sptt = sptt;
    r.relative_gap = sptt > 0 ? (tstt - sptt) / sptt : 0.0;
    r.gap_trace.push_back(r.relative_gap);
    r.iterations = k;
    if (r.relative_gap <= options.target_gap) {
      r.converged = true;
      break;
    }
    if (k >= options.max_iterations) break;
    if (tau > 0.999999) since_restart = 0;
    if (method == Algorithm::frank_wolfe || since_restart == 0) {
      engine.restart();
      since_restart = 1;
    } else if (method == Algorithm::conjugate_frank_wolfe || since_restart == 1) {
      const auto [num, den] = engine.conjugate_sums();
      engine.conjugate_update(traffic::conjugate_alpha(num, den), method == Algorithm::biconjugate_frank_wolfe);
      since_restart = 2;
    } else {
      const auto q = engine.biconjugate_sums(tau);
      const auto [b0, b1, b2] = traffic::biconjugate_weights(q[0], q[1], q[2], q[3], tau);
      engine.biconjugate_update(b0, b1, b2);
    }
    tau = line_search(engine);
    engine.step(tau);
  }
  r.flow = engine.flows();
  r.sweeps = engine.sweeps();
  return r;
}

}  // namespace citytwin::gpu
