// DC power flow against MATPOWER's rundcpf reference (angles 1e-8 degrees).
#include <gtest/gtest.h>

#include <cmath>

#include "core/grid/matpower_reader.hpp"
#include "core/grid/power_flow.hpp"
#include "tests/core/grid/reference_csv.hpp"

namespace citytwin::grid {
namespace {

using test::case_path;
using test::read_reference;

void expect_dc_matches(const std::string& name, double sum_pg) {
  const PowerCase pc = read_matpower(case_path(name));
  const PowerFlowResult r = solve_dc(pc);
  ASSERT_TRUE(r.converged());
  EXPECT_TRUE(r.dc);
  const auto bus = read_reference(name + "_dc_bus.csv");
  const auto branch = read_reference(name + "_dc_branch.csv");
  ASSERT_EQ(bus.rows, pc.buses.size());
  double worst_va = 0, worst_pf = 0;
  for (std::size_t i = 0; i < bus.rows; ++i) worst_va = std::max(worst_va, std::abs(r.va_deg[i] - bus["Va_deg"][i]));
  for (std::size_t k = 0; k < branch.rows; ++k) worst_pf = std::max(worst_pf, std::abs(r.pf[k] - branch["Pf_MW"][k]));
  EXPECT_LT(worst_va, 1e-8) << name;
  EXPECT_LT(worst_pf, 1e-6) << name;  // the CSV carries 10 significant digits
  double total = 0;
  for (double p : r.pg) total += p;
  EXPECT_NEAR(total, sum_pg, 1e-3) << name;
}

TEST(DcPowerFlow, Case118MatchesMatpower) { expect_dc_matches("case118", 4242.0); }

TEST(DcPowerFlow, Case2869PegaseMatchesMatpower) { expect_dc_matches("case2869pegase", 132447.247); }

TEST(DcPowerFlow, SmallCasesSolve) {
  for (const std::string name : {"case9", "case14", "case30", "case300"}) {
    const PowerCase pc = read_matpower(case_path(name));
    const PowerFlowResult r = solve_dc(pc);
    EXPECT_TRUE(r.converged()) << name;
    // Lossless: generation equals load plus shunt conductance.
    double pg = 0, load = 0;
    for (double p : r.pg) pg += p;
    for (const Bus& b : pc.buses) load += b.pd + b.gs;
    EXPECT_NEAR(pg, load, 1e-6) << name;
  }
}

}  // namespace
}  // namespace citytwin::grid
