// The plausibility rule shared by the single and the batched AC solves:
// MATPOWER's solution of case9 is plausible; a bus pushed outside the voltage
// band, or two ends of a branch turned more than 90 degrees apart, are flagged.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/grid/matpower_reader.hpp"
#include "core/grid/plausibility.hpp"
#include "tests/core/grid/reference_csv.hpp"

namespace citytwin::grid {
namespace {

struct Solved {
  PowerCase pc = read_matpower(test::case_path("case9"));
  BusIndex index = index_buses(pc);
  PowerFlowResult r = solve_ac(pc);
  std::vector<std::uint8_t> active = std::vector<std::uint8_t>(pc.branches.size(), 1);
  std::vector<std::int32_t> flagged() const {
    return implausible_buses(pc, index, r.vm, r.va_deg, r.energised, active, PowerFlowOptions{});
  }
};

TEST(Plausibility, MatpowersSolutionIsPlausible) {
  Solved s;
  ASSERT_TRUE(s.r.converged());
  EXPECT_TRUE(s.flagged().empty());
}

TEST(Plausibility, AVoltageOutsideTheBandFlagsItsBus) {
  Solved s;
  s.r.vm[4] = 0.36;  // the low-voltage solution issue 18 saw reported as converged
  EXPECT_EQ(s.flagged(), std::vector<std::int32_t>{4});
}

TEST(Plausibility, ABranchAngleAboveNinetyDegreesFlagsBothEnds) {
  Solved s;
  const auto f = s.index.branch_from[3], t = s.index.branch_to[3];
  s.r.va_deg[static_cast<std::size_t>(t)] = s.r.va_deg[static_cast<std::size_t>(f)] - 120.0;
  const auto flagged = s.flagged();
  EXPECT_NE(std::find(flagged.begin(), flagged.end(), f), flagged.end());
  EXPECT_NE(std::find(flagged.begin(), flagged.end(), t), flagged.end());
}

TEST(Plausibility, AngleDifferencesWrapAroundThreeHundredSixtyDegrees) {
  Solved s;
  const auto f = s.index.branch_from[3];
  s.r.va_deg[static_cast<std::size_t>(f)] += 360.0;  // the same operating point
  EXPECT_TRUE(s.flagged().empty());
}

}  // namespace
}  // namespace citytwin::grid
