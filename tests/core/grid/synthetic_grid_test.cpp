// The synthetic grid generator: seeded, valid, and solvable like a real case.
#include <gtest/gtest.h>

#include "core/grid/network.hpp"
#include "core/grid/power_flow.hpp"
#include "core/grid/synthetic_grid.hpp"

namespace citytwin::grid {
namespace {

TEST(SyntheticGrid, SameSeedSameCase) {
  const PowerCase a = synthetic_grid({.buses = 2000, .seed = 3});
  const PowerCase b = synthetic_grid({.buses = 2000, .seed = 3});
  const PowerCase c = synthetic_grid({.buses = 2000, .seed = 4});
  ASSERT_EQ(a.branches.size(), b.branches.size());
  for (std::size_t k = 0; k < a.branches.size(); ++k) {
    EXPECT_EQ(a.branches[k].from, b.branches[k].from);
    EXPECT_EQ(a.branches[k].x, b.branches[k].x);
  }
  EXPECT_NE(a.buses[100].pd, c.buses[100].pd);
}

TEST(SyntheticGrid, IsOneIslandAndSolvesFromAFlatStart) {
  for (std::int32_t n : {500, 10000}) {
    const PowerCase pc = synthetic_grid({.buses = n, .seed = 7});
    EXPECT_EQ(static_cast<std::int32_t>(pc.buses.size()), n);
    const Network net = build_network(pc);
    EXPECT_EQ(net.islands.count, 1);
    PowerFlowOptions options;
    options.start = StartMode::flat;
    const PowerFlowResult r = solve_ac(pc, options);
    ASSERT_TRUE(r.converged()) << n << ": " << to_string(r.status);
    EXPECT_LE(r.iterations, 6) << n;
    EXPECT_GT(r.min_vm, 0.85) << n;
    EXPECT_LT(r.max_vm, 1.1) << n;
    double load = 0;
    for (const Bus& b : pc.buses) load += b.pd;
    EXPECT_GT(r.losses_mw, 0.001 * load) << n;
    EXPECT_LT(r.losses_mw, 0.05 * load) << n;
    EXPECT_TRUE(solve_dc(pc).converged());
  }
}

}  // namespace
}  // namespace citytwin::grid
