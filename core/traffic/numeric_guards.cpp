#include "core/traffic/numeric_guards.hpp"

#include <cmath>
#include <cstdio>

#include "core/common/errors.hpp"
#include "core/traffic/bpr.hpp"

namespace citytwin::traffic {

namespace {
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
}  // namespace

void check_assignment_inputs(const Network& net, const OdDemand& demand) {
  for (std::size_t k = 0; k < demand.destination_flow.size(); ++k) {
    const double f = demand.destination_flow[k];
    if (!std::isfinite(f) || f < 0 || f > kMaxOdTrips)
      throw InvalidInput("assignment input: OD demand " + number(f) + " is outside 0 .. " + number(kMaxOdTrips) + " trips for one pair",
                         {.field = "trips"});
  }
  if (!std::isfinite(demand.total) || demand.total > kMaxTotalDemand)
    throw InvalidInput("assignment input: total demand " + number(demand.total) + " is outside 0 .. " + number(kMaxTotalDemand) + " trips",
                       {.field = "trips"});
  // No link may overflow at the largest flow it can carry (all demand on it).
  const double x = demand.total;
  for (std::size_t a = 0; a < net.coefficients.size(); ++a) {
    const BprCoefficients& k = net.coefficients[a];
    const bool ok = std::isfinite(k.t0) && std::isfinite(k.coef) && std::isfinite(k.power) && std::isfinite(k.fixed) &&
                    std::isfinite(bpr_cost(k, x)) && std::isfinite(bpr_integral(k, x)) && std::isfinite(x * bpr_cost(k, x));
    if (!ok)
      throw InvalidInput("assignment input: link " + std::to_string(a) + "'s cost is not finite at the total demand of " + number(x) +
                             " (free-flow time " + number(k.t0) + ", BPR coefficient " + number(k.coef) + ", power " + number(k.power) +
                             "): capacity too small or demand too large",
                         {.feature = static_cast<std::int64_t>(a), .field = "capacity"});
  }
}

void check_assignment_result(const AssignmentResult& r) {
  const GapMeasures& m = r.measures;
  if (!gap_is_valid(m.relative_gap) || !std::isfinite(m.tstt) || !std::isfinite(m.sptt) || !std::isfinite(m.objective))
    throw NumericalFailure("assignment ended with relative gap " + number(m.relative_gap) + ", TSTT " + number(m.tstt) + ", SPTT " +
                               number(m.sptt) + ": not a solution (numerical failure)",
                           {});
  for (std::size_t a = 0; a < r.flow.size(); ++a)
    if (!std::isfinite(r.flow[a]) || (a < r.cost.size() && !std::isfinite(r.cost[a])))
      throw NumericalFailure("assignment ended with flow " + number(r.flow[a]) + " on link " + std::to_string(a) + " (numerical failure)",
                             {.feature = static_cast<std::int64_t>(a)});
}

}  // namespace citytwin::traffic
