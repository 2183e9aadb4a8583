#pragma once
// A time series of AC power flows on one grid whose injections change from
// step to step (hours, load levels, scenarios that only move load): the
// Ybus, the Jacobian pattern and the KLU symbolic analysis are built once,
// and each step starts from the previous step's solution, as time-series
// power-flow tools do (lightsim2grid's TimeSerie, pandapower's timeseries
// with init="results"). A step that does not converge (or converges to an
// implausible point) is never used as a start: the next step starts from the
// options' start mode again.
#include <span>
#include <vector>

#include "core/grid/newton_raphson.hpp"
#include "core/grid/power_case.hpp"
#include "core/grid/power_flow.hpp"

namespace citytwin::grid {

class PowerFlowSeries {
 public:
  explicit PowerFlowSeries(PowerCase pc, PowerFlowOptions options = {});

  // The next step with these loads and dispatch (same topology as the case).
  PowerFlowResult solve(const std::vector<Bus>& buses, const std::vector<Generator>& generators);
  // The next step with the case's loads (P and Q) times `factor`, dispatch as in the case.
  PowerFlowResult solve_scaled_loads(double factor);

  // Steps started from the previous solution / from the options' start mode.
  int warm_starts() const { return warm_starts_; }
  int cold_starts() const { return cold_starts_; }

 private:
  PowerCase base_;
  AcPowerFlow solver_;
  std::vector<double> vm_, va_deg_;  // last plausible converged solution
  bool have_start_ = false;
  int warm_starts_ = 0, cold_starts_ = 0;
};

// One step per load factor, in order, warm-started (`citytwin powerflow --load-factors` on the CPU).
std::vector<PowerFlowResult> solve_load_series(const PowerCase& pc, std::span<const double> factors,
                                               const PowerFlowOptions& options = {});

}  // namespace citytwin::grid
