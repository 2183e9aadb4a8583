// Time-series AC power flow: each step warm-started from the previous one
// must land on the same operating point as an independent solve of that
// step, and the unscaled step on MATPOWER's reference solution.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/grid/matpower_reader.hpp"
#include "core/grid/power_flow.hpp"
#include "core/grid/power_flow_series.hpp"
#include "tests/core/grid/reference_csv.hpp"

namespace citytwin::grid {
namespace {

using test::case_path;
using test::read_reference;

// A day in 48 half-hour levels, `night` at night to 1.0 at the evening peak.
std::vector<double> daily_levels(double night = 0.7) {
  std::vector<double> f(48);
  const double mid = 0.5 * (1.0 + night), swing = 0.5 * (1.0 - night);
  for (std::size_t t = 0; t < f.size(); ++t) {
    const double hour = 0.5 * static_cast<double>(t);
    f[t] = mid - swing * std::cos(2 * std::numbers::pi * (hour - 6.0) / 24.0);
  }
  f[37] = 1.0;  // 18:30, the case's own loading
  return f;
}

PowerCase scaled(const PowerCase& pc, double factor) {
  PowerCase s = pc;
  for (Bus& b : s.buses) {
    b.pd *= factor;
    b.qd *= factor;
  }
  return s;
}

void expect_series_equals_cold_solves(const std::string& name, double night = 0.7) {
  const PowerCase pc = read_matpower(case_path(name));
  const std::vector<double> levels = daily_levels(night);
  PowerFlowSeries series(pc);
  int warm_iterations = 0, cold_iterations = 0;
  for (const double f : levels) {
    const PowerFlowResult warm = series.solve_scaled_loads(f);
    const PowerFlowResult cold = solve_ac(scaled(pc, f));
    ASSERT_TRUE(warm.converged()) << name << " level " << f;
    ASSERT_TRUE(cold.converged()) << name << " level " << f;
    warm_iterations += warm.iterations;
    cold_iterations += cold.iterations;
    double worst_vm = 0, worst_va = 0;
    for (std::size_t i = 0; i < pc.buses.size(); ++i) {
      worst_vm = std::max(worst_vm, std::abs(warm.vm[i] - cold.vm[i]));
      worst_va = std::max(worst_va, std::abs(warm.va_deg[i] - cold.va_deg[i]));
    }
    // Both stop at a mismatch below 1e-8 pu: the operating points agree far
    // inside MATPOWER's own comparison tolerances (1e-6 pu, 1e-5 deg).
    EXPECT_LT(worst_vm, 1e-7) << name << " level " << f;
    EXPECT_LT(worst_va, 1e-5) << name << " level " << f;
  }
  EXPECT_EQ(series.cold_starts(), 1);
  EXPECT_EQ(series.warm_starts(), static_cast<int>(levels.size()) - 1);
  // The point of warm starts: neighbouring levels need fewer Newton steps.
  EXPECT_LT(warm_iterations, cold_iterations) << name;
}

TEST(PowerFlowSeries, Case118StepsEqualIndependentSolves) { expect_series_equals_cold_solves("case118"); }
// case300 scaled below ~0.9 has no solution MATPOWER's Newton reaches from the case voltages in 10 steps.
TEST(PowerFlowSeries, Case300StepsEqualIndependentSolves) { expect_series_equals_cold_solves("case300", 0.95); }
TEST(PowerFlowSeries, Case2869pegaseStepsEqualIndependentSolves) { expect_series_equals_cold_solves("case2869pegase"); }

TEST(PowerFlowSeries, UnscaledStepAfterOthersMatchesMatpower) {
  const PowerCase pc = read_matpower(case_path("case2869pegase"));
  const std::vector<double> levels = daily_levels();
  const std::vector<PowerFlowResult> rs = solve_load_series(pc, levels);
  const PowerFlowResult& r = rs[37];  // factor 1, reached from 18:00's solution
  ASSERT_TRUE(r.converged());
  const auto bus = read_reference("case2869pegase_ac_bus.csv");
  ASSERT_EQ(bus.rows, pc.buses.size());
  double worst_vm = 0, worst_va = 0;
  for (std::size_t i = 0; i < bus.rows; ++i) {
    worst_vm = std::max(worst_vm, std::abs(r.vm[i] - bus["Vm_pu"][i]));
    double d = std::fmod(r.va_deg[i] - bus["Va_deg"][i] + 540.0, 360.0) - 180.0;
    worst_va = std::max(worst_va, std::abs(d));
  }
  EXPECT_LT(worst_vm, 1e-6);
  EXPECT_LT(worst_va, 1e-5);
}

// A step that fails is never the next step's start: the series falls back to
// the options' start mode (a diverged start would doom every later step).
TEST(PowerFlowSeries, FailedStepIsNotUsedAsStart) {
  const PowerCase pc = read_matpower(case_path("case14"));
  PowerFlowSeries series(pc);
  ASSERT_TRUE(series.solve_scaled_loads(1.0).converged());
  const PowerFlowResult overload = series.solve_scaled_loads(40.0);
  ASSERT_FALSE(overload.converged()) << "40x the load of case14 has no solution";
  const PowerFlowResult back = series.solve_scaled_loads(1.0);
  ASSERT_TRUE(back.converged());
  EXPECT_EQ(series.cold_starts(), 2);
  const PowerFlowResult cold = solve_ac(pc);
  for (std::size_t i = 0; i < pc.buses.size(); ++i) EXPECT_NEAR(back.vm[i], cold.vm[i], 1e-9);
}

}  // namespace
}  // namespace citytwin::grid
