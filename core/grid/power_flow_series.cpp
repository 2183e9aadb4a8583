#include "core/grid/power_flow_series.hpp"

#include <chrono>
#include <utility>

namespace citytwin::grid {

PowerFlowSeries::PowerFlowSeries(PowerCase pc, PowerFlowOptions options)
    : base_(pc), solver_(std::move(pc), std::move(options)) {}

PowerFlowResult PowerFlowSeries::solve(const std::vector<Bus>& buses, const std::vector<Generator>& generators) {
  const auto t0 = std::chrono::steady_clock::now();
  solver_.set_injections(buses, generators);
  PowerFlowResult r;
  if (have_start_) {
    ++warm_starts_;
    r = solver_.solve_from(vm_, va_deg_);
  } else {
    ++cold_starts_;
    r = solver_.solve();
  }
  have_start_ = r.converged();
  if (have_start_) {
    vm_ = r.vm;
    va_deg_ = r.va_deg;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

PowerFlowResult PowerFlowSeries::solve_scaled_loads(double factor) {
  std::vector<Bus> buses = base_.buses;
  for (Bus& b : buses) {
    b.pd *= factor;
    b.qd *= factor;
  }
  return solve(buses, base_.generators);
}

std::vector<PowerFlowResult> solve_load_series(const PowerCase& pc, std::span<const double> factors,
                                               const PowerFlowOptions& options) {
  PowerFlowSeries series(pc, options);
  std::vector<PowerFlowResult> out;
  out.reserve(factors.size());
  for (const double f : factors) out.push_back(series.solve_scaled_loads(f));
  return out;
}

}  // namespace citytwin::grid
