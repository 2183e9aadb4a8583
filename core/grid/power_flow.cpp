#include "core/grid/power_flow.hpp"

#include <chrono>
#include <cstdio>
#include <cmath>
#include <limits>

#include "core/common/errors.hpp"
#include "core/grid/dc_powerflow.hpp"
#include "core/grid/newton_raphson.hpp"

namespace citytwin::grid {

const char* to_string(SolveStatus status) {
  switch (status) {
    case SolveStatus::converged:
      return "converged";
    case SolveStatus::not_converged:
      return "not converged";
    case SolveStatus::implausible:
      return "converged to an implausible operating point";
  }
  return "?";
}

double PowerFlowResult::loading_percent(const PowerCase& pc, std::size_t k) const {
  const double rate = pc.branches[k].rate_a;
  if (!(rate > 0)) return std::numeric_limits<double>::quiet_NaN();
  const double sf = std::hypot(pf[k], qf[k]);
  const double st = std::hypot(pt[k], qt[k]);
  return 100.0 * std::max(sf, st) / rate;
}

PowerFlowResult solve_ac(const PowerCase& pc, const PowerFlowOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  AcPowerFlow solver(pc, options);
  PowerFlowResult result = solver.solve();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

PowerFlowResult solve_dc(const PowerCase& pc, const PowerFlowOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const Network net = build_network(pc, options.network);
  const DcModel model = build_dc_model(pc, net);
  PowerFlowResult result = dc_result(pc, net, model, dc_angles(pc, net, model));
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

namespace {

std::string short_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

}  // namespace

void require_converged(const PowerCase& pc, const PowerFlowResult& result) {
  if (result.converged()) return;
  std::string message;
  if (result.status == SolveStatus::not_converged) {
    message = "the power flow did not converge in " + std::to_string(result.iterations) +
              " iterations (max mismatch " + short_number(result.max_mismatch) + " pu); worst buses:";
    for (const BusMismatch& w : result.worst_buses) {
      message.append(" ").append(std::to_string(w.bus)).append(" (dP ").append(short_number(w.p_mw)).append(" MW, dQ ")
          .append(short_number(w.q_mvar)).append(" MVAr)");
    }
  } else {
    message = "the power flow converged to an implausible operating point (voltage outside the plausible "
              "range or a branch angle over the limit, e.g. a low-voltage solution); buses:";
    for (std::size_t i = 0; i < result.implausible_buses.size() && i < 10; ++i) {
      message.append(" ").append(std::to_string(result.implausible_buses[i]));  // not " " + ...: GCC 12 -Wrestrict false positive
    }
    if (result.implausible_buses.size() > 10) message += " ...";
  }
  throw NotConverged(message, SourceLocation{.file = pc.source.empty() ? pc.name : pc.source, .layer = "bus"});
}

}  // namespace citytwin::grid
